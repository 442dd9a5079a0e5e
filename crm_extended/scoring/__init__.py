"""Plain Python scoring maths for the customer card (no Odoo import)."""
