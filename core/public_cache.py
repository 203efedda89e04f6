"""Shared-cache copies of anonymous public pages (guidance, certificate verification).

A page is cached per *scope* (``"guidance"``, ``"verify"``). Each scope has a generation in
the shared cache: the time of its last change. `invalidate(scope)` moves it on, which makes
every stored copy of that scope stale at once in every web process; a copy is kept with the
generation it was rendered under and is served only while that is still the current one.
The generation doubles as the pages' ``Last-Modified``; the ``ETag`` is a digest of the body.

Only anonymous requests share copies: a request that carries a session, a message or an
``Authorization`` header is rendered for itself and answered ``private, no-cache``. Every
answer says ``Vary: Cookie`` so that a CDN never gives one visitor's page to another.

`PublicPageMiddleware`, near the top of the middleware stack, answers an anonymous GET or
HEAD for a path under `PUBLIC_CACHE_PATH_PREFIXES` straight from a stored copy, with one
round trip to the cache and none of the other middleware (sessions, CSRF, authentication):
the copy then carries every header the whole stack gave the page when it was rendered, and
is used only once it does (`complete`). Anything else goes down the stack as before.

A copy of 1 KB or more also keeps its body gzipped, compressed once when stored, for the
clients that accept it (``Vary: Accept-Encoding``; the weak form of the ``ETag``).
`scoped_value` keeps other values derived from a scope's data (the search form's lists) the
same way as pages, with the scope's generation.

What must stay true: a copy is never served after its scope was invalidated, and a response
that sets a cookie is never stored. When the cache cannot be reached, pages are rendered
for each request; `invalidate` then raises, so that a change partners must see (a
revocation) is not committed while stored copies cannot be made stale.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

logger = logging.getLogger(__name__)
KEY_PREFIX = "public-page"
# Headers a view sets that a stored copy must keep; middleware adds the rest on every answer.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Allow")
# Headers of a whole-stack answer that belong to one request, never to a stored copy, and
# those `_answer` writes for the form of the body it sends (as stored, or gzipped).
PER_REQUEST_HEADERS = frozenset(
    {"x-request-id", "date", "set-cookie", "content-length", "content-encoding", "etag"}
)
# Bodies at least this long are also kept gzipped, for the clients that accept it.
GZIP_MIN_LENGTH = 1024
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# The scopes views are cached under, registered as the views are decorated.
SCOPES: set[str] = set()
# Every query parameter some cached view's pages depend on: a request with another one is
# rendered for itself, so there is no stored copy to look for.
PARAMS: set[str] = set()


@dataclass(frozen=True)
class Policy:
    """How a scope's pages are cached.

    `statuses`: answers stored (a verify look-up of an unknown number is a 404 worth keeping).
    `revalidate`: a CDN may keep the page but must ask again each time (``no-cache``); the
    answer is then a cheap ``304``. Used where a change must show at once (a revocation).
    """

    statuses: frozenset[int] = frozenset({200})
    revalidate: bool = False
    # Query parameters the pages depend on; a request with any other is rendered for itself
    # (so that made-up parameters cannot fill the cache with copies of one page).
    params: frozenset[str] = frozenset({"audience"})


GUIDANCE = Policy()
VERIFY = Policy(statuses=frozenset({200, 404}), revalidate=True, params=frozenset({"number"}))


@dataclass(frozen=True)
class _Copy:
    generation: float
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    etag: str
    scope: str = ""
    policy: Policy = GUIDANCE
    # True once `headers` are those of the whole middleware stack (`PublicPageMiddleware`).
    complete: bool = False
    # `content` gzipped when that is worth it (empty otherwise): compressed once, when stored.
    gzipped: bytes = b""


def enabled() -> bool:
    return bool(getattr(settings, "PUBLIC_CACHE_ENABLED", True))


def _generation_key(scope: str) -> str:
    return f"{KEY_PREFIX}:generation:{scope}"


def _bump(scope: str) -> None:
    cache.set(_generation_key(scope), time.time(), None)


def invalidate(scope: str) -> None:
    """Make every stored page of `scope` stale: now (so that a reader in this transaction
    never stores an old page as new) and again after the transaction commits (so that a
    page rendered from the data before the commit is not kept either)."""
    _bump(scope)
    transaction.on_commit(lambda: _bump(scope))


def _generation(scope: str, found: dict[str, Any]) -> float:
    """The scope's generation from a `get_many` that asked for it; set when it has none."""
    generation = found.get(_generation_key(scope))
    if generation is None:
        generation = time.time()
        cache.add(_generation_key(scope), generation, None)
        generation = cache.get(_generation_key(scope), generation)
    return float(generation)


