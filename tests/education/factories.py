"""Factories for education. Articles and modules are created through the services, so
they carry rendered HTML, search vectors, revisions and versions like real ones."""

from __future__ import annotations

from typing import Any

import factory

from education import services
from education.models import Article, Audience, Module, Topic


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")
    description = "A topic."


def audience(slug: str = Audience.IMPORTER) -> Audience:
    """The audiences come from a data migration; transactional tests flush them."""
    from education.loader import AUDIENCES

    names = dict(AUDIENCES)
    return Audience.objects.get_or_create(slug=slug, defaults={"name": names[slug]})[0]


class ArticleFactory(factory.django.DjangoModelFactory):
    """``ArticleFactory(status="published")`` walks the state machine as the system."""

    class Meta:
        model = Article

    slug = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    summary = "A short summary of the article."
    body = "## Section one\n\nSome text about imports.\n\n## Section two\n\nMore text."
    references = factory.LazyFunction(
        lambda: [
            {
                "citation": "19 USC 1484",
                "title": "Entry of merchandise",
                "url": "https://www.law.cornell.edu/uscode/text/19/1484",
            }
        ]
    )
    legal_guidance = False

    @classmethod
    def _create(cls, model_class: type[Article], *args: Any, **kwargs: Any) -> Article:
        status = kwargs.pop("status", Article.Status.DRAFT)
        actor = kwargs.pop("actor", None)
        topics = kwargs.pop("topics", None)
        if topics is None:
            topics = [TopicFactory()]
        audiences = kwargs.pop("audiences", None)
        if audiences is None:
            audiences = [audience()]
        article = services.article_create(actor=actor, topics=topics, audiences=audiences, **kwargs)
        if status in {Article.Status.IN_REVIEW, Article.Status.PUBLISHED, Article.Status.ARCHIVED}:
            article = services.article_submit_for_review(article=article, actor=None)
        if status in {Article.Status.PUBLISHED, Article.Status.ARCHIVED}:
            article = services.article_publish(article=article, actor=None)
        if status == Article.Status.ARCHIVED:
            article = services.article_archive(article=article, actor=None)
        return article


def questions(count: int = 5, *, correct_index: int = 0) -> list[services.QuestionData]:
    return [
        services.QuestionData(
            text=f"Question {number}?",
            explanation=f"Because of rule {number}.",
            choices=tuple(
                services.ChoiceData(text=f"Answer {number}.{index}", correct=index == correct_index)
                for index in range(3)
            ),
        )
        for number in range(1, count + 1)
    ]


class ModuleFactory(factory.django.DjangoModelFactory):
    """A published module with five questions whose first choice is correct."""

    class Meta:
        model = Module

    slug = factory.Sequence(lambda n: f"module-{n}")
    title = factory.Sequence(lambda n: f"Module {n}")
    summary = "What this module teaches."
    pass_mark = 80

    @classmethod
    def _create(cls, model_class: type[Module], *args: Any, **kwargs: Any) -> Module:
        articles = kwargs.pop("articles", None)
        if articles is None:
            articles = [ArticleFactory(status=Article.Status.PUBLISHED)]
        required_for = kwargs.pop("required_for", ())
        module = services.module_save(
            actor=None,
            articles=articles,
            questions=kwargs.pop("questions", None) or questions(),
            published=kwargs.pop("published", True),
            **kwargs,
        )
        for business_type in required_for:
            services.required_module_designate(
                actor=None, module=module, business_type=business_type
            )
        return module


def answers_for(module: Module, *, correct: int) -> dict[str, str]:
    """Answers to the module's quiz with the first ``correct`` questions right."""
    result = {}
    for number, question in enumerate(module.questions.prefetch_related("choices")):
        choices = list(question.choices.all())
        right = next(c for c in choices if c.is_correct)
        wrong = next(c for c in choices if not c.is_correct)
        result[str(question.pk)] = str((right if number < correct else wrong).pk)
    return result
