import logging
from collections import defaultdict
from datetime import timedelta

from psycopg2.extensions import TransactionRollbackError

from odoo import api, fields, models
from odoo.tools import SQL

from ..registries import result as res
from ..registries import subject_of, verdict

_logger = logging.getLogger(__name__)

RECHECK_RETRY_DELAY = 60  # seconds


class RegistryRunner(models.AbstractModel):
    """Runs the registry checks of partners, records the evidence and keeps the
    partners' verdicts: the network phase first, then one short write phase."""

    _name = "crm_extended.registry.runner"
    _description = "Company Registry Check Runner"

    # -- what to ask --------------------------------------------------------
    @api.model
    def _subject(self, partner):
        return subject_of(
            partner.country_id.code,
            partner.vat,
            partner.company_registry,
            partner.name,
            partner.zip,
        )

    @api.model
    def _plan(self, partners):
        """(active providers by code, {partner: {provider code: query}})."""
        active = self.env["crm_extended.registry.provider"]._get_active()
        plan = {}
        for partner in partners:
            subject = self._subject(partner)
            plan[partner] = {
                code: query
                for code, provider in active.items()
                if (query := provider._source().query_for(subject))
            }
        return active, plan

    @api.model
    def _ask(self, provider, queries):
        """Ask one registry about several queries; never raises."""
        today = fields.Date.context_today(self)
        try:
            return provider._make_client().lookup_many(queries, today=today)
        except Exception:  # a bug of ours must not break the card: log it
            _logger.exception("registry %s failed", provider.code)
            return {
                query: res.unknown(
                    provider.code,
                    query,
                    "internal error while asking the registry (see the server log)",
                    kind=res.INTERNAL,
                )
                for query in queries
            }

    @api.model
    def _fetch(self, partners):
        """Network phase: {partner: [(provider, RegistryResult)]}.

        Each registry is asked once for all the partners (bulk where the registry
        has a bulk call); published lists are matched in the database; manual
        registries are not asked (their evidence is entered by hand).
        """
        active, plan = self._plan(partners)
        by_provider = defaultdict(set)
        for queries in plan.values():
            for code, query in queries.items():
                if not active[code].is_manual:
                    by_provider[code].add(query)
        answers = {
            code: self._ask(active[code], sorted(queries))
            for code, queries in by_provider.items()
        }
        listed = self.env["crm_extended.debtor.list"]._results_for(partners)
        return {
            partner: [
                (active[code], answers[code][query])
                for code, query in queries.items()
                if code in answers
            ]
            + listed.get(partner, [])
            for partner, queries in plan.items()
        }

    # -- recording ------------------------------------------------------------
    @api.model
    def _run(self, partners):
        """Check the partners, record evidence, update their verdicts."""
        fetched = self._fetch(partners)
        self._apply_many(fetched, self._latest(partners))
        return fetched

    @api.model
    def _apply_many(self, fetched, previous):
        """Record the evidence of ``fetched`` ({partner: [(provider, result)]})
        in one go, update the verdicts, report what got worse since the
        ``previous`` answers (``_latest``, read before recording)."""
        triples = [
            (partner, provider, result)
            for partner, pairs in fetched.items()
            for provider, result in pairs
        ]
        self.env["crm_extended.registry.check"]._record_many(triples)
        partners = self.env["res.partner"].browse([p.id for p in fetched])
        statuses = self._refresh_verdicts(partners)
        for partner, pairs in fetched.items():
            changed = self._changes(pairs, previous.get(partner.id) or {})
            if changed:
                self._notify_changes(partner, changed)
        return statuses

    @api.model
    def _apply(self, partner, pairs, previous=None):
        """One partner's evidence and verdict (the cron, one savepoint each)."""
        return self._apply_many({partner: pairs}, {partner.id: previous or {}})[
            partner.id
        ]

    @api.model
    def _changes(self, pairs, previous):
        answered = previous.get("answered", {})
        changed = []
        for provider, result in pairs:
            old = answered.get(provider.id)
            new = verdict.snapshot_of(result)
            for code, detail in verdict.changes(old, new):
                changed.append((provider, code, detail))
        return changed

    @api.model
    def _latest(self, partners):
        """{partner id: {"latest": {provider id: snapshot}, "answered": {...}}}:
        the newest check of each provider, and the newest that was an answer
        (found or not found), in one query."""
        if not partners:
            return {}
        Check = self.env["crm_extended.registry.check"].sudo()
        Check.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (partner_id, provider_id, bucket) id, bucket
                  FROM (SELECT id, partner_id, provider_id, checked_at,
                               unnest(ARRAY['latest',
                                            CASE WHEN outcome != 'unknown'
                                                 THEN 'answered' END]) AS bucket
                          FROM crm_extended_registry_check
                         WHERE partner_id = ANY(%s)) AS checks
                 WHERE bucket IS NOT NULL
                 ORDER BY partner_id, provider_id, bucket, checked_at DESC, id DESC
                """,
                partners.ids,
            )
        )
        rows = self.env.cr.fetchall()
        checks = Check.browse([row[0] for row in rows])
        checks.fetch(["partner_id", "provider_id", "outcome", "checked_at"])
        snapshots = {check.id: check._snapshot() for check in checks}
        latest = defaultdict(lambda: {"latest": {}, "answered": {}})
        for check_id, bucket in rows:
            check = Check.browse(check_id)
            latest[check.partner_id.id][bucket][check.provider_id.id] = snapshots[
                check_id
            ]
        return latest

    @api.model
    def _applicable_providers(self, partner, active, lists):
        """Providers whose answer counts for this partner's verdict."""
        subject = self._subject(partner)
        providers = self.env["crm_extended.registry.provider"]
        for provider in active.values():
            if provider._source().query_for(subject):
                providers |= provider
        return providers | lists._providers_for(partner)

    @api.model
    def _refresh_verdicts(self, partners):
        """Recompute the verdict of the partners from their newest evidence per
        applicable provider; write it as the system. {partner id: status}."""
        today = fields.Date.context_today(self)
        active = self.env["crm_extended.registry.provider"]._get_active()
        lists = self.env["crm_extended.debtor.list"].sudo().search([])
        latest = self._latest(partners)
        statuses = {}
        risky_before = {p.id: p._registry_risk_kinds() for p in partners}
        for partner in partners:
            evidence = latest.get(partner.id, {"latest": {}, "answered": {}})
            snapshots = []
            answered = {}
            for provider in self._applicable_providers(partner, active, lists):
                snapshot = evidence["latest"].get(provider.id)
                if snapshot is None:
                    if provider.is_manual:
                        snapshot = {
                            "provider": provider.code,
                            "outcome": verdict.MISSING,
                        }
                    else:
                        continue
                snapshot = dict(snapshot, provider_id=provider.id)
                snapshots.append(snapshot)
                if provider.id in evidence["answered"]:
                    answered[provider.id] = evidence["answered"][provider.id]
            values = self._verdict_values(partner, snapshots, answered, today)
            partner.sudo().with_context(crm_registry_verdict=True).write(values)
            statuses[partner.id] = values["registry_status"]
        changed_risk = partners.filtered(
            lambda p: p._registry_risk_kinds() != risky_before[p.id]
        )
        if changed_risk:
            changed_risk._registry_touch_grades()
        return statuses

    @api.model
    def _verdict_values(self, partner, snapshots, answered, today):
        if not snapshots:
            return {
                "registry_status": False,
                "registry_checked_at": fields.Datetime.now(),
                "registry_reason_data": [{"code": "no_registry", "level": "none"}],
            }
        status, reasons = verdict.reasons(
            snapshots, answered=answered, today=fields.Date.to_string(today)
        )
        checked = [s["checked_dt"] for s in snapshots if s.get("checked_dt")]
        verified = [
            s["checked_dt"]
            for s in snapshots
            if s.get("outcome") in (res.FOUND, res.NOT_FOUND) and s.get("checked_dt")
        ]
        values = {
            "registry_status": status,
            # When the registries were last asked: the newest evidence's time.
            "registry_checked_at": max(checked) if checked else fields.Datetime.now(),
            "registry_reason_data": reasons,
        }
        if verified:
            values["registry_verified_at"] = max(verified)
        elif not checked:
            values["registry_verified_at"] = False
        return values

    # -- what changed -----------------------------------------------------------
    def _change_text(self, provider, code, detail):
        registry = provider.name
        partner_model = self.env["res.partner"]
        if code in ("proceeding", "debtor", "vat_grounds") and detail:
            reason = {
                "code": code,
                "params": detail
                if code != "proceeding"
                else {
                    "kind": detail.get("kind"),
                    "state": detail.get("state"),
                    "file_number": detail.get("file_number"),
                    "started": detail.get("started"),
                },
            }
            return self.env._(
                "New: %(finding)s",
                finding=partner_model._registry_reason_sentence(
                    dict(reason, provider_id=provider.id)
                ),
            )
        texts = {
            "unreliable": lambda: self.env._(
                "%(registry)s: became an unreliable VAT payer.", registry=registry
            ),
            "vat_grounds": lambda: self.env._(
                "%(registry)s: listed with grounds for VAT deregistration.",
                registry=registry,
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
        from markupsafe import Markup

        lines = [
            self._change_text(provider, code, detail)
            for provider, code, detail in changed
        ]
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._("The registry check found changes:"),
            Markup().join(Markup("<li>%s</li>") % line for line in lines),
        )
        partner.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        users = partner.user_id | self._accountant_users(partner)
        for user in users:
            partner.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Registry verdict changed"),
                note="\n".join(lines),
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
    def _due_candidates_sql(self):
        """The ids of the companies with open receivables or sales in the last
        year, as a subquery: the selection stays in PostgreSQL (tens of
        thousands of customers at a real company)."""
        self.env["account.move.line"].flush_model(
            ["partner_id", "parent_state", "reconciled", "date", "account_id"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        return SQL(
            """
            (SELECT partner.commercial_partner_id
               FROM account_move_line line
               JOIN res_partner partner ON partner.id = line.partner_id
               JOIN account_account account ON account.id = line.account_id
              WHERE line.parent_state = 'posted'
                AND account.account_type = 'asset_receivable'
                AND (line.reconciled IS NOT TRUE OR line.date >= %(since)s))
            """,
            since=fields.Date.subtract(fields.Date.context_today(self), days=365),
        )

    @api.model
    def _due_candidates(self):
        """Companies with open receivables or sales in the last year (ids)."""
        self.env.cr.execute(
            SQL("SELECT DISTINCT * FROM %s AS due", self._due_candidates_sql())
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _due_before(self):
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_extended.registry_recheck_days", 7)
        )
        return fields.Datetime.subtract(fields.Datetime.now(), days=days)

    @api.model
    def _recheck_domain(self):
        """Companies with open receivables or sales in the last year, due again."""
        return [
            ("id", "in", self._due_candidates_sql()),
            ("is_company", "=", True),
            "|",
            ("registry_checked_at", "=", False),
            ("registry_checked_at", "<", self._due_before()),
        ]

    @api.model
    def _claim(self, candidates, limit):
        """Lock up to ``limit`` due partners for this transaction, skipping rows
        another worker holds: two cron workers never check the same partner.
        The locks go with the transaction (commit or a killed worker's rollback).
        ``candidates``: partner ids, or a subquery selecting them."""
        self.env["res.partner"].flush_model(["registry_checked_at", "is_company"])
        if not isinstance(candidates, SQL):
            candidates = SQL("(SELECT unnest(%s::int[]))", list(candidates))
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM res_partner
                 WHERE id IN %(candidates)s AND is_company AND active
                   AND (registry_checked_at IS NULL OR registry_checked_at < %(due)s)
                 ORDER BY registry_checked_at ASC NULLS FIRST, id
                 LIMIT %(limit)s
                   FOR NO KEY UPDATE SKIP LOCKED
                """,
                candidates=candidates,
                due=self._due_before(),
                limit=limit,
            )
        )
        return self.env["res.partner"].browse(
            [row[0] for row in self.env.cr.fetchall()]
        )

    @api.model
    def _cron_recheck(self, batch_size=20):
        """One batch of the nightly re-check, Odoo's cron protocol: the batch is
        one transaction that the cron runner commits, then calls again while
        ``_notify_progress`` reports partners remaining. A killed worker's
        transaction rolls back whole: no half-written evidence or verdict."""
        candidates = self._due_candidates_sql()
        try:
            with self.env.cr.savepoint():
                batch = self._claim(candidates, batch_size)
        except TransactionRollbackError:
            # Partners changed since this transaction began (the payment rebuild,
            # a user): claim them in a fresh transaction in a minute instead of
            # failing the job.
            _logger.info("Registry re-check met a concurrent update; retrying")
            cron = self.env.ref(
                "crm_extended.ir_cron_registry_recheck", raise_if_not_found=False
            )
            if cron:
                delay = timedelta(seconds=RECHECK_RETRY_DELAY)
                cron.sudo()._trigger(fields.Datetime.now() + delay)
            # Nothing more in this run: the trigger above comes back for the rest.
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return 0, 0
        fetched = self._fetch(batch) if batch else {}
        previous = self._latest(batch) if batch else {}
        done = 0
        for partner in batch:
            try:
                with self.env.cr.savepoint():
                    self._apply(
                        partner,
                        fetched.get(partner, []),
                        previous=previous.get(partner.id),
                    )
            except Exception:  # one partner must not stop the batch
                _logger.exception("registry re-check of partner %s failed", partner.id)
                with self.env.cr.savepoint():
                    partner.sudo().with_context(crm_registry_verdict=True).write(
                        {
                            "registry_checked_at": fields.Datetime.now(),
                            "registry_status": "unknown",
                            "registry_reason_data": [
                                {"code": "failed", "level": verdict.UNKNOWN}
                            ],
                        }
                    )
            done += 1
        remaining = (
            self.env["res.partner"].search_count(self._recheck_domain()) if batch else 0
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done, remaining
