"""Company identifiers a shipper gives in its profile: what each type is, who issues it,
and how to check and normalise it.

A validated identifier is stored in its *compact canonical form*: no spaces, hyphens or
dots, upper case, and one spelling per registration, so that two organisations that
quote the same number in different ways are recognised as the same (duplicate and
linked-identity checks depend on this).

``country`` in this module always means the country (or customs territory) whose
authority *issued* the identifier, not where the organisation is established.
Cross-border sellers routinely hold identifiers from countries they are not
established in: a US EIN obtained with form SS-4, a UK VAT registration as a
non-established taxable person, a Canadian BN with an RM import-export account, an
EU EORI from the first member state where they lodged a customs declaration.

Check-digit algorithms come from python-stdnum where it has a module (``stdnum.us.ein``,
``stdnum.eu.vat``, ``stdnum.gb.vat``, ``stdnum.ca.bn``, ``stdnum.au.abn``,
``stdnum.nz.ird``). It has none for the EORI or the NZBN; those are implemented here.
A valid format does not mean the number is registered: that is a separate, online
check (EU EOS/VIES, HMRC, ABN Lookup, NZBN register).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Callable, Mapping
from types import MappingProxyType

from stdnum import ean
from stdnum.au import abn
from stdnum.ca import bn
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from stdnum.gb import vat as gb_vat
from stdnum.nz import ird
from stdnum.us import ein

__all__ = [
    "EORI_ISSUING_PREFIXES",
    "EU_MEMBER_STATES",
    "IDENTIFIER_TYPES_BY_COUNTRY",
    "IdentifierError",
    "IdentifierType",
    "identifier_types_for_country",
    "validate_identifier",
]


class IdentifierType(enum.StrEnum):
    """A kind of company identifier. The values are stable: they are stored in the
    database and used in the API."""

    US_EIN = "us_ein"
    EU_VAT = "eu_vat"
    GB_VAT = "gb_vat"
    EORI = "eori"
    CA_BN = "ca_bn"
    AU_ABN = "au_abn"
    NZ_NZBN = "nz_nzbn"
    NZ_IRD = "nz_ird"

    @property
    def label(self) -> str:
        """The name a shipper recognises, for forms and messages."""
        return _LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``(value, label)`` pairs, usable as Django field or form choices."""
        return [(member.value, member.label) for member in cls]


_LABELS: Mapping[IdentifierType, str] = MappingProxyType(
    {
        IdentifierType.US_EIN: "US Employer Identification Number (EIN)",
        IdentifierType.EU_VAT: "EU VAT identification number",
        IdentifierType.GB_VAT: "UK VAT registration number",
        IdentifierType.EORI: "EORI number",
        IdentifierType.CA_BN: "Canadian Business Number (BN)",
        IdentifierType.AU_ABN: "Australian Business Number (ABN)",
        IdentifierType.NZ_NZBN: "New Zealand Business Number (NZBN)",
        IdentifierType.NZ_IRD: "New Zealand IRD number",
    }
)

# The 27 member states by ISO 3166-1 alpha-2 code. Greece is GR here; its VAT numbers
# use the prefix EL (the code used in VIES), which this module handles.
EU_MEMBER_STATES: Mapping[str, str] = MappingProxyType(
    {
        "AT": "Austria",
        "BE": "Belgium",
        "BG": "Bulgaria",
        "CY": "Cyprus",
        "CZ": "Czechia",
        "DE": "Germany",
        "DK": "Denmark",
        "EE": "Estonia",
        "ES": "Spain",
        "FI": "Finland",
        "FR": "France",
        "GR": "Greece",
        "HR": "Croatia",
        "HU": "Hungary",
        "IE": "Ireland",
        "IT": "Italy",
        "LT": "Lithuania",
        "LU": "Luxembourg",
        "LV": "Latvia",
        "MT": "Malta",
        "NL": "Netherlands",
        "PL": "Poland",
        "PT": "Portugal",
        "RO": "Romania",
        "SE": "Sweden",
        "SI": "Slovenia",
        "SK": "Slovakia",
    }
)

_OTHER_COUNTRY_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "AU": "Australia",
        "CA": "Canada",
        "GB": "the United Kingdom",
        "NZ": "New Zealand",
        "US": "the United States",
    }
)

