"""Demo organisations for the demo shipper accounts, and one submitted application so that
officers find something to review (idempotent)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import User
from shippers import services
from shippers.models import (
    Address,
    Contact,
    Identifier,
    Organisation,
    Principal,
    SecurityAnswer,
    SupplyChainPartner,
)
from shippers.reference_data import load_document_requirements

DEMO_ORGANISATIONS = (
    ("shipper.one@demo.example", "Harbourline Parcels Ltd", "GB"),
    ("shipper.two@demo.example", "Cascadia Goods Co.", "US"),
)
# The second demo shipper has an application submitted, vetted by the worker.
DEMO_APPLICANT = "shipper.two@demo.example"


def seed_demo_organisations() -> list[str]:
    lines = []
    for email, legal_name, country in DEMO_ORGANISATIONS:
        user = User.objects.get(email=email)
        existing = Organisation.objects.filter(
            memberships__user=user, legal_name=legal_name
        ).first()
        if existing is None:
            services.organisation_create(user=user, legal_name=legal_name, country=country)
            lines.append(f"organisation {legal_name} ({country}) created for {email}")
        else:
            lines.append(f"organisation {legal_name} ({country}) exists")
    lines.append(seed_demo_application())
    return lines


def demo_pdf(title: str) -> bytes:
    """A small, valid one-page PDF saying what it stands for."""
    text = f"Demo document: {title}".replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(output)
    output += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        output += f"{offset:010d} 00000 n \n".encode()
    output += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(output)


def seed_demo_application() -> str:
    """A complete application for Cascadia Goods Co., submitted once; vetting starts after
    commit and runs on the worker when `make run` starts it."""
    user = User.objects.get(email=DEMO_APPLICANT)
    organisation = Organisation.objects.get(memberships__user=user, legal_name="Cascadia Goods Co.")
    if organisation.applications.exists():
        application = organisation.applications.order_by("-created_at").first()
        assert application is not None
        return f"application {application.reference} exists ({application.get_status_display()})"
    with transaction.atomic():
        services.organisation_update_profile(
            actor=user,
            organisation=organisation,
            trade_names=["Cascadia Home"],
            ownership=Organisation.Ownership.PRIVATE,
            year_founded=2011,
            employees=85,
            website="https://cascadia.example",
        )
        application = services.application_create(actor=user, organisation=organisation)
        add = services.organisation_add_item
        add(
            actor=user,
            organisation=organisation,
            model=Identifier,
            kind="us_ein",
            value="04-2103594",
        )
        add(  # a non-resident importer's Business Number: on the demo PIP list (partners)
            actor=user,
            organisation=organisation,
            model=Identifier,
            kind="ca_bn",
            value="872100003",
            issuing_country="CA",
        )
        add(
            actor=user,
            organisation=organisation,
            model=Address,
            kind="registered",
            line1="1200 Westlake Avenue North",
            city="Seattle",
            region="WA",
            postal_code="98109",
            country="US",
        )
        add(
            actor=user,
            organisation=organisation,
            model=Address,
            kind="facility",
            label="Fulfilment centre",
            line1="2400 Lind Avenue SW",
            city="Renton",
            region="WA",
            postal_code="98057",
            country="US",
        )
        add(
            actor=user,
            organisation=organisation,
            model=Principal,
            full_name="Dana Whitfield",
            role="owner",
            nationality="US",
        )
        add(
            actor=user,
            organisation=organisation,
            model=Contact,
            full_name="Dana Whitfield",
            job_title="Chief Executive Officer",
            email="dana@cascadia.example",
            phone="+1 206 555 0100",
            is_company_officer=True,
        )
        add(
            actor=user,
            organisation=organisation,
            model=Contact,
            full_name="Luis Ortega",
            job_title="Trade compliance manager",
            email="luis@cascadia.example",
            phone="+1 206 555 0101",
        )
        add(
            actor=user,
            organisation=organisation,
            model=SupplyChainPartner,
            name="Shenzhen Brightway Electronics",
            role="manufacturer",
            country="CN",
        )
        answers = {
            question.code: (SecurityAnswer.Answer.YES, "")
            for question in application.questionnaire.questions.all()
        }
        services.application_save_security_answers(
            actor=user, application=application, answers=answers
        )
        services.application_save_trade_profile(
            actor=user,
            application=application,
            annual_shipments=52000,
            origin_countries=["CN", "VN", "MX"],
            hs_chapters=["85", "94"],
            marketplaces=["Own web shop", "Amazon"],
            carriers=["UPS", "DHL Express"],
        )
        required = load_document_requirements().for_business_type(organisation.business_type)
        for document in required.required:
            services.document_upload(
                actor=user,
                application=application,
                doc_type=document.code,
                upload=SimpleUploadedFile(
                    f"{document.code}.pdf", demo_pdf(document.name), "application/pdf"
                ),
            )
        services.application_attest(
            actor=user,
            application=application,
            signer_name="Dana Whitfield",
            signer_title="Chief Executive Officer",
            ip_address="127.0.0.1",
        )
        application.refresh_from_db()
        services.application_submit(actor=user, application=application)
    return f"application {application.reference} submitted for Cascadia Goods Co. (vetting queued)"
