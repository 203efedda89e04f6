"""With the shared cache unreachable, public pages are still served (rendered for each
request, never stored), and a change that must make stored pages stale fails loudly."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from core import public_cache
from tests.education.factories import ArticleFactory

pytestmark = pytest.mark.django_db

UNREACHABLE = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


def test_pages_are_rendered_when_the_cache_is_down(client: Client, settings: Any) -> None:
    article = ArticleFactory(title="Outage guide", status="published")
    settings.PUBLIC_CACHE_ENABLED = True
    settings.CACHES = {**settings.CACHES, **UNREACHABLE}  # the shared cache; fragments stay
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Outage guide" in response.content.decode()
    assert response["Cache-Control"] == "private, no-cache"
    # The search form's lists are read from the database instead.
    search = client.get("/guidance/search/?q=outage")
    assert search.status_code == 200
    assert "Outage guide" in search.content.decode()
    with pytest.raises(Exception, match=r"[Cc]onnect"):
        public_cache.invalidate("guidance")
