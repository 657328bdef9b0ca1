"""The periodic report's content (reports/periodic/content.py): the annexes hold
exactly the approved records of the period, every count stands beside the same
period a year before, an unknown size stays unknown, and the whole snapshot is
plain JSON read in a fixed number of queries."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from agreements.models import Agreement, AgreementStatus, Partnership, PartnershipKind
from delegations.models import Delegation, Direction, Level, Purpose
from offices.models import OfficeProfile
from partners.models import CooperationMechanism, LocalUnit, LocalUnitKind, Partner, PartnerKind
from projects.models import Currency, ParticipantRole, Project, ProjectKind, ProjectParticipant, Transaction
from register.publishable import ReviewState
from reports.periodic.content import preset_of, report_content
from reports.periodic.narrative import narrative_prefill

PUBLISHED = {"is_public": True, "review_state": ReviewState.APPROVED}
INTERNAL = {"is_public": False, "review_state": ReviewState.APPROVED}
DRAFT = {"is_public": False, "review_state": ReviewState.DRAFT}
SUBMITTED = {"is_public": False, "review_state": ReviewState.SUBMITTED}
Q1_2024 = (dt.date(2024, 1, 1), dt.date(2024, 3, 31))


def province():
    return OfficeProfile.objects.get().province_code


def delegation(direction, day, size=None, state=PUBLISHED, **fields):
    fields.setdefault("title", f"Đoàn {direction} {day} {size}")
    return Delegation.objects.create(
        direction=direction, start_date=dt.date.fromisoformat(day), size=size, **state, **fields
    )


def content(*, include_in_review=False, period=Q1_2024):
    return report_content(province(), *period, include_in_review=include_in_review)


def annex(snapshot, key):
    (found,) = [a for a in snapshot["annexes"] if a["key"] == key]
    return found


def ids(found, model="delegations.delegation"):
    return {pk for label, pk in found["record_ids"] if label == model}


def count(snapshot, key):
    (found,) = [c for c in snapshot["counts"] if c["key"] == key]
    return found


@pytest.fixture
def period_records(db):
    """Q1/2024 and the year before: approved, internal, draft and submitted, in and out of the period."""
    china = Partner.objects.create(**PUBLISHED, name="Trung Quốc", kind=PartnerKind.COUNTRY, country="CN")
    records = {
        "out_a": delegation(Direction.OUTBOUND, "2024-01-10", 5, title="Đoàn Alpha", leader_name="Nguyễn Văn A"),
        "out_b": delegation(Direction.OUTBOUND, "2024-02-20", 7, INTERNAL, title="Đoàn Beta", decision_ref="12/QĐ"),
        "out_c": delegation(Direction.OUTBOUND, "2024-03-31", None, title="Đoàn Gamma"),
        "out_draft": delegation(Direction.OUTBOUND, "2024-03-01", 3, DRAFT, title="Đoàn nháp"),
        "out_later": delegation(Direction.OUTBOUND, "2024-04-01", 9, title="Đoàn quý II"),
        "in_a": delegation(Direction.INBOUND, "2024-01-05", 4, title="Đoàn vào Delta", received_by="Chủ tịch UBND"),
        "in_submitted": delegation(Direction.INBOUND, "2024-02-05", 2, SUBMITTED, title="Đoàn chờ duyệt"),
        # The year before: two outbound delegations of 4 and 6 persons.
        "before_a": delegation(Direction.OUTBOUND, "2023-01-15", 4),
        "before_b": delegation(Direction.OUTBOUND, "2023-03-15", 6),
    }
    for record in (records["out_a"], records["in_a"]):
        record.partners.set([china])
    return records


def test_the_annexes_hold_the_approved_delegations_of_the_period_and_nothing_else(period_records):
    snapshot = content()

    assert ids(annex(snapshot, "I")) == {period_records[k].pk for k in ("out_a", "out_b", "out_c")}
    assert ids(annex(snapshot, "II")) == {period_records["in_a"].pk}
    assert len(annex(snapshot, "I")["rows"]) == 3
    assert annex(snapshot, "I")["title"].startswith("Phụ lục I.")
    row = annex(snapshot, "I")["rows"][0]
    assert row[:4] == ["1", "Đoàn Alpha", "Nguyễn Văn A", "5"]
    assert "Trung Quốc" in row[5]
    assert annex(snapshot, "I")["rows"][1][-1] == "12/QĐ"
    assert "Chủ tịch UBND" in annex(snapshot, "II")["rows"][0]
    assert snapshot["in_review"] == {
        "count": 2,
        "by_model": {
            "delegations.delegation": 2,
            "agreements.agreement": 0,
            "projects.project": 0,
            "agreements.partnership": 0,
            "conferences.conference": 0,
        },
    }


def test_including_the_records_in_review_adds_the_draft_and_the_submitted_one(period_records):
    snapshot = content(include_in_review=True)

    assert ids(annex(snapshot, "I")) == {period_records[k].pk for k in ("out_a", "out_b", "out_c", "out_draft")}
    assert ids(annex(snapshot, "II")) == {period_records[k].pk for k in ("in_a", "in_submitted")}
    assert count(snapshot, "outbound_delegations")["value"] == 4


def test_every_count_stands_beside_the_same_period_a_year_before(period_records):
    snapshot = content()

    assert snapshot["period"] == {"start": "2024-01-01", "end": "2024-03-31", "label": "quý I/2024"}
    assert snapshot["previous"] == {"start": "2023-01-01", "end": "2023-03-31", "label": "quý I/2023"}
    outbound = count(snapshot, "outbound_delegations")
    assert (outbound["value"], outbound["previous"], outbound["change"], outbound["percent"]) == (3, 2, 1, "50.0")
    persons = count(snapshot, "outbound_persons")
    assert (persons["value"], persons["previous"], persons["change"], persons["percent"]) == (12, 10, 2, "20.0")
    inbound = count(snapshot, "inbound_delegations")
    assert (inbound["value"], inbound["previous"], inbound["change"], inbound["percent"]) == (1, 0, 1, None)


def test_an_unknown_size_stays_unknown_and_the_persons_count_says_how_many(period_records):
    snapshot = content()

    persons = count(snapshot, "outbound_persons")
    assert "1 đoàn" in persons["note"]
    assert annex(snapshot, "I")["rows"][2][3] == "chưa rõ"
    assert any("chưa rõ số người" in note for note in snapshot["left_out"])


def test_persons_are_none_not_zero_when_no_delegation_of_the_period_has_a_size(db):
    delegation(Direction.OUTBOUND, "2024-02-01", None)
    delegation(Direction.OUTBOUND, "2023-02-01", 8)

    persons = count(content(), "outbound_persons")

    assert persons["value"] is None
    assert (persons["previous"], persons["change"], persons["percent"]) == (8, None, None)


@pytest.fixture
def other_records(db):
    province_unit = LocalUnit.objects.create(**PUBLISHED, name="Sở Công Thương", kind=LocalUnitKind.DEPARTMENT)
    partner = Partner.objects.create(**PUBLISHED, name="Bằng Tường", kind=PartnerKind.COUNTY, country="CN")
    day = dt.date.fromisoformat
    records = {
        "signed": Agreement.objects.create(
            **PUBLISHED, title="Bản ghi nhớ 2024", kind="mou", signed_on=day("2024-02-02"),
            status=AgreementStatus.SIGNED,
            mofa_opinion_requested_on=day("2023-12-01"), mofa_opinion_on=day("2023-12-20"),
        ),
        "in_force": Agreement.objects.create(
            **PUBLISHED, title="Thỏa thuận 2020", kind="agreement", signed_on=day("2020-05-05"),
            status=AgreementStatus.IN_FORCE,
        ),
        "expired": Agreement.objects.create(
            **PUBLISHED, title="Thỏa thuận hết hạn", kind="agreement", signed_on=day("2019-05-05"),
            expires_on=day("2022-05-05"), status=AgreementStatus.IN_FORCE,
        ),
        "later": Agreement.objects.create(
            **PUBLISHED, title="Ký quý II", kind="mou", signed_on=day("2024-05-05"), status=AgreementStatus.SIGNED
        ),
        "active": Project.objects.create(
            **PUBLISHED, kind=ProjectKind.ODA, title="Dự án nước sạch", code="QĐ-123", actual_start=day("2022-01-01"),
            committed_amount=Decimal("1000"), currency=Currency.USD,
        ),
        "closed": Project.objects.create(
            **PUBLISHED, kind=ProjectKind.NGO, title="Dự án đã xong", actual_start=day("2020-01-01"),
            actual_end=day("2022-12-31"),
        ),
        "pair": Partnership.objects.create(
            **PUBLISHED, local_unit=province_unit, partner=partner, kind=PartnershipKind.DISTRICT_PAIR,
            established_on=day("2015-01-01"),
        ),
        "mechanism": CooperationMechanism.objects.create(**PUBLISHED, name="Hội nghị Hội đàm mùa Xuân"),
    }  # fmt: skip
    ProjectParticipant.objects.create(project=records["active"], partner=partner, role=ParticipantRole.FUNDING)
    Transaction.objects.create(
        project=records["active"], kind="disbursement", date=day("2024-03-01"), amount=Decimal("5000000")
    )
    Transaction.objects.create(
        project=records["active"], kind="disbursement", date=day("2023-12-31"), amount=Decimal("7000000")
    )
    records["meeting"] = delegation(
        Direction.INBOUND, "2024-02-14", 20, mechanism=records["mechanism"], title="Hội đàm mùa Xuân 2024"
    )
    return records


def test_agreements_projects_pairs_and_meetings_of_the_period_fill_annexes_iii_to_v(other_records):
    snapshot = content()

    agreements = annex(snapshot, "III")
    assert ids(agreements, "agreements.agreement") == {other_records[k].pk for k in ("signed", "in_force")}
    signed_row = agreements["rows"][1]
    assert signed_row[1] == "Bản ghi nhớ 2024"
    assert "01/12/2023" in signed_row[6] and "20/12/2023" in signed_row[6]
    projects = annex(snapshot, "IV")
    assert ids(projects, "projects.project") == {other_records["active"].pk}
    assert projects["rows"][0][3] == "Bằng Tường"
    assert projects["rows"][0][4] == "QĐ-123"
    assert projects["rows"][0][7].startswith("5.000.000 ₫")
    cooperation = annex(snapshot, "V")
    assert ids(cooperation, "agreements.partnership") == {other_records["pair"].pk}
    assert ids(cooperation) == {other_records["meeting"].pk}
    assert count(snapshot, "mechanism_meetings")["value"] == 1
    assert count(snapshot, "disbursed_vnd")["value"] == "5000000"
    assert count(snapshot, "agreements_in_force")["value"] == 2


def test_the_snapshot_is_plain_json_and_lists_every_record_with_its_version(period_records, other_records):
    snapshot = content()

    assert json.loads(json.dumps(snapshot)) == snapshot
    used = {(r["model"], r["pk"]): r["version"] for r in snapshot["records"]}
    alpha = period_records["out_a"]
    alpha.refresh_from_db()
    assert used[("delegations.delegation", alpha.pk)] == (alpha.audit_version or 0)
    assert ("delegations.delegation", period_records["out_later"].pk) not in used
    assert ("projects.project", other_records["active"].pk) in used


def test_the_breakdowns_count_both_directions_by_level_purpose_and_host_unit(db):
    host = LocalUnit.objects.create(**PUBLISHED, name="Sở Ngoại vụ", kind=LocalUnitKind.DEPARTMENT)
    delegation(Direction.OUTBOUND, "2024-01-02", 3, level=Level.PROVINCIAL, purpose=Purpose.OFFICIAL_VISIT)
    delegation(Direction.INBOUND, "2024-01-03", 3, level=Level.PROVINCIAL, host_unit=host)
    delegation(Direction.INBOUND, "2023-01-03", 3, level=Level.DEPARTMENT, host_unit=host)

    breakdowns = content()["breakdowns"]

    levels = {row["label"]: (row["value"], row["previous"]) for row in breakdowns["level"]}
    assert levels == {"Lãnh đạo tỉnh": (2, 0), "Sở, ngành": (0, 1)}
    hosts = {row["label"]: (row["value"], row["previous"]) for row in breakdowns["host_unit"]}
    assert hosts["Sở Ngoại vụ"] == (1, 1)
    assert hosts["Không xác định"] == (1, 0)


@pytest.mark.parametrize(
    ("start", "end", "preset"),
    [
        ("2024-01-01", "2024-03-31", "quarter"),
        ("2024-01-01", "2024-06-30", "first_half"),
        ("2023-01-01", "2023-12-31", "year"),
        ("2024-02-01", "2024-02-29", "month"),
        ("2024-02-01", "2024-04-30", "custom"),
    ],
)
def test_the_period_is_named_as_the_period_report_names_its_presets(start, end, preset):
    assert preset_of(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == preset


def test_the_content_costs_forty_five_queries_for_two_records_or_twenty(
    period_records, other_records, django_assert_num_queries
):
    for n in range(20):
        delegation(Direction.OUTBOUND, f"2024-01-{n + 1:02d}", n)
    # 45: the office profile (offices/profile.py only_office); the period report for the period
    # and for a year before, 14 each (reported figures,
    # local units, the delegation tally, countries' names, domestic visits, agreements by level,
    # by partner, the signed list, its partners (none signed a year before: 12), projects by kind,
    # disbursed, unconverted amounts, twinning pairs, conferences); the annexes' ten reads (annexes.read_records:
    # the conferences' partners are not read when the period has no conference);
    # the mechanism meetings; three breakdowns; five counts of records in review.
    with django_assert_num_queries(45):
        content()


# --- The narrative prefilled from the figures -------------------------------------------------------------------


def test_the_assessment_says_the_figures_and_the_change_on_the_year_before(period_records):
    sections = narrative_prefill(content())

    assert set(sections) == {"assessment", "results", "difficulties", "recommendations", "next_tasks"}
    assert sections["assessment"].startswith(
        "Trong quý I/2024, tỉnh đã cử 3 đoàn với 12 lượt cán bộ đi công tác nước ngoài "
        "(trong đó 1 đoàn chưa rõ số người), tăng 1 đoàn so với cùng kỳ năm 2023; "
        "đã đón 1 đoàn với 4 lượt người nước ngoài đến thăm, làm việc, tăng 1 đoàn so với cùng kỳ năm 2023."
    )
    # Two records of the period wait for review: the report says it leaves them out.
    assert "Còn 2 bản ghi của kỳ báo cáo đang chờ duyệt" in sections["assessment"]
    assert "\n\n" in sections["results"]
    for key in ("difficulties", "recommendations", "next_tasks"):
        assert sections[key].startswith("[Đề nghị bổ sung:")


def test_the_narrative_says_unknown_persons_are_unknown_never_zero(db):
    delegation(Direction.OUTBOUND, "2024-02-01", None)
    delegation(Direction.OUTBOUND, "2024-02-02", None)

    assessment = narrative_prefill(content())["assessment"]

    assert "đã cử 2 đoàn đi công tác nước ngoài (chưa rõ số người), tăng 2 đoàn" in assessment
    assert "0 lượt" not in assessment


def test_a_report_counts_its_own_provinces_records_only_on_a_database_of_several(db):
    from offices import services

    other = OfficeProfile(**services.defaults_for(services.find_province("04")))
    other.full_clean()
    other.save()
    ours = delegation(Direction.OUTBOUND, "2024-02-01", 4, title="Đoàn của tỉnh", province_id="20")
    theirs = delegation(Direction.OUTBOUND, "2024-02-01", 6, title="Đoàn tỉnh khác", province_id="04")

    snapshot = report_content("20", *Q1_2024)

    assert ids(annex(snapshot, "I")) == {ours.pk}
    assert count(snapshot, "outbound_delegations")["value"] == 1
    assert count(snapshot, "outbound_persons")["value"] == 4
    assert ids(annex(report_content("04", *Q1_2024), "I")) == {theirs.pk}


def test_delegations_by_country_come_from_the_period_reports_own_tables(period_records):
    snapshot = content()

    outbound = {row["label"]: (row["value"], row["previous"]) for row in snapshot["breakdowns"]["outbound_country"]}
    # Đoàn Alpha to China; Beta and Gamma with no partner; the year before, two with none.
    assert outbound == {"Trung Quốc": (1, 0), "Không xác định": (2, 2)}
    results = narrative_prefill(snapshot)["results"]
    assert "Theo nước: Không xác định (2); Trung Quốc (1)." in results


# --- International conferences (issue 19's record kind) in the issued report ---------------------------------


def conference(day, foreign=None, state=PUBLISHED, **fields):
    from conferences.models import Conference

    fields.setdefault("title", f"Hội thảo {day} {foreign}")
    return Conference.objects.create(
        start_date=dt.date.fromisoformat(day), foreign_participants=foreign, **state, **fields
    )


@pytest.fixture
def conferences(db):
    from conferences.models import ConferenceStatus

    china = Partner.objects.create(**PUBLISHED, name="Quảng Tây", kind=PartnerKind.REGION, country="CN")
    records = {
        "known": conference(
            "2024-01-20",
            12,
            title="Hội thảo thương mại biên giới",
            total_participants=80,
            place="TP Lạng Sơn",
            decision_number="45/QĐ-UBND",
        ),
        "unknown": conference("2024-02-10", None, title="Hội nghị xúc tiến đầu tư"),
        "cancelled": conference("2024-03-05", 30, title="Diễn đàn bị hủy", status=ConferenceStatus.CANCELLED),
        "draft": conference("2024-03-10", 50, DRAFT, title="Hội thảo nháp"),
        "later": conference("2024-04-10", 9, title="Hội thảo quý II"),
        "before": conference("2023-02-01", 7, title="Hội thảo năm trước"),
    }
    records["known"].partners.set([china])
    return records


def test_conferences_are_counted_with_their_known_foreign_participants_and_listed_in_annex_vi(conferences):
    snapshot = content()

    held = count(snapshot, "conferences_held")
    assert (held["value"], held["previous"], held["change"]) == (2, 1, 1)
    foreign = count(snapshot, "conference_foreign")
    # 12 known; the conference with no known number is said, never counted as 0; the cancelled one is not held.
    assert (foreign["value"], foreign["previous"], foreign["unknown"]) == (12, 7, 1)
    assert "1 hội nghị, hội thảo của kỳ báo cáo chưa rõ số đại biểu nước ngoài" in foreign["note"]
    vi = annex(snapshot, "VI")
    assert ids(vi, "conferences.conference") == {conferences[k].pk for k in ("known", "unknown", "cancelled")}
    first = vi["rows"][0]
    assert first[1] == "Hội thảo thương mại biên giới"
    assert "Quảng Tây" in first[3]
    assert first[4] == "20/01/2024\nTP Lạng Sơn"
    assert first[5] == "80 (12)"
    assert "45/QĐ-UBND" in first[6]
    assert vi["rows"][1][5] == "chưa rõ"
    assert "không tính là đã tổ chức" in vi["rows"][2][7]
    assert any("đã bị hủy" in note for note in snapshot["left_out"])
    assert any("chưa rõ số đại biểu nước ngoài" in note for note in snapshot["left_out"])
    assert snapshot["in_review"]["by_model"]["conferences.conference"] == 1
    used = {(r["model"], r["pk"]) for r in snapshot["records"]}
    assert ("conferences.conference", conferences["known"].pk) in used
    assert ("conferences.conference", conferences["draft"].pk) not in used
    assert "conferences.conference" in snapshot["covers"]


def test_the_narrative_says_the_conferences_held_and_never_zero_foreigners_for_unknown_ones(conferences):
    results = narrative_prefill(content())["results"]

    assert (
        "6. Hội nghị, hội thảo quốc tế: tỉnh đã tổ chức 2 hội nghị, hội thảo quốc tế với 12 đại biểu nước ngoài "
        "(trong đó 1 hội nghị, hội thảo chưa rõ số đại biểu), tăng 1 hội nghị, hội thảo so với cùng kỳ năm 2023."
    ) in results


def test_a_period_whose_conferences_have_no_known_foreigners_says_so(db):
    conference("2024-02-10", None)

    snapshot = content()

    assert count(snapshot, "conference_foreign")["value"] is None
    assert "chưa rõ số đại biểu nước ngoài" in narrative_prefill(snapshot)["results"]
