"""Accepting a review (reading/accept.py): the ticked proposals become drafts citing the article
word for word, in one transaction; a proposal already in the register adds a citation to it; on
any error nothing is saved and the clerk's corrections stay on the screen."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from agreements.models import Agreement
from delegations.models import Delegation, Direction
from partners.models import Partner
from reading.models import ArticleReading
from reading.review import prefilled_post
from register.publishable import ReviewState
from sources.models import Citation, ReportedFigure, Source

pytest_plugins = ["tests.reading_cases"]

URL = "https://baolangson.vn/tiep-doan-bang-tuong-123.html"


@pytest.fixture
def article(world):
    from tests.reading_cases import TEXT

    return ArticleReading.objects.create(
        text=TEXT, url=URL, title="Tiếp đoàn thị Bằng Tường", publisher="Báo Lạng Sơn", published_on="2024-01-22"
    )


def form_of(client, article):
    """What the review screen posts when the clerk changes nothing: every field as prefilled."""
    response = client.get(reverse("admin:reading_review", args=[article.pk]))
    return prefilled_post(response.context["review"])


def accept(client, article, data):
    return client.post(reverse("admin:reading_review", args=[article.pk]), data)


def citations_of(record):
    return list(
        Citation.objects.filter(content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk)
    )


def test_accepting_makes_drafts_citing_the_article_word_for_word(staff_client, hand_reader, article, world):
    response = accept(staff_client, article, form_of(staff_client, article))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:reading_result", args=[article.pk])
    source = Source.objects.get()
    assert (source.kind, source.url, source.title, source.body) == ("article", URL, article.title, article.text)
    assert source.review_state == ReviewState.DRAFT
    delegation = Delegation.objects.get()
    assert (delegation.direction, delegation.start_date.isoformat(), delegation.date_precision) == (
        Direction.INBOUND,
        "2024-01-21",
        "day",
    )
    assert (delegation.leader_name, delegation.leader_title) == ("Vũ Hiểu Huy", "Bí thư Thị ủy")
    assert delegation.received_by == "Dương Xuân Huyên, Phó Chủ tịch Thường trực UBND tỉnh"
    assert delegation.host_unit == world["province"]
    assert list(delegation.partners.all()) == [world["pingxiang"]]
    assert (delegation.review_state, delegation.is_public, delegation.province_id) == ("draft", False, "20")
    agreement = Agreement.objects.get()
    assert (agreement.kind, agreement.signed_on.isoformat()) == ("mou", "2024-01-21")
    long_chau = Partner.objects.get(name="Long Châu")
    assert (long_chau.parent, long_chau.country, long_chau.review_state) == (world["guangxi"], "CN", "draft")
    assert long_chau.created_in_id == "20"
    assert set(agreement.partners.all()) == {world["pingxiang"], long_chau}
    figure = ReportedFigure.objects.get()
    assert (figure.indicator, figure.value, figure.unit, figure.qualifier) == (
        "inbound_delegations",
        Decimal(300),
        "count",  # the reader's "delegations"
        "about",  # the reader's "nearly" (gần)
    )
    assert (figure.period_start.isoformat(), figure.period_end.isoformat(), figure.period_precision) == (
        "2023-01-01",
        "2023-12-31",
        "year",
    )
    assert figure.scope == world["province"] and figure.source == source
    for record in (delegation, agreement, figure):
        (citation,) = citations_of(record)
        assert citation.source == source
        assert citation.excerpt in source.body
        citation.full_clean()  # the verbatim check of sources.models
    article.refresh_from_db()
    assert article.accepted_at is not None and article.source == source
    result = staff_client.get(response["Location"]).content.decode()
    for record in (delegation, agreement, figure, long_chau, source):
        assert reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk]) in result
    assert "đã tạo (bản nháp)" in result


def test_accept_post_runs_in_a_pinned_number_of_queries(staff_client, hand_reader, article, django_assert_num_queries):
    data = form_of(staff_client, article)
    # 1-14 the review read again, as on the screen (session, user, permissions, staff profile, reading,
    # partners, local units, mechanisms, duplicates of each kind, people); 15 the transaction's
    # savepoint; 16 the reading locked; 17-19 the source looked up by its address, inserted, its
    # history; 20-23 the new partner, its history, its parent's path, its own path; 24-36 the
    # delegation, its history, its partners and their history (django-simple-history reads the
    # record again on each m2m change), its citation and the citation's history; 37-53 the
    # agreement likewise, with its fields' history; 54-57 the figure, its history, its citation
    # and history; 58 the reading marked accepted; 59 the savepoint released.
    with django_assert_num_queries(59):
        response = accept(staff_client, article, data)
    assert response.status_code == 302


def test_unticked_proposals_are_left_out(staff_client, hand_reader, article):
    data = form_of(staff_client, article)
    del data["a0-take"], data["f0-take"], data["n0-take"]
    accept(staff_client, article, data)
    assert Delegation.objects.count() == 1
    assert not Agreement.objects.exists() and not ReportedFigure.objects.exists()
    assert not Partner.objects.filter(name="Long Châu").exists()


def test_an_event_already_in_the_register_gets_a_second_citation_not_a_second_record(
    staff_client, hand_reader, article, world
):
    known = Delegation.objects.create(title="Tiếp đoàn", direction=Direction.INBOUND, start_date="2024-01-21")
    known.partners.add(world["pingxiang"])
    data = form_of(staff_client, article)
    assert data["d0-target"] == str(known.pk)
    accept(staff_client, article, data)
    assert list(Delegation.objects.all()) == [known]
    (citation,) = citations_of(known)
    assert citation.excerpt in article.text and citation.source.url == URL


def test_the_clerk_may_still_make_a_new_record_of_a_likely_duplicate(staff_client, hand_reader, article, world):
    known = Delegation.objects.create(title="Tiếp đoàn", direction=Direction.INBOUND, start_date="2024-01-21")
    known.partners.add(world["pingxiang"])
    data = form_of(staff_client, article)
    data["d0-target"] = "new"
    accept(staff_client, article, data)
    assert Delegation.objects.count() == 2
    assert citations_of(known) == []


def test_the_same_address_in_the_same_office_reuses_its_source(staff_client, hand_reader, article):
    earlier = Source.objects.create(title="Bài đã có", url=URL, body="")
    accept(staff_client, article, form_of(staff_client, article))
    assert list(Source.objects.all()) == [earlier]
    earlier.refresh_from_db()
    assert earlier.body == article.text  # filled, so that the excerpts are its words


def test_a_source_of_that_address_with_another_text_is_refused(staff_client, hand_reader, article):
    Source.objects.create(title="Bài đã có", url=URL, body="Một văn bản khác.")
    response = accept(staff_client, article, form_of(staff_client, article))
    assert response.status_code == 200
    assert "chứa một văn bản khác" in response.content.decode()
    assert not Delegation.objects.exists() and Source.objects.count() == 1


def test_an_error_saves_nothing_and_keeps_the_clerks_corrections(staff_client, hand_reader, article):
    data = form_of(staff_client, article)
    data["d0-title"] = "Tiêu đề đã sửa"
    data["d0-start"] = "25/01/2024"
    data["d0-end"] = "22/01/2024"  # before the start
    data["f0-value"] = "312"
    response = accept(staff_client, article, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu." in page
    assert "Hãy sửa các lỗi bên dưới; chưa có gì được lưu." in page
    assert 'value="Tiêu đề đã sửa"' in page and 'value="312"' in page
    for model in (Source, Delegation, Agreement, ReportedFigure):
        assert not model.objects.exists()
    assert not Partner.objects.filter(name="Long Châu").exists()
    assert ArticleReading.objects.get().accepted_at is None


def test_a_failure_late_in_the_transaction_undoes_the_records_before_it(
    staff_client, hand_reader, article, monkeypatch
):
    def broken(*args, **kwargs):
        raise Source.DoesNotExist("the figure's turn")

    data = form_of(staff_client, article)
    monkeypatch.setattr("reading.accept._figure", broken)
    with pytest.raises(Source.DoesNotExist):
        accept(staff_client, article, data)
    for model in (Source, Delegation, Agreement, ReportedFigure, Citation):
        assert not model.objects.exists()


def test_a_new_partner_named_by_a_ticked_proposal_must_be_ticked_too(staff_client, hand_reader, article):
    data = form_of(staff_client, article)
    del data["n0-take"]
    page = accept(staff_client, article, data).content.decode()
    assert "Hãy đánh dấu đối tác mới “Long Châu” ở trên" in page
    assert not Agreement.objects.exists() and not Delegation.objects.exists()


def test_nothing_ticked_or_a_stale_page_is_refused(staff_client, hand_reader, article):
    data = form_of(staff_client, article)
    nothing = {key: value for key, value in data.items() if not key.endswith("-take")}
    assert "Hãy đánh dấu ít nhất một đề xuất" in accept(staff_client, article, nothing).content.decode()
    stale = {**data, "fingerprint": "0" * 16}
    assert "hãy xem lại các đề xuất" in accept(staff_client, article, stale).content.decode()
    assert not Source.objects.exists()


def test_accepting_twice_saves_once(staff_client, hand_reader, article):
    data = form_of(staff_client, article)
    accept(staff_client, article, data)
    again = accept(staff_client, article, data)
    assert again.status_code == 302
    assert Delegation.objects.count() == 1 and Citation.objects.count() == 3


def test_a_scope_is_matched_to_the_offices_local_unit(staff_client, monkeypatch, article, world):
    from tests.reading_cases import hand_reading

    def read_again(reading):
        found = hand_reading(reading.text, world)
        found.figures[0].scope = "huyện Cao Lộc"
        return found

    monkeypatch.setattr("reading.review.read_again", read_again)
    data = form_of(staff_client, article)
    assert data["f0-scope"] == str(world["district"].pk)


def test_a_scope_naming_a_place_that_is_not_the_offices_is_left_for_the_clerk(
    staff_client, monkeypatch, article, world
):
    from tests.reading_cases import hand_reading

    def read_again(reading):
        found = hand_reading(reading.text, world)
        found.figures[0].scope = "tỉnh Lào Cai"  # another province's figure: not put on ours
        return found

    monkeypatch.setattr("reading.review.read_again", read_again)
    data = form_of(staff_client, article)
    assert data["f0-scope"] == ""
    response = accept(staff_client, article, data)
    assert response.status_code == 200  # the screen again, asking for the scope
    assert not Source.objects.exists()
