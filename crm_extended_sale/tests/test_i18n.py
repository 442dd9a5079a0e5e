"""The .pot matches the code; sk, cs, pl and mk translate all of it."""

import io
import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"
LANGUAGES = ("sk", "cs", "pl", "mk")
PLACEHOLDER = re.compile(r"%\([a-zA-Z0-9_]+\)[sdrf]|%[sdrf]")


@tagged("post_install", "-at_install")
class TestSaleTranslations(TransactionCase):
    def test_pot_is_up_to_date_with_the_code(self):
        buffer = io.BytesIO()
        trans_export(False, ["crm_extended_sale"], buffer, "po", self.env.cr)
        code_terms = {entry.msgid for entry in polib.pofile(buffer.getvalue().decode())}
        pot = polib.pofile(str(I18N_DIR / "crm_extended_sale.pot"))
        self.assertEqual({entry.msgid for entry in pot}, code_terms)

    def test_every_language_translates_every_term(self):
        pot_terms = {
            entry.msgid
            for entry in polib.pofile(str(I18N_DIR / "crm_extended_sale.pot"))
        }
        for lang in LANGUAGES:
            with self.subTest(lang=lang):
                po = polib.pofile(str(I18N_DIR / f"{lang}.po"))
                self.assertEqual(po.metadata.get("Language"), lang)
                self.assertEqual({entry.msgid for entry in po}, pot_terms)
                for entry in po:
                    self.assertTrue(entry.msgstr, f"{lang}: {entry.msgid!r}")
                    self.assertNotIn("fuzzy", entry.flags)
                    self.assertEqual(
                        sorted(PLACEHOLDER.findall(entry.msgid)),
                        sorted(PLACEHOLDER.findall(entry.msgstr)),
                        f"{lang}: placeholders differ in {entry.msgstr!r}",
                    )
