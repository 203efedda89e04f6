"""Reads for shippers: what a page or a check needs, in as few queries as it takes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from core.models import AuditEvent
from shippers import certificate_numbers, extensions
from shippers.events import PROFILE_ACTIONS, AuditAction, kind_of, title_of
from shippers.models import (
    Address,
    Application,
    Certificate,
    Contact,
    Document,
    Organisation,
    Principal,
    RequestForInformation,
    SecurityAnswer,
)
from shippers.reference_data import load_document_requirements
from shippers.workflow import STANDING_STATUSES

S = Application.Status


def organisations_for_user(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.with_member(user)


def applications_for_user(*, user: User) -> QuerySet[Application]:
    return Application.objects.filter(
        organisation__in=Organisation.objects.with_member(user)
    ).select_related("organisation")


@dataclass(frozen=True)
class DashboardRow:
    organisation: Organisation
    application: Application | None
    standing: Application | None


def _decided_latest_first(application: Application) -> tuple[bool, float]:
    """The order of `standing_application` (PostgreSQL's "decided_at DESC": undecided
    first, then the most recently decided)."""
    decided = application.decided_at
    return (decided is not None, -decided.timestamp() if decided else 0.0)


def dashboard_rows(*, user: User) -> list[DashboardRow]:
    """Each organisation the user acts for, with its current application and the one that
    carries its standing: two queries however many organisations."""
    organisations = list(Organisation.objects.with_member(user))
    by_organisation: dict[int, list[Application]] = {}
    applications = (
        Application.objects.filter(organisation__in=organisations)
        .select_related("certificate")
        .order_by("-created_at", "-pk")
    )
    for application in applications:
        by_organisation.setdefault(application.organisation_id, []).append(application)
    rows = []
    for organisation in organisations:
        own = by_organisation.get(organisation.pk, [])
        standing = [a for a in own if a.status in STANDING_STATUSES]
        standing.sort(key=_decided_latest_first)
        rows.append(
            DashboardRow(
                organisation=organisation,
                application=own[0] if own else None,
                standing=standing[0] if standing else None,
            )
        )
    return rows


def current_application(*, organisation: Organisation) -> Application | None:
    return organisation.applications.order_by("-created_at").first()


def standing_application(*, organisation: Organisation) -> Application | None:
    """The application carrying the organisation's known-shipper standing, if any."""
    return organisation.applications.standing().order_by("-decided_at").first()


@dataclass(frozen=True)
class TimelineEvent:
    """One line of a timeline, read from the audit log."""

    event: AuditEvent
    kind: str
    title: str

    @property
    def at(self) -> datetime:
        return self.event.at

    @property
    def actor(self) -> Any:
        return self.event.actor

    @property
    def reason(self) -> str:
        return self.event.reason

    @property
    def detail(self) -> dict[str, Any]:
        return dict(self.event.detail or {})

    @property
    def from_status(self) -> str:
        return self.event.from_status

    @property
    def to_status(self) -> str:
        return self.event.to_status

    @property
    def internal(self) -> bool:
        return self.event.internal


def _timeline_events(application: Application, *, for_shipper: bool) -> QuerySet[AuditEvent]:
    """The application's own events, and changes to the organisation's profile made while
    the application was with officers (a shipper answering a request corrects its profile)."""
    events = AuditEvent.objects.for_target(application)
    if application.submitted_at is not None:
        events |= AuditEvent.objects.for_organisation(application.organisation_id).filter(
            action__in=PROFILE_ACTIONS, at__gte=application.submitted_at
        )
    if for_shipper:
        events = events.visible_to_members()
    return events.select_related("actor").order_by("at", "pk")


def timeline(*, application: Application, for_shipper: bool) -> list[TimelineEvent]:
    """The application's history, oldest first; a shipper never sees internal events."""
    events = _timeline_events(application, for_shipper=for_shipper)
    return [TimelineEvent(event, kind_of(event), title_of(event)) for event in events]


def suspension_reason(*, application: Application) -> str:
    """Why the application's standing was last suspended (as its members were told)."""
    event = (
        AuditEvent.objects.for_target(application)
        .filter(action=AuditAction.APPLICATION_SUSPEND)
        .visible_to_members()
        .last()
    )
    return event.reason if event else ""


def organisation_events(*, organisation: Organisation) -> QuerySet[AuditEvent]:
    """What the organisation's members may read about it, newest first (never internal)."""
    return (
        AuditEvent.objects.for_organisation(organisation.pk)
        .visible_to_members()
        .select_related("actor")
        .order_by("-at", "-pk")
    )


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    complete: bool
    problems: tuple[str, ...]


def _required_documents(application: Application) -> list[tuple[str, str]]:
    requirements = load_document_requirements()
    required = requirements.for_business_type(application.organisation.business_type).required
    return [(document.code, document.name) for document in required]


