"""Merge a freshly exported .pot into the language .po files (a small msgmerge)."""

import sys

import polib

PLURAL_FORMS = {
    "sk": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "cs": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "mk": "nplurals=2; plural=(n % 10 == 1 && n % 100 != 11) ? 0 : 1;",
}


def merge(pot_path, po_path):
    pot = polib.pofile(pot_path)
    old = polib.pofile(po_path) if _exists(po_path) else polib.POFile()
    known = {entry.msgid: entry for entry in old}
    lang = po_path.rsplit("/", 1)[-1][:-3]
    merged = polib.POFile(wrapwidth=78)
    merged.header = pot.header
    merged.metadata = dict(pot.metadata)
    merged.metadata.update(
        {
            "Language": lang,
            "Plural-Forms": PLURAL_FORMS[lang],
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
        }
    )
    for entry in pot:
        previous = known.get(entry.msgid)
        entry.msgstr = previous.msgstr if previous else ""
        if previous and "fuzzy" in previous.flags:
            entry.flags.append("fuzzy")
        merged.append(entry)
    merged.save(po_path)


def _exists(path):
    try:
        with open(path, encoding="utf-8"):
            return True
    except FileNotFoundError:
        return False


if __name__ == "__main__":
    pot_file, *po_files = sys.argv[1:]
    for po_file in po_files:
        merge(pot_file, po_file)
