import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from ..registries import result as res
from ..registries import verdict
from ..registries.applicable import queries_for

_logger = logging.getLogger(__name__)
BULK_PROVIDERS = {"cz_ares", "cz_adis", "pl_whitelist"}


class RegistryRunner(models.AbstractModel):
    """Runs the registry checks of partners and records the evidence."""

    _name = "crm_extended.registry.runner"
    _description = "Company Registry Check Runner"

    @api.model
    def _plan(self, partners):
        """{partner: {provider code: query}} for the active providers."""
        active = self.env["crm_extended.registry.provider"]._get_active()
        plan = {}
        for partner in partners:
            queries = queries_for(
                partner.country_id.code, partner.vat, partner.company_registry
            )
            plan[partner] = {
                code: query for code, query in queries.items() if code in active
            }
        return active, plan

    @api.model
    def _ask(self, provider, queries):
        """Ask one registry about several queries; never raises."""
        today = fields.Date.context_today(self)
        try:
            client = provider._make_client()
            kwargs = {}
            if provider.code in ("cz_ares", "sk_rpo"):
                kwargs["today"] = today
            elif provider.code == "pl_whitelist":
                kwargs["date"] = today
            if provider.code in BULK_PROVIDERS and len(queries) > 1:
                answers = client.lookup_many(queries, **kwargs)
                return {query: answers[query] for query in queries}
            return {query: client.lookup(query, **kwargs) for query in queries}
        except Exception as exc:  # an outage must never break the card
            _logger.warning("registry %s failed: %s", provider.code, exc, exc_info=True)
            return {
                query: res.unknown(
                    provider.code,
                    query,
                    self.env._("Internal error: %(error)s", error=exc),
                )
                for query in queries
            }

    @api.model
    def _fetch(self, partners):
        """Network phase: {partner: [(provider, RegistryResult)]}."""
        active, plan = self._plan(partners)
        by_provider = defaultdict(set)
        for queries in plan.values():
            for code, query in queries.items():
                by_provider[code].add(query)
        answers = {
            code: self._ask(active[code], sorted(queries))
            for code, queries in by_provider.items()
        }
        return {
            partner: [
                (active[code], answers[code][query]) for code, query in queries.items()
            ]
            for partner, queries in plan.items()
        }

    @api.model
    def _run(self, partners):
        """Check the partners, record evidence, update their status."""
        fetched = self._fetch(partners)
        previous = self._previous_snapshots_by_partner(partners)
        for partner, pairs in fetched.items():
            self._apply(partner, pairs, previous=previous.get(partner.id, {}))
        return fetched

    @api.model
    def _previous_snapshots_by_partner(self, partners):
        """{partner id: {provider code: snapshot}}: the newest *found* answer per
        provider of each partner before this run, read in one search."""
        checks = (
            self.env["crm_extended.registry.check"]
            .sudo()
            .search(
                [("partner_id", "in", partners.ids), ("outcome", "=", res.FOUND)],
                order="checked_at desc, id desc",
            )
        )
        previous = defaultdict(dict)
        for check in checks:
            previous[check.partner_id.id].setdefault(
                check.provider_code, check._snapshot()
            )
        return previous

    @api.model
    def _previous_snapshots(self, partner, providers):
        """The newest *found* answer per provider before this run."""
        checks = (
            self.env["crm_extended.registry.check"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("provider_id", "in", providers.ids),
                    ("outcome", "=", res.FOUND),
                ],
                order="checked_at desc, id desc",
            )
        )
        previous = {}
        for check in checks:
            previous.setdefault(check.provider_code, check._snapshot())
        return previous

    @api.model
    def _apply(self, partner, pairs, previous=None):
        """Record the evidence of ``pairs`` and update the partner's verdict.

        ``previous``: the partner's earlier found answers by provider code, when
        the caller read them for a whole batch; searched here otherwise."""
        if not pairs:
            partner.sudo().write(
                {
                    "registry_checked_at": fields.Datetime.now(),
                    "registry_summary": self.env._(
                        "No registry applies to this company: set its country and "
                        "its company ID or VAT number."
                    ),
                }
            )
            return False
        Provider = self.env["crm_extended.registry.provider"]
        providers = Provider.browse([provider.id for provider, _result in pairs])
        if previous is None:
            previous = self._previous_snapshots(partner, providers)
        self.env["crm_extended.registry.check"]._record_results(partner, pairs)
        names = {provider.code: provider.name for provider, _result in pairs}
        snapshots = [verdict.snapshot_of(result) for _provider, result in pairs]
        status, found = verdict.reasons(snapshots)
        errors = {result.provider: result.error_message for _p, result in pairs}
        summary = "\n".join(
            self._reason_text(code, names[provider], errors.get(provider))
            for _level, code, provider in found
        )
        partner.sudo().write(
            {
                "registry_status": status,
                "registry_checked_at": fields.Datetime.now(),
                "registry_summary": summary or False,
            }
        )
        changed = []
        for snapshot in snapshots:
            for code, detail in verdict.changes(
                previous.get(snapshot["provider"]), snapshot
            ):
                changed.append(
                    self._change_text(code, names[snapshot["provider"]], detail)
                )
        if changed:
            self._notify_changes(partner, changed)
        return status

    def _reason_text(self, code, registry, error):
        texts = {
            "no_answer": lambda: self.env._(
                "%(registry)s could not answer: %(error)s",
                registry=registry,
                error=error or "",
            ),
            "not_found": lambda: self.env._(
                "%(registry)s does not know this company.", registry=registry
            ),
            "unreliable": lambda: self.env._(
                "%(registry)s: unreliable VAT payer.", registry=registry
            ),
            "in_liquidation": lambda: self.env._(
                "%(registry)s: in liquidation.", registry=registry
            ),
            "dissolved": lambda: self.env._(
                "%(registry)s: dissolved.", registry=registry
            ),
            "insolvent": lambda: self.env._(
                "%(registry)s: insolvent.", registry=registry
            ),
            "vat_cancelled": lambda: self.env._(
                "%(registry)s: VAT registration ended.", registry=registry
            ),
        }
        return texts[code]()

    def _change_text(self, code, registry, detail):
        texts = {
            "unreliable": lambda: self.env._(
                "%(registry)s: became an unreliable VAT payer.", registry=registry
            ),
            "in_liquidation": lambda: self.env._(
                "%(registry)s: entered liquidation.", registry=registry
            ),
            "insolvent": lambda: self.env._(
                "%(registry)s: entered insolvency.", registry=registry
            ),
            "dissolved": lambda: self.env._(
                "%(registry)s: was dissolved.", registry=registry
            ),
            "vat_cancelled": lambda: self.env._(
                "%(registry)s: VAT registration was cancelled.", registry=registry
            ),
            "account_unpublished": lambda: self.env._(
                "%(registry)s: bank account %(account)s is no longer published.",
                registry=registry,
                account=detail,
            ),
        }
        return texts[code]()

    @api.model
    def _notify_changes(self, partner, changed):
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._("The registry check found changes:"),
            Markup().join(Markup("<li>%s</li>") % line for line in changed),
        )
        partner.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        users = partner.user_id | self._accountant_users(partner)
        for user in users:
            partner.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Registry verdict changed"),
                note="\n".join(changed),
                user_id=user.id,
            )

    @api.model
    def _accountant_users(self, partner):
        """The accountant to warn: set in the settings parameter, if any."""
        login = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_extended.registry_accountant_login")
        )
        if not login:
            return self.env["res.users"]
        return self.env["res.users"].sudo().search([("login", "=", login)], limit=1)

    # -- scheduled re-check ---------------------------------------------------
    @api.model
    def _recheck_domain(self):
        """Companies with open receivables or sales in the last year, due again."""
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_extended.registry_recheck_days", 7)
        )
        now = fields.Datetime.now()
        self.env["account.move.line"].flush_model(
            ["partner_id", "parent_state", "reconciled", "date", "account_id"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT partner.commercial_partner_id
                  FROM account_move_line line
                  JOIN res_partner partner ON partner.id = line.partner_id
                  JOIN account_account account ON account.id = line.account_id
                 WHERE line.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable'
                   AND (line.reconciled IS NOT TRUE OR line.date >= %(since)s)
                """,
                since=fields.Date.subtract(fields.Date.context_today(self), days=365),
            )
        )
        partner_ids = [row[0] for row in self.env.cr.fetchall()]
        return [
            ("id", "in", partner_ids),
            ("is_company", "=", True),
            "|",
            ("registry_checked_at", "=", False),
            ("registry_checked_at", "<", fields.Datetime.subtract(now, days=days)),
        ]

    @api.model
    def _cron_recheck(self, batch_size=50):
        """One batch; the cron is called again while partners remain (resumable:
        a partner counts as done once its check date is recent)."""
        Partner = self.env["res.partner"]
        domain = self._recheck_domain()
        batch = Partner.search(
            domain, order="registry_checked_at asc nulls first, id", limit=batch_size
        )
        fetched = self._fetch(batch) if batch else {}
        previous = self._previous_snapshots_by_partner(batch) if batch else {}
        done = 0
        for partner in batch:
            try:
                with self.env.cr.savepoint():
                    self._apply(
                        partner,
                        fetched.get(partner, []),
                        previous=previous.get(partner.id, {}),
                    )
            except Exception:  # one partner must not stop the batch
                _logger.exception("registry re-check of partner %s failed", partner.id)
                with self.env.cr.savepoint():
                    partner.sudo().write(
                        {
                            "registry_checked_at": fields.Datetime.now(),
                            "registry_status": "unknown",
                        }
                    )
            done += 1
        remaining = Partner.search_count(domain) if batch else 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done, remaining
