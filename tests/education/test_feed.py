"""The Atom feed is valid Atom 1.0 in what validators check: an author, a self link, and an
id, title, link and updated date on the feed and every entry (RFC 4287)."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.test import Client

from education.models import Article
from tests.education.factories import ArticleFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_has_the_elements_atom_requires(client: Client) -> None:
    ArticleFactory(title="Feed guide", status=Article.Status.PUBLISHED)
    response = client.get("/guidance/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == settings.PROGRAM_NAME
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/guidance/feed/"
    for required in ("id", "title", "updated"):
        assert feed.findtext(f"{ATOM}{required}"), required
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Feed guide"]
    for entry in entries:
        for required in ("id", "title", "updated", "summary"):
            assert entry.findtext(f"{ATOM}{required}"), required
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/guidance/")
