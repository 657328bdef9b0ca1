"""A large import in a real browser (Debian's Chromium, see tests/test_browser.py):
the clerk uploads a file of more rows than the request handles, follows the
progress bar while the worker (`run_jobs --once`, run by the test) previews it,
confirms, and reads the outcome; the bar is moved by static/js/import_progress.js
polling the job's status, under the site's Content-Security-Policy.

Run: .venv/bin/pytest tests/test_import_jobs_browser.py -v   (or -m browser)
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from delegations.models import Delegation
from tests.conftest import PASSWORD, make_user
from tests.import_files import csv_bytes, import_url
from tests.test_browser import _plain_static_storage, browser  # noqa: F401 - the fixtures, shared
from tests.test_imports import DELEGATION_HEADERS, delegation_row

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def test_a_clerk_follows_a_large_import_through_its_progress_bar_to_the_end(
    browser,  # noqa: F811 - the fixture imported above
    live_server,
    transactional_db,
    settings,
    tmp_path,
):
    fixtures = sorted(str(path) for path in (Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
    call_command("loaddata", *fixtures, verbosity=0)
    make_user("clerk", "staff", is_staff=True)
    settings.IMPORT_BACKGROUND_ROWS, settings.JOBS_RUN_INLINE = 3, False
    upload = tmp_path / "doan-lon.csv"
    upload.write_bytes(csv_bytes(DELEGATION_HEADERS, [delegation_row(f"Đoàn trình duyệt {n}") for n in range(8)]))

    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    problems, polled = [], []
    # Console errors: CSP violations, failed resources (but the browser's own /favicon.ico, see test_browser.py).
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.location.get("url", "").endswith("/favicon.ico")
            and problems.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: "status.json" in request.url and polled.append(request.url))
    try:
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "clerk")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.goto(live_server.url + import_url(Delegation))
        page.set_input_files("#id_import_file", str(upload))
        page.click("text=Kiểm tra tệp")
        page.wait_for_url("**/import/jobs/*/")
        assert page.locator("progress#import-progress").get_attribute("max") == "8"
        assert "Đang chờ tiến trình chạy nền bắt đầu…" in page.inner_text("#import-progress-text")

        page.wait_for_timeout(1500)  # the script asks for the status once a second
        call_command("run_jobs", "--once")
        page.wait_for_selector("#import-preview", timeout=10000)  # reloaded when the job finished
        assert "8 mới" in page.inner_text("#content")
        page.click("input[name=confirm]")
        page.wait_for_selector("#import-progress")
        call_command("run_jobs", "--once")
        page.wait_for_selector("text=Đã nhập xong: 8 mới, 0 cập nhật, 0 không đổi.", timeout=10000)
    finally:
        context.close()
    assert polled, "the progress script never asked for the status"
    assert problems == []
    assert Delegation.objects.filter(title__startswith="Đoàn trình duyệt").count() == 8
