from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhibu.orgs import scoping
from zhibu.study import selectors, services
from zhibu.study.models import StudyTarget

from .helpers import points


@pytest.fixture
def day(tree):
    m = tree.members
    points(m.sec_a, date(2022, 12, 1), 40, 1000)
    points(m.member_a, date(2022, 12, 1), 52, 900)
    points(m.a3, date(2022, 12, 1), 0, 800)
    points(m.b1, date(2022, 12, 1), 30, 700)
    return date(2022, 12, 1)


def test_daily_sheet_lists_who_studied_in_name_order(tree, day):
    sheet = selectors.daily(tree.users.member_a, tree.a, day)
    assert [(r.name, r.day_points, r.total_points) for r in sheet.rows] == [
        ("李慧欣", 52, 900),
        ("张文慧", 40, 1000),
    ]
    assert (sheet.roster, sheet.studied, sheet.points) == (4, 2, 92)


def test_plain_member_views_own_branch_daily_page_not_another(tree, day, login):
    client = login(tree.users.member_a)
    response = client.get(reverse("study:daily", args=[tree.a.code]) + "?date=2022-12-01")
    assert response.status_code == 200
    text = response.content.decode()
    assert "本支部党员 4 人，当日参加学习 <strong>2</strong> 人；合计 92 分" in text
    assert "李慧欣" in text and "赵乙一" not in text
    assert client.get(reverse("study:daily", args=[tree.b.code]) + "?date=2022-12-01").status_code == 404
    assert client.get(reverse("api:study_daily", args=[tree.b.code])).status_code == 404


def test_daily_page_defaults_to_latest_day_and_api_agrees(tree, day, login):
    client = login(tree.users.sec_a)
    assert "2022年12月1日" in client.get(reverse("study:daily", args=[tree.a.code])).content.decode()
    api = client.get(reverse("api:study_daily", args=[tree.a.code])).json()
    assert api == {
        "org": "branch-a",
        "date": "2022-12-01",
        "roster": 4,
        "studied": 2,
        "studied_party": 2,
        "points": 92,
        "rows": [
            {"name": "李慧欣", "day_points": 52, "total_points": 900, "party_member": True},
            {"name": "张文慧", "day_points": 40, "total_points": 1000, "party_member": True},
        ],
    }


def test_bad_date_is_400(tree, login):
    response = login(tree.users.sec_a).get(reverse("study:daily", args=[tree.a.code]) + "?date=2022-02-30")
    assert response.status_code == 400 and "日期“2022-02-30”无效" in response.content.decode()


def test_svg_image_of_the_day(tree, day, login):
    response = login(tree.users.member_a).get(
        reverse("study:daily_svg", args=[tree.a.code]) + "?date=2022-12-01"
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    text = response.content.decode()
    assert text.startswith("<?xml") and "党员 2/4 人参加学习" in text and ">李慧欣</text>" in text


def test_target_is_shown_on_the_branch_page_only(tree, day, login):
    services.target_set(actor=tree.users.sec_a, org=tree.a, monthly_avg_points=600)
    text = (
        login(tree.users.sec_a)
        .get(reverse("study:daily", args=[tree.a.code]) + "?date=2022-12-01")
        .content.decode()
    )
    assert "月人均 600 分" in text and "本月截至当日人均 23.0 分" in text
    assert (
        "600" not in login(tree.users.sec_b).get(reverse("study:daily", args=[tree.b.code])).content.decode()
    )


def test_target_rules(tree):
    with pytest.raises(ValidationError):
        services.target_set(actor=scoping.SYSTEM, org=tree.district, monthly_avg_points=100)
    with pytest.raises(scoping.NotVisible):
        services.target_set(actor=tree.users.member_a, org=tree.a, monthly_avg_points=100)
    with pytest.raises(ValidationError):
        services.target_set(actor=tree.users.sec_a, org=tree.a, monthly_avg_points=0)
    assert not StudyTarget.objects.unscoped().exists()
    services.target_set(actor=tree.users.sec_a, org=tree.a, monthly_avg_points=500)
    services.target_set(actor=tree.users.sec_a, org=tree.a, monthly_avg_points=None)
    assert not StudyTarget.objects.unscoped().exists()


def test_overview_pages(tree, day, login):
    client = login(tree.users.district)
    text = client.get(reverse("study:overview", args=[tree.district.code])).content.decode()
    assert "甲幼儿园党支部" in text and "乙小学党支部" in text and "另一区" not in text
    assert login(tree.users.member_a).get(reverse("study:index")).url == reverse(
        "study:overview", args=["branch-a"]
    )


def test_daily_page_queries_do_not_grow_with_members(tree, login, django_assert_max_num_queries):
    from zhibu.testing import factories as f

    for n in range(15):
        points(f.make_member(tree.a, f"新成员{n}"), date(2022, 12, 1), 10 + n)
    client = login(tree.users.sec_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("study:daily", args=[tree.a.code]) + "?date=2022-12-01")
    assert "当日参加学习 <strong>15</strong> 人" in response.content.decode()


def test_applicants_who_study_are_listed_but_not_counted_as_members(tree, day):
    from zhibu.testing import factories as f

    points(f.make_member(tree.a, "马申请", status="applicant"), date(2022, 12, 1), 20)
    sheet = selectors.daily(tree.users.sec_a, tree.a, date(2022, 12, 1))
    assert (sheet.roster, sheet.studied, sheet.studied_party, sheet.studied_others, sheet.points) == (
        4,
        3,
        2,
        1,
        112,
    )
    assert [(r.name, r.party_member) for r in sheet.rows] == [
        ("李慧欣", True),
        ("马申请", False),
        ("张文慧", True),
    ]
