"""Reads for the portal's application pages: the security questionnaire by area (one area
per page) and "check your answers" (every section with a link back to its step), in the
words people read: labels and names, never codes."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from core.reference.countries import country_name
from shippers import extensions
from shippers.formatting import document_type_name, format_identifier, hs_chapter_label
from shippers.models import Address, Application, SecurityQuestion
from shippers.selectors import security_answers_by_code


@dataclass(frozen=True)
class SecurityArea:
    index: int
    code: str
    name: str
    questions: int
    answered: int

    @property
    def complete(self) -> bool:
        return self.answered >= self.questions


def _questions(application: Application) -> list[SecurityQuestion]:
    # Areas a recognised authorisation covers (shippers.extensions) are not asked.
    return list(extensions.questions_to_answer(application))


def security_areas(*, application: Application) -> list[SecurityArea]:
    """The questionnaire's areas in order (as its data lists them: a questionnaire version
    with more areas simply has more pages), with how many questions each has answered."""
    answered = set(security_answers_by_code(application=application))
    areas: dict[str, list[SecurityQuestion]] = {}
    names: dict[str, str] = {}
    for question in _questions(application):
        areas.setdefault(question.area_code, []).append(question)
        names.setdefault(question.area_code, question.area_name)
    return [
        SecurityArea(
            index=index,
            code=code,
            name=names[code],
            questions=len(questions),
            answered=sum(1 for q in questions if q.code in answered),
        )
        for index, (code, questions) in enumerate(areas.items())
    ]


def security_area_questions(*, application: Application, index: int) -> list[SecurityQuestion]:
    codes = list(dict.fromkeys(q.area_code for q in _questions(application)))
    if not 0 <= index < len(codes):
        return []
    return [q for q in _questions(application) if q.area_code == codes[index]]


@dataclass
class SummarySection:
    title: str
    step: str
    change_url: str
    rows: list[tuple[str, list[str]]] = field(default_factory=list)


def application_summary(*, application: Application) -> list[SummarySection]:
    """Everything the applicant entered, section by section, for "check your answers"."""
    organisation = application.organisation

    def section(title: str, step: str) -> SummarySection:
        url = reverse("shippers:application_step", kwargs={"pk": application.pk, "step": step})
        return SummarySection(title, step, url)

    addresses = list(organisation.addresses.all())
    company = section("Company profile", "company")
    company.rows = [
        ("Legal name", [organisation.legal_name]),
        ("Trade names", list(organisation.trade_names or [])),
        ("Business type", [organisation.get_business_type_display()]),
        ("Country of registration", [country_name(organisation.country)]),
        ("Ownership", [organisation.get_ownership_display()] if organisation.ownership else []),
        ("Year founded", [str(organisation.year_founded or "")]),
        ("Employees", [f"{organisation.employees:,}" if organisation.employees else ""]),
        ("Website", [organisation.website]),
        (
            "Identifiers",
            [
                f"{identifier.get_kind_display()}: "
                f"{format_identifier(identifier.kind, identifier.value)}"
                for identifier in organisation.identifiers.all()
            ],
        ),
        (
            "Addresses",
            [
                f"{address.get_kind_display()}: {address.one_line()}"
                for address in addresses
                if address.kind != Address.Kind.FACILITY
            ],
        ),
    ]
    people = section("Principals and contacts", "people")
    people.rows = [
        (
            "Owners, directors and officers",
            [
                f"{p.full_name}, {p.get_role_display()}, {country_name(p.nationality)}"
                for p in organisation.principals.all()
            ],
        ),
        (
            "Contacts",
            [
                f"{c.full_name}, {c.job_title}, {c.email}, {c.phone}"
                + (" (company officer)" if c.is_company_officer else "")
                for c in organisation.contacts.all()
            ],
        ),
    ]
    facilities = section("Facilities and partners", "facilities")
    facilities.rows = [
        (
            "Shipping facilities",
            [
                f"{a.label}: {a.one_line()}" if a.label else a.one_line()
                for a in addresses
                if a.kind == Address.Kind.FACILITY
            ],
        ),
        (
            "Supply-chain partners",
            [
                f"{p.name}, {p.get_role_display()}, {country_name(p.country)}"
                for p in organisation.partners.all()
            ],
        ),
    ]
    security = section("Security profile", "security")
    security.rows = [
        (area.name, [f"{area.answered} of {area.questions} questions answered"])
        for area in security_areas(application=application)
    ]
    trade = section("Trade profile", "trade")
    trade.rows = [
        (
            "Annual shipments",
            [f"{application.annual_shipments:,}" if application.annual_shipments else ""],
        ),
        ("Origin countries", [country_name(code) for code in application.origin_countries]),
        ("Product categories", [hs_chapter_label(code) for code in application.hs_chapters]),
        ("Marketplaces", list(application.marketplaces)),
        ("Carriers", list(application.carriers)),
    ]
    documents = section("Documents", "documents")
    documents.rows = [
        (document_type_name(document.doc_type), [document.original_name])
        for document in application.documents.all()
    ]
    attestation = section("Attestation", "attestation")
    signed = getattr(application, "attestation", None)
    attestation.rows = [
        ("Signed by", [f"{signed.signer_name}, {signed.signer_title}"] if signed else []),
    ]
    for item in (company, people, facilities, security, trade, documents, attestation):
        item.rows = [(label, [v for v in values if v]) for label, values in item.rows]
    return [company, people, facilities, security, trade, documents, attestation]
