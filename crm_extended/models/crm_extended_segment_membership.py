from odoo import fields, models, tools
from odoo.tools import SQL, frozendict

# The partner columns copied on each membership (the report groups and filters
# by them, and the companies' rule reads company_id).
PARTNER_COLUMNS = ("user_id", "country_id", "is_company", "company_id")

# The memberships are kept by PostgreSQL triggers, so that every writer of the
# segments keeps them: the ORM, the nightly rule-based pass (one SQL statement),
# Odoo's partner merge (SQL), imports. A partner's segments (the relation) are
# followed set-based, per statement; a partner's own columns and a segment's axis
# row by row, only when they change.
_SQL_TRIGGERS = """
CREATE OR REPLACE FUNCTION crm_extended_segment_membership_rel()
RETURNS trigger LANGUAGE plpgsql AS $function$
BEGIN
    IF to_regclass('crm_extended_segment_membership') IS NULL THEN
        RETURN NULL;  -- the addon is being uninstalled
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM crm_extended_segment_membership membership
         USING removed
         WHERE membership.partner_id = removed.partner_id
           AND membership.value_id = removed.value_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO crm_extended_segment_membership
               (partner_id, axis_id, value_id,
                user_id, country_id, is_company, company_id)
        SELECT added.partner_id, segment.axis_id, added.value_id,
               partner.user_id, partner.country_id, partner.is_company,
               partner.company_id
          FROM added
          JOIN crm_extended_segment_value segment ON segment.id = added.value_id
          JOIN res_partner partner ON partner.id = added.partner_id
         WHERE partner.active
            ON CONFLICT (partner_id, value_id) DO NOTHING;
    END IF;
    RETURN NULL;
END
$function$;

CREATE OR REPLACE FUNCTION crm_extended_segment_membership_partner()
RETURNS trigger LANGUAGE plpgsql AS $function$
BEGIN
    IF to_regclass('crm_extended_segment_membership') IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT NEW.active THEN
        DELETE FROM crm_extended_segment_membership WHERE partner_id = NEW.id;
    ELSIF OLD.active THEN
        UPDATE crm_extended_segment_membership
           SET user_id = NEW.user_id, country_id = NEW.country_id,
               is_company = NEW.is_company, company_id = NEW.company_id
         WHERE partner_id = NEW.id;
    ELSE
        INSERT INTO crm_extended_segment_membership
               (partner_id, axis_id, value_id,
                user_id, country_id, is_company, company_id)
        SELECT rel.partner_id, segment.axis_id, rel.value_id,
               NEW.user_id, NEW.country_id, NEW.is_company, NEW.company_id
          FROM crm_extended_partner_segment_rel rel
          JOIN crm_extended_segment_value segment ON segment.id = rel.value_id
         WHERE rel.partner_id = NEW.id
            ON CONFLICT (partner_id, value_id) DO NOTHING;
    END IF;
    RETURN NULL;
END
$function$;

CREATE OR REPLACE FUNCTION crm_extended_segment_membership_value()
RETURNS trigger LANGUAGE plpgsql AS $function$
BEGIN
    IF to_regclass('crm_extended_segment_membership') IS NULL THEN
        RETURN NULL;
    END IF;
    UPDATE crm_extended_segment_membership
       SET axis_id = NEW.axis_id
     WHERE value_id = NEW.id;
    RETURN NULL;
END
$function$;

DROP TRIGGER IF EXISTS crm_extended_segment_membership_added
    ON crm_extended_partner_segment_rel;
CREATE TRIGGER crm_extended_segment_membership_added
    AFTER INSERT ON crm_extended_partner_segment_rel
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION crm_extended_segment_membership_rel();

DROP TRIGGER IF EXISTS crm_extended_segment_membership_removed
    ON crm_extended_partner_segment_rel;
CREATE TRIGGER crm_extended_segment_membership_removed
    AFTER DELETE ON crm_extended_partner_segment_rel
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION crm_extended_segment_membership_rel();

DROP TRIGGER IF EXISTS crm_extended_segment_membership_moved
    ON crm_extended_partner_segment_rel;
CREATE TRIGGER crm_extended_segment_membership_moved
    AFTER UPDATE ON crm_extended_partner_segment_rel
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION crm_extended_segment_membership_rel();

DROP TRIGGER IF EXISTS crm_extended_segment_membership_partner ON res_partner;
CREATE TRIGGER crm_extended_segment_membership_partner
    AFTER UPDATE OF active, user_id, country_id, is_company, company_id
    ON res_partner
    FOR EACH ROW
    WHEN (OLD.active IS DISTINCT FROM NEW.active
          OR OLD.user_id IS DISTINCT FROM NEW.user_id
          OR OLD.country_id IS DISTINCT FROM NEW.country_id
          OR OLD.is_company IS DISTINCT FROM NEW.is_company
          OR OLD.company_id IS DISTINCT FROM NEW.company_id)
    EXECUTE FUNCTION crm_extended_segment_membership_partner();

DROP TRIGGER IF EXISTS crm_extended_segment_membership_value
    ON crm_extended_segment_value;
CREATE TRIGGER crm_extended_segment_membership_value
    AFTER UPDATE OF axis_id ON crm_extended_segment_value
    FOR EACH ROW WHEN (OLD.axis_id IS DISTINCT FROM NEW.axis_id)
    EXECUTE FUNCTION crm_extended_segment_membership_value();
"""

