"""Error pages: under /api/ every error is JSON in the API's one shape (also in production,
where Django would otherwise answer HTML); elsewhere the site's own pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from config.logging import current_request_id

_MESSAGES = {
    400: ("bad_request", "The request could not be understood."),
    403: ("permission_denied", "You do not have permission to perform this action."),
    404: ("not_found", "Not found."),
    500: ("server_error", "Something went wrong on our side; it has been logged."),
}


def _api_error(status: int) -> JsonResponse:
    code, message = _MESSAGES[status]
    return JsonResponse(
        {
            "error": {
                "status": status,
                "code": code,
                "message": message,
                "request_id": current_request_id(),
            }
        },
        status=status,
    )


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api_error(400) if _is_api(request) else defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api_error(404) if _is_api(request) else defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    return _api_error(500) if _is_api(request) else defaults.server_error(request)