def _page_key(request: HttpRequest) -> str:
    accept = request.headers.get("Accept", "") if request.path.startswith("/api/") else ""
    raw = f"{request.scheme}\n{request.get_host()}\n{request.get_full_path()}\n{accept}"
    return f"{KEY_PREFIX}:page:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"


def is_anonymous(request: HttpRequest) -> bool:
    """Nothing in the request can make its page differ from any other visitor's."""
    cookies = request.COOKIES
    return not (
        settings.SESSION_COOKIE_NAME in cookies
        or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies
        or "Authorization" in request.headers
    )


def _cache_control(response: HttpResponseBase, policy: Policy) -> None:
    if policy.revalidate:
        patch_cache_control(response, public=True, no_cache=True)
    else:
        patch_cache_control(
            response,
            public=True,
            max_age=int(getattr(settings, "PUBLIC_CACHE_MAX_AGE", 60)),
            s_maxage=int(getattr(settings, "PUBLIC_CACHE_S_MAXAGE", 300)),
            stale_while_revalidate=int(
                getattr(settings, "PUBLIC_CACHE_STALE_WHILE_REVALIDATE", 60)
            ),
        )
    patch_vary_headers(response, ("Cookie",))


def _private(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def _answer(request: HttpRequest, copy: _Copy, policy: Policy) -> HttpResponseBase:
    packed = bool(copy.gzipped) and bool(
        _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    )
    content = copy.gzipped if packed else copy.content
    response = HttpResponse(content, status=copy.status)
    for name, value in copy.headers:
        response[name] = value
    if not copy.complete:
        response["Last-Modified"] = http_date(copy.generation)
        _cache_control(response, policy)
    # The gzipped body's tag is the weak form of the page's (as Django's GZipMiddleware
    # gives it), so that either form's tag revalidates the page.
    response["ETag"] = f"W/{copy.etag}" if packed else copy.etag
    response["Content-Length"] = str(len(content))
    if packed:
        response["Content-Encoding"] = "gzip"
    if copy.gzipped and not copy.complete:  # a complete copy's stored Vary says it already
        patch_vary_headers(response, ("Accept-Encoding",))
    if copy.status != 200:
        return response
    conditional = get_conditional_response(
        request, etag=copy.etag, last_modified=int(copy.generation), response=response
    )
    return conditional or response


def _gzipped(content: bytes, response: HttpResponseBase) -> bytes:
    """The body compressed once for every reader whose client accepts gzip (browsers, CDNs),
    or nothing when that saves little. These pages are the same for every anonymous reader
    and hold no secret, so compression gives a BREACH attack nothing to guess (Django's
    GZipMiddleware pads answers for pages that may hold one)."""
    if len(content) < GZIP_MIN_LENGTH or response.has_header("Content-Encoding"):
        return b""
    packed = gzip.compress(content, compresslevel=6, mtime=0)
    return packed if len(packed) < len(content) * 0.9 else b""


def _store(
    key: str,
    generation: float,
    request: HttpRequest,
    response: HttpResponseBase,
    scope: str,
    policy: Policy,
) -> _Copy | None:
    # A page that used a CSRF token or set a cookie belongs to one visitor.
    if (
        response.streaming
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or not isinstance(response, HttpResponse)
    ):
        return None
    content = response.content
    copy = _Copy(
        generation=generation,
        status=response.status_code,
        headers=tuple((name, response[name]) for name in KEPT_HEADERS if response.has_header(name)),
        content=content,
        etag=f'"{hashlib.sha256(content).hexdigest()[:32]}"',
        scope=scope,
        policy=policy,
        gzipped=_gzipped(content, response),
    )
    try:
        cache.set(key, copy, int(getattr(settings, "PUBLIC_CACHE_TIMEOUT", 3600)))
    except Exception:
        logger.warning("public page cache unavailable", exc_info=True)
        return None
    return copy


def cached_public_page(
    scope: str, policy: Policy = GUIDANCE
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Serve a GET/HEAD view's anonymous answers from the shared cache (see the module)."""

    SCOPES.add(scope)
    PARAMS.update(policy.params)

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in {"GET", "HEAD"} or not enabled():
                return view(request, *args, **kwargs)
            if not is_anonymous(request) or not set(request.GET) <= policy.params:
                return _private(view(request, *args, **kwargs))
            key = _page_key(request)
            try:
                found = cache.get_many([_generation_key(scope), key])
                generation = _generation(scope, found)
            except Exception:
                # The cache is unreachable: the page is rendered for this request alone.
                logger.warning("public page cache unavailable", exc_info=True)
                return _private(view(request, *args, **kwargs))
            copy = found.get(key)
            if isinstance(copy, _Copy) and copy.generation == generation:
                answer = _answer(request, copy, policy)
                # A stored "not found" (an unknown certificate number) was logged when it was
                # first rendered; repeating the warning for every copy served is only noise.
                answer._has_been_logged = True  # type: ignore[attr-defined]
                if not copy.complete:
                    answer.public_copy = (key, copy)  # type: ignore[attr-defined]
                return answer
            response = view(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                render()
            stored = None
            if response.status_code in policy.statuses:
                stored = _store(key, generation, request, response, scope, policy)
            if stored is None:
                return _private(response)
            answer = _answer(request, stored, policy)
            answer.public_copy = (key, stored)  # type: ignore[attr-defined]
            return answer

        return wrapper

    return decorator


def scoped_value[T](scope: str, name: str, compute: Callable[[], T]) -> T:
    """A value computed from `scope`'s data (the guidance topics for the search form), kept in
    the shared cache with the scope's generation and recomputed once the scope has changed:
    one cache round trip instead of the queries. Computed each time when public caching is off
    or the cache cannot be reached."""
    if not enabled():
        return compute()
    key = f"{KEY_PREFIX}:value:{scope}:{name}"
    try:
        found = cache.get_many([_generation_key(scope), key])
        generation = _generation(scope, found)
    except Exception:
        logger.warning("public page cache unavailable", exc_info=True)
        return compute()
    stored = found.get(key)
    if isinstance(stored, tuple) and stored[0] == generation:
        return stored[1]
    value = compute()
    try:
        cache.set(key, (generation, value), int(getattr(settings, "PUBLIC_CACHE_TIMEOUT", 3600)))
    except Exception:
        logger.warning("public page cache unavailable", exc_info=True)
    return value


def _complete(key: str, copy: _Copy, response: HttpResponseBase) -> None:
    """Keep the headers the whole stack gave a stored page, so that the middleware can answer
    the next request for it alone."""
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() not in PER_REQUEST_HEADERS
    )
    try:
        cache.set(
            key,
            replace(copy, headers=headers, complete=True),
            int(getattr(settings, "PUBLIC_CACHE_TIMEOUT", 3600)),
        )
    except Exception:
        logger.warning("public page cache unavailable", exc_info=True)


def _early_answer(request: HttpRequest) -> HttpResponseBase | None:
    key = _page_key(request)
    scopes = sorted(SCOPES)
    try:
        found = cache.get_many([key, *(_generation_key(scope) for scope in scopes)])
    except Exception:
        return None  # the views decide, and render the page for this request alone
    copy = found.get(key)
    if not isinstance(copy, _Copy) or not copy.complete:
        return None
    if found.get(_generation_key(copy.scope)) != copy.generation:
        return None
    answer = _answer(request, copy, copy.policy)
    answer._has_been_logged = True  # type: ignore[attr-defined]
    return answer


class PublicPageMiddleware:
    """Serve anonymous GET/HEAD requests for stored public pages before the rest of the
    middleware stack runs, and complete the copies the views store (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "PUBLIC_CACHE_PATH_PREFIXES", ()))

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            request.method in {"GET", "HEAD"}
            and self.prefixes
            and request.path.startswith(self.prefixes)
            and SCOPES
            and enabled()
            and set(request.GET) <= PARAMS
            and is_anonymous(request)
        ):
            answer = _early_answer(request)
            if answer is not None:
                return answer
        response = self.get_response(request)
        stored = getattr(response, "public_copy", None)
        if (
            stored is not None
            and response.status_code == stored[1].status
            and not response.cookies
            and not response.has_header("Set-Cookie")
        ):
            _complete(stored[0], stored[1], response)
        return response
