"""Translatable texts of the identifier rules, through the caller's env._ (no ORM)."""


def identifier_rule_text(env, kind):
    texts = {
        "ico": lambda: env._(
            "an IČO has 8 digits and its last digit is the mod-11 check digit "
            "(weights 8 to 2)"
        ),
        "cz_dic": lambda: env._(
            "a Czech DIČ is CZ followed by 8 digits (the IČO), 9 to 10 digits of a "
            "birth number, or 9 digits starting with 6"
        ),
        "sk_dic": lambda: env._("a Slovak DIČ has 10 digits and is divisible by 11"),
        "sk_icdph": lambda: env._(
            "a Slovak IČ DPH is SK followed by 10 digits divisible by 11"
        ),
        "pl_nip": lambda: env._(
            "a NIP has 10 digits and its last digit is the mod-11 check digit"
        ),
        "pl_regon": lambda: env._(
            "a REGON has 9 or 14 digits ending with its check digit"
        ),
        "pl_krs": lambda: env._("a KRS number has at most 10 digits"),
        "mk_edb": lambda: env._("an ЕДБ has 13 digits ending with its check digit"),
        "mk_embs": lambda: env._("an ЕМБС has 7 digits"),
        "eu_vat": lambda: env._(
            "an EU VAT number starts with its country code followed by that "
            "country's number format"
        ),
    }
    return texts[kind]()
