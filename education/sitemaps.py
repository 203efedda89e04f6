"""Site map entries for public guidance and training pages. `sitemaps` is the site-wide
dict served at /sitemap.xml; other apps may add their sections to it."""

from __future__ import annotations

import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from education import selectors
from education.models import Article, Module, Topic


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self) -> list[Article]:
        return list(selectors.published_articles().order_by("slug"))

    def lastmod(self, item: Article) -> datetime.datetime | None:
        return item.content_updated_at or item.published_at


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self) -> list[Topic]:
        return list(selectors.topics_with_articles())


class ModuleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> list[Module]:
        return list(selectors.published_modules().order_by("slug"))


class PagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> list[str]:
        return ["home", "education:home", "education:modules"]

    def location(self, item: str) -> str:
        return reverse(item)


sitemaps: dict[str, type[Sitemap]] = {
    "pages": PagesSitemap,
    "guidance": ArticleSitemap,
    "topics": TopicSitemap,
    "training": ModuleSitemap,
}
