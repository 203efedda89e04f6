"""Public guidance pages and training pages. Thin: read through selectors, write through
services, render."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.client import client_address
from core.public_cache import cached_public_page
from education import selectors, services
from education.forms import FeedbackForm, QuizForm, SearchForm
from education.models import Article
from education.portal_panels import open_applications_for


def _search_form(data: Any = None) -> SearchForm:
    topics, audiences = selectors.search_form_choices()
    return SearchForm(data, topics=topics, audiences=audiences, auto_id="search_%s")


def _audience_param(request: HttpRequest) -> str:
    audience = request.GET.get("audience", "")
    return audience if selectors.audiences().filter(slug=audience).exists() else ""


@require_safe
@cached_public_page("guidance")
def guidance_home(request: HttpRequest) -> HttpResponse:
    audience = _audience_param(request)
    return render(
        request,
        "education/home.html",
        {
            "topics": selectors.topics_with_articles(audience=audience or None),
            "audiences": selectors.audiences(),
            "audience": audience,
            "recent": selectors.recently_updated_articles(limit=5, audience=audience or None),
        },
    )


@require_safe
@cached_public_page("guidance")
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = selectors.topic_get(slug=slug)
    if topic is None:
        raise Http404("No such topic.")
    audience = _audience_param(request)
    articles = selectors.topic_articles(topic=topic, audience=audience or None)
    if not articles and not audience:
        raise Http404("No published guidance on this topic.")
    return render(
        request,
        "education/topic.html",
        {
            "topic": topic,
            "articles": articles,
            "audiences": selectors.audiences(),
            "audience": audience,
        },
    )


@require_safe
@cached_public_page("guidance")
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.article_get_published(slug=slug)
    if article is None:
        raise Http404("No such article.")
    return render(
        request,
        "education/article.html",
        {"article": article, "feedback_form": FeedbackForm(auto_id="feedback_%s")},
    )


# Feedback is anonymous and acts on nobody's behalf (nothing in a session or account changes),
# so a forged post gains nothing CSRF protection would stop; without the token the article
# page is the same for every anonymous reader and can be shared from the cache. The per-address
# limit still applies.
@csrf_exempt
@require_POST
def article_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.article_get_published(slug=slug)
    if article is None:
        raise Http404("No such article.")
    form = FeedbackForm(request.POST, auto_id="feedback_%s")
    back = f"{article.get_absolute_url()}#feedback"
    if not form.is_valid():
        return render(
            request,
            "education/article.html",
            {"article": article, "feedback_form": form},
            status=400,
        )
    try:
        services.feedback_record(
            article=article,
            helpful=form.cleaned_data["helpful"],
            comment=form.cleaned_data["comment"],
            client_key=client_address(request) or "unknown",
        )
    except services.FeedbackRateLimited as error:
        messages.warning(request, str(error))
        return HttpResponseRedirect(back)
    messages.success(request, "Thank you for your feedback.")
    return HttpResponseRedirect(back)


_SLUG_PLACEHOLDER = "slug-placeholder"


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = _search_form(request.GET or None)
    hits: list[selectors.SearchHit] = []
    query = topic = audience = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        topic = form.cleaned_data["topic"]
        audience = form.cleaned_data["audience"]
        hits = selectors.article_search(
            query=query, topic=topic or None, audience=audience or None, limit=50, snippets=False
        )
    page = Paginator(hits, 10).get_page(request.GET.get("page"))
    page.object_list = selectors.search_snippets(hits=page.object_list, query=query)
    # One reverse for the page, not one a hit (each cost about as much as the rest of the
    # hit's rendering). Slugs are URL-safe, as `Article.get_absolute_url` would write them.
    url = reverse("education:article", args=[_SLUG_PLACEHOLDER])
    shown = [(hit, url.replace(_SLUG_PLACEHOLDER, hit.article.slug)) for hit in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "education/search.html",
        {
            "form": form,
            "query": query,
            "topic": topic,
            "audience": audience,
            "page": page,
            "hits": shown,
            "hit_count": len(hits),
            "querystring": params.urlencode(),
        },
    )


class ArticleFeed(Feed):
    """Atom feed of new and updated published articles."""

    feed_type = Atom1Feed
    title = "Guidance: new and updated articles"
    subtitle = "Compliance guidance for importers and shippers."

    def link(self) -> str:
        return reverse("education:home")

    def feed_url(self) -> str:
        return reverse("education:feed")

    def author_name(self) -> str:
        # Atom requires an author for the feed (or every entry): the program publishes it.
        return str(settings.PROGRAM_NAME)

    def items(self) -> list[Article]:
        return list(selectors.recently_updated_articles(limit=50).prefetch_related("topics"))

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime.datetime | None:
        return item.content_updated_at or item.published_at

    def item_categories(self, item: Article) -> list[str]:
        return [topic.name for topic in item.topics.all()]


# -- training ------------------------------------------------------------------------------


@require_safe
def module_list(request: HttpRequest) -> HttpResponse:
    completions = {c.module_id: c for c in selectors.user_completions(user=request.user)}
    modules = list(selectors.published_modules())
    for module in modules:
        completion = completions.get(module.pk)
        module.user_completion = (  # type: ignore[attr-defined]
            completion if completion and completion.version == module.version else None
        )
    return render(
        request,
        "education/modules.html",
        {"modules": modules, "completions": list(completions.values())},
    )


@require_safe
def module_detail(request: HttpRequest, slug: str) -> HttpResponse:
    module = selectors.module_get_published(slug=slug)
    if module is None:
        raise Http404("No such module.")
    return render(
        request,
        "education/module.html",
        {
            "module": module,
            "articles": selectors.module_articles(module=module),
            "question_count": module.questions.count(),
            "completion": selectors.user_completion_for(user=request.user, module=module),
            "attempts": selectors.user_attempts(user=request.user, module=module)[:5],
            "open_applications": open_applications_for(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def quiz(request: HttpRequest, slug: str) -> HttpResponse:
    module = selectors.module_get_published(slug=slug)
    if module is None:
        raise Http404("No such module.")
    questions = selectors.module_quiz(module=module)
    if not questions:
        raise Http404("This module has no quiz yet.")
    form = QuizForm(request.POST or None, module=module, questions=questions)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        try:
            attempt = services.quiz_attempt_submit(
                user=request.user,  # type: ignore[arg-type]
                module=module,
                version=int(token["version"]),
                answers=form.answers(),
                started_at=datetime.datetime.fromisoformat(token["started"]),
            )
        except services.QuizOutdated as error:
            messages.warning(request, str(error))
            return redirect("education:quiz", slug=module.slug)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return redirect("education:attempt", slug=module.slug, attempt_id=attempt.pk)
    return render(request, "education/quiz.html", {"module": module, "form": form})


@login_required
@require_safe
def attempt_result(request: HttpRequest, slug: str, attempt_id: int) -> HttpResponse:
    attempt = selectors.attempt_get_for_user(user=request.user, attempt_id=attempt_id)
    if attempt is None or attempt.module.slug != slug:
        raise Http404("No such result.")
    completion = (
        attempt.module.completions.filter(user=attempt.user, version=attempt.module_version).first()
        if attempt.passed
        else None
    )
    return render(
        request,
        "education/result.html",
        {
            "attempt": attempt,
            "module": attempt.module,
            "completion": completion,
            "wrong": [result for result in attempt.results if not result["is_correct"]],
            "open_applications": open_applications_for(request.user),
        },
    )


@login_required
@require_safe
def certificate(request: HttpRequest, number: str) -> HttpResponse:
    completion = selectors.completion_get(certificate_number=number)
    if completion is None:
        raise Http404("No such certificate.")
    if not request.user.has_perm("education.view_certificate", completion):
        # Another user's certificate: do not confirm that it exists.
        raise Http404("No such certificate.")
    return render(request, "education/certificate.html", {"completion": completion})
