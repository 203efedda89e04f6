"""One organisation with something behind every portal URL, and a user for every role: the
world of the access-matrix test and of the staff MFA tests.

"The organisation" (`org`) is an approved known shipper (certificate, penalty case with a
shared document, a shipment, an API key, an open invitation); its owner also runs a second
organisation whose application waits on a request for information (`rfi`). `stranger`
owns a third, unrelated organisation. The owner has passed a training module.

Roles are people signed in with a session (`partner`: an official who is a member of a
partner administration, which has a webhook endpoint that received the certificate's
issue), except the machines: `api_key` sends the organisation's API key and `partner_key`
the partner administration's key (scopes verify:bulk and notifications).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from education import services as education_services
from education.models import Article, Completion
from enforcement import services as enforcement_services
from partners.models import WebhookDelivery
from partners.services.endpoints import endpoint_register
from partners.services.partners import partner_add_user
from shippers import services
from shippers.models import Application, Organisation
from tests.accounts.factories import UserFactory
from tests.apikeys.factories import api_key_for
from tests.education.factories import ArticleFactory, ModuleFactory, answers_for
from tests.enforcement.factories import case_at, pdf
from tests.partners.factories import partner as partner_factory
from tests.shipments.factories import FilerRegistrationFactory
from tests.shipments.officer_fixtures import make_shipment
from tests.shippers.factories import complete_application, owner_with_organisation

# Roles of the access matrix, in the order of its columns.
ROLES = (
    "anonymous",
    "owner",
    "stranger",
    "officer_no_mfa",
    "officer",
    "supervisor",
    "editor",
    "partner",
    "api_key",
    "partner_key",
)


@dataclass
class World:
    users: dict[str, User | None]
    org: Organisation
    application: Application
    kwargs: dict[str, Any]
    api_key: str  # the organisation's key (scopes shipments:read and shipments:write)
    partner_key: str  # the partner administration's key (verify:bulk, notifications)


def _vetted(owner: User, organisation: Organisation) -> Application:
    application = complete_application(owner, organisation)
    services.application_submit(actor=owner, application=application)
    services.application_start_vetting(application_id=application.pk)
    services.application_complete_vetting(
        application_id=application.pk, risk_level="low", summary={}
    )
    application.refresh_from_db()
    return application


def build_world() -> World:
    officer = UserFactory(roles=["officer"])
    owner, org = owner_with_organisation(legal_name="Harbourline Parcels Ltd")
    partner_admin = partner_factory("GB")
    official = UserFactory()
    partner_add_user(actor=officer, partner=partner_admin, email=official.email, owner=True)
    endpoint, _secret = endpoint_register(
        partner=partner_admin,
        url="https://partner.example.org/hooks",
        events=["certificate.issued"],
    )
    _partner_api_key, partner_key = api_key_for(
        partner_admin.organisation, "verify:bulk", "notifications"
    )
    approved = _vetted(owner, org)
    services.application_approve(actor=officer, application=approved, tier=1)
    approved.refresh_from_db()
    second = services.organisation_create(
        user=owner,
        legal_name="Harbourline Returns Ltd",
        country="GB",
        business_type="online_seller",
        ownership="private",
        year_founded=2018,
        employees=4,
    )
    pending = _vetted(owner, second)
    rfi = services.application_request_information(
        actor=officer,
        application=pending,
        question="Send the lease of the warehouse.",
        due_date=timezone.localdate() + timedelta(days=14),
    )
    stranger, _ = owner_with_organisation(legal_name="Unrelated Goods Co")
    case = case_at("penalty", actor=officer, organisation=org)
    evidence = enforcement_services.case_add_evidence(
        actor=officer, case=case, upload=pdf("photo-of-goods.pdf"), visible_to_respondent=True
    )
    FilerRegistrationFactory(organisation=org)
    shipment = make_shipment(org)
    api_key, plain_key = api_key_for(org)
    invitation = services.invitation_create(
        actor=owner, organisation=org, email="new.colleague@example.org"
    )
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    module = ModuleFactory(articles=[article])
    attempt = education_services.quiz_attempt_submit(
        user=owner,
        module=module,
        version=module.version,
        answers=answers_for(module, correct=5),
    )
    assert approved.certificate is not None
    assert attempt.passed
    users: dict[str, User | None] = {
        "anonymous": None,
        "owner": owner,
        "stranger": stranger,
        "officer_no_mfa": UserFactory(roles=["officer"]),
        "officer": officer,
        "supervisor": UserFactory(roles=["supervisor"]),
        "editor": UserFactory(roles=["content_editor"]),
        "partner": official,
        "api_key": None,
        "partner_key": None,
    }
    delivery = WebhookDelivery.objects.filter(endpoint=endpoint).first()
    assert delivery is not None, "the approval should have been queued for the partner"
    document = pending.documents.first()
    assert document is not None
    kwargs = {
        "pk": org.pk,
        "application": pending.pk,
        "rfi": rfi.pk,
        "document": document.pk,
        "certificate": approved.certificate.number,
        "case": case.pk,
        "notice": case.notices.first().pk,  # type: ignore[union-attr]
        "case_document": evidence.pk,
        "shipment": shipment.pk,
        "api_key": api_key.pk,
        "invitation": invitation.token,
        "article": article.slug,
        "topic": article.topics.first().slug,  # type: ignore[union-attr]
        "module": module.slug,
        "attempt": attempt.pk,
        "training_certificate": Completion.objects.get(user=owner).certificate_number,
        "endpoint": endpoint.pk,
        "delivery": delivery.pk,
    }
    return World(
        users=users,
        org=org,
        application=pending,
        kwargs=kwargs,
        api_key=plain_key,
        partner_key=partner_key,
    )
