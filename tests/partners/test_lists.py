"""Trusted-trader lists: dated versions with differences, recognition of applicants,
alerts when a recognised authorisation leaves the list."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from core.models import AuditEvent
from partners.models import (
    RecognisedProgram,
    RecognitionAlert,
    TrustedTrader,
    TrustedTraderListVersion,
)
from partners.recognition_check import check_mutual_recognition
from partners.services.lists import trusted_list_import
from shippers.models import Application, Identifier
from tests.partners.factories import known_shipper
from tests.shippers.factories import complete_application, owner_with_organisation

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "partners" / "fixtures"


def eu_aeo() -> RecognisedProgram:
    return RecognisedProgram.objects.create(
        code="eu-aeo",
        name="EU Authorised Economic Operator",
        list_format=RecognisedProgram.ListFormat.EU_AEO,
        identifier_kind="eori",
    )


def import_fixture(
    program: RecognisedProgram, name: str, published_on: date = date(2026, 11, 30)
) -> TrustedTraderListVersion:
    version, problems = trusted_list_import(
        program=program,
        content=(FIXTURES / name).read_bytes(),
        published_on=published_on,
        source_name=name,
    )
    assert problems == []
    return version


def test_versions_record_their_differences_and_one_is_current() -> None:
    program = eu_aeo()
    first = import_fixture(program, "eu_aeo_2026-11.csv")
    assert (first.entry_count, first.differences["added"], first.differences["removed"]) == (
        3,
        3,
        0,
    )
    trader = TrustedTrader.objects.get(version=first, identifier="FR12345678901234")
    assert (trader.authorisation_type, trader.folded_name) == (
        "AEOC",
        "societe generale dexpedition sa",
    )
    second = import_fixture(program, "eu_aeo_2026-12.csv", date(2026, 12, 1))
    first.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    assert second.differences["added_identifiers"] == ["IT12345678901"]
    assert second.differences["removed_identifiers"] == ["NL123456789"]
    assert second.differences["changed_identifiers"] == ["FR12345678901234"]  # AEOC -> AEOF
    # The same file again is not a new version.
    assert import_fixture(program, "eu_aeo_2026-12.csv", date(2026, 12, 2)) == second
    assert AuditEvent.objects.filter(action="partner.trusted_list_import").count() == 2


def test_bad_rows_are_reported_and_left_out() -> None:
    content = (
        b"EORI;Holder name;Authorisation type;Issuing country;Effective date\n"
        b"DE123456789012345;Good GmbH;AEOS;DE;2020-01-01\n"
        b"XX;Bad number;AEOS;DE;2020-01-01\n"
        b"NL123456789;Bad type;AEOX;NL;2020-01-01\n"
    )
    version, problems = trusted_list_import(
        program=eu_aeo(), content=content, published_on=date(2026, 12, 1)
    )
    assert version.entry_count == 1
    assert len(problems) == 2
    assert problems[0].startswith("Line 3:")
    assert "AEOX" in problems[1]
    with pytest.raises(ValidationError, match="identifier"):
        trusted_list_import(
            program=eu_aeo_other(), content=b"foo,bar\n1,2\n", published_on=date(2026, 12, 1)
        )


def eu_aeo_other() -> RecognisedProgram:
    return RecognisedProgram.objects.create(
        code="other", name="Other", list_format="simple_csv", identifier_kind="ca_bn"
    )


def test_the_simple_csv_carries_status_and_dates() -> None:
    version = import_fixture(eu_aeo_other(), "ca_pip.csv")
    rows = {trader.identifier: trader for trader in version.traders.all()}
    assert rows["876543216"].status == "suspended"
    assert rows["123456782"].valid_to == date(2027, 1, 9)
    assert TrustedTrader.objects.current().filter(version=version).count() == 1


def test_an_applicant_holding_a_recognised_authorisation_passes_the_check_with_evidence() -> None:
    import_fixture(eu_aeo(), "eu_aeo_2026-11.csv")
    user, organisation = owner_with_organisation(legal_name="Rheinland Logistik GmbH", country="DE")
    Identifier.objects.create(organisation=organisation, kind="eori", value="DE123456789012345")
    application = complete_application(user, organisation)
    outcome = check_mutual_recognition(application)
    assert outcome.status == "passed"
    assert "EU Authorised Economic Operator AEOF" in outcome.summary
    assert outcome.evidence["recognitions"][0]["name_confirmed"] is True


def test_an_identifier_under_another_name_is_flagged_not_recognised() -> None:
    import_fixture(eu_aeo(), "eu_aeo_2026-11.csv")
    user, organisation = owner_with_organisation(legal_name="Someone Else Ltd", country="DE")
    Identifier.objects.create(organisation=organisation, kind="eori", value="DE123456789012345")
    outcome = check_mutual_recognition(complete_application(user, organisation))
    assert outcome.status == "flagged"
    assert outcome.evidence["recognitions"][0]["name_on_list"] == "Rheinland Logistik GmbH"


def test_officers_are_alerted_when_a_known_shippers_authorisation_leaves_the_list() -> None:
    program = eu_aeo()
    import_fixture(program, "eu_aeo_2026-11.csv")
    organisation, certificate = known_shipper(
        legal_name="Polder Parcels B.V.", country="NL", identifiers={"eori": "NL123456789"}
    )
    known_shipper(
        legal_name="Rheinland Logistik GmbH",
        country="DE",
        identifiers={"eori": "DE123456789012345"},
    )
    second = import_fixture(program, "eu_aeo_2026-12.csv", date(2026, 12, 1))
    alert = RecognitionAlert.objects.get()
    assert (alert.organisation, alert.version, alert.identifier) == (
        organisation,
        second,
        "NL123456789",
    )
    event = AuditEvent.objects.get(action="application.recognition_withdrawn")
    assert event.target_id == str(certificate.application_id)
    assert event.internal
    assert second.differences["removed"] == 1
    assert Application.objects.get(pk=certificate.application_id).status == "approved"


def test_the_command_imports_and_refuses_an_unknown_program() -> None:
    eu_aeo()
    out = StringIO()
    call_command(
        "import_trusted_traders",
        str(FIXTURES / "eu_aeo_2026-11.csv"),
        "--program=eu-aeo",
        "--published-on=2026-11-30",
        stdout=out,
    )
    assert "3 entries (+3 -0 ~0), 0 rejected" in out.getvalue()
    with pytest.raises(CommandError, match="No recognised program"):
        call_command(
            "import_trusted_traders", "x.csv", "--program=nope", "--published-on=2026-11-30"
        )


def test_a_recognised_applicant_skips_the_areas_the_mra_covers_when_the_program_allows(
    client,  # type: ignore[no-untyped-def]
) -> None:
    from shippers import extensions, selectors
    from shippers.vetting.checks.security_profile import check_security_profile

    program = eu_aeo()
    program.covered_areas = ["physical-security", "physical-access-controls"]
    program.save()
    import_fixture(program, "eu_aeo_2026-11.csv")
    user, organisation = owner_with_organisation(legal_name="Rheinland Logistik GmbH", country="DE")
    Identifier.objects.create(organisation=organisation, kind="eori", value="DE123456789012345")
    application = complete_application(user, organisation)
    every = application.questionnaire.questions.count()
    assert extensions.exempt_areas(application) == {}  # the program does not allow it yet
    program.skip_covered_areas = True
    program.save()
    exempt = extensions.exempt_areas(application)
    assert set(exempt) == {"physical-security", "physical-access-controls"}
    assert "EU Authorised Economic Operator authorisation AEOF" in exempt["physical-security"]
    asked = extensions.questions_to_answer(application)
    assert 0 < len(asked) < every
    assert not {q.area_code for q in asked} & set(exempt)
    assert next(
        s for s in selectors.application_steps(application=application) if s.slug == "security"
    ).complete
    assert check_security_profile(application).evidence["exempt_areas"] == exempt
    client.force_login(user)
    page = client.get(f"/portal/applications/{application.pk}/steps/security/").content.decode()
    assert "You need not answer these areas" in page


def test_the_single_verify_answer_and_the_certificate_show_the_recognitions(client) -> None:  # type: ignore[no-untyped-def]
    import_fixture(eu_aeo(), "eu_aeo_2026-11.csv")
    _organisation, certificate = known_shipper(
        legal_name="Rheinland Logistik GmbH",
        country="DE",
        identifiers={"eori": "DE123456789012345"},
    )
    answer = client.get(f"/api/v1/verify/{certificate.number}/").json()
    assert [r["authorisation_type"] for r in answer["recognitions"]] == ["AEOF"]
    page = client.get(f"/verify/?number={certificate.number}").content.decode()
    assert "Recognised authorisations" in page
    assert "AEOF" in page
