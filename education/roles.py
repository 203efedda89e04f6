"""What each role may do with guidance and training in general (see accounts.roles)."""

_EDITOR_MODELS = ("article", "articlerevision", "topic", "module", "question", "choice")

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "content_editor": [
        *(
            f"education.{action}_{model}"
            for model in _EDITOR_MODELS
            for action in ("add", "change", "view")
        ),
        "education.delete_question",
        "education.delete_choice",
        "education.publish_article",
        "education.view_articlefeedback",
        "education.view_audience",
        "education.view_moduleversion",
        "education.view_requiredmodule",
    ],
    "supervisor": [
        "education.add_requiredmodule",
        "education.change_requiredmodule",
        "education.delete_requiredmodule",
        "education.view_requiredmodule",
        "education.view_module",
        "education.view_moduleversion",
        "education.view_completion",
        "education.view_article",
    ],
    "officer": ["education.view_completion", "education.view_requiredmodule"],
}
