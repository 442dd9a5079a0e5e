"""Rule-based segmentation maths, in plain Python (no Odoo import).

* ABC by share of turnover: customers sorted by their last 12 months' turnover,
  largest first; A are the customers making the first ``a_percent`` (80 %) of
  the total, B the next ``b_percent`` (15 %), C the rest. A customer counts in
  the class where its turnover starts: the one crossing 80 % is still A.
  Customers without a positive turnover get no class.
* RFM: recency (days since the last purchase, fewer is better), frequency
  (invoices of the last 12 months) and monetary value (turnover of the last 12
  months), each scored 1..5 by quintile among the company's customers: a
  customer scores 1 + 5 x (share of customers strictly worse than it), so
  equal values always share a score and the best fifth scores 5.
"""

ABC_A_PERCENT = 80.0
ABC_B_PERCENT = 15.0
RFM_LEVELS = 5


def abc_classes(turnover_by_key, a_percent=ABC_A_PERCENT, b_percent=ABC_B_PERCENT):
    """{key: "A" | "B" | "C"} for the keys with a positive turnover."""
    ranked = sorted(
        ((amount, key) for key, amount in turnover_by_key.items() if amount > 0),
        key=lambda item: (-item[0], item[1]),
    )
    total = sum(amount for amount, _key in ranked)
    classes = {}
    before = 0.0
    for amount, key in ranked:
        # Compare in percent of the total without dividing (exact at the edges).
        if before * 100 < total * a_percent:
            classes[key] = "A"
        elif before * 100 < total * (a_percent + b_percent):
            classes[key] = "B"
        else:
            classes[key] = "C"
        before += amount
    return classes


def quintile_scores(value_by_key, higher_is_better=True, levels=RFM_LEVELS):
    """{key: 1..levels}: 1 + levels x (share of keys strictly worse)."""
    values = sorted(value_by_key.values())
    count = len(values)
    # One walk over the sorted values gives every distinct value its score (a
    # nightly pass scores tens of thousands of customers): the keys strictly
    # worse than a value are those before its first occurrence (higher is
    # better) or after its last one (lower is better).
    score_of = {}
    if higher_is_better:
        for index, value in enumerate(values):
            if value not in score_of:
                score_of[value] = 1 + (index * levels) // count
    else:
        for index in range(count - 1, -1, -1):
            value = values[index]
            if value not in score_of:
                score_of[value] = 1 + ((count - 1 - index) * levels) // count
    return {key: score_of[value] for key, value in value_by_key.items()}


def rfm_scores(rows):
    """{key: (recency, frequency, monetary)} scores from {key: (days since the
    last purchase, invoices in 12 months, turnover in 12 months)}."""
    if not rows:
        return {}
    recency = quintile_scores(
        {key: row[0] for key, row in rows.items()}, higher_is_better=False
    )
    frequency = quintile_scores({key: row[1] for key, row in rows.items()})
    monetary = quintile_scores({key: row[2] for key, row in rows.items()})
    return {key: (recency[key], frequency[key], monetary[key]) for key in rows}


def rfm_code(scores):
    """The value code of an RFM score triple, e.g. (5, 4, 3) -> "543"."""
    recency, frequency, monetary = scores
    return f"{recency}{frequency}{monetary}"
