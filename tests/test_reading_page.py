"""The article reader's admin pages (reading/admin_views.py): reading a pasted text or a file, the
review screen with its highlights and duplicates, and who may open them."""

import io

import docx
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from delegations.models import Delegation, DelegationMember, Direction
from offices.models import OfficeProfile, StaffProfile
from offices.profile import remember_profile
from offices.services import defaults_for, find_province
from reading.models import ArticleReading
from tests.conftest import make_user
from tests.reading_cases import AGREEMENT, DELEGATION, FIGURE, PASTED, TEXT

# The fixtures `world` (partners, local units) and `hand_reader` (a Reading built by hand).
pytest_plugins = ["tests.reading_cases"]

READ = reverse("admin:reading_read")


def review_url(article):
    return reverse("admin:reading_review", args=[article.pk])


def stored(text=TEXT, **fields):
    return ArticleReading.objects.create(text=text, **fields)


def test_pasted_text_is_stored_with_its_line_endings_normalised(staff_client, world):
    response = staff_client.post(
        READ,
        {"text": PASTED, "url": "https://baolangson.vn/tiep-doan-123.html", "published_on": "22/01/2024"},
    )
    article = ArticleReading.objects.get()
    assert response.status_code == 302
    assert response["Location"] == review_url(article)
    assert article.text == TEXT
    assert article.title == "Tiếp đoàn thị Bằng Tường"  # the first line, when no title is given
    assert article.published_on.isoformat() == "2024-01-22"
    assert article.province_id == "20"
    assert article.created_by.username == "staff"


def test_a_word_file_gives_its_text_and_title_but_the_users_title_wins(staff_client, world):
    document = docx.Document()
    for line in TEXT.split("\n"):
        document.add_paragraph(line)
    document.core_properties.title = "Tiêu đề trong tệp"
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    buffer.name = "bai-bao.docx"
    staff_client.post(READ, {"file": buffer, "publisher": "Báo Lạng Sơn"})
    from_file = ArticleReading.objects.get()
    assert (from_file.text, from_file.title, from_file.file_name) == (TEXT, "Tiêu đề trong tệp", "bai-bao.docx")
    buffer.seek(0)
    staff_client.post(READ, {"file": buffer, "title": "Tiêu đề của tôi"})
    assert ArticleReading.objects.latest("pk").title == "Tiêu đề của tôi"


def test_nothing_or_both_or_a_bad_file_is_refused_in_vietnamese(staff_client, world):
    nothing = staff_client.post(READ, {"text": "  "})
    assert "Hãy dán văn bản của bài báo, hoặc chọn một tệp." in nothing.content.decode()
    both = staff_client.post(READ, {"text": TEXT, "file": _named(b"abc", "a.txt")})
    assert "Hãy dán văn bản hoặc chọn tệp, không cả hai." in both.content.decode()
    latin = staff_client.post(READ, {"file": _named("Bằng Tường".encode("utf-16-le"), "a.txt")})
    assert "Tệp không phải văn bản thuần" in latin.content.decode()
    bad_date = staff_client.post(READ, {"text": TEXT, "published_on": "31/02/2024"})
    assert bad_date.status_code == 200
    assert not ArticleReading.objects.exists()


def _named(data, name):
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


def test_review_screen_highlights_each_sentence_and_marks_proposals_new(staff_client, hand_reader):
    article = stored(url="https://baolangson.vn/a.html")
    page = staff_client.get(review_url(article)).content.decode()
    for anchor, sentence in (("d0", DELEGATION), ("a0", AGREEMENT), ("f0", FIGURE)):
        assert f'<span class="reading-anchor" id="text-{anchor}"></span>' in page
        assert f'href="#text-{anchor}"' in page  # the card's link scrolls to its sentence
        assert f'data-for="{anchor}">{sentence}</mark>' in page
    assert page.count('<span class="reading-status new">mới</span>') == 3
    assert "Đối tác mới: Long Châu" in page
    assert 'value="21/01/2024"' in page  # dates as dd/mm/yyyy
    assert 'value="2023"' in page  # a figure's period to its precision
    assert "Vũ Hiểu Huy" in page and "Bí thư Thị ủy" in page


def test_review_screen_is_read_in_a_pinned_number_of_queries(staff_client, hand_reader, django_assert_num_queries):
    article = stored()
    # 1 session, 2 user, 3 the user's group permissions (admin_view, may_read), 4 the reading,
    # 5 the partners named, 6 the local units, 7 the mechanisms, 8-9 the delegations of a
    # start within two days and their partners, 10-11 the agreements of the same kind and
    # date and theirs, 12 the figures, 13-14 the delegations and members naming the people.
    with django_assert_num_queries(14):
        response = staff_client.get(review_url(article))
    assert response.status_code == 200


def test_a_delegation_already_in_the_register_is_marked_with_its_link(staff_client, hand_reader, world):
    known = Delegation.objects.create(
        title="Tiếp đoàn Bằng Tường", direction=Direction.INBOUND, start_date="2024-01-22", leader_name="Vũ Huy"
    )
    known.partners.add(world["pingxiang"])
    other_day = Delegation.objects.create(title="Khác", direction=Direction.INBOUND, start_date="2024-01-25")
    other_day.partners.add(world["pingxiang"])
    page = staff_client.get(review_url(stored())).content.decode()
    change = reverse("admin:delegations_delegation_change", args=[known.pk])
    assert f'đã có trong sổ: <a href="{change}"' in page
    assert f">#{known.pk}</a>" in page
    assert f">#{other_day.pk}</a>" not in page


