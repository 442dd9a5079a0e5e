import json
from collections import defaultdict
from dataclasses import dataclass

from odoo import api, fields, models
from odoo.tools import SQL

from ..registries import lists as list_files
from ..registries import names, verdict
from ..registries import result as res
from .debtor_list_sql import (
    ROWS,
    SEPARATOR,
    has_unaccent,
    name_key_sql,
    published_value,
)


@dataclass
class ListRow:
    """A row of a list version in force, as the matching returns it."""

    version_id: int
    list_id: int
    row_number: int
    ico: str | None
    zip: str | None
    raw: str

    def values(self):
        return (self.raw or "").split(SEPARATOR)


def _published(header, row):
    """A row as published: {column: value}."""
    return dict(zip(header, row.values(), strict=False))


class DebtorList(models.Model):
    """Matching the lists' versions in force to companies, and what a hit means
    (a registry answer of the list's provider)."""

    _inherit = "crm_extended.debtor.list"

    def _fill_name_keys(self, versions, companies):
        """Work out the name keys of the rows that can be compared by name:
        rows without company ID, and rows in the postal codes of companies
        without one (a company ID on both sides is compared as such). Once per
        row and version."""
        unaccent = has_unaccent(self.env.cr)
        for version in versions:
            _header, layout = version._layout()
            if "name" not in layout:
                continue
            name = published_value(SQL("r.raw"), layout["name"])
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE %(rows)s r SET name_key = %(name_key)s, keyed = true
                     WHERE r.version_id = %(version)s AND NOT r.keyed
                       AND (r.ico IS NULL OR r.zip IN (
                            SELECT partner.registry_zip_key FROM res_partner partner
                             WHERE %(companies)s
                               AND partner.registry_ico_key IS NULL))
                    """,
                    rows=SQL.identifier(ROWS),
                    name_key=name_key_sql(name, unaccent),
                    version=version.id,
                    companies=companies,
                )
            )

    def _match(self, partner_ids=None):
        """Hits of the lists' versions in force: [(partner id, ListRow, match
        quality)], the best match per company and row, in one statement joining
        the rows with the companies' stored match keys on indexes."""
        versions = self.sudo().current_version_id
        if not versions:
            return []
        Partner = self.env["res.partner"]
        Partner.flush_model(
            [
                "registry_ico_key",
                "registry_vat_key",
                "registry_name_key",
                "registry_zip_key",
                "country_id",
                "parent_id",
                "active",
            ]
        )
        companies = SQL("partner.parent_id IS NULL AND partner.active")
        if partner_ids is not None:
            companies = SQL("%s AND partner.id = ANY(%s)", companies, list(partner_ids))
        self._fill_name_keys(versions, companies)
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (hit.partner_id, hit.version_id, hit.row_number)
                       hit.partner_id, hit.version_id, hit.list_id, hit.row_number,
                       r.ico, r.zip, r.raw, hit.quality
                  FROM (
                    SELECT partner.id AS partner_id, r.version_id, r.row_number,
                           r.list_id, 'ico' AS quality, 1 AS rank,
                           partner.country_id
                      FROM %(rows)s r
                      JOIN res_partner partner ON partner.registry_ico_key = r.ico
                     WHERE r.version_id = ANY(%(versions)s) AND %(companies)s
                    UNION ALL
                    SELECT partner.id, r.version_id, r.row_number, r.list_id, 'vat', 2,
                           partner.country_id
                      FROM %(rows)s r
                      JOIN res_partner partner ON partner.registry_vat_key = r.vat
                     WHERE r.version_id = ANY(%(versions)s) AND %(companies)s
                    UNION ALL
                    -- By name only with the same postal code, and only where one
                    -- side has no company ID: two IDs that differ are two companies.
                    SELECT partner.id, r.version_id, r.row_number, r.list_id,
                           'name_zip', 3, partner.country_id
                      FROM %(rows)s r
                      JOIN res_partner partner
                        ON partner.registry_name_key = r.name_key
                       AND partner.registry_zip_key = r.zip
                     WHERE r.version_id = ANY(%(versions)s) AND %(companies)s
                       AND (r.ico IS NULL OR partner.registry_ico_key IS NULL)
                  ) AS hit
                  JOIN crm_extended_debtor_list list ON list.id = hit.list_id
                  JOIN %(rows)s r
                    ON r.version_id = hit.version_id AND r.row_number = hit.row_number
                 WHERE list.country_id IS NULL OR list.country_id = hit.country_id
                 ORDER BY hit.partner_id, hit.version_id, hit.row_number, hit.rank
                """,
                rows=SQL.identifier(ROWS),
                versions=versions.ids,
                companies=companies,
            )
        )
        return [
            (
                partner,
                ListRow(version_id, list_id, number, ico, zip_key, raw),
                quality,
            )
            for (
                partner,
                version_id,
                list_id,
                number,
                ico,
                zip_key,
                raw,
                quality,
            ) in cr.fetchall()
        ]

    def _usable(self, today=None):
        """(lists with a version in force that is recent enough, problems by list)."""
        now = fields.Datetime.now()
        usable = self.browse()
        problems = {}
        for record in self:
            version = record.current_version_id
            if not version:
                problems[record.id] = (
                    res.NOT_CONFIGURED,
                    "no version of the list has been imported yet",
                )
            elif record.max_age_days and version.received_at < fields.Datetime.subtract(
                now, days=record.max_age_days
            ):
                problems[record.id] = (
                    res.STALE,
                    f"the version in force was received on {version.received_at}",
                )
            else:
                usable |= record
        return usable, problems

    def _providers_for(self, partner):
        """List providers whose answer counts for this partner (active lists of
        its country that use lists rather than an API)."""
        providers = self.env["crm_extended.registry.provider"]
        for record in self.filtered("active"):
            provider = record.provider_id
            if not provider.active or not provider._uses_lists():
                continue
            if record.country_id and record.country_id != partner.country_id:
                continue
            providers |= provider
        return providers

    @api.model
    def _results_for(self, partners):
        """Answers of the list providers for ``partners``, as registry results:
        {partner: [(provider, RegistryResult)]}."""
        all_lists = self.sudo().search([])
        relevant = all_lists.filtered(
            lambda record: (
                record.provider_id.active and record.provider_id._uses_lists()
            )
        )
        if not relevant or not partners:
            return {}
        usable, problems = relevant._usable()
        hits = usable._match(partners.ids) if usable else []
        return relevant._results_from_hits(partners, hits, problems)

    def _results_from_hits(self, partners, hits, problems):
        by_partner = defaultdict(list)
        for partner_id, row, quality in hits:
            by_partner[partner_id].append((row, quality))
        results = {}
        for partner in partners:
            pairs = []
            for provider in self._providers_for(partner):
                lists = self.filtered(
                    lambda record, p=provider: record.provider_id == p
                )
                pairs.append(
                    (
                        provider,
                        lists._compose(
                            provider, partner, by_partner.get(partner.id, []), problems
                        ),
                    )
                )
            results[partner] = pairs
        return results

    def _compose(self, provider, partner, partner_hits, problems):
        """One provider's answer from its lists' hits for one company."""
        query = (
            partner.company_registry
            or partner.vat
            or f"{partner.name} {partner.zip or ''}".strip()
        )
        own = [
            (row, quality) for row, quality in partner_hits if row.list_id in self.ids
        ]
        usable = self.filtered(lambda record: record.id not in problems)
        if not usable:
            kind, reason = problems[self[:1].id]
            return res.unknown(provider.code, query, reason, kind=kind)
        findings = []
        accounts = []
        flags = {}
        evidence = []
        for record in usable:
            version = record.current_version_id
            header, layout = version._layout()
            list_hits = [(row, q) for row, q in own if row.list_id == record.id]
            if record.effect == "vat_registered":
                flags["vat_payer"] = bool(list_hits)
            elif record.effect == "unreliable_vat":
                flags["unreliable_vat_payer"] = bool(list_hits)
            elif record.effect == "vat_deregistered" and list_hits:
                flags["vat_cancelled"] = True
            evidence.append(
                {
                    "list": record.name,
                    "version_sha256": version.sha256,
                    "received_at": fields.Datetime.to_string(version.received_at),
                    "rows": version.row_count,
                    "matched": [
                        {
                            "row": row.row_number,
                            "match": q,
                            "data": _published(header, row),
                        }
                        for row, q in list_hits
                    ],
                }
            )
            for row, quality in list_hits:
                published = row.values()

                def value(field_name, published=published, layout=layout):
                    index = layout.get(field_name)
                    if index is None or index >= len(published):
                        return None
                    return published[index]

                if record.effect == "bank_accounts":
                    iban = names.normalise_vat(value("iban"))
                    if iban:
                        accounts.append(res.BankAccount(number=iban))
                    continue
                kind = {
                    "debtor": res.DEBTOR,
                    "unreliable_vat": res.UNRELIABLE_VAT,
                    "vat_deregistered": res.VAT_DEREGISTERED,
                }.get(record.effect)
                if not kind:
                    continue
                # Amounts and dates are read for the hits only, by the Python
                # rules (registries/lists.py).
                as_of = list_files.parse_date(value("date"))
                findings.append(
                    res.Finding(
                        kind=kind,
                        amount=list_files.parse_amount(value("amount"))
                        if record.effect == "debtor"
                        else None,
                        currency=record.currency_id.name
                        if record.effect == "debtor"
                        else None,
                        as_of=as_of
                        or fields.Date.to_string(
                            version.as_of or version.received_at.date()
                        ),
                        ended=as_of if kind == res.VAT_DEREGISTERED else None,
                        source=record.name,
                        match=quality,
                        row=row.row_number,
                        listed_name=(value("name") or "").strip() or None,
                        listed_zip=row.zip,
                        listed_address=", ".join(
                            (p or "").strip()
                            for p in (value("address"), value("city"))
                            if (p or "").strip()
                        )
                        or None,
                        extra={
                            "list_id": record.id,
                            "list_version_id": version.id,
                            "raw_row": json.dumps(
                                _published(header, row), ensure_ascii=False
                            ),
                        },
                    )
                )
        raw = json.dumps(evidence, ensure_ascii=False, sort_keys=True).encode()
        listed = bool(findings or accounts or flags.get("vat_payer"))
        return res.RegistryResult(
            provider=provider.code,
            query=query,
            outcome=res.FOUND if listed else res.NOT_FOUND,
            vat_payer=flags.get("vat_payer"),
            unreliable_vat_payer=flags.get("unreliable_vat_payer"),
            vat_cancelled=flags.get("vat_cancelled"),
            bank_accounts=accounts,
            findings=findings,
            raw=raw,
            content_type="application/json",
        )

    def _signature(self, snapshot):
        """What of a list answer is news worth evidence at import time: the risk
        findings (not the VAT status or accounts, kept by the regular checks)."""
        kinds = {res.DEBTOR, res.UNRELIABLE_VAT, res.VAT_DEREGISTERED}
        return frozenset(
            (f["kind"], f.get("source"), f.get("amount"), f.get("as_of"))
            for f in (snapshot or {}).get("findings") or []
            if f["kind"] in kinds and f.get("active", True)
        )

    def _match_and_record(self, notify=True):
        """After an import: match every company against the provider's lists and
        record evidence where the answer changed (new hit, new amount, off the
        list), then update those companies' verdicts and, with ``notify``, report
        what changed (not for a list's first version: everything would be new)."""
        self.ensure_one()
        provider = self.provider_id
        if not provider.active or not provider._uses_lists():
            return self.env["res.partner"]
        lists = self.sudo().search([("provider_id", "=", provider.id)])
        usable, problems = lists._usable()
        if not usable:
            return self.env["res.partner"]
        hits = usable._match()
        Partner = self.env["res.partner"].sudo()
        previous = self._previous_by_partner(provider)
        hit_ids = {hit[0] for hit in hits}
        candidates = Partner.browse(sorted(hit_ids | set(previous)))
        results = lists._results_from_hits(candidates, hits, problems)
        runner = self.env["crm_extended.registry.runner"]
        triples = []
        for partner in candidates:
            for pair_provider, result in results.get(partner, []):
                if pair_provider != provider or result.outcome == res.UNKNOWN:
                    continue
                new = verdict.snapshot_of(result)
                if self._signature(new) != self._signature(previous.get(partner.id)):
                    triples.append((partner, provider, result))
        if not triples:
            return Partner
        extra = {
            index: {"list_version_id": self.current_version_id.id}
            for index in range(len(triples))
        }
        self.env["crm_extended.registry.check"]._record_many(triples, extra=extra)
        changed = Partner.browse([partner.id for partner, _p, _r in triples])
        runner._refresh_verdicts(changed)
        for partner, pair_provider, result in triples:
            changes = runner._changes(
                [(pair_provider, result)],
                {"answered": {provider.id: previous.get(partner.id)}}
                if partner.id in previous
                else {
                    "answered": {
                        provider.id: {
                            "provider": provider.code,
                            "outcome": res.NOT_FOUND,
                        }
                    }
                },
            )
            if changes and notify:
                runner._notify_changes(partner, changes)
        return changed

    def _previous_by_partner(self, provider):
        """{partner id: snapshot} of the newest answer of ``provider``."""
        self.env["crm_extended.registry.check"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (partner_id) id FROM crm_extended_registry_check
                 WHERE provider_id = %s AND outcome != 'unknown'
                 ORDER BY partner_id, checked_at DESC, id DESC
                """,
                provider.id,
            )
        )
        checks = (
            self.env["crm_extended.registry.check"]
            .sudo()
            .browse([row[0] for row in self.env.cr.fetchall()])
        )
        return {
            check.partner_id.id: check._snapshot()
            for check in checks
            if check.outcome == res.FOUND
        }
