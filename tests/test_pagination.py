"""Pages of a long list: the count stops at a cap, and past it the pages follow
cursors (keyset pagination) that must visit every row exactly once, in order,
forwards and backwards, whatever the sort, with undated rows and ties."""

import datetime as dt
import re
from html import unescape

import pytest

from agreements.models import Agreement
from common import pagination
from delegations.models import Delegation, Direction
from register.publishable import ReviewState

LIST = "/delegations/"


@pytest.fixture
def small_cap(monkeypatch):
    """A cap of 10 rows: the cursor pages without creating 10.000 records."""
    monkeypatch.setattr(pagination, "COUNT_CAP", 10)


@pytest.fixture
def delegations(db):
    """37 delegations: shared dates (ties broken by number), undated ones, sizes
    with gaps, a few internal drafts."""
    rows = []
    for n in range(37):
        rows.append(
            Delegation(
                title=f"Đoàn số {n:02d}",
                direction=Direction.OUTBOUND,
                start_date=None if n % 9 == 0 else dt.date(2020, 1, 1) + dt.timedelta(days=n // 3),
                size=None if n % 5 == 0 else n % 7,
                is_public=n % 11 != 3,
                review_state=ReviewState.APPROVED if n % 11 != 3 else ReviewState.DRAFT,
            )
        )
    for row in rows:
        row.save()
    return rows


def titles(response):
    html = response.content.decode()
    return [unescape(t) for t in re.findall(r'<td class="record-list__title">\s*<a href="[^"]+">([^<]+)</a>', html)]


def link(response, rel):
    match = re.search(rf'<a href="(\?[^"]*)" rel="{rel}">', response.content.decode())
    return unescape(match.group(1)) if match else None


def walk(client, start, rel):
    """Every page from ``start`` following ``rel`` links: [(titles, response), ...]."""
    pages, url = [], start
    while url is not None:
        response = client.get(LIST + url)
        assert response.status_code == 200
        pages.append(titles(response))
        url = link(response, rel)
        assert len(pages) < 20, "the links go round in circles"
    return pages, response


@pytest.mark.parametrize("sort", ["-date", "date", "title", "-size", "size"])
def test_cursor_pages_visit_every_row_once_in_order(client, delegations, small_cap, sort, settings):
    expected = [d.title for d in Delegation.objects.published().order_by(*_declared(sort))]

    pages, last = walk(client, f"?sort={sort}", "next")

    assert [title for page in pages for title in page] == expected
    assert all(len(page) == 25 for page in pages[:-1])
    # Back from the last page, page by page, to the first.
    back, first = walk(client, link(last, "prev") or "?", "prev")
    assert [title for page in reversed(back) for title in page] == expected[: -len(pages[-1])]
    assert back[-1] == pages[0]


def _declared(sort):
    from delegations.views import ListPage

    return ListPage.sort_options[sort][1]


def test_past_the_cap_the_page_says_more_than_and_links_by_cursor(client, delegations, small_cap):
    response = client.get(LIST)

    text = response.content.decode()
    assert "Hơn 10 đoàn" in text
    assert "after=" in link(response, "next")
    assert "Trang 1/" not in text


def test_below_the_cap_pages_are_numbered_and_counted_exactly(client, delegations):
    response = client.get(LIST)

    assert response.context["page_obj"].count == Delegation.objects.published().count()
    assert link(response, "next") == "?page=2"
    assert "Trang 1/2" in response.content.decode()


def test_a_visitor_never_gets_an_internal_row_on_a_cursor_page(client, delegations, small_cap):
    pages, _last = walk(client, "?", "next")

    internal = {d.title for d in delegations if not d.is_public}
    assert internal and not internal & {title for page in pages for title in page}


def test_an_official_pages_through_the_internal_rows_too(official_client, delegations, small_cap):
    pages, _last = walk(official_client, "?", "next")

    assert sorted(title for page in pages for title in page) == sorted(d.title for d in delegations)


@pytest.mark.parametrize("cursor", ["garbage", "W10", "WyJ4IiwgIjEiXQ", "WyIyMDIwLTAxLTAxIl0", "%00"])
def test_a_damaged_cursor_shows_the_first_page_with_a_notice(client, delegations, small_cap, cursor):
    response = client.get(LIST, {"after": cursor})

    assert response.status_code == 200
    assert titles(response) == titles(client.get(LIST))
    assert "Liên kết tới trang này bị hỏng" in response.content.decode()


def test_filters_and_sort_survive_the_cursor_links(client, delegations, small_cap):
    response = client.get(LIST, {"sort": "title", "direction": "out"})

    following = link(response, "next")
    assert "sort=title" in following and "direction=out" in following


def test_a_cursor_page_runs_the_same_queries_as_the_first(client, delegations, small_cap, django_assert_num_queries):
    following = link(client.get(LIST), "next")
    # 1 country choices, 2 COUNT up to the cap, 3 partner choices, 4 host unit choices,
    # 5 the rows after the cursor with their host unit, 6 their partners
    with django_assert_num_queries(6):
        client.get(LIST + following)


def test_keyset_pages_work_for_agreements_too(client, db, small_cap):
    for n in range(30):
        Agreement.objects.create(
            title=f"Thỏa thuận {n:02d}",
            kind="mou",
            signed_on=None if n % 4 == 0 else dt.date(2010, 1, 1) + dt.timedelta(days=n // 2),
            is_public=True,
            review_state=ReviewState.APPROVED,
        )
    expected = [a.title for a in Agreement.objects.order_by(*_agreement_order())]

    pages = []
    url = "?"
    while url:
        response = client.get("/agreements/" + url)
        pages.extend(titles(response))
        url = link(response, "next")

    assert pages == expected


def _agreement_order():
    from agreements.views import ListPage

    return ListPage.sort_options[ListPage.default_sort][1]
