"""Demo data of the partners app (a step of `demo.seed.DEMO_STEPS`): the Canada Border
Services Agency as a partner administration under an MRA in force, the demo partner
account as its user, an API key for bulk status and notifications (printed once), and
its Partners in Protection list, on which the demo applicant Cascadia Goods Co. is found.
Idempotent: a second run finds everything and changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from accounts.models import User
from apikeys.models import OrganisationAPIKey, Scope
from apikeys.services import api_key_create
from partners.models import PartnerAdministration, RecognisedProgram
from partners.recognitions import recognitions_of
from partners.services.lists import trusted_list_import
from partners.services.partners import partner_add_user, partner_register
from shippers.models import Organisation

PARTNER_NAME = "Canada Border Services Agency"
PARTNER_USER = "partner@demo.example"
OFFICER = "officer@demo.example"
KEY_NAME = "Demo partner integration"
PROGRAM_CODE = "ca-pip"
LIST_FILE = Path(__file__).resolve().parent / "fixtures" / "ca_pip_demo.csv"
LIST_PUBLISHED_ON = date(2026, 11, 30)
# The areas the demo MRA covers, which PIP members need not answer.
COVERED_AREAS = ["physical-security", "physical-access-controls", "personnel-security"]


def _partner(officer: User) -> tuple[PartnerAdministration, str]:
    existing = PartnerAdministration.objects.filter(name=PARTNER_NAME).first()
    if existing is not None:
        return existing, f"partner administration {existing} exists"
    partner = partner_register(
        actor=officer,
        name=PARTNER_NAME,
        country="CA",
        mra_status=PartnerAdministration.MraStatus.IN_FORCE,
        mra_date=date(2024, 6, 1),
        contact_name="MRA desk",
        contact_email="mra-arm@cbsa.example",
        receives_findings=True,
    )
    return partner, f"partner administration {partner} created (MRA in force)"


def _api_key(organisation: Organisation) -> str:
    existing = OrganisationAPIKey.objects.filter(organisation=organisation, name=KEY_NAME).first()
    if existing is not None:
        return (
            f"partner API key {existing.prefix}... of {organisation} exists (a key is shown "
            "only once; make another with: manage.py create_api_key "
            f'--organisation "{organisation}" --scope verify:bulk)'
        )
    _, plain = api_key_create(
        organisation=organisation,
        name=KEY_NAME,
        scopes=[Scope.VERIFY, Scope.VERIFY_BULK, Scope.NOTIFICATIONS],
    )
    return f"partner API key for {organisation} (shown once): {plain}"


def _program(partner: PartnerAdministration) -> RecognisedProgram:
    program, _created = RecognisedProgram.objects.get_or_create(
        code=PROGRAM_CODE,
        defaults={
            "name": "Partners in Protection (PIP)",
            "partner": partner,
            "list_format": RecognisedProgram.ListFormat.SIMPLE_CSV,
            "identifier_kind": "ca_bn",
            "covered_areas": COVERED_AREAS,
            "skip_covered_areas": True,
        },
    )
    return program


def seed_partners_demo() -> list[str]:
    officer = User.objects.get(email=OFFICER)
    partner, line = _partner(officer)
    lines = [line]
    partner_add_user(actor=officer, partner=partner, email=PARTNER_USER)
    lines.append(f"{PARTNER_USER} acts for {partner.name}")
    lines.append(_api_key(partner.organisation))
    program = _program(partner)
    version, problems = trusted_list_import(
        program=program,
        content=LIST_FILE.read_bytes(),
        published_on=LIST_PUBLISHED_ON,
        source_name=LIST_FILE.name,
    )
    lines.append(
        f"{program.name} list of {version.published_on:%d %B %Y}: {version.entry_count} "
        f"entries{' (' + '; '.join(problems) + ')' if problems else ''}"
    )
    candidates = Organisation.objects.filter(
        identifiers__kind=program.identifier_kind, partner_administration__isnull=True
    ).distinct()
    recognised = recognitions_of(candidates)
    names = dict(candidates.filter(pk__in=recognised).values_list("pk", "legal_name"))
    lines.extend(
        f"{names[pk]} holds a recognised {row['program_name']} authorisation ({row['identifier']})"
        for pk, rows in sorted(recognised.items())
        for row in rows
    )
    if not recognised:
        lines.append("no demo organisation is on the list (reset the demo database to add one)")
    return lines