# EORI numbers are issued by the customs authorities of the EU member states
# (Regulation (EU) No 952/2013, art. 9) and, since 2021, by HMRC: GB for Great Britain
# and XI for Northern Ireland under the Windsor Framework. Greece is accepted as GR
# (ISO code) or EL (the code Greek VAT numbers use).
EORI_ISSUING_PREFIXES: frozenset[str] = frozenset({*EU_MEMBER_STATES, "EL", "GB", "XI"})

# Which identifier types each country's authorities issue. EORI numbers are issued in
# the EU and the UK only, but to operators established anywhere.
IDENTIFIER_TYPES_BY_COUNTRY: Mapping[str, tuple[IdentifierType, ...]] = MappingProxyType(
    {
        "US": (IdentifierType.US_EIN,),
        "GB": (IdentifierType.GB_VAT, IdentifierType.EORI),
        "CA": (IdentifierType.CA_BN,),
        "AU": (IdentifierType.AU_ABN,),
        "NZ": (IdentifierType.NZ_NZBN, IdentifierType.NZ_IRD),
        **dict.fromkeys(EU_MEMBER_STATES, (IdentifierType.EU_VAT, IdentifierType.EORI)),
    }
)

_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_EORI_RE = re.compile(r"^(?P<prefix>[A-Z]{2})(?P<number>[A-Z0-9]{1,15})$")
_EIN_RE = re.compile(r"^[0-9]{2}-?[0-9]{7}$")
_SEPARATORS_RE = re.compile(r"[\s\-.]")
# Dashes people paste from word processors and PDFs.
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"), "-")


class IdentifierError(ValueError):
    """An identifier is not valid. ``message`` is written for the shipper who typed it;
    ``code`` is a stable machine-readable reason (for form errors and the API):
    ``required``, ``invalid_format``, ``invalid_length``, ``invalid_checksum``,
    ``invalid_component`` or ``wrong_country``."""

    def __init__(self, message: str, *, code: str = "invalid_format") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


def identifier_types_for_country(country: str) -> list[IdentifierType]:
    """The identifier types issued in ``country`` (ISO 3166-1 alpha-2, any case), in the
    order a form should offer them; empty for a country none of them belongs to."""
    return list(IDENTIFIER_TYPES_BY_COUNTRY.get(_normalise_country(country), ()))


def validate_identifier(kind: IdentifierType | str, value: str, country: str | None = None) -> str:
    """Check ``value`` as an identifier of type ``kind`` and return its compact canonical
    form, or raise :class:`IdentifierError` with a message for the shipper.

    When ``country`` is given, the identifier must also be one that country issues:
    the type must be available there and, for EU VAT and EORI numbers, the country
    prefix must match (GR or EL for Greece; GB or XI for the United Kingdom).

    Canonical forms: EIN 9 digits; EU VAT with its prefix (EL for Greece); UK VAT the
    9 or 12 digits (or GD/HA number) without GB/XI, because both prefixes name the same
    registration; EORI prefix + number; BN 9 digits or the 15-character program account;
    ABN 11 digits; NZBN 13 digits; IRD 9 digits (8-digit numbers get a leading zero).

    An unknown ``kind`` or a malformed ``country`` is a programming error and raises a
    plain :class:`ValueError`.
    """
    identifier_type = IdentifierType(kind)
    issuing_country = _normalise_country(country) if country is not None else None
    cleaned = _clean(value)
    if not _strip_separators(cleaned):
        raise IdentifierError(f"Enter the {identifier_type.label}.", code="required")
    if issuing_country is not None and identifier_type not in identifier_types_for_country(
        issuing_country
    ):
        country_name = _country_name(issuing_country)
        raise IdentifierError(
            f"{country_name[0].upper()}{country_name[1:]} does not issue the "
            f"{identifier_type.label}. Choose the country that issued the number, or another "
            "type of identifier.",
            code="wrong_country",
        )
    if (
        identifier_type is IdentifierType.EU_VAT
        and issuing_country is not None
        and not re.match(r"[A-Z]{2}", cleaned)
    ):
        # A national number typed without its prefix (it does not start with two letters;
        # national parts start with at most one, as in ATU... or ESX...): the country
        # says which prefix it takes.
        cleaned = ("EL" if issuing_country == "GR" else issuing_country) + cleaned
    canonical = _VALIDATORS[identifier_type](cleaned)
    if issuing_country is not None:
        _check_prefix_matches_country(identifier_type, canonical, issuing_country)
    return canonical