# Every membership again from the relation (installation, update): whatever was
# written while the triggers did not exist yet is caught up.
_SQL_REFILL = """
TRUNCATE crm_extended_segment_membership;
INSERT INTO crm_extended_segment_membership
       (partner_id, axis_id, value_id, user_id, country_id, is_company, company_id)
SELECT rel.partner_id, segment.axis_id, rel.value_id,
       partner.user_id, partner.country_id, partner.is_company, partner.company_id
  FROM crm_extended_partner_segment_rel rel
  JOIN crm_extended_segment_value segment ON segment.id = rel.value_id
  JOIN res_partner partner ON partner.id = rel.partner_id
 WHERE partner.active;
ANALYZE crm_extended_segment_membership;
"""

_SQL_DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS crm_extended_segment_membership_added
    ON crm_extended_partner_segment_rel;
DROP TRIGGER IF EXISTS crm_extended_segment_membership_removed
    ON crm_extended_partner_segment_rel;
DROP TRIGGER IF EXISTS crm_extended_segment_membership_moved
    ON crm_extended_partner_segment_rel;
DROP TRIGGER IF EXISTS crm_extended_segment_membership_partner ON res_partner;
DROP TRIGGER IF EXISTS crm_extended_segment_membership_value
    ON crm_extended_segment_value;
DROP FUNCTION IF EXISTS crm_extended_segment_membership_rel();
DROP FUNCTION IF EXISTS crm_extended_segment_membership_partner();
DROP FUNCTION IF EXISTS crm_extended_segment_membership_value();
"""


class CrmExtendedSegmentMembership(models.Model):
    """One row per customer and segment: customers grouped by any axis.

    A stored table, not a view: the Segmentation Analysis groups it by axis and
    segment, and a view joining every customer to its segments was scanned
    whole for each grouping. PostgreSQL triggers keep it (see ``_SQL_TRIGGERS``);
    nobody writes it through the ORM. Only active customers have rows.
    """

    _name = "crm_extended.segment.membership"
    _description = "Segmentation Analysis"
    _order = "axis_id, value_id, partner_id"
    _rec_name = "partner_id"
    _log_access = False
    # Searching the report first writes the pending changes of what it is
    # made of, so that the triggers have run.
    _depends = frozendict(
        {
            "res.partner": ["crm_segment_value_ids", "active", *PARTNER_COLUMNS],
            "crm_extended.segment.value": ["axis_id"],
        }
    )

    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, ondelete="cascade"
    )
    axis_id = fields.Many2one(
        "crm_extended.segment.axis", readonly=True, ondelete="cascade"
    )
    value_id = fields.Many2one(
        "crm_extended.segment.value",
        string="Segment",
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    is_company = fields.Boolean(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def _auto_init(self):
        # The memberships used to be a view of the same name.
        tools.drop_view_if_exists(self.env.cr, self._table)
        return super()._auto_init()

    def init(self):
        # The triggers' ON CONFLICT: a customer is once in a segment.
        tools.create_unique_index(
            self.env.cr,
            "crm_extended_segment_membership_partner_value_uniq",
            self._table,
            ["partner_id", "value_id"],
        )
        tools.create_index(
            self.env.cr,
            "crm_extended_segment_membership_axis_value_idx",
            self._table,
            ["axis_id", "value_id"],
        )
        self.env.cr.execute(SQL(_SQL_TRIGGERS))
        self.env.cr.execute(SQL(_SQL_REFILL))


def drop_membership_triggers(cr):
    """Uninstalling: the triggers live on tables the addon does not own."""
    cr.execute(SQL(_SQL_DROP_TRIGGERS))
