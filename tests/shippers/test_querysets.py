"""The rules written once: which applications are active or open, who is a member of an
organisation, and the application's state machine."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from core.workflow import ActorKind, TransitionNotAllowed
from shippers import services
from shippers.models import Application, ApprovalProposal, Membership, Organisation
from shippers.workflow import ACTIVE_STATUSES, APPLICATION, OPEN_STATUSES, STANDING_STATUSES
from tests.accounts.factories import UserFactory
from tests.shippers.factories import owner_with_organisation

pytestmark = pytest.mark.django_db
S = Application.Status


def one_application_per_status() -> dict[str, Application]:
    user, organisation = owner_with_organisation()
    draft = services.application_create(actor=user, organisation=organisation)
    made = {}
    for status in S.values:
        application = Application.objects.create(
            organisation=organisation, questionnaire=draft.questionnaire, created_by=user
        )
        # Fixtures only: in the program a status changes through the services.
        Application.objects.filter(pk=application.pk).update(status=status)
        made[status] = Application.objects.get(pk=application.pk)
    draft.delete()
    return made


def test_active_open_and_standing_follow_the_declared_status_sets() -> None:
    made = one_application_per_status()

    def statuses(queryset) -> set[str]:  # type: ignore[no-untyped-def]
        return set(queryset.values_list("status", flat=True))

    assert (
        statuses(Application.objects.active())
        == set(ACTIVE_STATUSES)
        == {
            S.APPROVED,
            S.REINSTATED,
        }
    )
    assert statuses(Application.objects.open()) == set(OPEN_STATUSES)
    assert S.DRAFT in OPEN_STATUSES
    assert S.APPROVED not in OPEN_STATUSES
    assert statuses(Application.objects.standing()) == set(STANDING_STATUSES)
    assert S.SUSPENDED in STANDING_STATUSES
    assert len(made) == len(S.values)


def test_awaiting_supervisor_needs_a_waiting_proposal_and_review() -> None:
    made = one_application_per_status()
    officer = UserFactory(roles=["officer"])
    under_review = made[S.UNDER_REVIEW]
    assert not Application.objects.awaiting_supervisor().exists()
    proposal = ApprovalProposal.objects.create(
        application=under_review, proposed_by=officer, tier=1, valid_to="2030-01-01"
    )
    assert list(Application.objects.awaiting_supervisor()) == [under_review]
    annotated = Application.objects.with_awaiting_supervisor().get(pk=under_review.pk)
    assert annotated.is_awaiting_supervisor
    ApprovalProposal.objects.filter(pk=proposal.pk).update(status="withdrawn")
    assert not Application.objects.awaiting_supervisor().exists()


def test_with_member_and_membership_of() -> None:
    owner, organisation = owner_with_organisation()
    stranger, other = owner_with_organisation(legal_name="Other Co")
    colleague = UserFactory()
    Membership.objects.create(organisation=organisation, user=colleague, role="member")

    assert list(Organisation.objects.with_member(owner)) == [organisation]
    assert set(Organisation.objects.with_member(colleague)) == {organisation}
    assert list(Organisation.objects.with_member(stranger)) == [other]
    assert not Organisation.objects.with_member(AnonymousUser()).exists()

    assert Membership.objects.of(colleague, organisation).exists()
    assert Membership.objects.of(colleague, organisation.pk).exists()
    assert not Membership.objects.of(colleague, organisation).owners().exists()
    assert Membership.objects.of(owner, organisation).owners().exists()
    assert not Membership.objects.of(stranger, organisation).exists()
    assert not Membership.objects.of(AnonymousUser(), organisation).exists()


def test_the_application_machine_refuses_with_the_message_users_see() -> None:
    made = one_application_per_status()
    approved = made[S.APPROVED]
    assert APPLICATION.can(approved, "suspend", ActorKind.OFFICER)
    assert not APPLICATION.can(approved, "suspend", ActorKind.SHIPPER)
    with pytest.raises(TransitionNotAllowed) as refused:
        APPLICATION.apply(approved, "submit", ActorKind.SHIPPER)
    assert str(refused.value) == (
        f"Cannot submit application {approved.reference}: it is now approved. "
        "It may have been changed by someone else; reload to see its current state."
    )
    with pytest.raises(PermissionError, match=r"A shipper cannot suspend an application\."):
        APPLICATION.apply(approved, "suspend", ActorKind.SHIPPER)
    names = {t.name for t in APPLICATION.allowed(made[S.UNDER_REVIEW], ActorKind.OFFICER)}
    assert names == {"request_information", "approve", "reject"}
