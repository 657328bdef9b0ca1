"""An article with a delegation, an agreement and a figure, and the Reading of it built by hand:
the review screen's tests give it to the page in place of the reader's (reading.review.read_again),
so that they test the screen, not the reader (tests/test_reading_*.py of the reader do that)."""

from datetime import date
from decimal import Decimal

import pytest

from partners.models import LocalUnit, LocalUnitKind, Partner, PartnerKind
from reading.proposals import (
    AgreementProposal,
    DelegationProposal,
    FigureProposal,
    PartnerMention,
    PersonMention,
    Reading,
    Span,
)

DELEGATION = (
    "Ngày 21/1/2024, đồng chí Dương Xuân Huyên, Phó Chủ tịch Thường trực UBND tỉnh tiếp Đoàn đại biểu "
    "thị Bằng Tường (Quảng Tây, Trung Quốc) do ông Vũ Hiểu Huy, Bí thư Thị ủy làm trưởng đoàn."
)
AGREEMENT = "Hai bên đã ký Biên bản ghi nhớ về hợp tác thương mại với thị Bằng Tường và huyện Long Châu."
FIGURE = "Năm 2023, toàn tỉnh đón gần 300 đoàn khách quốc tế."
TEXT = f"Tiếp đoàn thị Bằng Tường\n{DELEGATION}\n{AGREEMENT}\n{FIGURE}"
# As a browser posts a pasted text: Windows line endings.
PASTED = TEXT.replace("\n", "\r\n")


def span_of(text, sentence, part=None):
    start = text.index(sentence) + (sentence.index(part) if part else 0)
    return Span(start, start + len(part or sentence))


def hand_reading(text, world, published=None):
    """What the reader should propose for TEXT (the sentences found in ``text``)."""
    pingxiang, guangxi = world["pingxiang"], world["guangxi"]

    def mention(sentence, words, partner=None, proposed=""):
        return PartnerMention(
            text=words,
            span=span_of(text, sentence, words),
            partner_id=partner.pk if partner else None,
            proposed_name=proposed,
            proposed_parent_id=guangxi.pk if proposed else None,
        )

    reading = Reading(text=text, published=published)
    if DELEGATION in text:
        reading.delegations.append(
            DelegationProposal(
                direction="in",
                start=date(2024, 1, 21),
                start_precision="day",
                end=None,
                leader="Vũ Hiểu Huy",
                leader_title="Bí thư Thị ủy",
                host="Dương Xuân Huyên",
                host_title="Phó Chủ tịch Thường trực UBND tỉnh",
                partners=[mention(DELEGATION, "thị Bằng Tường", pingxiang)],
                place="",
                purpose="tiếp xã giao",
                excerpt=DELEGATION,
                span=span_of(text, DELEGATION),
            )
        )
        reading.people += [
            PersonMention("Dương Xuân Huyên", "Phó Chủ tịch Thường trực UBND tỉnh", span_of(text, DELEGATION)),
            PersonMention("Vũ Hiểu Huy", "Bí thư Thị ủy", span_of(text, DELEGATION)),
        ]
    if AGREEMENT in text:
        reading.agreements.append(
            AgreementProposal(
                title="Biên bản ghi nhớ về hợp tác thương mại",
                kind="mou",
                signed=date(2024, 1, 21),
                signed_precision="day",
                parties=[
                    mention(AGREEMENT, "thị Bằng Tường", pingxiang),
                    mention(AGREEMENT, "huyện Long Châu", proposed="Long Châu"),
                ],
                online=False,
                place="",
                excerpt=AGREEMENT,
                span=span_of(text, AGREEMENT),
            )
        )
    if FIGURE in text:
        reading.figures.append(
            FigureProposal(
                indicator="inbound_delegations",
                value=Decimal(300),
                unit="delegations",
                qualifier="nearly",
                period_start=date(2023, 1, 1),
                period_end=date(2023, 12, 31),
                period_precision="year",
                scope="toàn tỉnh",
                excerpt=FIGURE,
                span=span_of(text, FIGURE),
            )
        )
    for proposal in [*reading.delegations, *reading.agreements, *reading.figures]:
        assert proposal.excerpt == text[proposal.span.start : proposal.span.end]
    return reading


@pytest.fixture
def world(db):
    """The office's province and one of its districts; Guangxi and Pingxiang under it."""
    guangxi = Partner.objects.create(name="Quảng Tây", kind=PartnerKind.REGION, country="CN")
    pingxiang = Partner.objects.create(name="Bằng Tường", kind=PartnerKind.COUNTY, country="CN", parent=guangxi)
    province = LocalUnit.objects.create(name="UBND tỉnh", kind=LocalUnitKind.PROVINCE)
    district = LocalUnit.objects.create(name="Cao Lộc", kind=LocalUnitKind.DISTRICT)
    return {"guangxi": guangxi, "pingxiang": pingxiang, "province": province, "district": district}


@pytest.fixture
def hand_reader(monkeypatch, world):
    """The page reads with ``hand_reading`` instead of the reader; counts its calls."""
    calls = []

    def read_again(article):
        calls.append(article.pk)
        return hand_reading(article.text, world, article.published_on)

    monkeypatch.setattr("reading.review.read_again", read_again)
    return calls
