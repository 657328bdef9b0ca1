"""Ids past 1,000,000 everywhere: every page of the site and of the admin writes
the numbers that code or a browser reads back (ids in links, a form's hidden
version, a restore button, a drop-down's values, cursors, years, page numbers)
without a thousands separator, so that saving and restoring keep working once
an office has entered its thousandth record. (Vietnamese writes 1.000.001,
English 1,000,001; ``int()`` reads neither.)"""

import contextlib
import re

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from delegations.models import Delegation
from register import history
from tests.big_ids import NEXT_ID, OFFSET, load_shifted_articles, push_sequences_past
from tests.conftest import english, make_user
from tests.test_audit import edit

# An attribute a browser or the site's code reads back, and a number written in groups of three.
READ_BACK = re.compile(r'\s(value|href|src|action|formaction|name|id|for|data-[\w-]+)="([^"]*)"')
GROUPED_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,\u00a0\u202f]\d{3})+(?![\d])")


def grouped_numbers_read_back(html):
    """Each attribute of ``html`` that code reads back and that holds a number in groups of three."""
    return [match.group(0).strip() for match in READ_BACK.finditer(html) if GROUPED_NUMBER.search(match.group(2))]


@pytest.fixture
def big_register(db, tmp_path):
    load_shifted_articles(tmp_path)
    push_sequences_past(NEXT_ID)
    return Delegation.objects.order_by("pk").first()


@pytest.fixture
def administrator(big_register):
    return make_user("root", "administrator", is_staff=True, is_superuser=True)


def public_pages(register_delegation):
    from agreements.models import Agreement
    from partners.models import Partner
    from projects.models import Project

    pages = ["/", "/delegations/", "/agreements/", "/projects/", "/partners/", "/search/?q=lang+son"]
    pages += ["/reports/period/?start=01/01/2000&end=31/12/2030", "/delegations/?page=2", "/partners/?sort=name"]
    for model in (Delegation, Agreement, Project, Partner):
        for record in model.objects.order_by("pk")[:3]:
            pages.append(record.get_absolute_url())
    partner = Partner.objects.order_by("pk").first()
    pages += [f"/delegations/?partner={partner.pk}", f"/projects/?partner={partner.pk}"]
    return pages


def admin_pages(user):
    """Every page of every admin: list, add form, and for its newest row (saved once more,
    so that it has a historical row past ``NEXT_ID``) its change, history, delete and review pages."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        pages.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        record = model._default_manager.order_by("-pk").first()
        if record is None:
            continue
        if history.has_history(model):
            record.save()
        for view in ("change", "history", "delete", "review"):
            if view == "delete" and not model_admin.has_delete_permission(request, record):
                continue  # the office profile is never deleted
            with contextlib.suppress(NoReverseMatch):  # only the reviewed records have a review page
                pages.append(reverse(f"{name}_{view}", args=[record.pk]))
        with contextlib.suppress(NoReverseMatch):  # only the audited records list their deleted rows
            pages.append(reverse(f"{name}_deleted"))
    return pages


def test_the_shifted_register_has_ids_and_history_ids_past_a_million(big_register):
    assert big_register.pk > OFFSET
    big_register.title = "Đoàn có số hồ sơ lớn"
    big_register.save()
    assert history.version(big_register) > NEXT_ID


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_page_of_the_site_writes_an_id_past_a_million_with_a_thousands_separator(client, big_register, language):
    if language == "en":
        english(client)  # 1,000,001
    for path in public_pages(big_register):
        response = client.get(path)
        assert response.status_code == 200, path
        assert grouped_numbers_read_back(response.text) == [], path


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_page_of_the_admin_writes_an_id_past_a_million_with_a_thousands_separator(client, administrator, language):
    if language == "en":
        english(client)
    doomed = Delegation.objects.order_by("-pk").first()
    doomed.delete()  # so that the deleted records' page has a restore button
    client.force_login(administrator)
    for path in admin_pages(administrator):
        # The office profile's list of one goes straight to the profile (offices/admin.py).
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        assert grouped_numbers_read_back(response.text) == [], path


def hidden_version(page):
    return re.search(r'name="_version" value="([^"]*)"', page.text).group(1)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_record_past_a_million_is_saved_from_the_version_its_form_carries(client, administrator, language):
    if language == "en":
        english(client)
    record = Delegation.objects.order_by("pk").first()
    record.save()  # a historical row past NEXT_ID
    client.force_login(administrator)
    opened = hidden_version(client.get(reverse("admin:delegations_delegation_change", args=[record.pk])))
    assert opened == str(history.version(record))
    response = edit(client, record, opened, size="42")
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Delegation.objects.get(pk=record.pk).size == 42


def test_a_deleted_record_past_a_million_is_restored_from_its_button(client, administrator):
    record = Delegation.objects.order_by("pk").first()
    pk = record.pk
    record.delete()
    client.force_login(administrator)
    listing = client.get(reverse("admin:delegations_delegation_deleted"))
    button = re.search(r'name="restore" value="([^"]*)"', listing.text).group(1)
    response = client.post(reverse("admin:delegations_delegation_deleted"), {"restore": button}, follow=True)
    assert "Không có hồ sơ đã xoá nào mang số này" not in response.text
    assert "Đã khôi phục" in response.text
    assert Delegation.objects.filter(pk=pk).exists()


# An id, a version or a page number written straight into an attribute: ``{{ x.pk }}`` inside ``href="…"``.
NUMBER_IN_ATTRIBUTE = re.compile(r'="[^"]*\{\{\s*([\w.]*(?:\.pk|\.id|_id|version|page|\.number))\s*\}\}[^"]*"')
HTML_IDS = {"chart.chart_id"}  # text, not numbers


def test_no_template_writes_an_id_into_an_attribute_without_unlocalize():
    from pathlib import Path

    from django.conf import settings

    found = []
    for template in sorted(Path(settings.BASE_DIR).glob("**/templates/**/*.html")):
        if ".venv" in template.parts:
            continue
        for match in NUMBER_IN_ATTRIBUTE.finditer(template.read_text(encoding="utf-8")):
            if match.group(1) not in HTML_IDS:
                found.append(f"{template.relative_to(settings.BASE_DIR)}: {match.group(1)}")
    assert found == []


def test_a_form_opened_before_the_update_with_a_grouped_version_still_saves(client, administrator):
    record = Delegation.objects.order_by("pk").first()
    record.save()
    client.force_login(administrator)
    grouped = f"{history.version(record):,}".replace(",", ".")  # 2.000.001, as the old pages wrote it
    response = edit(client, record, grouped, size="43")
    assert response.status_code == 302
    assert Delegation.objects.get(pk=record.pk).size == 43
