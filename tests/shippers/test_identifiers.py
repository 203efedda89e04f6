"""Company identifiers: validation, canonical forms, issuing countries and the messages a
shipper sees. Valid numbers are the published examples of python-stdnum (and for the
NZBN and EORI, numbers built with the documented check-digit rules)."""

from __future__ import annotations

import pytest

from shippers.identifiers import (
    EU_MEMBER_STATES,
    IdentifierError,
    IdentifierType,
    identifier_types_for_country,
    validate_identifier,
)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (IdentifierType.US_EIN, "91-1144442", "911144442"),
        (IdentifierType.US_EIN, "042103594", "042103594"),
        (IdentifierType.EU_VAT, "BE697449992", "BE0697449992"),
        (IdentifierType.EU_VAT, "FR 61 954 506 077", "FR61954506077"),
        (IdentifierType.EU_VAT, "ATU 57194903", "ATU57194903"),
        (IdentifierType.EU_VAT, "de136695976", "DE136695976"),
        (IdentifierType.EU_VAT, "IE 6433435OA", "IE6433435OA"),
        (IdentifierType.EU_VAT, "EL 094259216", "EL094259216"),
        (IdentifierType.GB_VAT, "GB 980 7806 84", "980780684"),
        (IdentifierType.GB_VAT, "980780684001", "980780684001"),
        (IdentifierType.GB_VAT, "XI980780684", "980780684"),
        (IdentifierType.EORI, "GB980780684000", "GB980780684000"),
        (IdentifierType.EORI, "XI980780684000", "XI980780684000"),
        (IdentifierType.EORI, "GB123456789012345", "GB123456789012345"),
        (IdentifierType.EORI, "de1234567890123", "DE1234567890123"),
        (IdentifierType.EORI, "NL123456789", "NL123456789"),
        (IdentifierType.EORI, "FR12345678901234", "FR12345678901234"),
        (IdentifierType.CA_BN, "12302 6635", "123026635"),
        (IdentifierType.CA_BN, "12302 6635 RC 0001", "123026635RC0001"),
        (IdentifierType.CA_BN, "123026635rm0001", "123026635RM0001"),
        (IdentifierType.AU_ABN, "83 914 571 673", "83914571673"),
        (IdentifierType.AU_ABN, "51824753556", "51824753556"),
        (IdentifierType.NZ_NZBN, "9429041535134", "9429041535134"),
        (IdentifierType.NZ_NZBN, "9429037519414", "9429037519414"),
        (IdentifierType.NZ_IRD, "136410132", "136410132"),
        (IdentifierType.NZ_IRD, "NZ 49-098-576", "049098576"),
    ],
)
def test_valid_identifiers_return_their_canonical_form(
    kind: IdentifierType, value: str, expected: str
) -> None:
    assert validate_identifier(kind, value) == expected


@pytest.mark.parametrize(
    ("kind", "value", "code", "phrase"),
    [
        (IdentifierType.US_EIN, "07-1144442", "invalid_component", "prefix 07 is not assigned"),
        (IdentifierType.US_EIN, "00-1144442", "invalid_component", "prefix 00 is not assigned"),
        (IdentifierType.US_EIN, "911-14-4442", "invalid_format", "Social Security Number"),
        (IdentifierType.US_EIN, "12345678", "invalid_length", "nine digits"),
        (IdentifierType.US_EIN, "91-114444A", "invalid_format", "nine digits"),
        (IdentifierType.EU_VAT, "BE0697449993", "invalid_checksum", "check digits"),
        (IdentifierType.EU_VAT, "DE13669597", "invalid_length", "Germany (DE)"),
        (IdentifierType.EU_VAT, "697449992", "invalid_component", "starts with the two-letter"),
        (IdentifierType.EU_VAT, "US911144442", "invalid_component", "starts with the two-letter"),
        (IdentifierType.EU_VAT, "XI980780684", "wrong_country", "UK VAT number"),
        (IdentifierType.EU_VAT, "EU372000052", "invalid_component", "One-Stop-Shop"),
        (IdentifierType.GB_VAT, "802311781", "invalid_checksum", "check digits"),
        (IdentifierType.GB_VAT, "GB12345", "invalid_length", "9 digits"),
        (IdentifierType.GB_VAT, "DE136695976", "wrong_country", "EU VAT"),
        (IdentifierType.EORI, "GB123456789000", "invalid_checksum", "123456789 is not"),
        (IdentifierType.EORI, "XI980780685000", "invalid_checksum", "980780685 is not"),
        (IdentifierType.EORI, "GB98078068400", "invalid_length", "12 digits"),
        (IdentifierType.EORI, "GB98078068400A", "invalid_format", "only digits"),
        (IdentifierType.EORI, "US123456789", "invalid_component", "two-letter country code"),
        (IdentifierType.EORI, "123456789000", "invalid_format", "two-letter country code"),
        (IdentifierType.EORI, "DE1234567890123456", "invalid_length", "up to 15"),
        (IdentifierType.EORI, "DE", "invalid_format", "two-letter country code"),
        (IdentifierType.CA_BN, "123456783", "invalid_checksum", "check digit"),
        (IdentifierType.CA_BN, "12345678Z", "invalid_format", "Canadian Business Number"),
        (IdentifierType.CA_BN, "123026635XX0001", "invalid_component", "program identifier XX"),
        (IdentifierType.CA_BN, "1230266", "invalid_length", "9 digits"),
        (IdentifierType.AU_ABN, "99 999 999 999", "invalid_checksum", "check digits"),
        (IdentifierType.AU_ABN, "8391457167", "invalid_length", "11 digits"),
        (IdentifierType.NZ_NZBN, "9429041535135", "invalid_checksum", "check digit"),
        (IdentifierType.NZ_NZBN, "1234567890128", "invalid_component", "starts with 94"),
        (IdentifierType.NZ_NZBN, "942904153513", "invalid_length", "13 digits"),
        (IdentifierType.NZ_NZBN, "94290415351X4", "invalid_format", "13 digits"),
        (IdentifierType.NZ_IRD, "136410133", "invalid_checksum", "check digits"),
        (IdentifierType.NZ_IRD, "9125568", "invalid_length", "8 or 9 digits"),
        (IdentifierType.NZ_IRD, "150000006", "invalid_component", "between"),
    ],
)
def test_invalid_identifiers_explain_what_is_wrong(
    kind: IdentifierType, value: str, code: str, phrase: str
) -> None:
    with pytest.raises(IdentifierError) as caught:
        validate_identifier(kind, value)

    assert caught.value.code == code
    assert phrase in caught.value.message
    assert str(caught.value) == caught.value.message


