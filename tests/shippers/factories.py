from __future__ import annotations

import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet

from accounts.models import User
from core.models import AuditEvent
from shippers import services
from shippers.models import (
    Address,
    Application,
    Contact,
    Identifier,
    Membership,
    Organisation,
    Principal,
    SecurityAnswer,
    SupplyChainPartner,
)
from shippers.reference_data import load_document_requirements
from tests.accounts.factories import UserFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    legal_name = factory.Sequence(lambda n: f"Example Trading {n} Ltd")
    country = "GB"
    business_type = "online_seller"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.OWNER


def _blank_pdf() -> bytes:
    """A real one-page PDF: uploads are parsed, not only sniffed."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = _blank_pdf()
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf_upload(name: str = "registration.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def owner_with_organisation(**organisation_fields: object) -> tuple[User, Organisation]:
    user = UserFactory(roles=["shipper"])
    organisation = services.organisation_create(
        user=user,
        legal_name=str(organisation_fields.pop("legal_name", "Harbourline Parcels Ltd")),
        country=str(organisation_fields.pop("country", "GB")),
        business_type=str(organisation_fields.pop("business_type", "online_seller")),
        ownership="private",
        year_founded=2015,
        employees=12,
        **organisation_fields,
    )
    return user, organisation


def complete_application(user: User, organisation: Organisation) -> Application:
    """A draft with every step filled in, ready to submit."""
    application = services.application_create(actor=user, organisation=organisation)
    add = services.organisation_add_item
    add(
        actor=user,
        organisation=organisation,
        model=Identifier,
        kind="gb_vat",
        value="GB 980 7806 84",
    )
    add(
        actor=user,
        organisation=organisation,
        model=Address,
        kind="registered",
        line1="1 Dock Road",
        city="Felixstowe",
        postal_code="IP11 3SY",
        country="GB",
    )
    add(
        actor=user,
        organisation=organisation,
        model=Address,
        kind="facility",
        label="Warehouse",
        line1="Unit 4, Port Park",
        city="Felixstowe",
        postal_code="IP11 4AA",
        country="GB",
    )
    add(
        actor=user,
        organisation=organisation,
        model=Principal,
        full_name="Amelia Hart",
        role="director",
        nationality="GB",
    )
    add(
        actor=user,
        organisation=organisation,
        model=Contact,
        full_name="Amelia Hart",
        job_title="Director",
        email="amelia@example.org",
        phone="+44 1394 000000",
        is_company_officer=True,
    )
    add(
        actor=user,
        organisation=organisation,
        model=Contact,
        full_name="Ben Cole",
        job_title="Logistics lead",
        email="ben@example.org",
        phone="+44 1394 000001",
        is_company_officer=False,
    )
    add(
        actor=user,
        organisation=organisation,
        model=SupplyChainPartner,
        name="Ningbo Homewares Co",
        role="manufacturer",
        country="CN",
    )
    answers = {
        q.code: (SecurityAnswer.Answer.YES, "") for q in application.questionnaire.questions.all()
    }
    services.application_save_security_answers(actor=user, application=application, answers=answers)
    services.application_save_trade_profile(
        actor=user,
        application=application,
        annual_shipments=24000,
        origin_countries=["cn", "VN"],
        hs_chapters=["94", "39"],
        marketplaces=["Own web shop"],
        carriers=["Royal Mail"],
    )
    requirements = load_document_requirements().for_business_type(organisation.business_type)
    for document in requirements.required:
        services.document_upload(
            actor=user,
            application=application,
            doc_type=document.code,
            upload=pdf_upload(f"{document.code}.pdf"),
        )
    services.application_attest(
        actor=user,
        application=application,
        signer_name="Amelia Hart",
        signer_title="Director",
        ip_address="203.0.113.7",
    )
    application.refresh_from_db()
    return application


def application_events(application: Application, kind: str | None = None) -> QuerySet[AuditEvent]:
    """The application's timeline in the audit log, or its events of one kind ("submit")."""
    events = AuditEvent.objects.for_target(application)
    return events.filter(action=f"application.{kind}") if kind else events


def status_path(application: Application) -> list[str]:
    """The statuses the application went through, in order."""
    return [event.to_status for event in application_events(application) if event.to_status]