# -- normalisation -----------------------------------------------------------------------


def _clean(value: str) -> str:
    """Upper case, no whitespace; hyphens kept (the EIN validator needs their position)
    but every kind of dash turned into an ASCII hyphen. NFKC folds full-width digits and
    letters, which appear when numbers are typed with East Asian input methods."""
    text = unicodedata.normalize("NFKC", value).translate(_DASHES)
    return re.sub(r"\s+", "", text).upper()


def _strip_separators(value: str) -> str:
    return _SEPARATORS_RE.sub("", value)


def _normalise_country(country: str) -> str:
    code = country.strip().upper()
    if not _COUNTRY_RE.match(code):
        raise ValueError(f"country must be an ISO 3166-1 alpha-2 code, not {country!r}")
    # EL is what Greece calls itself in EU VAT; the ISO code is GR.
    return "GR" if code == "EL" else code


def _country_name(code: str, *, with_code: bool = True) -> str:
    if code == "EL":
        code = "GR"
    name = EU_MEMBER_STATES.get(code) or _OTHER_COUNTRY_NAMES.get(code)
    if name is None:
        return f"the country {code}"
    return f"{name} ({code})" if with_code else name


def _check_prefix_matches_country(
    identifier_type: IdentifierType, canonical: str, country: str
) -> None:
    if identifier_type is IdentifierType.EU_VAT:
        prefix = canonical[:2]
        if _normalise_country(prefix) != country:
            raise IdentifierError(
                f"This VAT number starts with {prefix}, so it was issued in "
                f"{_country_name(prefix, with_code=False)}, not in {_country_name(country)}. "
                "Choose the country that issued it, or check the number.",
                code="wrong_country",
            )
    elif identifier_type is IdentifierType.EORI:
        prefix = canonical[:2]
        allowed = {"GB": {"GB", "XI"}, "GR": {"GR", "EL"}}.get(country, {country})
        if prefix not in allowed:
            raise IdentifierError(
                f"This EORI number starts with {prefix}, so it was not issued in "
                f"{_country_name(country)}. An EORI number starts with the code of the "
                "country that issued it; choose that country, or check the number.",
                code="wrong_country",
            )


# -- one validator per type --------------------------------------------------------------


def _validate_us_ein(value: str) -> str:
    label = "This is not a valid US EIN"
    if not _EIN_RE.match(value):
        if re.fullmatch(r"[0-9]{3}-[0-9]{2}-[0-9]{4}", value):
            raise IdentifierError(
                f"{label}: it is written like a Social Security Number (123-45-6789). "
                "An EIN is written as two digits, a hyphen and seven digits (12-3456789).",
                code="invalid_format",
            )
        raise IdentifierError(
            f"{label}: an EIN has nine digits, written as two digits, a hyphen and seven "
            "digits (12-3456789).",
            code="invalid_length" if _is_digits(_strip_separators(value)) else "invalid_format",
        )
    try:
        return ein.validate(value)
    except InvalidComponent:
        raise IdentifierError(
            f"{label}: the prefix {value[:2]} is not assigned by the IRS. Check the first "
            "two digits.",
            code="invalid_component",
        ) from None
    except ValidationError as error:  # pragma: no cover - the regex above covers format
        raise _generic_error(label, error) from None


def _validate_eu_vat(value: str) -> str:
    number = _strip_separators(value)
    prefix = number[:2]
    if prefix == "XI":
        raise IdentifierError(
            "A VAT number starting with XI is a UK VAT number for Northern Ireland. Enter it "
            "as a UK VAT registration number.",
            code="wrong_country",
        )
    if prefix in {"EU", "IM"}:
        raise IdentifierError(
            f"A number starting with {prefix} is an EU One-Stop-Shop (OSS/IOSS) "
            "identification number, not a member state's VAT number. Enter the VAT number "
            "issued by a member state.",
            code="invalid_component",
        )
    if prefix == "GR":
        # VIES and stdnum know Greece as EL; store one spelling.
        number = "EL" + number[2:]
        prefix = "EL"
    if prefix != "EL" and prefix not in EU_MEMBER_STATES:
        raise IdentifierError(
            "An EU VAT number starts with the two-letter code of the member state that "
            "issued it (for example DE, FR, or EL for Greece), followed by the national "
            "number.",
            code="invalid_component",
        )
    label = f"This is not a valid VAT number for {_country_name(prefix)}"
    try:
        return eu_vat.validate(number)
    except ValidationError as error:
        raise _generic_error(label, error) from None


