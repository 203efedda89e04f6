"""Certificate numbers that cannot be walked: `KS-US-7Q4M-2KXD-R`.

Eight random characters of Crockford's base 32 (no I, L, O or U, so nothing is misread)
give 32^8 = 1.1e12 numbers per country: guessing a valid one by trying is hopeless under
the verify limits, where the old sequential `KS-US-000123` let anyone list the members. The
last character is an ISO 7064 MOD 37-36 check character (python-stdnum), so a mistyped
number is told apart from an unknown one. Numbers issued in the old form stay valid.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from stdnum.iso7064 import mod_37_36

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NEW_FORM = re.compile(r"^KS-([A-Z]{2})-([0-9A-Z]{4})-([0-9A-Z]{4})-([0-9A-Z])$")
LEGACY_FORM = re.compile(r"^KS-[A-Z]{2}-\d{6}$")
EXAMPLE = "KS-US-7Q4M-2KXD-R"


def new_number(country: str, randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    body = "".join(ALPHABET[randbelow(len(ALPHABET))] for _ in range(8))
    check = mod_37_36.calc_check_digit(body)
    return f"KS-{country.upper()}-{body[:4]}-{body[4:]}-{check}"


def normalise(text: str) -> str:
    """Upper case without surrounding or inner spaces ("ks-us-7q4m-2kxd-r " is fine)."""
    return re.sub(r"\s+", "", text).upper()


def problem(number: str) -> str | None:
    """Why `number` (normalised) cannot be a certificate number, or None if it can."""
    if LEGACY_FORM.match(number):
        return None
    match = NEW_FORM.match(number)
    if match is None:
        return f"A certificate number looks like {EXAMPLE}."
    body, check = match.group(2) + match.group(3), match.group(4)
    if mod_37_36.calc_check_digit(body) != check:
        return (
            "This certificate number has a typing mistake (its last character does not "
            "match the others). Check it against the certificate."
        )
    return None
