"""Officer pages for penalty cases, in the Django admin.

The case list has queues and filters (status, type, overdue, assigned officer, amount, age),
"assign to me", bulk reassignment and a CSV export of the filtered list, and links to a
summary by status and type. A case's page shows its timeline, calculation, deadlines,
notices, evidence and notes, with a button per transition the officer may take now; each
button opens a small form that calls the service. Nothing here writes a case directly.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import forms as django_forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from accounts.models import User
from enforcement import forms, selectors, services
from enforcement.models import (
    Case,
    Deadline,
    MitigationGuideline,
    Notice,
    Payment,
    PenaltyNoticeApproval,
    StatutoryFigure,
    ViolationType,
)
from enforcement.workflow import Actor, TransitionNotAllowedError, can

S = Case.Status


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _actor_kind(user: User) -> Actor | None:
    if not user.has_perm("enforcement.work_cases"):
        return None
    return Actor.SUPERVISOR if user.has_role("supervisor") else Actor.OFFICER


def _open_deadline_exists() -> Exists:
    return Exists(
        Deadline.objects.filter(
            case=OuterRef("pk"),
            met_at__isnull=True,
            closed_at__isnull=True,
            due_on__lt=timezone.localdate(),
        )
    )


# -- list filters -------------------------------------------------------------------------------


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        if self.value() == "yes":
            return queryset.filter(_open_deadline_exists())
        if self.value() == "no":
            return queryset.exclude(_open_deadline_exists())
        return queryset


AMOUNT_BANDS = {
    "under_10k": (None, Decimal("10000")),
    "10k_50k": (Decimal("10000"), Decimal("50000")),
    "50k_250k": (Decimal("50000"), Decimal("250000")),
    "over_250k": (Decimal("250000"), None),
}


class AmountFilter(admin.SimpleListFilter):
    """By the amount at stake: the decided amount, else the assessed, else the proposed."""

    title = "amount at stake (USD)"
    parameter_name = "amount"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("under_10k", "Under 10,000"),
            ("10k_50k", "10,000 to 50,000"),
            ("50k_250k", "50,000 to 250,000"),
            ("over_250k", "Over 250,000"),
            ("none", "No amount yet"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        value = self.value()
        if not value:
            return queryset
        queryset = queryset.annotate(
            at_stake=Coalesce("mitigated_amount", "assessed_amount", "proposed_amount")
        )
        if value == "none":
            return queryset.filter(at_stake__isnull=True)
        low, high = AMOUNT_BANDS.get(value, (None, None))
        if low is not None:
            queryset = queryset.filter(at_stake__gte=low)
        if high is not None:
            queryset = queryset.filter(at_stake__lt=high)
        return queryset


AGE_BANDS = {"30": (0, 30), "90": (30, 90), "365": (90, 365), "older": (365, None)}


class AgeFilter(admin.SimpleListFilter):
    title = "age"
    parameter_name = "age"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("30", "Opened in the last 30 days"),
            ("90", "30 to 90 days"),
            ("365", "90 days to a year"),
            ("older", "Over a year"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        band = AGE_BANDS.get(self.value() or "")
        if band is None:
            return queryset
        now = timezone.now()
        newest, oldest = band
        queryset = queryset.filter(opened_at__lte=now - timedelta(days=newest))
        if oldest is not None:
            queryset = queryset.filter(opened_at__gt=now - timedelta(days=oldest))
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    title = "assigned officer"
    parameter_name = "officer"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        officers = User.objects.filter(assigned_cases__isnull=False).distinct()
        return [
            ("me", "Assigned to me"),
            ("none", "Unassigned"),
            *[(str(officer.pk), str(officer)) for officer in officers],
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        value = self.value()
        if value == "me":
            return queryset.filter(assigned_officer=request.user.pk)
        if value == "none":
            return queryset.filter(assigned_officer__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assigned_officer_id=int(value))
        return queryset


# -- officer actions on one case ------------------------------------------------------------


@dataclass(frozen=True)
class OfficerAction:
    label: str
    form_class: type[django_forms.BaseForm]
    run: Callable[[User, Case, dict[str, Any]], Any]
    available: Callable[[Case, Actor], bool]
    done: str
    danger: bool = False
    files: bool = False


def _transition_available(name: str) -> Callable[[Case, Actor], bool]:
    def check(case: Case, actor: Actor) -> bool:
        return can(case, name, actor)

    return check


def _penalty_notice_available(case: Case, actor: Actor) -> bool:
    if case.violation_type == ViolationType.SECTION_1592 and case.status != S.PREPENALTY_NOTICE:
        return False
    pending = case.approval_requests.filter(status=PenaltyNoticeApproval.Status.PENDING)
    return can(case, "issue_penalty_notice", actor) and not pending.exists()


def _not_finished(case: Case, actor: Actor) -> bool:
    return case.status not in {S.PAID, S.CLOSED, S.WITHDRAWN, S.CANCELLED}


def _always(case: Case, actor: Actor) -> bool:
    return True


def _issue_penalty(user: User, case: Case, data: dict[str, Any]) -> Any:
    return services.case_issue_penalty_notice(
        actor=user, case=case, amount=data["amount"], departure_reason=data["departure_reason"]
    )


def _relate(user: User, case: Case, data: dict[str, Any]) -> None:
    other = Case.objects.filter(number__iexact=data["number"].strip()).first()
    if other is None:
        raise ValidationError({"number": "No case has this number."})
    services.case_relate(actor=user, case=case, other=other)


ACTIONS: dict[str, OfficerAction] = {
    "start_investigation": OfficerAction(
        "Start the investigation",
        forms.OptionalReasonForm,
        lambda u, c, d: services.case_start_investigation(actor=u, case=c, reason=d["reason"]),
        _transition_available("start_investigation"),
        "The investigation has started.",
    ),
    "propose": OfficerAction(
        "Propose an amount",
        forms.AmountForm,
        lambda u, c, d: services.case_propose_amount(
            actor=u, case=c, amount=d["amount"], departure_reason=d["departure_reason"]
        ),
        lambda c, a: c.status in {S.OPENED, S.INVESTIGATING, S.PREPENALTY_NOTICE},
        "The amount is proposed.",
    ),
    "issue_prepenalty_notice": OfficerAction(
        "Issue the pre-penalty notice",
        forms.PrepenaltyNoticeForm,
        lambda u, c, d: services.case_issue_prepenalty_notice(
            actor=u,
            case=c,
            amount=d["amount"],
            departure_reason=d["departure_reason"],
            response_days=d["response_days"],
        ),
        _transition_available("issue_prepenalty_notice"),
        "The pre-penalty notice was issued and sent.",
    ),
    "issue_penalty_notice": OfficerAction(
        "Issue the penalty notice",
        forms.AmountForm,
        _issue_penalty,
        _penalty_notice_available,
        "Done.",
    ),
    "decide": OfficerAction(
        "Decide",
        forms.DecisionForm,
        lambda u, c, d: services.case_decide(
            actor=u,
            case=c,
            amount=d["amount"],
            reasoning=d["reasoning"],
            culpability=d["culpability"] or None,
            departure_reason=d["departure_reason"],
            payment_days=d["payment_days"],
        ),
        _transition_available("decide"),
        "The decision was issued and sent.",
    ),
    "record_payment": OfficerAction(
        "Record a payment received",
        forms.OfficerPaymentForm,
        lambda u, c, d: services.case_record_payment(
            actor=u, case=c, amount=d["amount"], reference=d["reference"], paid_on=d["paid_on"]
        ),
        lambda c, a: c.status in {S.PENALTY_NOTICE, S.DECIDED, S.REFERRED_FOR_COLLECTION},
        "The payment is recorded.",
    ),
    "close": OfficerAction(
        "Close",
        forms.OptionalReasonForm,
        lambda u, c, d: services.case_close(actor=u, case=c, reason=d["reason"]),
        _transition_available("close"),
        "The case is closed.",
    ),
    "refer_for_collection": OfficerAction(
        "Refer for collection",
        forms.ReasonForm,
        lambda u, c, d: services.case_refer_for_collection(actor=u, case=c, reason=d["reason"]),
        _transition_available("refer_for_collection"),
        "The case is referred for collection.",
    ),
    "withdraw": OfficerAction(
        "Withdraw",
        forms.ReasonForm,
        lambda u, c, d: services.case_withdraw(actor=u, case=c, reason=d["reason"]),
        _transition_available("withdraw"),
        "The case is withdrawn.",
        danger=True,
    ),
    "cancel": OfficerAction(
        "Cancel",
        forms.ReasonForm,
        lambda u, c, d: services.case_cancel(actor=u, case=c, reason=d["reason"]),
        _transition_available("cancel"),
        "The case is cancelled.",
        danger=True,
    ),
    "reinstate": OfficerAction(
        "Reinstate known-shipper status",
        forms.ReasonForm,
        lambda u, c, d: services.case_reinstate_shipper(actor=u, case=c, reason=d["reason"]),
        lambda c, a: services.can_reinstate_shipper(case=c),
        "The organisation's known-shipper status is reinstated.",
    ),
    "assign": OfficerAction(
        "Assign",
        forms.AssignForm,
        lambda u, c, d: services.case_assign(actor=u, case=c, officer=d["officer"]),
        _always,
        "The case is assigned.",
    ),
    "note": OfficerAction(
        "Add an internal note",
        forms.NoteForm,
        lambda u, c, d: services.case_add_note(actor=u, case=c, text=d["text"]),
        _always,
        "The note is added.",
    ),
    "evidence": OfficerAction(
        "Add evidence or a document",
        forms.EvidenceForm,
        lambda u, c, d: services.case_add_evidence(
            actor=u,
            case=c,
            upload=d["file"],
            description=d["description"],
            visible_to_respondent=d["visible_to_respondent"],
        ),
        _not_finished,
        "The document is stored.",
        files=True,
    ),
    "relate": OfficerAction(
        "Relate to another case", forms.RelateForm, _relate, _always, "The cases are related."
    ),
}
TRANSITION_ACTIONS = (
    "start_investigation",
    "propose",
    "issue_prepenalty_notice",
    "issue_penalty_notice",
    "decide",
    "record_payment",
    "close",
    "refer_for_collection",
    "reinstate",
    "withdraw",
    "cancel",
)


def _add_errors(form: django_forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# -- CSV export -------------------------------------------------------------------------------

CSV_HEADER = [
    "number",
    "respondent",
    "organisation_id",
    "violation_type",
    "culpability",
    "status",
    "assigned_officer",
    "opened_at",
    "violation_date",
    "limitations_date",
    "currency",
    "proposed_amount",
    "assessed_amount",
    "mitigated_amount",
    "collected_amount",
    "next_due_on",
    "overdue",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets run cells that start like a formula; keep them text.
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def _csv_rows(cases: QuerySet[Case]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    today = timezone.localdate()
    rows = cases.select_related("organisation", "assigned_officer").prefetch_related("deadlines")
    for case in rows.order_by("pk").iterator(chunk_size=500):
        running = [d for d in case.deadlines.all() if d.is_open]
        next_due = min((d.due_on for d in running), default=None)
        yield writer.writerow(
            [
                _cell(v)
                for v in (
                    case.number,
                    case.respondent_name,
                    case.organisation_id,
                    case.violation_type,
                    case.culpability,
                    case.status,
                    case.assigned_officer.email if case.assigned_officer else "",
                    case.opened_at.isoformat(),
                    case.violation_date.isoformat(),
                    case.limitations_date.isoformat(),
                    case.currency,
                    case.proposed_amount,
                    case.assessed_amount,
                    case.mitigated_amount,
                    case.collected_amount,
                    next_due.isoformat() if next_due else "",
                    "yes" if next_due is not None and next_due < today else "no",
                )
            ]
        )


def csv_response(cases: QuerySet[Case]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_rows(cases), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="penalty-cases-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


# -- the case admin ---------------------------------------------------------------------------


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "respondent",
        "violation_type",
        "culpability",
        "status",
        "assigned_officer",
        "amount_at_stake",
        "next_due",
        "opened_at",
    )
    list_filter = (
        "status",
        "violation_type",
        OverdueFilter,
        AssignedFilter,
        AmountFilter,
        AgeFilter,
    )
    list_select_related = ("organisation", "assigned_officer")
    search_fields = ("number", "party_name", "organisation__legal_name")
    date_hierarchy = "opened_at"
    actions = ("assign_to_me", "reassign", "export_csv")
    change_list_template = "admin/enforcement/case/change_list.html"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Respondent")
    def respondent(self, case: Case) -> str:
        return case.respondent_name

    @admin.display(description="At stake")
    def amount_at_stake(self, case: Case) -> str:
        amount = case.mitigated_amount or case.assessed_amount or case.proposed_amount
        return f"{case.currency} {amount:,.2f}" if amount is not None else "-"

    @admin.display(description="Next deadline")
    def next_due(self, case: Case) -> str:
        deadline = selectors.open_deadlines(case=case).order_by("due_on").first()
        if deadline is None:
            return "-"
        flag = " (overdue)" if deadline.is_overdue else ""
        return f"{deadline.due_on:%Y-%m-%d}{flag}"

    # list actions

    @admin.action(description="Assign to me")
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        user = _user(request)
        for case in queryset:
            services.case_assign(actor=user, case=case, officer=user)
        self.message_user(request, f"{queryset.count()} case(s) assigned to you.")

    @admin.action(description="Reassign to another officer")
    def reassign(self, request: HttpRequest, queryset: QuerySet[Case]) -> HttpResponse | None:
        form = forms.AssignForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            officer = form.cleaned_data["officer"]
            try:
                for case in queryset:
                    services.case_assign(actor=_user(request), case=case, officer=officer)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            self.message_user(request, f"{queryset.count()} case(s) reassigned to {officer}.")
            return None
        return TemplateResponse(
            request,
            "admin/enforcement/case/reassign.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Reassign cases",
                "cases": queryset,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description="Export the selected cases as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Case]) -> StreamingHttpResponse:
        return csv_response(queryset)

    # custom pages

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        custom = [
            path("summary/", wrap(self.summary_view), name="enforcement_case_summary"),
            path("export/", wrap(self.export_view), name="enforcement_case_export"),
            path(
                "<int:pk>/act/<slug:action>/",
                wrap(self.action_view),
                name="enforcement_case_action",
            ),
            path(
                "<int:pk>/deadlines/<int:deadline_pk>/extend/",
                wrap(self.extend_view),
                name="enforcement_case_extend",
            ),
            path(
                "<int:pk>/payments/<int:payment_pk>/review/",
                wrap(self.payment_review_view),
                name="enforcement_case_payment_review",
            ),
            path(
                "<int:pk>/approvals/<int:approval_pk>/",
                wrap(self.approval_view),
                name="enforcement_case_approval",
            ),
        ]
        return custom + super().get_urls()

    def _require_worker(self, request: HttpRequest) -> Actor:
        actor = _actor_kind(_user(request))
        if actor is None:
            raise PermissionDenied
        return actor

    def filtered_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        """The changelist's cases with the filters and search of the request."""
        changelist: ChangeList = self.get_changelist_instance(request)
        return changelist.get_queryset(request)

    def export_view(self, request: HttpRequest) -> StreamingHttpResponse:
        self._require_worker(request)
        return csv_response(self.filtered_queryset(request))

    def summary_view(self, request: HttpRequest) -> TemplateResponse:
        self._require_worker(request)
        rows, total = selectors.case_summary(cases=self.filtered_queryset(request))
        return TemplateResponse(
            request,
            "admin/enforcement/case/summary.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Penalty cases by status and type",
                "rows": rows,
                "total": total,
                "query": request.GET.urlencode(),
            },
        )

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        self._require_worker(request)
        form = forms.CaseOpenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                case = services.case_open(actor=_user(request), **form.service_arguments())
            except ValidationError as error:
                _add_errors(form, error)
            else:
                self.message_user(request, f"Case {case.number} is open.")
                return redirect("admin:enforcement_case_change", case.pk)
        return TemplateResponse(
            request,
            "admin/enforcement/case/form.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Open a penalty case",
                "form": form,
                "submit": "Open the case",
            },
        )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        actor = self._require_worker(request)
        case = get_object_or_404(
            Case.objects.select_related("organisation", "assigned_officer", "opened_by"),
            pk=object_id,
        )
        if request.method == "POST":
            return self._save_facts(request, case)
        return self._detail(request, case, actor, forms.CaseFactsForm(instance=case))

    def _save_facts(self, request: HttpRequest, case: Case) -> HttpResponse:
        actor = self._require_worker(request)
        form = forms.CaseFactsForm(request.POST, instance=Case.objects.get(pk=case.pk))
        if form.is_valid():
            try:
                services.case_update_facts(actor=_user(request), case=case, changes=form.changes())
            except ValidationError as error:
                _add_errors(form, error)
            else:
                self.message_user(request, "The facts are saved.")
                return redirect("admin:enforcement_case_change", case.pk)
        case.refresh_from_db()
        return self._detail(request, case, actor, form)

    def _detail(
        self, request: HttpRequest, case: Case, actor: Actor, facts_form: django_forms.BaseForm
    ) -> TemplateResponse:
        user = _user(request)
        calculation, calculation_error = selectors.case_calculation_or_error(case=case)
        pending = case.approval_requests.filter(status=PenaltyNoticeApproval.Status.PENDING)
        return TemplateResponse(
            request,
            "admin/enforcement/case/detail.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"Case {case.number}",
                "case": case,
                "original": case,
                "facts_form": facts_form,
                "calculation": calculation,
                "calculation_error": calculation_error,
                "deadlines": case.deadlines.prefetch_related("extensions"),
                "notices": case.notices.all(),
                "timeline": selectors.timeline(case=case, for_respondent=False),
                "documents": selectors.documents(case=case, for_respondent=False),
                "notes": case.notes.select_related("author"),
                "petitions": case.petitions.prefetch_related("documents"),
                "decisions": case.decisions.all(),
                "payments": case.payments.all(),
                "approvals": case.approval_requests.all(),
                "pending_approval": pending.first(),
                "can_approve": user.has_perm("enforcement.approve_large_penalty"),
                "related": case.related_cases.all(),
                "buttons": [
                    (slug, ACTIONS[slug])
                    for slug in TRANSITION_ACTIONS
                    if ACTIONS[slug].available(case, actor)
                ],
                "approval_threshold": services.approval_threshold(),
            },
        )

    def _action_page(
        self,
        request: HttpRequest,
        case: Case,
        form: django_forms.BaseForm,
        title: str,
        *,
        files: bool = False,
        danger: bool = False,
    ) -> TemplateResponse:
        return TemplateResponse(
            request,
            "admin/enforcement/case/form.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"{title}: {case.number}",
                "case": case,
                "form": form,
                "files": files,
                "danger": danger,
                "submit": title,
            },
        )

    def action_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        actor = self._require_worker(request)
        spec = ACTIONS.get(action)
        if spec is None:
            raise Http404
        case = get_object_or_404(Case, pk=pk)
        if not spec.available(case, actor):
            self.message_user(
                request,
                f"'{spec.label}' is not available: the case is "
                f"{case.get_status_display().lower()}.",
                messages.ERROR,
            )
            return redirect("admin:enforcement_case_change", case.pk)
        form = spec.form_class(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = spec.run(_user(request), case, form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            except (TransitionNotAllowedError, PermissionDenied) as error:
                self.message_user(request, str(error), messages.ERROR)
                return redirect("admin:enforcement_case_change", case.pk)
            else:
                done = spec.done
                if isinstance(result, PenaltyNoticeApproval):
                    done = (
                        f"The amount is above {services.approval_threshold():,.2f}: the notice "
                        "waits for a supervisor's approval."
                    )
                elif isinstance(result, Notice) and action == "issue_penalty_notice":
                    done = "The penalty notice was issued and sent."
                self.message_user(request, done)
                return redirect("admin:enforcement_case_change", case.pk)
        return self._action_page(
            request, case, form, spec.label, files=spec.files, danger=spec.danger
        )

    def extend_view(self, request: HttpRequest, pk: int, deadline_pk: int) -> HttpResponse:
        self._require_worker(request)
        case = get_object_or_404(Case, pk=pk)
        deadline = get_object_or_404(Deadline, pk=deadline_pk, case=case)
        form = forms.ExtendDeadlineForm(request.POST or None, deadline=deadline)
        if request.method == "POST" and form.is_valid():
            try:
                services.case_extend_deadline(
                    actor=_user(request),
                    deadline=deadline,
                    new_due_on=form.cleaned_data["new_due_on"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                self.message_user(request, "The deadline is extended.")
                return redirect("admin:enforcement_case_change", case.pk)
        return self._action_page(request, case, form, f"Extend: {deadline.get_kind_display()}")

    def payment_review_view(self, request: HttpRequest, pk: int, payment_pk: int) -> HttpResponse:
        self._require_worker(request)
        case = get_object_or_404(Case, pk=pk)
        payment = get_object_or_404(Payment, pk=payment_pk, case=case)
        form = forms.PaymentReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.case_review_payment(
                    actor=_user(request),
                    payment=payment,
                    received=form.cleaned_data["received"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                self.message_user(request, "The payment is reviewed.")
                return redirect("admin:enforcement_case_change", case.pk)
        return self._action_page(request, case, form, f"Review payment {payment.reference}")

    def approval_view(self, request: HttpRequest, pk: int, approval_pk: int) -> HttpResponse:
        self._require_worker(request)
        case = get_object_or_404(Case, pk=pk)
        approval = get_object_or_404(PenaltyNoticeApproval, pk=approval_pk, case=case)
        form = forms.ApprovalDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["approve"]:
                    services.case_approve_penalty_notice(actor=_user(request), approval=approval)
                else:
                    services.case_reject_penalty_notice(
                        actor=_user(request), approval=approval, reason=form.cleaned_data["reason"]
                    )
            except ValidationError as error:
                _add_errors(form, error)
            except (PermissionDenied, TransitionNotAllowedError) as error:
                self.message_user(request, str(error) or "Not allowed.", messages.ERROR)
                return redirect("admin:enforcement_case_change", case.pk)
            else:
                self.message_user(request, "The request is decided.")
                return redirect("admin:enforcement_case_change", case.pk)
        return self._action_page(
            request, case, form, f"Penalty notice of {approval.amount:,.2f} for approval"
        )


# -- reference data supervisors maintain ---------------------------------------------------------


class _SupervisorEditable(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("enforcement.edit_mitigation_guidelines")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("enforcement.edit_mitigation_guidelines")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StatutoryFigure)
class StatutoryFigureAdmin(_SupervisorEditable):
    list_display = ("key", "value", "unit", "citation", "effective_from", "effective_to")
    list_filter = ("unit",)
    search_fields = ("key", "citation", "description")


@admin.register(MitigationGuideline)
class MitigationGuidelineAdmin(_SupervisorEditable):
    list_display = (
        "violation_type",
        "culpability",
        "situation",
        "basis",
        "low_share",
        "high_share",
        "citation",
        "effective_from",
        "effective_to",
    )
    list_filter = ("violation_type", "culpability")
    readonly_fields = ("updated_at", "updated_by")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PenaltyNoticeApproval)
class PenaltyNoticeApprovalAdmin(admin.ModelAdmin):
    """Supervisors' queue: approve or reject from the case page."""

    list_display = ("case", "amount", "status", "requested_by", "requested_at", "decided_by")
    list_filter = ("status",)
    list_select_related = ("case", "requested_by", "decided_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def view_on_site(self, obj: PenaltyNoticeApproval) -> str:
        return reverse("admin:enforcement_case_change", args=[obj.case_id])