def _validate_gb_vat(value: str) -> str:
    label = "This is not a valid UK VAT registration number"
    number = _strip_separators(value)
    if number[:2] in EU_MEMBER_STATES or number[:2] == "EL":
        raise IdentifierError(
            f"{label}: it starts with {number[:2]}, the code of an EU member state. Enter it "
            "as an EU VAT identification number.",
            code="wrong_country",
        )
    digits = gb_vat.compact(number)
    try:
        if _is_digits(digits) and len(digits) not in (9, 12):
            raise InvalidLength()
        return gb_vat.validate(number)
    except InvalidLength:
        raise IdentifierError(
            f"{label}: it has 9 digits (12 for a branch of a VAT group), optionally after "
            "GB, for example GB 123 4567 89.",
            code="invalid_length",
        ) from None
    except ValidationError as error:
        raise _generic_error(label, error) from None


def _validate_eori(value: str) -> str:
    """EORI: the issuing country's code followed by up to 15 letters or digits
    (Commission Delegated Regulation (EU) 2015/2446, art. 1(18) and the EORI data
    requirements). Member states choose their own national part, so only its
    characters and length are checked.

    HMRC's GB and XI numbers are 12 digits, or 15 for a few, after the prefix. For a
    VAT-registered business the 12 digits are its 9-digit VAT registration number
    followed by 000, so in that form the VAT number's check digits are verified: a
    typing mistake in a real ``GB<VAT>000`` EORI is caught, and a made-up
    ``GB123456789000`` is rejected because 123456789 is not a valid VAT number.
    Numbers that do not end in 000 (branch suffixes, and the numbers HMRC issues to
    traders who are not VAT registered) are not derived from a VAT number the way we
    can check and are accepted on format alone. Known risk: a non-VAT-registered
    trader's number that happens to end in 000 would be rejected; HMRC's online EORI
    checker is the authority if a shipper disputes it.
    """
    number = _strip_separators(value)
    general_rule = (
        "An EORI number starts with a two-letter country code (the EU member state, GB or "
        "XI that issued it) followed by up to 15 letters or digits, for example "
        "DE1234567890123 or GB980780684000."
    )
    match = _EORI_RE.match(number)
    if match is None:
        too_long = bool(re.fullmatch(r"[A-Z]{2}[A-Z0-9]{16,}", number))
        raise IdentifierError(general_rule, code="invalid_length" if too_long else "invalid_format")
    prefix, national = match["prefix"], match["number"]
    if prefix not in EORI_ISSUING_PREFIXES:
        raise IdentifierError(
            f"{general_rule} {prefix} is not one of them: only the EU member states and the "
            "United Kingdom issue EORI numbers.",
            code="invalid_component",
        )
    if prefix in {"GB", "XI"}:
        uk_rule = (
            f"A UK EORI number is {prefix} followed by 12 digits (for VAT-registered "
            "businesses, the 9-digit VAT number and 000), or 15 digits for a few businesses."
        )
        if not _is_digits(national):
            raise IdentifierError(
                f"This is not a valid {prefix} EORI number: only digits follow {prefix}. {uk_rule}",
                code="invalid_format",
            )
        if len(national) not in (12, 15):
            raise IdentifierError(
                f"This is not a valid {prefix} EORI number: it has {len(national)} digits "
                f"after {prefix}. {uk_rule}",
                code="invalid_length",
            )
        if len(national) == 12 and national.endswith("000"):
            vat_number = national[:9]
            if not gb_vat.is_valid(vat_number):
                raise IdentifierError(
                    f"This is not a valid {prefix} EORI number: it ends in 000, so the 9 "
                    f"digits before that should be a UK VAT number, and {vat_number} is not "
                    "one (its check digits do not match). Check for a typing mistake.",
                    code="invalid_checksum",
                )
    return prefix + national


