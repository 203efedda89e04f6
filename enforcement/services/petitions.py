"""The respondent's petition for relief and supplemental petition, each before its deadline."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.workflow import ActorKind
from enforcement import notifications, selectors
from enforcement.models import Case, CaseDocument, Deadline, Petition
from enforcement.services._common import end_deadlines, locked, require_respondent, store_upload
from enforcement.services._common import transition as apply_transition
from enforcement.workflow import CASE

D = Deadline.Kind


def petition_window(*, case: Case, kind: str) -> Deadline | None:
    """The running deadline for a petition of this kind, if any."""
    deadline_kind = D.PETITION if kind == Petition.Kind.PETITION else D.SUPPLEMENTAL_PETITION
    return selectors.current_deadline(case=case, kind=deadline_kind)


def _file_petition(
    *,
    actor: User,
    case: Case,
    text: str,
    uploads: Iterable[UploadedFile],
    kind: str,
) -> Petition:
    if not text.strip():
        raise ValidationError({"text": "Write your petition: the facts and why relief is due."})
    transition = "file_petition" if kind == Petition.Kind.PETITION else "file_supplemental_petition"
    with transaction.atomic():
        case = locked(case)
        require_respondent(actor, case)
        CASE.check(case, transition, ActorKind.RESPONDENT)
        deadline = petition_window(case=case, kind=kind)
        today = timezone.localdate()
        if deadline is None or deadline.due_on < today:
            due = f" was due by {deadline.due_on:%-d %B %Y}" if deadline else " is closed"
            raise ValidationError(
                f"The {'petition' if kind == Petition.Kind.PETITION else 'supplemental petition'}"
                f"{due}. It can no longer be filed here; contact the officer named on the "
                "notice, who may grant an extension."
            )
        document_kind = (
            CaseDocument.Kind.PETITION
            if kind == Petition.Kind.PETITION
            else CaseDocument.Kind.SUPPLEMENTAL_PETITION
        )
        documents = [
            store_upload(case, upload, kind=document_kind, actor=actor, visible_to_respondent=True)
            for upload in uploads
        ]
        petition = Petition.objects.create(case=case, kind=kind, text=text.strip(), filed_by=actor)
        petition.documents.set(documents)
        deadline.met_at = timezone.now()
        deadline.save(update_fields=["met_at"])
        if kind == Petition.Kind.SUPPLEMENTAL:
            # The payment period starts again with the decision on the supplemental petition.
            end_deadlines(case, [D.PAYMENT])
        event = apply_transition(
            case,
            transition,
            actor=actor,
            actor_kind=ActorKind.RESPONDENT,
            detail={"petition": petition.pk, "documents": len(documents)},
            documents=documents,
            acting_for_id=case.organisation_id,
        )
        event_id = event.pk
        transaction.on_commit(lambda: notifications.respondent_acted(event_id=event_id))
    return petition


def case_file_petition(
    *, actor: User, case: Case, text: str, uploads: Iterable[UploadedFile] = ()
) -> Petition:
    """The respondent petitions for relief, before the petition deadline."""
    return _file_petition(
        actor=actor, case=case, text=text, uploads=uploads, kind=Petition.Kind.PETITION
    )


def case_file_supplemental_petition(
    *, actor: User, case: Case, text: str, uploads: Iterable[UploadedFile] = ()
) -> Petition:
    """The respondent asks for reconsideration of a decision (once), before its deadline."""
    if case.petitions.filter(kind=Petition.Kind.SUPPLEMENTAL).exists():
        raise ValidationError("A supplemental petition has already been filed on this case.")
    return _file_petition(
        actor=actor, case=case, text=text, uploads=uploads, kind=Petition.Kind.SUPPLEMENTAL
    )
