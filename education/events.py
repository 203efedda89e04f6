"""What guidance and training write to the audit log (`core.AuditEvent`): the action names
and the titles article and module timelines show."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    ARTICLE_CREATE = "article.create"
    ARTICLE_EDIT = "article.edit"
    ARTICLE_SUBMIT = "article.submit"
    ARTICLE_RETURN = "article.return_to_draft"
    ARTICLE_PUBLISH = "article.publish"
    ARTICLE_ARCHIVE = "article.archive"
    ARTICLE_RESTORE = "article.restore"
    ARTICLE_MARK_REVIEWED = "article.mark_reviewed"
    ARTICLE_REVIEW_REMINDER = "article.review_reminder"
    MODULE_CREATE = "module.create"
    MODULE_EDIT = "module.edit"
    MODULE_SET_QUESTIONS = "module.set_questions"
    MODULE_NEW_VERSION = "module.new_version"
    MODULE_EDIT_EXPLANATIONS = "module.edit_explanations"
    MODULE_REQUIRE = "module.require"
    MODULE_UNREQUIRE = "module.unrequire"
    QUIZ_SUBMIT = "quiz.submit"
    MODULE_COMPLETE = "module.complete"


TITLES: dict[str, str] = {
    AuditAction.ARTICLE_CREATE: "Created",
    AuditAction.ARTICLE_EDIT: "Edited",
    AuditAction.ARTICLE_SUBMIT: "Submitted for review",
    AuditAction.ARTICLE_RETURN: "Returned to draft",
    AuditAction.ARTICLE_PUBLISH: "Published",
    AuditAction.ARTICLE_ARCHIVE: "Archived",
    AuditAction.ARTICLE_RESTORE: "Restored to draft",
    AuditAction.ARTICLE_MARK_REVIEWED: "Marked as reviewed",
    AuditAction.ARTICLE_REVIEW_REMINDER: "Review reminder sent",
    AuditAction.MODULE_CREATE: "Module created",
    AuditAction.MODULE_EDIT: "Module edited",
    AuditAction.MODULE_SET_QUESTIONS: "Quiz questions replaced",
    AuditAction.MODULE_NEW_VERSION: "New quiz version",
    AuditAction.MODULE_EDIT_EXPLANATIONS: "Quiz explanations reworded",
    AuditAction.MODULE_REQUIRE: "Required for a business type",
    AuditAction.MODULE_UNREQUIRE: "No longer required for a business type",
    AuditAction.QUIZ_SUBMIT: "Quiz attempted",
    AuditAction.MODULE_COMPLETE: "Module completed",
}


def title(action: str) -> str:
    return TITLES.get(action, action)
