"""Request ids: accept a sane incoming `X-Request-ID` or make one; echo it on the response.
Requests with a NUL character in the path or query are refused before any view runs."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from config.logging import current_request_id, request_id_var

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        # Not reset afterwards: Django logs the response status after this middleware returns,
        # and each request (thread or task) sets its own value first.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class RejectNulMiddleware:
    """A NUL byte in a path or query string is never meaningful and PostgreSQL refuses it in
    text (DataError, a 500): answer 400 with the API's error shape under /api/, a plain page
    elsewhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            message = "The address contains a NUL character, which is not allowed."
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "error": {
                            "status": 400,
                            "code": "invalid_request",
                            "message": message,
                            "request_id": current_request_id(),
                        }
                    },
                    status=400,
                )
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class UploadSizeLimitMiddleware:
    """A form upload larger than the document limit (plus room for the other fields) is
    refused from its Content-Length, before the body is read or stored."""

    OVERHEAD_BYTES = 1024 * 1024

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in {"POST", "PUT", "PATCH"} and request.META.get(
            "CONTENT_TYPE", ""
        ).startswith("multipart/form-data"):
            from django.conf import settings

            limit = int(getattr(settings, "SHIPPERS_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit + self.OVERHEAD_BYTES:
                message = (
                    f"The upload is {length / 1_048_576:.1f} MB; files may be at most "
                    f"{limit / 1_048_576:.0f} MB. Go back, choose a smaller file (scan at a "
                    "lower resolution or split the document) and try again."
                )
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "error": {
                                "status": 413,
                                "code": "too_large",
                                "message": message,
                                "request_id": current_request_id(),
                            }
                        },
                        status=413,
                    )
                return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
