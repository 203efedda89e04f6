"""Writes for guidance and training: keyword-only business actions, one transaction each,
writing the change and its audit event (`core.AuditEvent`) together.

By sub-domain: `articles` (editing and the article life cycle), `feedback` ("Was this
helpful?"), `reminders` (review reminders), `modules` (training modules, their versioned
quizzes and required modules), `quizzes` (attempts and completions). Services may read
through `education.selectors`; selectors never import services.
"""

from core.workflow import TransitionNotAllowed
from education.selectors import review_interval_days
from education.services.articles import (
    CONTENT_FIELDS,
    article_archive,
    article_create,
    article_mark_reviewed,
    article_publish,
    article_restore,
    article_return_to_draft,
    article_save_revision,
    article_submit_for_review,
    clean_references,
)
from education.services.common import EducationError, FeedbackRateLimited, QuizOutdated
from education.services.feedback import FEEDBACK_LIMIT_PER_HOUR, feedback_record
from education.services.modules import (
    ChoiceData,
    QuestionData,
    module_refresh_version,
    module_save,
    module_save_details,
    module_set_questions,
    quiz_fingerprint,
    required_module_designate,
    required_module_remove,
)
from education.services.quizzes import quiz_attempt_submit
from education.services.reminders import review_reminders_send

__all__ = [
    "CONTENT_FIELDS",
    "FEEDBACK_LIMIT_PER_HOUR",
    "ChoiceData",
    "EducationError",
    "FeedbackRateLimited",
    "QuestionData",
    "QuizOutdated",
    "TransitionNotAllowed",
    "article_archive",
    "article_create",
    "article_mark_reviewed",
    "article_publish",
    "article_restore",
    "article_return_to_draft",
    "article_save_revision",
    "article_submit_for_review",
    "clean_references",
    "feedback_record",
    "module_refresh_version",
    "module_save",
    "module_save_details",
    "module_set_questions",
    "quiz_attempt_submit",
    "quiz_fingerprint",
    "required_module_designate",
    "required_module_remove",
    "review_interval_days",
    "review_reminders_send",
]
