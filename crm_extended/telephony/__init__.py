"""Telephony logic in plain Python (no Odoo import): numbers and PBX events."""
