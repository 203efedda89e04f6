"""The public guidance pages (home, topics, articles, the feed and the sitemap) are kept in
the shared cache (`core.public_cache`, scope ``"guidance"``). Any change to an article, a
topic, an audience or a module, or to which articles belong where, makes every stored page
stale at once; these receivers see to it, whether a service, the loader or the admin made it.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from core import public_cache
from education.models import Article, Audience, Module, ModuleArticle, Topic

SCOPE = "guidance"


def guidance_changed() -> None:
    public_cache.invalidate(SCOPE)


def _changed(sender: Any, **kwargs: Any) -> None:
    guidance_changed()


def connect() -> None:
    for model in (Article, Topic, Audience, Module, ModuleArticle):
        post_save.connect(_changed, sender=model, dispatch_uid=f"guidance-cache-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"guidance-cache-d{model.__name__}"
        )
    for relation in (Article.topics, Article.audiences, Article.related):
        m2m_changed.connect(
            _changed, sender=relation.through, dispatch_uid=f"guidance-cache-{relation.field.name}"
        )