def test_ein_messages_name_the_type_for_the_shipper() -> None:
    with pytest.raises(IdentifierError, match=r"^This is not a valid US EIN: the prefix 00"):
        validate_identifier("us_ein", "00-1234567")


def test_eori_message_states_the_format() -> None:
    with pytest.raises(IdentifierError, match=r"^An EORI number starts with a two-letter"):
        validate_identifier("eori", "12345")


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (IdentifierType.US_EIN, "  91-1144442\n", "911144442"),
        (IdentifierType.US_EIN, "91 1144442", "911144442"),
        (IdentifierType.US_EIN, "91\u20111144442", "911144442"),  # non-breaking hyphen
        (IdentifierType.US_EIN, "\uff19\uff11-1144442", "911144442"),  # full-width digits
        (IdentifierType.EU_VAT, "be 0697.449.992", "BE0697449992"),
        (IdentifierType.EU_VAT, "FR-61-954-506-077", "FR61954506077"),
        (IdentifierType.GB_VAT, "gb 980\u00a07806\u00a084", "980780684"),
        (IdentifierType.GB_VAT, "GB-980-7806-84", "980780684"),
        (IdentifierType.EORI, "gb 980 780 684 000", "GB980780684000"),
        (IdentifierType.EORI, "GB-980780684-000", "GB980780684000"),
        (IdentifierType.CA_BN, "12302-6635 rc 0001", "123026635RC0001"),
        (IdentifierType.AU_ABN, "83-914-571-673", "83914571673"),
        (IdentifierType.NZ_NZBN, "9429 0415 3513 4", "9429041535134"),
        (IdentifierType.NZ_IRD, "49\u2013091\u2013850", "049091850"),  # en dashes
    ],
)
def test_whitespace_hyphens_and_case_are_normalised(
    kind: IdentifierType, value: str, expected: str
) -> None:
    assert validate_identifier(kind, value) == expected


def test_same_registration_spelled_differently_has_one_canonical_form() -> None:
    # Duplicate-identity checks compare canonical forms.
    assert (
        validate_identifier("gb_vat", "GB980780684")
        == validate_identifier("gb_vat", "XI 980 7806 84")
        == validate_identifier("gb_vat", "980-7806-84")
    )
    assert validate_identifier("eu_vat", "GR094259216") == "EL094259216"
    assert validate_identifier("nz_ird", "49091850") == validate_identifier("nz_ird", "049091850")


