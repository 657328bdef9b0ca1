"""`manage.py send_reminders`: each user with an e-mail address gets one daily digest of
the due items not mailed before, once per item and stage."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError

from duties.models import ReminderSent
from tests.conftest import make_user
from tests.duties_fixtures import TODAY, agreement, days, install_fake_provider, report_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(monkeypatch):
    """A fake app's due.py: what it answers, the test says."""
    return install_fake_provider(monkeypatch)


def run(*args, today=TODAY):
    out = io.StringIO()
    call_command("send_reminders", f"--today={today.isoformat()}", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def clerk(db):
    return make_user("clerk", "staff", is_staff=True, email="clerk@example.org", first_name="Hoa")


def test_a_user_gets_one_digest_of_every_due_item_in_vietnamese(clerk, provider):
    provider.items = [report_item(pk=7, due_in=-3)]
    expiring = agreement("Bản ghi nhớ sắp hết hạn", 20)
    output = run()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["clerk@example.org"]
    assert message.subject == "[Việc cần làm] 2 việc ngày 07/12/2026"
    assert "Kính gửi Hoa," in message.body
    assert "Nộp báo cáo kết quả: Đoàn số 7: quá hạn 3 ngày (hạn 04/12/2026)" in message.body
    assert "Hết hạn: Bản ghi nhớ sắp hết hạn: còn 20 ngày" in message.body
    assert "http://localhost:8000/delegations/7/" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and 'href="http://localhost:8000/delegations/7/"' in html
    assert "sent 1 digests of 2 items" in output
    assert set(ReminderSent.objects.values_list("user__username", "key", "stage")) == {
        ("clerk", "delegation:7:report", "overdue"),
        ("clerk", f"agreement:{expiring.pk}:expiry", "expiring"),
    }


def test_a_second_run_the_same_day_sends_nothing(clerk, provider):
    provider.items = [report_item(pk=7, due_in=-3)]
    run()
    output = run()
    assert len(mail.outbox) == 1
    assert "sent 0 digests of 0 items" in output
    assert ReminderSent.objects.count() == 1


def test_the_next_day_only_new_items_are_mailed(clerk, provider):
    provider.items = [report_item(pk=7, due_in=-3)]
    run()
    provider.items = [report_item(pk=7, due_in=-3), report_item(pk=8, due_in=2, stage="due_soon")]
    run(today=days(1))
    assert len(mail.outbox) == 2
    assert "Đoàn số 8" in mail.outbox[1].body and "Đoàn số 7" not in mail.outbox[1].body


def test_a_new_stage_of_the_same_item_mails_again(clerk, provider):
    provider.items = [report_item(pk=7, due_in=2, stage="due_soon")]
    run()
    provider.items = [report_item(pk=7, due_in=-1, stage="overdue")]
    run(today=days(3))
    assert len(mail.outbox) == 2
    assert "quá hạn 4 ngày" in mail.outbox[1].body
    assert ReminderSent.objects.filter(key="delegation:7:report").count() == 2


def test_dry_run_says_what_it_would_send_and_sends_and_writes_nothing(clerk, provider):
    provider.items = [report_item(pk=7, due_in=-3)]
    output = run("--dry-run")
    assert mail.outbox == []
    assert ReminderSent.objects.count() == 0
    assert "would mail clerk <clerk@example.org>: 1 items" in output
    assert "Đoàn số 7 (quá hạn 3 ngày)" in output
    assert "would send 1 digests of 1 items (dry run: nothing sent, nothing written)" in output


def test_users_without_an_address_or_inactive_get_no_mail(provider):
    make_user("no_address", "staff", is_staff=True)
    make_user("gone", "staff", is_staff=True, email="gone@example.org", is_active=False)
    provider.items = [report_item()]
    output = run()
    assert mail.outbox == []
    assert "0 users with an e-mail address read" in output


def test_a_user_with_nothing_due_gets_no_mail(clerk):
    run()
    assert mail.outbox == []


def test_a_mail_that_fails_to_go_records_nothing_so_the_next_run_tries_again(clerk, provider, settings):
    settings.EMAIL_BACKEND = "tests.test_reminders.FailingBackend"
    provider.items = [report_item()]
    with pytest.raises(OSError):
        run()
    assert ReminderSent.objects.count() == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run()
    assert len(mail.outbox) == 1


def test_the_database_refuses_a_second_reminder_of_one_item_and_stage(clerk):
    ReminderSent.objects.create(user=clerk, key="delegation:7:report", stage="overdue", due_on=TODAY)
    with pytest.raises(IntegrityError):
        ReminderSent.objects.create(user=clerk, key="delegation:7:report", stage="overdue", due_on=TODAY)


def test_a_day_that_is_not_a_date_is_refused(clerk):
    with pytest.raises(CommandError, match="not a date"):
        call_command("send_reminders", "--today=07/12/2026", stdout=io.StringIO())


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP server unreachable")


# Where mail goes (settings from the environment) ------------------------------------------------------

BACKEND = ["-c", "from django.conf import settings; print(settings.EMAIL_BACKEND.rsplit('.', 2)[-2])"]
PRODUCTION = {"DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "register.example.org"}


def test_without_an_smtp_host_mail_is_written_to_the_console():
    from tests.test_settings import run_python

    result = run_python(BACKEND, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "console"


def test_with_an_smtp_host_mail_goes_by_smtp_and_in_debug_mode_to_the_console():
    from tests.test_settings import run_python

    smtp = run_python(BACKEND, EMAIL_HOST="mail.example.org", EMAIL_PORT="465", **PRODUCTION)
    debug = run_python(BACKEND, EMAIL_HOST="mail.example.org", DJANGO_DEBUG="1")
    assert (smtp.stdout.strip(), debug.stdout.strip()) == ("smtp", "console"), smtp.stderr + debug.stderr


def test_an_smtp_port_that_is_not_a_number_stops_the_start():
    from tests.test_settings import run_python

    result = run_python(BACKEND, EMAIL_PORT="smtp", **PRODUCTION)
    assert result.returncode != 0 and "EMAIL_PORT='smtp' is not a whole number" in result.stderr
