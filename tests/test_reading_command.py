"""`manage.py read_article FILE --json`: one JSON object of the issue's shape, nothing written."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from delegations.models import Delegation
from reading import gazetteer

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Lãnh đạo tỉnh tiễn Đoàn công tác của Bộ Ngoại giao\n"
    "Thứ hai, 14/06/2021\n"
    "Sáng nay (6/6), tại Cửa khẩu Quốc tế Hữu Nghị, đồng chí Đoàn Thu Hà, Phó Chủ tịch UBND tỉnh tiễn "
    "Đoàn công tác của Bộ Ngoại giao do Bộ trưởng Ngoại giao Bùi Thanh Sơn làm trưởng đoàn sang công tác "
    "tại Trùng Khánh, Trung Quốc.\n"
    "Từ năm 2021 đến hết quý I/2024, tỉnh đã cử 62 đoàn với 510 lượt cán bộ đi công tác tại nước ngoài.\n"
    "Năm 2012, thành phố đã ký kết Biên bản ghi nhớ hợp tác phát triển khu vực biên giới với thị Bằng Tường.\n"
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    gazetteer.clear()


def run(*args):
    out = StringIO()
    call_command("read_article", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "bai.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_the_command_prints_the_issues_json_shape_and_writes_nothing(article):
    got = run(str(article), "--json")
    assert set(got) >= {"published", "delegations", "agreements", "figures"}
    assert got["published"] == "2021-06-14"
    (delegation,) = got["delegations"]
    assert {k: delegation[k] for k in ("direction", "start", "start_precision", "leader", "host")} == {
        "direction": "domestic",
        "start": "2021-06-06",
        "start_precision": "day",
        "leader": "Bùi Thanh Sơn",
        "host": "Đoàn Thu Hà",
    }
    assert set(delegation) >= {"end", "leader_title", "partners", "place", "purpose", "excerpt"}
    assert delegation["excerpt"] in ARTICLE
    (agreement,) = got["agreements"]
    assert (agreement["kind"], agreement["signed"], agreement["online"]) == ("mou", "2012-01-01", False)
    assert [p["text"] for p in agreement["parties"]] == ["thành phố", "thị Bằng Tường"]
    figures = {(f["indicator"], f["value"], f["unit"], f["qualifier"]) for f in got["figures"]}
    assert figures == {
        ("outbound_delegations", 62, "delegations", "exact"),
        ("outbound_persons", 510, "persons", "exact"),
    }
    assert {(f["period_start"], f["period_end"]) for f in got["figures"]} == {("2021-01-01", "2024-03-31")}
    assert Delegation.objects.count() == 0


def test_the_given_publication_date_is_used(article):
    assert run(str(article), "--published", "2021-06-20", "--json")["published"] == "2021-06-20"


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Không có tệp"):
        run(str(tmp_path / "khong-co.txt"), "--json")


def test_a_bad_date_is_a_clear_error(article):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run(str(article), "--published", "14/06/2021", "--json")


def test_an_unreadable_database_still_reads_the_article_and_says_why(article, monkeypatch):
    from django.db import OperationalError

    def unreadable(office=None):
        raise OperationalError("no such table: partners_partner")

    monkeypatch.setattr(gazetteer, "gazetteer_for", unreadable)
    out, err = StringIO(), StringIO()
    call_command("read_article", str(article), "--json", stdout=out, stderr=err)
    result = json.loads(out.getvalue())
    assert result["delegations"]  # read all the same, with no partner matched
    assert all(p["partner_id"] is None for d in result["delegations"] for p in d["partners"])
    assert "manage.py migrate" in err.getvalue()
