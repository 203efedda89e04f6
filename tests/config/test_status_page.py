""" "Service status" is a page people can read; machines keep `/readyz` (JSON)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_footer_links_to_a_readable_status_page(client: Client) -> None:
    home = client.get("/").content.decode()
    assert 'href="/status/">Service status</a>' in home
    response = client.get("/status/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<h1>Service status</h1>" in html
    assert "The service is working" in html
    assert "Database</th><td>Working" in html
    assert "no-cache" in response["Cache-Control"]
    assert client.head("/status/").status_code == 200
    assert client.get("/readyz").json()["status"] == "ok"


def test_the_status_page_says_plainly_when_a_part_is_down(client: Client, settings: Any) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/status/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "The service has a problem" in html
    assert "Background work queue</th><td>Not answering" in html
    assert "Error" not in html  # the exception text stays in /readyz for operators