def _validate_ca_bn(value: str) -> str:
    label = "This is not a valid Canadian Business Number"
    number = _strip_separators(value)
    try:
        return bn.validate(number)
    except InvalidLength:
        raise IdentifierError(
            f"{label}: a BN has 9 digits, or 15 characters as a program account (the 9 "
            "digits, two letters such as RM and a 4-digit reference, e.g. 123456789RM0001).",
            code="invalid_length",
        ) from None
    except InvalidComponent:
        raise IdentifierError(
            f"{label}: the program identifier {number[9:11]} is not one we accept. Enter "
            "the 9-digit BN, or a program account of type RC, RM (import-export), RP or RT.",
            code="invalid_component",
        ) from None
    except InvalidChecksum:
        raise IdentifierError(
            f"{label}: the check digit of {number[:9]} does not match. Check for a typing mistake.",
            code="invalid_checksum",
        ) from None
    except ValidationError as error:
        raise _generic_error(label, error) from None


def _validate_au_abn(value: str) -> str:
    label = "This is not a valid Australian Business Number"
    number = _strip_separators(value)
    try:
        return abn.validate(number)
    except InvalidLength:
        raise IdentifierError(
            f"{label}: an ABN has 11 digits, for example 51 824 753 556.",
            code="invalid_length",
        ) from None
    except ValidationError as error:
        raise _generic_error(label, error) from None


def _validate_nz_nzbn(value: str) -> str:
    """NZBN: a 13-digit GS1 Global Location Number under GS1 New Zealand's prefix 94,
    with the standard GS1 mod-10 check digit (python-stdnum has no NZBN module)."""
    label = "This is not a valid New Zealand Business Number"
    number = _strip_separators(value)
    if not _is_digits(number):
        raise IdentifierError(
            f"{label}: an NZBN has 13 digits only, for example 9429041535134.",
            code="invalid_format",
        )
    if len(number) != 13:
        raise IdentifierError(
            f"{label}: an NZBN has 13 digits, and this has {len(number)}.",
            code="invalid_length",
        )
    if not number.startswith("94"):
        raise IdentifierError(f"{label}: every NZBN starts with 94.", code="invalid_component")
    if ean.calc_check_digit(number[:-1]) != number[-1]:
        raise IdentifierError(
            f"{label}: the last digit (the check digit) does not match. Check for a typing "
            "mistake.",
            code="invalid_checksum",
        )
    return number


def _validate_nz_ird(value: str) -> str:
    label = "This is not a valid New Zealand IRD number"
    number = _strip_separators(value)
    try:
        return ird.validate(number).zfill(9)
    except InvalidLength:
        raise IdentifierError(
            f"{label}: an IRD number has 8 or 9 digits, for example 49-091-850.",
            code="invalid_length",
        ) from None
    except InvalidComponent:
        raise IdentifierError(
            f"{label}: IRD numbers lie between 10-000-000 and 150-000-000.",
            code="invalid_component",
        ) from None
    except ValidationError as error:
        raise _generic_error(label, error) from None


_VALIDATORS: Mapping[IdentifierType, Callable[[str], str]] = MappingProxyType(
    {
        IdentifierType.US_EIN: _validate_us_ein,
        IdentifierType.EU_VAT: _validate_eu_vat,
        IdentifierType.GB_VAT: _validate_gb_vat,
        IdentifierType.EORI: _validate_eori,
        IdentifierType.CA_BN: _validate_ca_bn,
        IdentifierType.AU_ABN: _validate_au_abn,
        IdentifierType.NZ_NZBN: _validate_nz_nzbn,
        IdentifierType.NZ_IRD: _validate_nz_ird,
    }
)


def _generic_error(label: str, error: ValidationError) -> IdentifierError:
    """Turn a python-stdnum exception into a message for a shipper."""
    if isinstance(error, InvalidChecksum):
        return IdentifierError(
            f"{label}: the check digits do not match. Check it for a typing mistake.",
            code="invalid_checksum",
        )
    if isinstance(error, InvalidLength):
        return IdentifierError(
            f"{label}: it has the wrong number of characters.", code="invalid_length"
        )
    if isinstance(error, InvalidComponent):
        return IdentifierError(
            f"{label}: part of it (such as a prefix or a region or office code) does not exist.",
            code="invalid_component",
        )
    if isinstance(error, InvalidFormat):
        return IdentifierError(
            f"{label}: it contains characters, or is laid out in a way, that this kind of "
            "number does not use.",
            code="invalid_format",
        )
    return IdentifierError(f"{label}.", code="invalid_format")


def _is_digits(value: str) -> bool:
    return value.isascii() and value.isdigit()
