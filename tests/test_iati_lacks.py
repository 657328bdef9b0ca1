"""What a project lacks for the IATI file, stored with it by triggers
(projects/iati_lacks_sql.py), agrees with the rules as Python states them
(projects/iati_requirements.py ``shortfalls``), and the left-out count read from it
is the count the rules give, on PostgreSQL and SQLite alike."""

import datetime as dt
import itertools
from collections import Counter

import pytest

from partners.models import LocalUnit, LocalUnitKind, Sector
from projects import iati_lacks_sql
from projects.iati_requirements import (
    NO_PARTICIPANT,
    REQUIREMENTS,
    export_cutoff,
    left_out_summary,
    shortfalls,
    writable_q,
)
from projects.models import ParticipantRole, Project, ProjectKind, ProjectParticipant, ProjectStatus

pytestmark = pytest.mark.django_db

TITLE, DESCRIPTION, PARTICIPANT, STATUS, START, FUTURE, SECTOR = range(7)
BLANKS = ("", "   ", "\u00a0\u3000\t")  # what Python's str.strip() empties, no-break spaces included


@pytest.fixture
def unit():
    return LocalUnit.objects.create(name="Xã thử", kind=LocalUnitKind.DISTRICT)


@pytest.fixture
def sectors():
    return {
        "good": Sector.objects.create(code="99901", name="Thử"),
        "blank": Sector.objects.create(code=" \u00a0", name="Mã trống"),
    }


def make(unit, sectors, lacking, n=0, kind=ProjectKind.ODA):
    """A project lacking the things named in ``lacking`` (indices above), and nothing else."""
    day = export_cutoff()
    blank = BLANKS[n % len(BLANKS)]
    fields = {
        "kind": kind,
        "title": blank if TITLE in lacking else f"Dự án {n}",
        "description": blank if DESCRIPTION in lacking else "Mô tả",
        "status": None if STATUS in lacking else ProjectStatus.IMPLEMENTATION,
        "planned_start": None if START in lacking else dt.date(2019, 1, 1),
        "actual_start": None,
        "actual_end": None,
        # A sector of blank code on odd numbers, none on even ones.
        "sector": (sectors["blank"] if n % 2 else None) if SECTOR in lacking else sectors["good"],
    }
    if FUTURE in lacking:
        if START in lacking or n % 2:
            fields["actual_start"] = day + dt.timedelta(days=3)  # (an actual start is a start)
            fields["planned_start"] = None if START in lacking else fields["planned_start"]
        else:
            fields["actual_start"], fields["actual_end"] = dt.date(2019, 2, 1), day + dt.timedelta(days=40)
    project = Project.objects.create(**fields)
    if PARTICIPANT not in lacking:
        ProjectParticipant.objects.create(project=project, local_unit=unit, role=ParticipantRole.IMPLEMENTING)
    return project


def expected(projects, day):
    """(total, Counter of reasons) as shortfalls() sees the aid projects."""
    total, reasons = 0, Counter()
    for project in Project.objects.filter(pk__in=[p.pk for p in projects]).aid().select_related("sector"):
        found = shortfalls(project, list(project.participants.all()), day)
        total += bool(found)
        reasons.update(str(r) for r in found)
    return total, reasons


def summary(queryset=None, day=None):
    total, reasons = left_out_summary(queryset if queryset is not None else Project.objects.all(), day)
    return total, Counter({str(r): n for r, n in reasons})


def mask_of(project):
    return Project.objects.values_list("iati_lacks", flat=True).get(pk=project.pk)


def test_the_stored_mask_and_the_count_agree_with_shortfalls_for_every_combination(unit, sectors):
    day = export_cutoff()
    projects = [
        make(unit, sectors, set(lacking), n)
        for n, lacking in enumerate(
            c for size in range(len(range(7)) + 1) for c in itertools.combinations(range(7), size)
        )
    ]
    # Projects that are not aid are never counted, whatever they lack.
    others = [make(unit, sectors, {TITLE, PARTICIPANT}, kind=ProjectKind.FDI), make(unit, sectors, set(), 1)]
    assert iati_lacks_sql.differences() == []
    for project in projects + others:
        project.refresh_from_db()
        parts = list(project.participants.all())
        mask = project.iati_lacks
        for r in REQUIREMENTS:
            if r.stored:
                # The bit is set exactly when the rule's stored part holds: the rule is missed and
                # its rest (a sector of blank code) does not account for it.
                rest = r.rest_q and r.rest_q(day, [sectors["blank"].pk])
                by_rest = rest is not None and Project.objects.filter(rest, pk=project.pk).exists()
                assert bool(mask & r.bit) == (r.missing(project, parts, day) and not by_rest), (r.reason, project)
    total, reasons = summary()
    assert (total, reasons) == expected(projects + others, day)
    assert total == 2**7 - 1  # every combination but the empty one
    # ...and the rules' own queries (the file's ``writable_q``, each requirement's Q) say the same.
    aid = Project.objects.aid()
    assert aid.exclude(writable_q(day)).count() == total
    assert reasons == Counter({str(r.reason): aid.filter(r.missing_q(day)).count() for r in REQUIREMENTS})
    assert len(reasons) == len(REQUIREMENTS) and all(n >= 2**5 for n in reasons.values())
    # Another day moves only the dated rule.
    later_total, later = summary(day=day + dt.timedelta(days=100))
    assert later[str(REQUIREMENTS[FUTURE].reason)] == 0
    assert later_total == total - expected_only_future(projects, day)


