"""The case queue and a case's page, in the Django admin.

The case list has queues and filters (status, type, overdue, assigned officer, amount, age),
"assign to me", bulk reassignment and a CSV export of the filtered list, and links to a
summary by status and type. A case's page shows its timeline, calculation, deadlines,
notices, evidence and notes, with a button per transition the officer may take now; each
button opens a small form that calls the service. Nothing here writes a case directly.
"""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone

from core.workflow import ActorKind, TransitionNotAllowed
from enforcement import forms, selectors, services
from enforcement.admin._common import actor_kind, add_errors, request_user
from enforcement.admin.actions import ACTIONS, TRANSITION_ACTIONS
from enforcement.admin.export import csv_response
from enforcement.admin.filters import AgeFilter, AmountFilter, AssignedFilter, OverdueFilter
from enforcement.models import Case, Deadline, Notice, Payment, PenaltyNoticeApproval
from enforcement.services.notices import penalty_notice_refusal
from enforcement.templatetags.enforcement_money import format_money


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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        # The next deadline comes with the row: no query per case in the queue.
        return super().get_queryset(request).with_next_due()  # type: ignore[attr-defined]

    @admin.display(description="Next deadline", ordering="next_due_on")
    def next_due(self, case: Case) -> str:
        due_on = getattr(case, "next_due_on", None)
        if due_on is None:
            return "-"
        flag = " (overdue)" if due_on < timezone.localdate() else ""
        return f"{due_on:%Y-%m-%d}{flag}"

    # list actions

    @admin.action(description="Assign to me")
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        user = request_user(request)
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
                    services.case_assign(actor=request_user(request), case=case, officer=officer)
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

    def _require_worker(self, request: HttpRequest) -> ActorKind:
        actor = actor_kind(request_user(request))
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
                case = services.case_open(actor=request_user(request), **form.service_arguments())
            except ValidationError as error:
                add_errors(form, error)
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
                services.case_update_facts(
                    actor=request_user(request), case=case, changes=form.changes()
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                self.message_user(request, "The facts are saved.")
                return redirect("admin:enforcement_case_change", case.pk)
        case.refresh_from_db()
        return self._detail(request, case, actor, form)

    def _detail(
        self, request: HttpRequest, case: Case, actor: ActorKind, facts_form: django_forms.BaseForm
    ) -> TemplateResponse:
        user = request_user(request)
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
                "replies": case.prepenalty_replies.prefetch_related("documents").select_related(
                    "filed_by"
                ),
                "determination_refusal": services.determination_refusal(case=case),
                "penalty_notice_refusal": penalty_notice_refusal(case),
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
        initial = spec.initial(case) if spec.initial else None
        form = spec.form_class(request.POST or None, request.FILES or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                result = spec.run(request_user(request), case, form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            except (TransitionNotAllowed, PermissionDenied) as error:
                self.message_user(request, str(error), messages.ERROR)
                return redirect("admin:enforcement_case_change", case.pk)
            else:
                done = spec.done
                if isinstance(result, PenaltyNoticeApproval):
                    done = (
                        f"The amount is above {format_money(services.approval_threshold())}: "
                        "the notice "
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
                    actor=request_user(request),
                    deadline=deadline,
                    new_due_on=form.cleaned_data["new_due_on"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_errors(form, error)
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
                    actor=request_user(request),
                    payment=payment,
                    received=form.cleaned_data["received"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_errors(form, error)
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
                    services.case_approve_penalty_notice(
                        actor=request_user(request), approval=approval
                    )
                else:
                    services.case_reject_penalty_notice(
                        actor=request_user(request),
                        approval=approval,
                        reason=form.cleaned_data["reason"],
                    )
            except ValidationError as error:
                add_errors(form, error)
            except (PermissionDenied, TransitionNotAllowed) as error:
                self.message_user(request, str(error) or "Not allowed.", messages.ERROR)
                return redirect("admin:enforcement_case_change", case.pk)
            else:
                self.message_user(request, "The request is decided.")
                return redirect("admin:enforcement_case_change", case.pk)
        return self._action_page(
            request,
            case,
            form,
            f"Penalty notice of {format_money(approval.amount, case.currency)} for approval",
        )
