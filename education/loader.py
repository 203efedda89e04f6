"""Load the starter library from ``education/content/``: topics (``topics.yaml``), articles
(``articles/*.md``: YAML front matter + Markdown) and training modules (``modules/*.yaml``).

Idempotent: each article and module remembers the checksum of the file it was last loaded
from, and is only updated when that file changes, so edits made in the admin survive later
runs and a second run changes nothing. New articles are published (the library is reviewed
in the repository); existing ones keep their status. A module gets a new version only when
its questions change; its ``required_for`` business types are seeded when the module is
first created, after which supervisors own that data in the admin.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from education import services
from education.models import Article, Audience, Module, Topic

CONTENT_DIR = Path(__file__).resolve().parent / "content"
AUDIENCES = (
    (Audience.IMPORTER, "Importers"),
    (Audience.SHIPPER, "Shippers and sellers"),
    (Audience.MARKETPLACE, "Marketplaces"),
    (Audience.CARRIER, "Carriers and express consignors"),
)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.S)
ARTICLE_KEYS = {
    "title",
    "slug",
    "summary",
    "topics",
    "audiences",
    "legal_guidance",
    "last_reviewed",
    "references",
    "related",
}
MODULE_KEYS = {
    "slug",
    "title",
    "summary",
    "version",
    "pass_mark",
    "articles",
    "required_for",
    "questions",
}


class ContentError(ValueError):
    """A content file is malformed; the message names the file and the problem."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@dataclass(frozen=True)
class ArticleSource:
    path: Path
    checksum: str
    meta: dict[str, Any]
    body: str


