"""Twinning pairs come in through the register's import like the other records:
one of our units, its counterpart and the kind of pair, once only; a pair given
twice, in the file or in the file and the register, is its row's error."""

import pytest
import tablib
from django.utils import translation

from agreements.columns import PARTNERSHIP_COLUMNS
from agreements.models import Partnership, PartnershipKind
from agreements.resources import PartnershipResource
from partners.models import LocalUnit, Partner
from register.import_rows import ROW_NUMBER
from tests.import_files import headers, version_of

HEADERS = headers(PARTNERSHIP_COLUMNS)


def label(kind):
    with translation.override("vi"):
        return str(kind.label)


@pytest.fixture
def sides(db):
    cao_loc = LocalUnit.objects.create(name="Huyện Cao Lộc", kind="district")
    bang_tuong = Partner.objects.create(name="Bằng Tường", kind="county")
    return cao_loc, bang_tuong


def pair_row(**cells):
    """A row of the register's layout, blank but for ``cells``."""
    values = {"local_unit": "Huyện Cao Lộc", "partner": "Bằng Tường", "kind": label(PartnershipKind.DISTRICT_PAIR)}
    values.update(cells)
    if values.get("id") and "version" not in values:
        values["version"] = version_of(Partnership, values["id"])
    return [values.get(column.key, "") for column in PARTNERSHIP_COLUMNS]


def run(*rows, dry_run=False, user=None):
    # Rows numbered as the file readers number them: the header is row 1.
    dataset = tablib.Dataset(*[[n + 2, *row] for n, row in enumerate(rows)], headers=[ROW_NUMBER, *HEADERS])
    with translation.override("vi"):
        return PartnershipResource().import_data(dataset, dry_run=dry_run, user=user)


def problems(result):
    return {(number, column): message for _sheet, number, column, message in result.problems()}


def test_a_new_pair_is_saved_as_a_draft_with_its_date_to_the_year(sides):
    result = run(pair_row(established_on="2015", note="Kết nghĩa từ năm 2015"))
    assert result.problems() == []
    pair = Partnership.objects.get()
    assert (pair.local_unit, pair.partner, pair.kind) == (*sides, PartnershipKind.DISTRICT_PAIR)
    assert (pair.established_on.year, pair.date_precision, pair.note) == (2015, "year", "Kết nghĩa từ năm 2015")
    assert (pair.is_public, pair.review_state) == (False, "draft")


def test_an_unknown_unit_is_the_rows_error_naming_it(sides):
    result = run(pair_row(), pair_row(local_unit="Xã Không Có Thật"))
    assert result.bad_rows() == [3]
    message = problems(result)[(3, "Đơn vị phía Việt Nam")]
    assert "Xã Không Có Thật" in message
    assert not Partnership.objects.exists()


def test_a_pair_given_twice_in_the_file_is_the_second_rows_error(sides):
    result = run(pair_row(), pair_row(note="lần nữa"))
    assert result.bad_rows() == [3]
    assert problems(result)[(3, "Đối tác")] == (
        f"Cặp Huyện Cao Lộc – Bằng Tường ({label(PartnershipKind.DISTRICT_PAIR)}) đã có ở dòng 2 của tệp."
    )
    assert not Partnership.objects.exists()


def test_a_pair_already_in_the_register_is_an_error_not_a_database_refusal(sides):
    old = Partnership.objects.create(local_unit=sides[0], partner=sides[1], kind=PartnershipKind.DISTRICT_PAIR)
    for dry_run in (True, False):
        result = run(pair_row(), dry_run=dry_run)
        assert result.bad_rows() == [2]
        assert problems(result)[(2, "Đối tác")] == (
            f"Cặp Huyện Cao Lộc – Bằng Tường ({label(PartnershipKind.DISTRICT_PAIR)}) đã có trong sổ, "
            f"bản ghi số {old.pk}. Muốn sửa cặp này, hãy ghi số bản ghi của nó."
        )
    assert Partnership.objects.count() == 1


def test_the_same_sides_under_another_kind_are_a_possible_duplicate(sides):
    old = Partnership.objects.create(local_unit=sides[0], partner=sides[1], kind=PartnershipKind.DISTRICT_PAIR)
    preview = run(pair_row(kind=label(PartnershipKind.OTHER)), dry_run=True)
    assert preview.problems() == []
    assert [(number, [pk for pk, _url in found]) for number, found in preview.possible_duplicates()] == [(2, [old.pk])]
    # Not saved unless the clerk chooses to import it anyway.
    assert run(pair_row(kind=label(PartnershipKind.OTHER))).skipped_duplicates() == 1
    assert Partnership.objects.count() == 1


def test_a_row_with_its_number_and_version_updates_the_pair(sides):
    pair = Partnership.objects.create(local_unit=sides[0], partner=sides[1], kind=PartnershipKind.DISTRICT_PAIR)
    result = run(pair_row(id=str(pair.pk), established_on="09/2019", note="Ký lại"))
    assert result.problems() == []
    assert Partnership.objects.count() == 1
    pair.refresh_from_db()
    assert (pair.established_on.month, pair.date_precision, pair.note) == (9, "month", "Ký lại")


def test_a_row_with_a_stale_version_is_refused(sides):
    pair = Partnership.objects.create(local_unit=sides[0], partner=sides[1], kind=PartnershipKind.DISTRICT_PAIR)
    stale = version_of(Partnership, pair.pk)
    pair.note = "Sửa trong lúc đó"
    pair.save()
    result = run(pair_row(id=str(pair.pk), version=stale, note="Ký lại"))
    assert result.bad_rows() == [2]
    pair.refresh_from_db()
    assert pair.note == "Sửa trong lúc đó"


def test_the_preview_writes_nothing_and_reads_the_pairs_once(sides, django_assert_num_queries):
    # Our units, the partners (the name indexes), the pairs of the file's units.
    with django_assert_num_queries(3):
        result = run(pair_row(), pair_row(partner="Bằng Tường", kind=label(PartnershipKind.OTHER)), dry_run=True)
    assert result.problems() == []
    assert [row.import_type for row in result.rows] == ["new", "new"]
    assert not Partnership.objects.exists()


def test_the_founding_agreement_is_named_by_its_number(sides):
    from agreements.models import Agreement

    founding = Agreement.objects.create(
        code="05/TTQT", title="Thỏa thuận kết nghĩa Cao Lộc – Bằng Tường", kind="twinning"
    )
    assert run(pair_row(agreement="05/TTQT")).problems() == []
    assert Partnership.objects.get().agreement == founding