def expected_only_future(projects, day):
    return sum(
        1
        for p in projects
        if [str(r) for r in shortfalls(p, list(p.participants.all()), day)] == [str(REQUIREMENTS[FUTURE].reason)]
    )


def test_the_count_within_a_province_filter_is_the_filtered_projects(unit, sectors):
    make(unit, sectors, {DESCRIPTION})
    make(unit, sectors, {FUTURE})
    assert summary(Project.objects.filter(description="Mô tả"))[0] == 1
    assert summary(Project.objects.none())[0] == 0


def test_participants_coming_and_going_set_and_clear_the_bit(unit, sectors):
    bit = NO_PARTICIPANT.bit
    first, second = make(unit, sectors, {PARTICIPANT}), make(unit, sectors, {PARTICIPANT}, 1)
    assert mask_of(first) == bit
    a = ProjectParticipant.objects.create(project=first, local_unit=unit, role=ParticipantRole.IMPLEMENTING)
    assert mask_of(first) == 0
    b = ProjectParticipant.objects.create(project=first, local_unit=unit, role=ParticipantRole.FUNDING)
    a.delete()
    assert mask_of(first) == 0  # one participant is left
    # Moved to another project: the first has none left, the second has one.
    ProjectParticipant.objects.filter(pk=b.pk).update(project=second)
    assert (mask_of(first), mask_of(second)) == (bit, 0)
    ProjectParticipant.objects.filter(project=second).delete()
    assert mask_of(second) == bit
    assert iati_lacks_sql.differences() == []


def test_editing_a_project_keeps_its_mask(unit, sectors):
    project = make(unit, sectors, set())
    assert mask_of(project) == 0
    title, description, status, start, sector = (REQUIREMENTS[i].bit for i in (TITLE, DESCRIPTION, STATUS, START, 6))
    project.title = " \u00a0 "
    project.save()
    assert mask_of(project) == title
    Project.objects.filter(pk=project.pk).update(description="", status=None)
    assert mask_of(project) == title | description | status
    Project.objects.filter(pk=project.pk).update(planned_start=None, sector=None)
    assert mask_of(project) == title | description | status | start | sector
    Project.objects.filter(pk=project.pk).update(actual_start=dt.date(2020, 1, 1), sector=sectors["good"])
    assert mask_of(project) == title | description | status
    Project.objects.filter(pk=project.pk).update(title="Có tên", description="Có mô tả", status=ProjectStatus.CLOSED)
    assert mask_of(project) == 0


def test_a_stale_instance_saved_back_does_not_undo_the_trigger(unit, sectors):
    project = make(unit, sectors, {PARTICIPANT})
    stale = Project.objects.get(pk=project.pk)
    assert stale.iati_lacks == NO_PARTICIPANT.bit
    ProjectParticipant.objects.create(project=project, local_unit=unit, role=ParticipantRole.IMPLEMENTING)
    stale.outputs = "Something else"
    stale.save()  # writes iati_lacks back as it was read
    assert mask_of(project) == 0
    assert iati_lacks_sql.differences() == []


def test_bulk_created_projects_and_a_rebuild(unit, sectors):
    Project.objects.bulk_create(
        [Project(kind=ProjectKind.ODA, title="", description="", sector=sectors["good"]) for _ in range(3)]
    )
    assert iati_lacks_sql.differences() == []
    bits = sum(REQUIREMENTS[i].bit for i in (TITLE, DESCRIPTION, PARTICIPANT, STATUS, START))
    assert set(Project.objects.values_list("iati_lacks", flat=True)) == {bits}
    Project.objects.update(iati_lacks=0)  # put right by the trigger at once
    assert iati_lacks_sql.differences() == []
    iati_lacks_sql.rebuild()
    assert set(Project.objects.values_list("iati_lacks", flat=True)) == {bits}


def test_a_sector_code_made_blank_counts_at_once(unit, sectors):
    project = make(unit, sectors, set())
    assert summary()[0] == 0
    Sector.objects.filter(pk=sectors["good"].pk).update(code="")
    total, reasons = summary()
    assert (total, reasons) == (1, Counter({str(REQUIREMENTS[SECTOR].reason): 1}))
    assert mask_of(project) == 0
