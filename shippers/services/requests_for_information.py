"""Requests for information: an officer asks, the shipper answers (with documents), and
the shipper is told once when an answer is overdue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.workflow import ActorKind
from shippers import notifications
from shippers.events import AuditAction
from shippers.models import Application, Document, RequestForInformation
from shippers.services.common import (
    locked,
    record_on_application,
    require_member,
    require_staff,
    transition,
)
from shippers.services.documents import document_upload
from shippers.workflow import REQUEST_FOR_INFORMATION


def application_request_information(
    *,
    actor: User,
    application: Application,
    question: str,
    due_date: date,
    documents_requested: list[str] | None = None,
) -> RequestForInformation:
    actor_kind = require_staff(actor)
    if not question.strip():
        raise ValidationError({"question": "Write the question for the applicant."})
    if due_date <= timezone.localdate():
        raise ValidationError({"due_date": "The due date must be in the future."})
    with transaction.atomic():
        application = locked(application)
        request = RequestForInformation.objects.create(
            application=application,
            question=question.strip(),
            documents_requested=list(documents_requested or []),
            due_date=due_date,
            asked_by=actor,
        )
        transition(
            application,
            "request_information",
            actor=actor,
            actor_kind=actor_kind,
            reason=question.strip(),
            detail={"request_id": request.pk, "due_date": due_date.isoformat()},
        )
    return request


def rfi_answer(
    *,
    actor: User,
    request: RequestForInformation,
    answer: str,
    documents: Iterable[Document] = (),
) -> RequestForInformation:
    """The shipper answers; when no request is left open, review resumes (the resumption
    is the application's own transition, recorded as such)."""
    if not answer.strip():
        raise ValidationError({"answer": "Write your answer."})
    with transaction.atomic():
        application = locked(request.application)
        require_member(actor, application.organisation)
        request = RequestForInformation.objects.select_for_update().get(pk=request.pk)
        if not REQUEST_FOR_INFORMATION.can(request, "answer", ActorKind.SHIPPER):
            raise ValidationError("This request has already been answered.")
        REQUEST_FOR_INFORMATION.apply(request, "answer", ActorKind.SHIPPER)
        request.answer = answer.strip()
        request.answered_by = actor
        request.answered_at = timezone.now()
        request.save()
        request.answer_documents.set(list(documents))
        record_on_application(
            application,
            AuditAction.APPLICATION_INFORMATION_PROVIDED,
            actor=actor,
            detail={
                "request_id": request.pk,
                "documents": [document.pk for document in request.answer_documents.all()],
            },
        )
        if not application.information_requests.filter(
            status=RequestForInformation.Status.OPEN
        ).exists():
            transition(application, "resume_review", actor=actor, actor_kind=ActorKind.SHIPPER)
        request_id = request.pk
        transaction.on_commit(lambda: notifications.rfi_answered(request_id=request_id))
    return request


def rfi_answer_with_document(
    *,
    actor: User,
    request: RequestForInformation,
    answer: str,
    doc_type: str = "",
    upload: UploadedFile | None = None,
) -> RequestForInformation:
    """Answer a request with (optionally) one document uploaded with it: both or neither."""
    with transaction.atomic():
        documents = []
        if upload is not None:
            documents.append(
                document_upload(
                    actor=actor, application=request.application, doc_type=doc_type, upload=upload
                )
            )
        return rfi_answer(actor=actor, request=request, answer=answer, documents=documents)


def rfi_flag_overdue(*, request_id: int) -> bool:
    """Tell the shipper (once) that a request is overdue."""
    with transaction.atomic():
        request = RequestForInformation.objects.select_for_update().get(pk=request_id)
        if not request.is_overdue or request.overdue_notified_at is not None:
            return False
        request.overdue_notified_at = timezone.now()
        request.save(update_fields=["overdue_notified_at"])
        record_on_application(
            request.application,
            AuditAction.APPLICATION_INFORMATION_OVERDUE,
            actor=None,
            detail={"request_id": request.pk},
        )
        transaction.on_commit(lambda: notifications.rfi_overdue(request_id=request_id))
    return True


def rfi_overdue_sweep() -> int:
    """Tell shippers (once each) about requests past their due date. Returns how many."""
    overdue = RequestForInformation.objects.filter(
        status=RequestForInformation.Status.OPEN,
        due_date__lt=timezone.localdate(),
        overdue_notified_at__isnull=True,
    )
    return sum(rfi_flag_overdue(request_id=pk) for pk in overdue.values_list("pk", flat=True))
