"""Officer pages in the admin: queues and filters, assignment, transitions through forms,
CSV export of the filtered list and the summary."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.utils import timezone

from enforcement import services
from enforcement.admin import CSV_HEADER
from enforcement.models import Case, Deadline
from tests.enforcement.factories import (
    case_at,
    events,
    move_deadline,
    officer,
    open_case,
    reply_period_ends,
    respondent,
)

pytestmark = pytest.mark.django_db
S = Case.Status
LIST = "/admin/enforcement/case/"


def staff_client(client: Client, user=None):  # type: ignore[no-untyped-def]
    user = user or officer()
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return user


def csv_rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content)))


def test_queues_and_filters(client: Client) -> None:
    me = staff_client(client)
    colleague = officer()
    _, organisation = respondent()
    mine = case_at("penalty", actor=me, organisation=organisation)  # assessed 15,000
    theirs = open_case(actor=colleague)
    move_deadline(mine, Deadline.Kind.PETITION, timezone.localdate() - timedelta(days=2))
    Case.objects.filter(pk=theirs.pk).update(opened_at=timezone.now() - timedelta(days=400))

    def numbers(query: str) -> set[str]:
        response = client.get(LIST + query)
        assert response.status_code == 200
        return {c.number for c in response.context["cl"].result_list}

    assert numbers("") == {mine.number, theirs.number}
    assert numbers("?status__exact=penalty_notice") == {mine.number}
    assert numbers("?violation_type__exact=1592") == {mine.number, theirs.number}
    assert numbers("?overdue=yes") == {mine.number}
    assert numbers("?overdue=no") == {theirs.number}
    assert numbers("?officer=me") == {mine.number}
    assert numbers(f"?officer={colleague.pk}") == {theirs.number}
    assert numbers("?amount=10k_50k") == {mine.number}
    assert numbers("?amount=none") == {theirs.number}
    assert numbers("?age=30") == {mine.number}
    assert numbers("?age=older") == {theirs.number}
    assert numbers(f"?q={organisation.legal_name[:10]}") == {mine.number}


def test_assign_to_me_and_bulk_reassign(client: Client) -> None:
    me = staff_client(client)
    colleague = officer()
    cases = [open_case(actor=colleague), open_case(actor=colleague)]
    ids = [str(c.pk) for c in cases]
    response = client.post(LIST, {"action": "assign_to_me", "_selected_action": ids})
    assert response.status_code == 302
    assert set(Case.objects.values_list("assigned_officer", flat=True)) == {me.pk}
    form = client.post(LIST, {"action": "reassign", "_selected_action": ids})
    assert form.status_code == 200
    assert b"Reassign 2 cases" in form.content
    done = client.post(
        LIST,
        {"action": "reassign", "_selected_action": ids, "apply": "1", "officer": colleague.pk},
    )
    assert done.status_code == 302
    assert set(Case.objects.values_list("assigned_officer", flat=True)) == {colleague.pk}
    assert events(cases[0]).filter(action="case.assigned").count() == 2


def test_csv_export_of_the_filtered_list_streams_with_a_header(client: Client) -> None:
    me = staff_client(client)
    decided = case_at("decided", actor=me, organisation=None)
    open_case(actor=me)
    response = client.get(LIST + "export/?status__exact=decided")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="penalty-cases-')
    rows = csv_rows(response)
    assert rows[0] == CSV_HEADER
    assert len(rows) == 2
    row = dict(zip(CSV_HEADER, rows[1], strict=True))
    assert row["number"] == decided.number
    assert row["mitigated_amount"] == "8000.00"
    assert row["assessed_amount"] == "15000.00"
    # The admin action exports the selected cases the same way.
    action = client.post(LIST, {"action": "export_csv", "_selected_action": [decided.pk]})
    assert csv_rows(action)[1][0] == decided.number


def test_csv_cells_cannot_run_as_formulas(client: Client) -> None:
    me = staff_client(client)
    services.case_open(
        actor=me,
        party_name='=HYPERLINK("http://evil")',
        violation_type="1595a_b",
        summary="x",
        violation_date=timezone.localdate(),
    )
    rows = csv_rows(client.get(LIST + "export/"))
    assert rows[1][1].startswith("'=")


def test_summary_by_status_and_type_with_amounts(client: Client) -> None:
    me = staff_client(client)
    paid = case_at("decided", actor=me, organisation=None)
    services.case_record_payment(
        actor=me, case=paid, amount="8000", reference="R1", paid_on=timezone.localdate()
    )
    case_at("decided", actor=me, organisation=None)
    case_at("prepenalty", actor=me, organisation=None)
    response = client.get(LIST + "summary/")
    assert response.status_code == 200
    rows = {(r.status, r.violation_type): r for r in response.context["rows"]}
    assert rows[(S.PAID, "1592")].collected == Decimal("8000.00")
    assert rows[(S.DECIDED, "1592")].mitigated == Decimal("8000.00")
    assert rows[(S.PREPENALTY_NOTICE, "1592")].proposed == Decimal("15000.00")
    total = response.context["total"]
    assert total.cases == 3
    assert total.proposed == Decimal("45000.00")
    assert total.assessed == Decimal("30000.00")
    assert total.mitigated == Decimal("16000.00")
    assert total.collected == Decimal("8000.00")
    # The changelist links to it (with the current filters).
    assert b"/admin/enforcement/case/summary/" in client.get(LIST).content
    filtered = client.get(LIST + "summary/?status__exact=paid")
    assert filtered.context["total"].cases == 1


def test_detail_shows_only_allowed_transitions_and_acts_through_forms(client: Client) -> None:
    me = staff_client(client)
    _, organisation = respondent()
    case = open_case(actor=me, organisation=organisation)
    page = client.get(f"{LIST}{case.pk}/change/")
    assert page.status_code == 200
    labels = [action.label for _, action in page.context["buttons"]]
    assert "Start the investigation" in labels
    assert "Decide" not in labels
    assert "Statutory maximum" in page.content.decode()
    # A transition not allowed now is refused with a message, nothing changes.
    client.post(f"{LIST}{case.pk}/act/decide/", {"amount": "1", "reasoning": "x"})
    case.refresh_from_db()
    assert case.status == S.OPENED
    client.post(f"{LIST}{case.pk}/act/start_investigation/", {"reason": ""})
    form = client.post(f"{LIST}{case.pk}/act/issue_prepenalty_notice/", {"amount": "25000"})
    assert form.status_code == 200
    assert b"exceeds the statutory maximum" in form.content
    done = client.post(f"{LIST}{case.pk}/act/issue_prepenalty_notice/", {"amount": "12000"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == S.PREPENALTY_NOTICE
    # Facts are saved through the service, with an internal event.
    facts = client.get(f"{LIST}{case.pk}/change/").context["facts_form"]
    data = {
        name: "" if facts[name].value() is None else facts[name].value() for name in facts.fields
    }
    data.update({"dutiable_value": "120000.00", "prior_disclosure": "", "involves_seizure": ""})
    saved = client.post(f"{LIST}{case.pk}/change/", data)
    assert saved.status_code == 302, saved.context["facts_form"].errors
    case.refresh_from_db()
    assert case.dutiable_value == Decimal("120000.00")
    assert events(case).filter(action="case.facts_updated", internal=True).exists()


def test_a_supervisor_approves_from_the_case_page(client: Client) -> None:
    requester = officer()
    case = open_case(
        actor=requester,
        facts={"loss_of_revenue": Decimal("40000"), "domestic_value": Decimal("500000")},
    )
    services.case_start_investigation(actor=requester, case=case)
    services.case_issue_prepenalty_notice(actor=requester, case=case, amount="60000")
    reply_period_ends(case, actor=requester)
    approval = services.case_issue_penalty_notice(actor=requester, case=case, amount="60000")
    from tests.enforcement.factories import supervisor

    boss = staff_client(client, supervisor())
    page = client.get(f"{LIST}{case.pk}/change/").content.decode()
    assert "Awaiting a supervisor" in page
    response = client.post(f"{LIST}{case.pk}/approvals/{approval.pk}/", {"approve": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.PENALTY_NOTICE
    assert events(case).get(action="case.issue_penalty_notice").actor == boss


def test_shippers_and_anonymous_are_refused_from_the_officer_pages(client: Client) -> None:
    staff = officer()
    member, organisation = respondent()
    case = case_at("penalty", actor=staff, organisation=organisation)
    urls = [
        LIST,
        LIST + "export/",
        LIST + "summary/",
        f"{LIST}{case.pk}/change/",
        f"{LIST}{case.pk}/act/withdraw/",
    ]
    for url in urls:
        assert client.get(url).status_code == 302, url  # to the login page
    client.force_login(member)
    for url in urls:
        assert client.get(url).status_code in {302, 403}, url
        client.post(url, {"reason": "x"})
    case.refresh_from_db()
    assert case.status == S.PENALTY_NOTICE


def test_opening_a_case_from_the_admin_goes_through_the_service(client: Client) -> None:
    me = staff_client(client)
    _, organisation = respondent()
    assert client.get(LIST + "add/").status_code == 200
    refused = client.post(LIST + "add/", {"violation_type": "1592", "summary": "x"})
    assert refused.status_code == 200
    assert not Case.objects.exists()
    response = client.post(
        LIST + "add/",
        {
            "organisation": organisation.pk,
            "violation_type": "1526f",
            "summary": "Counterfeit handbags in 12 parcels.",
            "violation_date": (timezone.localdate() - timedelta(days=10)).isoformat(),
            "entry_references": "TRK-1\nTRK-2",
            "loss_of_revenue": "0",
            "msrp_genuine": "24000",
            "prior_violations": "0",
        },
    )
    case = Case.objects.get()
    assert response["Location"] == f"{LIST}{case.pk}/change/"
    assert (case.opened_by, case.entry_references) == (me, ["TRK-1", "TRK-2"])
    assert client.get(response["Location"]).status_code == 200


def test_only_supervisors_add_mitigation_guideline_versions_and_no_one_edits_one(
    client: Client,
) -> None:
    from tests.enforcement.factories import supervisor

    url = "/admin/enforcement/mitigationguideline/"
    staff_client(client)
    guideline_id = client.get(url).context["cl"].result_list[0].pk
    assert client.get(f"{url}{guideline_id}/change/").context["has_change_permission"] is False
    assert client.get(f"{url}add/").status_code == 403
    client.logout()
    staff_client(client, supervisor())
    assert client.get(f"{url}{guideline_id}/change/").context["has_change_permission"] is False
    assert client.get(f"{url}add/").status_code == 200