@pytest.mark.parametrize("value", ["", "   ", " - "])
def test_empty_value_is_required(value: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        validate_identifier(IdentifierType.AU_ABN, value)

    assert caught.value.code == "required"


# -- countries --------------------------------------------------------------------------


def test_types_for_the_b5_countries() -> None:
    assert identifier_types_for_country("US") == [IdentifierType.US_EIN]
    assert identifier_types_for_country("GB") == [IdentifierType.GB_VAT, IdentifierType.EORI]
    assert identifier_types_for_country("CA") == [IdentifierType.CA_BN]
    assert identifier_types_for_country("AU") == [IdentifierType.AU_ABN]
    assert identifier_types_for_country("NZ") == [IdentifierType.NZ_NZBN, IdentifierType.NZ_IRD]


def test_every_eu_member_state_issues_vat_and_eori_numbers() -> None:
    assert len(EU_MEMBER_STATES) == 27
    for country in EU_MEMBER_STATES:
        assert identifier_types_for_country(country) == [
            IdentifierType.EU_VAT,
            IdentifierType.EORI,
        ]


def test_country_lookup_ignores_case_and_accepts_el_for_greece() -> None:
    assert identifier_types_for_country(" de ") == identifier_types_for_country("DE")
    assert identifier_types_for_country("el") == identifier_types_for_country("GR")


def test_countries_issuing_none_of_the_types_get_an_empty_list() -> None:
    assert identifier_types_for_country("CN") == []
    assert identifier_types_for_country("CH") == []


@pytest.mark.parametrize("country", ["USA", "U", "1A", ""])
def test_malformed_country_code_is_a_programming_error(country: str) -> None:
    with pytest.raises(ValueError, match="ISO 3166-1 alpha-2"):
        identifier_types_for_country(country)


@pytest.mark.parametrize(
    ("kind", "value", "country", "expected"),
    [
        (IdentifierType.US_EIN, "91-1144442", "us", "911144442"),
        (IdentifierType.EU_VAT, "BE697449992", "BE", "BE0697449992"),
        # A national number typed without its prefix takes the country's.
        (IdentifierType.EU_VAT, "136695976", "DE", "DE136695976"),
        (IdentifierType.EU_VAT, "094259216", "GR", "EL094259216"),
        (IdentifierType.EU_VAT, "U 57194903", "AT", "ATU57194903"),
        (IdentifierType.EU_VAT, "6433435OA", "IE", "IE6433435OA"),
        (IdentifierType.EU_VAT, "EL094259216", "GR", "EL094259216"),
        (IdentifierType.GB_VAT, "GB980780684", "GB", "980780684"),
        (IdentifierType.EORI, "GB980780684000", "GB", "GB980780684000"),
        (IdentifierType.EORI, "XI980780684000", "GB", "XI980780684000"),
        (IdentifierType.EORI, "DE1234567890123", "DE", "DE1234567890123"),
        (IdentifierType.EORI, "GR123456789", "GR", "GR123456789"),
        (IdentifierType.CA_BN, "123026635RM0001", "CA", "123026635RM0001"),
        (IdentifierType.AU_ABN, "51824753556", "AU", "51824753556"),
        (IdentifierType.NZ_NZBN, "9429041535134", "NZ", "9429041535134"),
        (IdentifierType.NZ_IRD, "49098576", "NZ", "049098576"),
    ],
)
def test_identifier_issued_by_the_given_country_is_accepted(
    kind: IdentifierType, value: str, country: str, expected: str
) -> None:
    assert validate_identifier(kind, value, country) == expected


@pytest.mark.parametrize(
    ("kind", "value", "country", "phrase"),
    [
        (IdentifierType.US_EIN, "91-1144442", "DE", "Germany (DE) does not issue"),
        (IdentifierType.AU_ABN, "51824753556", "NZ", "New Zealand (NZ) does not issue"),
        (IdentifierType.NZ_IRD, "49098576", "AU", "Australia (AU) does not issue"),
        (IdentifierType.CA_BN, "123026635", "US", "The United States (US) does not issue"),
        (IdentifierType.GB_VAT, "980780684", "IE", "Ireland (IE) does not issue"),
        (IdentifierType.EU_VAT, "FR61954506077", "GB", "does not issue"),
        (IdentifierType.EU_VAT, "FR61954506077", "DE", "issued in France, not in Germany"),
        (IdentifierType.EORI, "DE1234567890123", "US", "does not issue"),
        (IdentifierType.EORI, "DE1234567890123", "CN", "The country CN does not issue"),
        (IdentifierType.EORI, "GB980780684000", "FR", "not issued in France (FR)"),
        (IdentifierType.EORI, "DE1234567890123", "GB", "not issued in the United Kingdom"),
    ],
)
def test_identifier_from_another_country_is_refused(
    kind: IdentifierType, value: str, country: str, phrase: str
) -> None:
    with pytest.raises(IdentifierError) as caught:
        validate_identifier(kind, value, country)

    assert caught.value.code == "wrong_country"
    assert phrase in caught.value.message


def test_country_check_happens_before_the_number_check() -> None:
    # The shipper first needs to pick the right type; the number may be fine.
    with pytest.raises(IdentifierError) as caught:
        validate_identifier("us_ein", "not a number", "FR")

    assert caught.value.code == "wrong_country"


# -- the type itself ----------------------------------------------------------------------


def test_identifier_type_values_are_the_stored_ones() -> None:
    assert [member.value for member in IdentifierType] == [
        "us_ein",
        "eu_vat",
        "gb_vat",
        "eori",
        "ca_bn",
        "au_abn",
        "nz_nzbn",
        "nz_ird",
    ]
    assert IdentifierType("eori") is IdentifierType.EORI
    assert IdentifierType.US_EIN == "us_ein"


def test_choices_pair_each_value_with_a_readable_label() -> None:
    choices = dict(IdentifierType.choices())

    assert set(choices) == {member.value for member in IdentifierType}
    assert choices["nz_nzbn"] == "New Zealand Business Number (NZBN)"
    assert all(label for label in choices.values())


def test_unknown_type_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="is not a valid IdentifierType") as caught:
        validate_identifier("ssn", "123-45-6789")

    assert not isinstance(caught.value, IdentifierError)