def test_a_delegation_of_the_same_leader_without_a_common_partner_is_the_same_event(hand_reader, staff_client):
    same_leader = Delegation.objects.create(
        title="Đoàn Bằng Tường", direction=Direction.INBOUND, start_date="2024-01-20", leader_name="Vũ Minh Huy"
    )
    other_leader = Delegation.objects.create(
        title="Đoàn khác", direction=Direction.INBOUND, start_date="2024-01-21", leader_name="Lý Hiểu Huy"
    )
    outbound = Delegation.objects.create(
        title="Đoàn ra", direction=Direction.OUTBOUND, start_date="2024-01-21", leader_name="Vũ Hiểu Huy"
    )
    page = staff_client.get(review_url(stored())).content.decode()
    assert f">#{same_leader.pk}</a>" in page
    assert f">#{other_leader.pk}</a>" not in page
    assert f">#{outbound.pk}</a>" not in page


def test_people_are_linked_to_the_delegations_that_name_them(staff_client, hand_reader):
    headed = Delegation.objects.create(title="Đoàn năm 2023", leader_name="Vũ Hiểu Huy", start_date="2023-05-01")
    received = Delegation.objects.create(
        title="Tiếp đoàn Sùng Tả", received_by="Dương Xuân Huyên, Phó Chủ tịch UBND tỉnh", start_date="2023-06-01"
    )
    went = Delegation.objects.create(title="Đoàn ra Nam Ninh", start_date="2023-07-01")
    DelegationMember.objects.create(delegation=went, name="Dương Xuân Huyên")
    page = staff_client.get(review_url(stored())).content.decode()
    for record, role in ((headed, "trưởng đoàn"), (received, "tiếp đoàn"), (went, "thành viên đoàn")):
        assert f'{role} <a href="{reverse("admin:delegations_delegation_change", args=[record.pk])}">' in page


# Who may read


def test_visitor_is_sent_to_the_login(client, world):
    article = stored()
    for url in (READ, review_url(article), reverse("admin:reading_result", args=[article.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_official_without_the_admin_is_sent_to_the_login(official_client, world):
    response = official_client.get(review_url(stored()))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_official_who_may_not_add_records_gets_403(client, world):
    client.force_login(make_user("reader", "official", is_staff=True))
    assert client.get(READ).status_code == 403
    assert client.post(READ, {"text": TEXT}).status_code == 403
    assert client.get(review_url(stored())).status_code == 403
    assert not ArticleReading.objects.filter(created_by__username="reader").exists()
    index = client.get(reverse("admin:index")).content.decode()
    assert "article-reader-link" not in index


def test_staff_and_approver_see_the_link_and_the_page(staff_client, client, approver, hand_reader):
    assert "article-reader-link" in staff_client.get(reverse("admin:index")).content.decode()
    assert staff_client.get(READ).status_code == 200
    client.force_login(approver)
    assert client.get(review_url(stored())).status_code == 200


def test_an_office_sees_only_its_own_readings(client, hand_reader):
    second = OfficeProfile(**defaults_for(find_province("04")))
    second.full_clean()
    second.save()
    remember_profile(None)
    ours = stored(province_id="20")
    theirs = stored(province_id="04", title="Bài của Cao Bằng")
    clerk = make_user("clerk20", "staff", is_staff=True)
    StaffProfile.objects.create(user=clerk, province_id="20")
    client.force_login(clerk)
    assert client.get(review_url(theirs)).status_code == 404
    assert client.post(review_url(theirs), {"d0-take": "on"}).status_code == 404
    assert client.get(reverse("admin:reading_result", args=[theirs.pk])).status_code == 404
    listing = client.get(reverse("admin:reading_articlereading_changelist")).content.decode()
    assert "Bài của Cao Bằng" not in listing
    assert review_url(ours) in listing


# The rules the database keeps


def test_the_database_refuses_a_blank_text_a_script_address_and_an_accepted_reading_without_source(world):
    accepted = timezone.now()
    for fields in ({"text": ""}, {"text": "x", "url": "javascript:alert(1)"}, {"text": "x", "accepted_at": accepted}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ArticleReading.objects.create(**fields)


def test_our_own_units_are_never_proposed_as_partners(staff_client, monkeypatch, world):
    from reading.proposals import PartnerMention
    from tests.reading_cases import hand_reading

    def read_again(article):
        found = hand_reading(article.text, world, article.published_on)
        # The reader took our own district for a party: it is our side, not a partner.
        ours = PartnerMention(text="UBND huyện Cao Lộc", span=found.agreements[0].span, proposed_name="huyện Cao Lộc")
        found.agreements[0].parties.append(ours)
        found.delegations[0].partners.append(ours)
        return found

    monkeypatch.setattr("reading.review.read_again", read_again)
    page = staff_client.get(review_url(stored())).content.decode()
    assert "Đối tác mới: Long Châu" in page  # a foreign place the register lacks is still proposed
    assert "Đối tác mới: huyện Cao Lộc" not in page and "Đối tác mới: UBND huyện Cao Lộc" not in page