def _checksum(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def parse_article(path: Path) -> ArticleSource:
    text = path.read_text(encoding="utf-8")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ContentError(f"{path.name}: missing YAML front matter between --- lines")
    meta = yaml.safe_load(match.group(1))
    if not isinstance(meta, dict):
        raise ContentError(f"{path.name}: front matter must be a mapping")
    missing = ARTICLE_KEYS - set(meta)
    unknown = set(meta) - ARTICLE_KEYS
    if missing or unknown:
        raise ContentError(f"{path.name}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    if meta["slug"] != path.stem:
        raise ContentError(f"{path.name}: slug {meta['slug']!r} must match the file name")
    if not isinstance(meta["last_reviewed"], datetime.date):
        raise ContentError(f"{path.name}: last_reviewed must be a date (YYYY-MM-DD)")
    return ArticleSource(path=path, checksum=_checksum(text), meta=meta, body=match.group(2))


def _sources(directory: Path) -> Iterator[ArticleSource]:
    for path in sorted((directory / "articles").glob("*.md")):
        yield parse_article(path)


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContentError(f"{path.name}: not valid YAML: {error}") from error


def load_content(
    *, directory: Path = CONTENT_DIR, progress: Callable[[str], None] = lambda line: None
) -> LoadReport:
    """Load or update everything under ``directory`` in one transaction."""
    report = LoadReport()
    with transaction.atomic():
        _load_audiences(report, progress)
        topics = _load_topics(directory, report, progress)
        sources = list(_sources(directory))
        articles = _load_articles(sources, topics, report, progress)
        _load_modules(directory, articles, report, progress)
    return report


def _load_audiences(report: LoadReport, progress: Callable[[str], None]) -> None:
    for position, (slug, name) in enumerate(AUDIENCES, start=1):
        _audience, created = Audience.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
        if created:
            report.created.append(f"audience {slug}")
            progress(f"audience {slug}: created")


def _load_topics(
    directory: Path, report: LoadReport, progress: Callable[[str], None]
) -> dict[str, Topic]:
    data = _load_yaml(directory / "topics.yaml")
    if not isinstance(data, list):
        raise ContentError("topics.yaml: expected a list of topics")
    topics = {}
    for position, entry in enumerate(data, start=1):
        if not isinstance(entry, dict) or {"slug", "name"} - set(entry):
            raise ContentError(f"topics.yaml: entry {position} needs slug and name")
        wanted = {
            "name": entry["name"],
            "description": entry.get("description", ""),
            "position": position,
        }
        topic = Topic.objects.filter(slug=entry["slug"]).first()
        if topic is None:
            topic = Topic.objects.create(slug=entry["slug"], **wanted)
            report.created.append(f"topic {topic.slug}")
            progress(f"topic {topic.slug}: created")
        elif any(getattr(topic, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(topic, key, value)
            topic.save()
            report.updated.append(f"topic {topic.slug}")
            progress(f"topic {topic.slug}: updated")
        else:
            report.unchanged.append(f"topic {topic.slug}")
        topics[topic.slug] = topic
    return topics


def _load_articles(
    sources: list[ArticleSource],
    topics: dict[str, Topic],
    report: LoadReport,
    progress: Callable[[str], None],
) -> dict[str, Article]:
    audiences = {audience.slug: audience for audience in Audience.objects.all()}
    articles: dict[str, Article] = {}
    pending_related: list[tuple[Article, ArticleSource]] = []
    for source in sources:
        meta = source.meta
        slug = meta["slug"]
        try:
            article_topics = [topics[name] for name in meta["topics"]]
            article_audiences = [audiences[name] for name in meta["audiences"]]
        except KeyError as error:
            raise ContentError(f"{source.path.name}: unknown topic or audience {error}") from error
        content = {
            "title": meta["title"],
            "summary": meta["summary"],
            "body": source.body,
            "references": meta["references"],
            "topics": article_topics,
            "audiences": article_audiences,
            "legal_guidance": bool(meta["legal_guidance"]),
            "last_reviewed": meta["last_reviewed"],
        }
        note = f"Loaded from education/content/articles/{source.path.name}"
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            article = services.article_create(actor=None, slug=slug, note=note, **content)
            article = services.article_submit_for_review(article=article, actor=None, note=note)
            article = services.article_publish(article=article, actor=None, note=note)
            report.created.append(f"article {slug}")
            progress(f"article {slug}: created and published")
        elif article.source_checksum != source.checksum:
            article = services.article_save_revision(
                article=article, actor=None, note=note, **content
            )
            report.updated.append(f"article {slug}")
            progress(f"article {slug}: updated")
        else:
            report.unchanged.append(f"article {slug}")
            articles[slug] = article
            continue
        pending_related.append((article, source))
        articles[slug] = article
    for article, source in pending_related:
        wanted = list(source.meta["related"])
        found = {other.slug: other for other in Article.objects.filter(slug__in=wanted)}
        unknown = [name for name in wanted if name not in found]
        if unknown:
            raise ContentError(f"{source.path.name}: unknown related articles {unknown}")
        current = services.article_save_revision(
            article=article,
            actor=None,
            title=article.title,
            summary=article.summary,
            body=article.body,
            references=article.references,
            related=[found[name] for name in wanted],
            note="Related articles from the content files",
        )
        Article.objects.filter(pk=current.pk).update(source_checksum=source.checksum)
    return articles


def _question_data(path: Path, entry: Any, index: int) -> services.QuestionData:
    if not isinstance(entry, dict) or {"text", "choices", "explanation"} - set(entry):
        raise ContentError(f"{path.name}: question {index} needs text, choices and explanation")
    choices = [
        services.ChoiceData(text=str(choice["text"]).strip(), correct=bool(choice["correct"]))
        for choice in entry["choices"]
    ]
    return services.QuestionData(
        text=str(entry["text"]).strip(),
        explanation=str(entry["explanation"]).strip(),
        choices=tuple(choices),
    )


def _load_modules(
    directory: Path,
    articles: dict[str, Article],
    report: LoadReport,
    progress: Callable[[str], None],
) -> None:
    for path in sorted((directory / "modules").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = _load_yaml(path)
        if not isinstance(data, dict) or set(data) != MODULE_KEYS:
            raise ContentError(f"{path.name}: expected exactly the keys {sorted(MODULE_KEYS)}")
        checksum = _checksum(text)
        module = Module.objects.filter(slug=data["slug"]).first()
        if module is not None and module.source_checksum == checksum:
            report.unchanged.append(f"module {module.slug}")
            continue
        try:
            module_articles = [
                articles.get(slug) or Article.objects.get(slug=slug) for slug in data["articles"]
            ]
        except Article.DoesNotExist as error:
            raise ContentError(f"{path.name}: unknown article in {data['articles']}") from error
        questions = [
            _question_data(path, entry, index)
            for index, entry in enumerate(data["questions"], start=1)
        ]
        try:
            saved = services.module_save(
                actor=None,
                module=module,
                slug=data["slug"],
                title=data["title"],
                summary=data["summary"],
                pass_mark=int(data["pass_mark"]),
                articles=module_articles,
                questions=questions,
                published=True,
            )
        except Exception as error:
            raise ContentError(f"{path.name}: {error}") from error
        if module is None:
            for business_type in data["required_for"]:
                services.required_module_designate(
                    actor=None, module=saved, business_type=business_type
                )
            report.created.append(f"module {saved.slug}")
            progress(f"module {saved.slug}: created (version {saved.version})")
        else:
            report.updated.append(f"module {saved.slug}")
            progress(f"module {saved.slug}: updated (version {saved.version})")
        Module.objects.filter(pk=saved.pk).update(source_checksum=checksum)
