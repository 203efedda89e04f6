"""Quiz scoring, pass and fail, retakes, completions and module versions."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from education import services
from education.models import Completion, Module, ModuleVersion, QuizAttempt
from tests.accounts.factories import UserFactory
from tests.education.factories import ModuleFactory, answers_for, questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def module() -> Module:
    return ModuleFactory(pass_mark=80)  # five questions: 4 of 5 passes, 3 of 5 fails


def _submit(user: Any, module: Module, correct: int) -> QuizAttempt:
    return services.quiz_attempt_submit(
        user=user,
        module=module,
        version=module.version,
        answers=answers_for(module, correct=correct),
    )


def test_scoring_and_fail(module: Module) -> None:
    user = UserFactory()
    attempt = _submit(user, module, correct=3)
    assert (attempt.correct_count, attempt.question_count, attempt.score) == (3, 5, 60)
    assert attempt.passed is False
    assert attempt.module_version == 1
    assert not Completion.objects.exists()
    wrong = [result for result in attempt.results if not result["is_correct"]]
    assert len(wrong) == 2
    assert wrong[0]["explanation"] == "Because of rule 4."
    assert wrong[0]["correct_answer"] == "Answer 4.0"
    assert wrong[0]["chosen"] != wrong[0]["correct_answer"]


def test_pass_at_exactly_the_pass_mark_gives_a_completion(module: Module) -> None:
    user = UserFactory()
    attempt = _submit(user, module, correct=4)
    assert attempt.score == 80
    assert attempt.passed
    completion = Completion.objects.get(user=user, module=module)
    assert completion.version == 1
    assert completion.attempt == attempt
    assert completion.completed_at == attempt.submitted_at
    assert completion.certificate_number.startswith("US-TRN-")


def test_retakes_are_stored_and_one_completion_per_version(module: Module) -> None:
    user = UserFactory()
    assert not _submit(user, module, correct=0).passed
    assert _submit(user, module, correct=5).passed
    assert _submit(user, module, correct=4).passed
    assert QuizAttempt.objects.filter(user=user).count() == 3
    assert Completion.objects.filter(user=user).count() == 1
    assert Completion.objects.get(user=user).attempt.score == 100


def test_changed_questions_make_a_new_version_and_completions_keep_theirs(module: Module) -> None:
    user = UserFactory()
    _submit(user, module, correct=5)
    module = services.module_set_questions(module=module, actor=None, questions=questions(8))
    assert module.version == 2
    assert list(ModuleVersion.objects.filter(module=module).values_list("number", flat=True)) == [
        2,
        1,
    ]
    assert Completion.objects.get(user=user).version == 1
    _submit(user, module, correct=8)
    assert list(
        Completion.objects.filter(user=user).order_by("version").values_list("version", flat=True)
    ) == [1, 2]


def test_same_questions_do_not_change_the_version(module: Module) -> None:
    module = services.module_set_questions(module=module, actor=None, questions=questions(5))
    assert module.version == 1
    assert module.versions.count() == 1


def test_pass_mark_change_is_a_new_version(module: Module) -> None:
    Module.objects.filter(pk=module.pk).update(pass_mark=60)
    module = services.module_refresh_version(module=module, actor=None)
    assert module.version == 2


def test_an_outdated_answer_sheet_is_refused(module: Module) -> None:
    user = UserFactory()
    old_version = module.version
    answers = answers_for(module, correct=5)
    services.module_set_questions(module=module, actor=None, questions=questions(6))
    with pytest.raises(services.QuizOutdated):
        services.quiz_attempt_submit(user=user, module=module, version=old_version, answers=answers)
    assert not QuizAttempt.objects.exists()


def test_every_question_must_be_answered_with_one_of_its_choices(module: Module) -> None:
    user = UserFactory()
    answers = answers_for(module, correct=5)
    first, second = list(answers)[:2]
    answers[second] = answers[first]  # a choice of another question
    del answers[first]
    with pytest.raises(ValidationError) as error:
        services.quiz_attempt_submit(user=user, module=module, version=1, answers=answers)
    assert set(error.value.message_dict) == {f"question_{first}", f"question_{second}"}
    assert not QuizAttempt.objects.exists()


def test_anonymous_cannot_submit(module: Module) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.quiz_attempt_submit(
            user=AnonymousUser(),  # type: ignore[arg-type]
            module=module,
            version=1,
            answers=answers_for(module, correct=5),
        )


def test_questions_need_exactly_one_correct_choice(module: Module) -> None:
    bad = [
        services.QuestionData(
            text="?",
            explanation="",
            choices=(services.ChoiceData("a", True), services.ChoiceData("b", True)),
        )
    ]
    with pytest.raises(ValidationError, match="exactly one correct"):
        services.module_set_questions(module=module, actor=None, questions=bad)
    assert module.questions.count() == 5


def test_only_editors_change_quizzes(module: Module) -> None:
    with pytest.raises(PermissionDenied):
        services.module_set_questions(
            module=module, actor=UserFactory(roles=["shipper"]), questions=questions(3)
        )


def test_only_supervisors_designate_required_modules(module: Module, supervisor: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.required_module_designate(
            actor=UserFactory(roles=["content_editor"]), module=module, business_type="other"
        )
    first = services.required_module_designate(
        actor=supervisor, module=module, business_type="other"
    )
    again = services.required_module_designate(
        actor=supervisor, module=module, business_type="other"
    )
    assert first.pk == again.pk
    assert first.designated_by == supervisor
    with pytest.raises(ValidationError):
        services.required_module_designate(actor=supervisor, module=module, business_type="pirate")
