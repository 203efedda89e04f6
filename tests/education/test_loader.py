"""Loading the starter library: real content, idempotent, updates only what changed."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from core.models import AuditEvent
from education.loader import CONTENT_DIR, ContentError, load_content
from education.models import (
    Article,
    ArticleRevision,
    Module,
    ModuleVersion,
    Question,
    RequiredModule,
    Topic,
)

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Topic,
            Article,
            ArticleRevision,
            AuditEvent,
            Module,
            ModuleVersion,
            Question,
            RequiredModule,
        )
    }


def test_the_starter_library_loads_published(library: Any) -> None:
    assert Topic.objects.count() == 17
    assert Article.objects.published().count() == 17
    assert Article.objects.exclude(status="published").count() == 0
    care = Article.objects.get(slug="reasonable-care")
    assert care.legal_guidance
    assert str(care.last_reviewed) == "2026-11-28"
    assert care.references[0]["citation"] == "19 USC 1484"
    assert "customs-value" in care.related.values_list("slug", flat=True)
    assert care.toc[0] == {
        "level": 2,
        "anchor": "what-reasonable-care-means",
        "text": "What reasonable care means",
    }
    assert Module.objects.filter(published=True).count() == 3
    for module in Module.objects.all():
        assert module.questions.count() >= 8
        assert module.version == 1
        for question in module.questions.all():
            assert question.choices.filter(is_correct=True).count() == 1
    assert set(
        RequiredModule.objects.filter(module__slug="ecommerce-after-de-minimis").values_list(
            "business_type", flat=True
        )
    ) == {"online_seller", "marketplace", "express_consignor"}
    assert RequiredModule.objects.filter(business_type="manufacturer").count() == 2


def test_running_twice_changes_nothing(library: Any) -> None:
    before = _counts()
    updated = {a.slug: a.content_updated_at for a in Article.objects.all()}
    report = load_content()
    assert not report.changed
    assert _counts() == before
    assert {a.slug: a.content_updated_at for a in Article.objects.all()} == updated


def test_the_command_has_help_and_prints_progress(library: Any) -> None:
    out = StringIO()
    call_command("load_education_content", stdout=out)
    assert "0 created, 0 updated, 37 unchanged" in out.getvalue()
    help_text = StringIO()
    with pytest.raises(SystemExit):
        call_command("load_education_content", "--help", stdout=help_text)


def test_admin_edits_survive_a_reload(library: Any) -> None:
    from education import services

    article = Article.objects.get(slug="recordkeeping")
    services.article_save_revision(
        article=article,
        actor=None,
        title="Recordkeeping (edited)",
        summary=article.summary,
        body=article.body,
        references=article.references,
    )
    load_content()
    assert Article.objects.get(slug="recordkeeping").title == "Recordkeeping (edited)"


def test_a_changed_file_is_a_new_revision_and_changed_questions_a_new_version(
    library: Any, tmp_path: Path
) -> None:
    directory = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, directory)
    article_file = directory / "articles" / "recordkeeping.md"
    article_file.write_text(
        article_file.read_text().replace("## ", "## Updated: ", 1), encoding="utf-8"
    )
    module_file = directory / "modules" / "importer-basics.yaml"
    module_file.write_text(
        module_file.read_text().replace("Who is responsible", "Who is legally responsible", 1),
        encoding="utf-8",
    )
    summary_only = directory / "modules" / "known-shipper-and-security.yaml"
    summary_only.write_text(
        summary_only.read_text().replace("How the known-shipper", "How the known shipper", 1),
        encoding="utf-8",
    )
    report = load_content(directory=directory)
    assert "article recordkeeping" in report.updated
    article = Article.objects.get(slug="recordkeeping")
    assert article.revisions.count() == 2
    assert article.status == Article.Status.PUBLISHED
    assert Module.objects.get(slug="importer-basics").version == 2
    assert Module.objects.get(slug="known-shipper-and-security").version == 1
    assert not load_content(directory=directory).changed


def test_a_broken_file_is_refused_and_nothing_is_written(tmp_path: Path, db: Any) -> None:
    directory = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, directory)
    broken = directory / "articles" / "recordkeeping.md"
    broken.write_text(broken.read_text().replace("topics: [recordkeeping", "topics: [nonsense"))
    with pytest.raises(ContentError, match=r"recordkeeping\.md"):
        load_content(directory=directory)
    assert Article.objects.count() == 0
