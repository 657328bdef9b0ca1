"""The article reader in a real browser (Debian's Chromium, see tests/test_browser.py): a clerk
pastes two real articles of the evaluation set (tests/reading/articles/), the one a delegation and
its agreements, the other an agreement and its figures, ticks, accepts, and finds the drafts with
their citations; the first article read again under another address is marked as already in the
register, and accepting it adds a second citation to the same delegation.

Screenshots: /work/wt/shots/ when that folder exists (the helpers' review), else test-artifacts/screenshots/.

Run: .venv/bin/pytest tests/test_reading_browser.py -v   (or -m browser)
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from agreements.models import Agreement
from delegations.models import Delegation
from reading.models import ArticleReading
from sources.models import Citation, ReportedFigure, Source
from tests.conftest import PASSWORD, make_user
from tests.test_browser import _plain_static_storage, browser  # noqa: F401 - the fixtures, shared

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

ARTICLES = Path(settings.BASE_DIR) / "tests" / "reading" / "articles"
SHOTS = Path("/work/wt/shots")
SHOTS = SHOTS if SHOTS.is_dir() else Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
TALKS = ARTICLES / "04-tp-lang-son-hoi-dam-sung-ta-bang-tuong.txt"
# A redirect keeps the page's fragment (#text-d0 after a click on "câu trong bài").
RESULT, REVIEW = re.compile(r"/result/(#.*)?$"), re.compile(r"/review/(#.*)?$")
AID = ARTICLES / "23-lao-cai-pcpnn-them-2-trieu-usd-2023.txt"


class Clerk:
    def __init__(self, page, base_url):
        self.page, self.base_url, self.problems = page, base_url, []
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and not message.location.get("url", "").endswith("/favicon.ico")
                and self.problems.append(message.text)
            ),
        )
        page.on("pageerror", lambda error: self.problems.append(str(error)))

    def shot(self, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SHOTS / f"reading-{name}.png", full_page=True)
        assert self.problems == []

    def read(self, path, url, published):
        self.page.goto(self.base_url + "/admin/")
        self.page.click("#article-reader-link")
        self.page.fill("#id_text", path.read_text(encoding="utf-8"))
        self.page.fill("#id_url", url)
        self.page.fill("#id_published_on", published)
        self.page.click("input[type=submit]")
        self.page.wait_for_url(REVIEW)


def cited(record):
    kind = ContentType.objects.get_for_model(type(record))
    return list(Citation.objects.filter(content_type=kind, object_id=record.pk).select_related("source"))


def test_a_clerk_reads_two_articles_accepts_their_proposals_and_finds_the_drafts(
    browser,  # noqa: F811 - the fixture imported above
    live_server,
    transactional_db,
):
    fixtures = sorted(str(path) for path in (Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
    call_command("loaddata", *fixtures, verbosity=0)
    make_user("clerk", "staff", is_staff=True)
    delegations_before, agreements_before = Delegation.objects.count(), Agreement.objects.count()
    context = browser.new_context(locale="vi-VN", viewport={"width": 1440, "height": 1000})
    clerk = Clerk(context.new_page(), live_server.url)
    page = clerk.page
    try:
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "clerk")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")

        # The talks in Lạng Sơn city: one delegation, the agreements it recalls.
        clerk.read(TALKS, "https://example.org/hoi-dam-sung-ta-bang-tuong.html", "31/08/2023")
        assert page.locator("#group-delegations .reading-card").count() == 1
        assert page.locator("#group-agreements .reading-card").count() >= 1
        assert page.locator("#card-d0 .reading-status.new").inner_text() == "mới"
        assert page.locator("#card-d0 input[name=d0-start]").input_value() == "31/08/2023"
        clerk.shot("1-review-talks")
        page.click("#card-d0 .reading-goto")
        assert page.url.endswith("#text-d0")
        page.click("input[name=accept]")
        page.wait_for_url(RESULT)
        clerk.shot("2-result-talks")
        talks = ArticleReading.objects.get(url__endswith="hoi-dam-sung-ta-bang-tuong.html")
        (delegation,) = Delegation.objects.order_by("-pk")[:1]
        assert Delegation.objects.count() == delegations_before + 1
        assert (delegation.review_state, delegation.start_date.isoformat()) == ("draft", "2023-08-31")
        (citation,) = cited(delegation)
        assert citation.source == talks.source and citation.excerpt in citation.source.body
        assert Agreement.objects.count() > agreements_before
        made = [row["pk"] for row in talks.outcome if row["model"] == "agreements.agreement"]
        for agreement in Agreement.objects.filter(pk__in=made):
            assert agreement.review_state == "draft"
            assert all(c.excerpt in c.source.body for c in cited(agreement))

        page.goto(live_server.url + f"/admin/delegations/delegation/{delegation.pk}/change/")
        clerk.shot("3-delegation-after-acceptance")

        # The aid pledged to Lào Cai: an agreement and figures.
        clerk.read(AID, "https://example.org/vien-tro-2-trieu-usd.html", "27/03/2023")
        assert page.locator("#group-figures .reading-card").count() >= 1
        clerk.shot("4-review-aid")
        # Lào Cai's figures name no unit of this office: they are not put on our province, the
        # screen asks the clerk to choose their scope, and nothing is saved meanwhile.
        page.click("input[name=accept]")
        assert page.locator("#group-figures .errorlist").count() >= 1
        assert not ArticleReading.objects.get(url__endswith="vien-tro-2-trieu-usd.html").source_id
        for scope in page.locator("#group-figures select[name$='-scope']").all():
            scope.select_option(index=1)
        page.click("input[name=accept]")
        page.wait_for_url(RESULT)
        clerk.shot("5-result-aid")
        aid = ArticleReading.objects.get(url__endswith="vien-tro-2-trieu-usd.html")
        figures = ReportedFigure.objects.filter(source=aid.source)
        assert figures.exists() and all(f.excerpt in aid.source.body and f.review_state == "draft" for f in figures)
        assert any(figure.unit == "USD" for figure in figures)
        page.goto(live_server.url + "/admin/sources/reportedfigure/")
        clerk.shot("6-figures-after-acceptance")

        # The same talks reported under another address: one event, two citations.
        clerk.read(TALKS, "https://example.org/ban-dang-lai.html", "31/08/2023")
        assert f"#{delegation.pk}" in page.locator("#card-d0 .reading-status.known").inner_text()
        clerk.shot("7-review-already-in-register")
        page.click("input[name=accept]")
        page.wait_for_url(RESULT)
        assert Delegation.objects.count() == delegations_before + 1
        assert len(cited(delegation)) == 2
        assert Source.objects.filter(url__startswith="https://example.org/").count() == 3
    except Exception:
        clerk.problems = []
        clerk.shot("failed")
        raise
    finally:
        context.close()
