"""API conventions shared by every endpoint under /api/v1/.

Errors always have one shape, so clients need one parser::

    {"error": {"status": 400, "code": "invalid", "message": "...",
               "fields": {"field": ["..."]}, "request_id": "..."}}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.logging import current_request_id


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [
            str(item) if not isinstance(item, dict | list) else _flatten(item) for item in detail
        ]
    return [str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    error: dict[str, Any] = {
        "status": response.status_code,
        "code": getattr(exc, "default_code", "error"),
        "request_id": current_request_id(),
    }
    if isinstance(exc, exceptions.ValidationError):
        error["code"] = "invalid"
        error["message"] = "The request has invalid fields."
        detail = exc.detail
        error["fields"] = (
            _flatten(detail) if isinstance(detail, dict) else {"non_field_errors": _flatten(detail)}
        )
    elif isinstance(exc, exceptions.APIException):
        error["code"] = exc.get_codes() if isinstance(exc.get_codes(), str) else error["code"]
        error["message"] = str(exc.detail)
    wait = getattr(exc, "wait", None)
    if isinstance(exc, exceptions.Throttled) and wait is not None:
        error["retry_after_seconds"] = int(wait)
    response.data = {"error": error}
    return response


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message", "request_id"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "request_id": {"type": "string"},
                "fields": {"type": "object", "description": "Messages per invalid field."},
                "retry_after_seconds": {"type": "integer"},
            },
        }
    },
}
# Errors any operation may answer, in the one error shape; operations that take a body
# may also refuse its size or type.
COMMON_ERRORS = {
    "400": "The request is malformed or has invalid fields.",
    "401": "No credentials, or credentials that are not valid.",
    "403": "The credentials may not do this (also: a staff session without MFA).",
    "404": "Not found (also: a page past the last).",
    "429": "Too many requests: retry after `retry_after_seconds`.",
}
BODY_ERRORS = {
    "413": "The body is larger than the limit.",
    "415": "The body's media type is not accepted.",
}


def document_error_responses(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every operation documents the errors it may
    answer, with the error shape above, unless it documents them itself."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error_content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            errors = {**COMMON_ERRORS, **(BODY_ERRORS if "requestBody" in operation else {})}
            for status, description in errors.items():
                responses.setdefault(status, {"description": description, "content": error_content})
    return result
