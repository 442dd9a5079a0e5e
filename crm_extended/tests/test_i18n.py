import ast
import io
import re
from pathlib import Path

import polib
from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"
CODE_KINDS = {"odoo-python", "odoo-javascript"}
LANGUAGES = ("sk", "cs", "pl", "mk")
# Python %-style and named placeholders, and {name} / {{ name }} format fields.
PLACEHOLDER = re.compile(r"%\([a-zA-Z0-9_]+\)[sdrf]|%[sdrf]|\{\{?\s*[\w.]+\s*\}?\}")
PLURAL_FORMS = {
    "sk": "nplurals=3;",
    "cs": "nplurals=3;",
    "pl": "nplurals=3;",
    "mk": "nplurals=2;",
}


@tagged("post_install", "-at_install")
class TestTranslationsComplete(TransactionCase):
    """The .pot matches the code and every language translates all of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        buffer = io.BytesIO()
        trans_export(False, ["crm_extended"], buffer, "po", cls.env.cr)
        # The test database has demo data; the .pot, like Odoo's own, has none.
        demo_ids = cls._demo_xml_ids()
        cls.code_terms = {
            entry.msgid
            for entry in polib.pofile(buffer.getvalue().decode())
            if not all(
                # A product's template gets the xml id <product id>_product_template.
                occurrence.rsplit(":", 1)[-1].removesuffix("_product_template")
                in demo_ids
                for occurrence, _line in entry.occurrences
            )
            or not entry.occurrences
        }
        # Odoo translates a term of Python code or of the web client only when
        # its entry says so ("#. odoo-python", "#. odoo-javascript").
        cls.code_kinds = {
            entry.msgid: kinds
            for entry in polib.pofile(buffer.getvalue().decode())
            if (kinds := set(entry.comment.splitlines()) & CODE_KINDS)
        }
        cls.pot_terms = {
            entry.msgid for entry in polib.pofile(str(I18N_DIR / "crm_extended.pot"))
        }

    @staticmethod
    def _demo_xml_ids():
        addon = I18N_DIR.parent
        manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
        ids = set()
        for demo_file in manifest.get("demo", []):
            tree = etree.parse(str(addon / demo_file))
            ids.update(
                f"crm_extended.{record.get('id')}"
                for record in tree.iter("record")
                if record.get("id")
            )
        return ids

    def test_pot_is_up_to_date_with_the_code(self):
        missing = sorted(self.code_terms - self.pot_terms)
        stale = sorted(self.pot_terms - self.code_terms)
        self.assertFalse(
            missing or stale,
            "crm_extended.pot is out of date; run bin/i18n-export.\n"
            f"Missing from the .pot: {missing[:20]}\n"
            f"No longer in the code: {stale[:20]}",
        )

    def test_code_terms_keep_their_kind(self):
        # A merge that loses the comment leaves the term in English on screen.
        for name in ["crm_extended.pot"] + [f"{lang}.po" for lang in LANGUAGES]:
            entries = {
                entry.msgid: entry for entry in polib.pofile(str(I18N_DIR / name))
            }
            lost = sorted(
                msgid
                for msgid, kinds in self.code_kinds.items()
                if msgid in entries
                and not kinds <= set(entries[msgid].comment.splitlines())
            )
            self.assertFalse(lost, f"{name} lost the code comment of: {lost[:20]}")

    def test_every_language_translates_every_term(self):
        for lang in LANGUAGES:
            with self.subTest(lang=lang):
                po = polib.pofile(str(I18N_DIR / f"{lang}.po"))
                self.assertIn(PLURAL_FORMS[lang], po.metadata.get("Plural-Forms", ""))
                entries = {entry.msgid: entry for entry in po}
                absent = sorted(self.pot_terms - set(entries))
                self.assertFalse(absent, f"{lang}.po lacks: {absent[:20]}")
                untranslated = sorted(
                    msgid for msgid, entry in entries.items() if not entry.msgstr
                )
                self.assertFalse(
                    untranslated, f"{lang}.po leaves untranslated: {untranslated[:20]}"
                )
                fuzzy = sorted(e.msgid for e in po if "fuzzy" in e.flags)
                self.assertFalse(fuzzy, f"{lang}.po has fuzzy entries: {fuzzy[:20]}")

    def test_translations_keep_placeholders(self):
        for lang in LANGUAGES:
            po = polib.pofile(str(I18N_DIR / f"{lang}.po"))
            for entry in po:
                if not entry.msgstr:
                    continue
                with self.subTest(lang=lang, msgid=entry.msgid[:60]):
                    self.assertEqual(
                        sorted(PLACEHOLDER.findall(entry.msgid)),
                        sorted(PLACEHOLDER.findall(entry.msgstr)),
                        f"{lang}: placeholders differ in {entry.msgstr!r}",
                    )
