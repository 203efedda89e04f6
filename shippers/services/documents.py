"""Documents of an application: uploaded while it is a draft or to answer a request."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from shippers.documents import inspect_upload
from shippers.events import AuditAction
from shippers.models import Application, Document
from shippers.reference_data import load_document_requirements
from shippers.services.applications import editable_draft
from shippers.services.common import S, locked, record_on_application, require_member
from shippers.workflow import EDITABLE_STATUSES


def document_upload(
    *, actor: User, application: Application, doc_type: str, upload: UploadedFile
) -> Document:
    """Store an uploaded document after checking its content; the stored name is ours."""
    known = set(load_document_requirements().document_types)
    if doc_type not in known:
        raise ValidationError({"doc_type": "Choose a document type from the list."})
    detected, sha256 = inspect_upload(upload, upload.size or 0, name=upload.name or "")
    with transaction.atomic():
        application = locked(application)
        require_member(actor, application.organisation)
        if application.status not in EDITABLE_STATUSES:
            raise ValidationError(
                "Documents can be added while the application is a draft, or to answer a request."
            )
        document = Document(
            organisation=application.organisation,
            application=application,
            doc_type=doc_type,
            original_name=(upload.name or "document")[:255],
            content_type=detected.content_type,
            size=upload.size or 0,
            sha256=sha256,
            uploaded_by=actor,
        )
        document.file.save(f"{uuid.uuid4().hex}.{detected.extension}", File(upload), save=False)
        document.save()
        record_on_application(
            application,
            AuditAction.APPLICATION_DOCUMENT_ADDED,
            actor=actor,
            detail={
                "doc_type": doc_type,
                "document": document.pk,
                "name": document.original_name,
                "sha256": sha256,
            },
        )
    return document


def document_delete(*, actor: User, document: Document) -> None:
    with transaction.atomic():
        application = editable_draft(document.application, actor) if document.application else None
        if application is None:
            raise ValidationError("This document belongs to no application.")
        if application.status != S.DRAFT:
            raise ValidationError("Documents sent with a submitted application are kept.")
        record_on_application(
            application,
            AuditAction.APPLICATION_DOCUMENT_REMOVED,
            actor=actor,
            detail={
                "doc_type": document.doc_type,
                "document": document.pk,
                "name": document.original_name,
            },
        )
        storage, name = document.file.storage, document.file.name
        document.delete()
        transaction.on_commit(lambda: storage.delete(name) if name else None)
