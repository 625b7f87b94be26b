"""Reading figures people type, in a form or a spreadsheet cell, exactly, as Decimal."""

from __future__ import annotations

import re
from decimal import Decimal

_NIL = {"", "-", "–", "—"}  # a hyphen and the dashes Excel's autocorrect puts in its place
_NUMBER = re.compile(
    r"(?P<sign>[-+\u2212])?\s*£?\s*"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)"
    r"(?P<exponent>[eE][-+]?\d+)?\s*%?"
)


def parse_number(text: str | None) -> Decimal | None:
    """The figure in `text`, or None for a blank or a dash.

    Accepts thousands commas in the right places, a £ sign, a trailing % (dropped: "82.3%" is 82.3),
    a minus sign (also the typographic one) and accounting brackets ("(1,234)" is -1234). Raises
    ValueError for anything else, so "12O" or "1,23" are never guessed at.
    """
    cleaned = (text or "").strip()
    if cleaned in _NIL:
        return None
    bracketed = cleaned.startswith("(") and cleaned.endswith(")")
    if bracketed:
        cleaned = cleaned[1:-1].strip()
    match = _NUMBER.fullmatch(cleaned)
    if not match or (bracketed and match["sign"]):
        raise ValueError(f"{text!r} is not a number")
    number = Decimal(match["digits"].replace(",", "") + (match["exponent"] or ""))
    negative = bracketed or match["sign"] in ("-", "\u2212")
    return number.copy_negate() if negative else number  # copy_negate is exact; unary minus rounds