def missing_documents(*, application: Application) -> list[tuple[str, str]]:
    uploaded = set(application.documents.values_list("doc_type", flat=True))
    return [(code, name) for code, name in _required_documents(application) if code not in uploaded]


def application_steps(*, application: Application) -> list[Step]:
    """The application's steps in order, each with what is still missing."""
    organisation = application.organisation
    addresses = set(organisation.addresses.values_list("kind", flat=True))
    contacts = list(organisation.contacts.all())
    answers = application.security_answers.count()
    questions = len(extensions.questions_to_answer(application))

    profile: list[str] = []
    if not organisation.legal_name or not organisation.country:
        profile.append("Give the legal name and country.")
    if not organisation.ownership:
        profile.append("Say how the business is owned.")
    if organisation.year_founded is None or organisation.employees is None:
        profile.append("Give the year founded and the number of employees.")
    if not organisation.identifiers.exists():
        profile.append("Add at least one company identifier (EIN, VAT, EORI, BN, ABN, NZBN).")
    if Address.Kind.REGISTERED not in addresses:
        profile.append("Add the registered office address.")

    people: list[str] = []
    if not organisation.principals.exists():
        people.append("Add the owners, directors and officers.")
    if len(contacts) < 2:
        people.append("Add at least two contacts.")
    if not any(c.is_company_officer for c in contacts):
        people.append("One contact must be a company officer.")

    facilities: list[str] = []
    if Address.Kind.FACILITY not in addresses and Address.Kind.OPERATING not in addresses:
        facilities.append("Add the address your goods ship from.")
    if not organisation.partners.exists():
        facilities.append("Add your main supply-chain partners (suppliers, carriers).")

    security = (
        [] if answers >= questions else [f"Answer all {questions} questions ({answers} answered)."]
    )

    trade: list[str] = []
    if application.annual_shipments is None:
        trade.append("Give your expected annual number of shipments.")
    if not application.origin_countries:
        trade.append("List the countries your goods come from.")
    if not application.hs_chapters:
        trade.append("List your product categories (HS chapters).")

    documents = [f"Upload: {name}." for _, name in missing_documents(application=application)]
    attestation = [] if hasattr(application, "attestation") else ["Sign the attestation."]

    steps = [
        ("company", "Company profile", profile),
        ("people", "Principals and contacts", people),
        ("facilities", "Facilities and partners", facilities),
        ("security", "Security profile", security),
        ("trade", "Trade profile", trade),
        ("documents", "Documents", documents),
        ("attestation", "Attestation", attestation),
    ]
    return [Step(slug, title, not problems, tuple(problems)) for slug, title, problems in steps]


STEP_SLUGS = (
    "company",
    "people",
    "facilities",
    "security",
    "trade",
    "documents",
    "attestation",
    "review",
)


def application_submission_problems(*, application: Application) -> list[str]:
    return [
        f"{step.title}: {problem}"
        for step in application_steps(application=application)
        for problem in step.problems
    ]


def security_answers_by_code(*, application: Application) -> dict[str, SecurityAnswer]:
    return {
        answer.question.code: answer
        for answer in application.security_answers.select_related("question")
    }


def open_requests(*, application: Application) -> QuerySet[RequestForInformation]:
    return application.information_requests.filter(status=RequestForInformation.Status.OPEN)


def certificate_for_verification(*, number: str) -> Certificate | None:
    """A certificate as partners may see it; None for an unknown number."""
    return (
        Certificate.objects.select_related("organisation", "application")
        .filter(number=certificate_numbers.normalise(number))
        .first()
    )


def application_queue() -> QuerySet[Application]:
    """Applications for officers, with what the queue shows."""
    return (
        Application.objects.select_related("organisation", "assigned_officer")
        .annotate(
            open_requests=Count(
                "information_requests", filter=Q(information_requests__status="open")
            )
        )
        .with_awaiting_supervisor()
    )


def organisation_documents(*, organisation: Organisation) -> QuerySet[Document]:
    return organisation.documents.select_related("uploaded_by")


def principals_and_contacts(*, organisation: Organisation) -> tuple[list[Principal], list[Contact]]:
    return list(organisation.principals.all()), list(organisation.contacts.all())


VERIFICATION_STATUS: dict[str, str] = {
    S.APPROVED: "valid",
    S.REINSTATED: "valid",
    S.SUSPENDED: "suspended",
    S.REVOKED: "revoked",
    S.EXPIRED: "expired",
}


def verification_record(*, certificate: Certificate) -> dict[str, object]:
    """Exactly what partners see: legal name, country, status, tier and validity."""
    return {
        "certificate_number": certificate.number,
        "legal_name": certificate.organisation.legal_name,
        "country": certificate.organisation.country,
        "status": VERIFICATION_STATUS.get(str(certificate.application.status), "not valid"),
        "tier": certificate.tier,
        "valid_from": certificate.valid_from,
        "valid_to": certificate.valid_to,
        **extensions.verification_extras(certificate),
    }
