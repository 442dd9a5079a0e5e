from odoo.http import request

from odoo.addons.mass_mailing.controllers.main import MassMailController


class CampaignMassMailController(MassMailController):
    """An unsubscribe from a campaign's mailing is a campaign response too."""

    def _mailing_unsubscribe_from_list(self, mailing, document_id, email, hash_token):
        response = super()._mailing_unsubscribe_from_list(
            mailing, document_id, email, hash_token
        )
        request.env["crm_extended.campaign.member"].sudo()._record_unsubscribe(
            mailing, email
        )
        return response

    def _mailing_unsubscribe_from_document(
        self, mailing, document_id, email, hash_token
    ):
        response = super()._mailing_unsubscribe_from_document(
            mailing, document_id, email, hash_token
        )
        request.env["crm_extended.campaign.member"].sudo()._record_unsubscribe(
            mailing, email
        )
        return response
