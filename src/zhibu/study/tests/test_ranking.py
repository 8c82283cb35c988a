from datetime import date

import pytest
from django.urls import reverse

from zhibu.audit.models import AuditEntry
from zhibu.orgs import scoping
from zhibu.study import selectors, services
from zhibu.study.models import RankingSetting
from zhibu.testing import factories as f

from .helpers import points


@pytest.fixture
def december(tree):
    """Branch A: 4 party members, 120 points, 2 studied. Branch B: 1 member, 35 points. Branch C: 2 members,
    60 points, 1 studied (ties with A on both figures)."""
    m = tree.members
    points(m.sec_a, date(2022, 12, 1), 40)
    points(m.sec_a, date(2022, 12, 2), 30)
    points(m.member_a, date(2022, 12, 1), 50)
    points(m.a3, date(2022, 12, 1), 0)  # a row with no points is not participation
    points(m.member_a, date(2022, 11, 30), 99)  # another month
    activist = f.make_member(tree.a, "钱积极", status="activist")
    points(activist, date(2022, 12, 3), 100)  # not a party member: not counted
    gone = f.make_member(tree.a, "周调出")
    gone.left_on = date(2022, 11, 20)
    gone.save()
    points(m.b1, date(2022, 12, 5), 35)
    c = f.make_org("branch-c", "丙幼儿园党支部", parent=tree.district)
    c1 = f.make_member(c, "吴丙一")
    f.make_member(c, "郑丙二")
    points(c1, date(2022, 12, 31), 60)
    f.make_member(c, "冯新", status="probationary", joined=date(2023, 1, 5))  # joined after December
    points(m.other1, date(2022, 12, 1), 500)  # another district
    return c


def test_ranking_numbers_are_exact(tree, december):
    RankingSetting.objects.unscoped().create(org=tree.district, enabled=True)
    rows = selectors.ranking(tree.users.district, tree.district, 2022, 12)
    assert [
        (r.org.code, r.members, r.participants, r.points, r.avg_points, r.participation, r.rank) for r in rows
    ] == [
        ("branch-b", 1, 1, 35, 35.0, 1.0, 1),
        ("branch-a", 4, 2, 120, 30.0, 0.5, 2),
        ("branch-c", 2, 1, 60, 30.0, 0.5, 2),
    ]


def test_ranking_is_hidden_unless_switched_on(tree, december):
    with pytest.raises(scoping.NotVisible):
        selectors.ranking(tree.users.district, tree.district, 2022, 12)


def test_nearest_setting_up_the_tree_decides(tree):
    assert not selectors.rankings_enabled(tree.a)
    RankingSetting.objects.unscoped().create(org=tree.district, enabled=True)
    assert selectors.rankings_enabled(tree.a) and selectors.rankings_enabled(tree.a_group)
    RankingSetting.objects.unscoped().create(org=tree.a, enabled=False)
    assert not selectors.rankings_enabled(tree.a) and not selectors.rankings_enabled(tree.a_group)
    assert selectors.rankings_enabled(tree.b) and not selectors.rankings_enabled(tree.other)


def test_branch_rank_is_computed_whatever_the_switch(tree, december):
    assert selectors.branch_rank(tree.a, 2022, 12) == (2, 3)
    assert selectors.branch_rank(tree.b, 2022, 12) == (1, 3)
    assert selectors.branch_rank(tree.district, 2022, 12) is None
    assert selectors.branch_rank(tree.a, 2022, 10) is None  # nothing imported that month


def test_ranking_page_404_when_off_and_numbers_when_on(tree, december, login):
    client = login(tree.users.district)
    url = reverse("study:ranking", args=[tree.district.code]) + "?month=2022-12"
    assert client.get(url).status_code == 404
    assert client.get(reverse("api:study_ranking", args=[tree.district.code])).status_code == 404
    RankingSetting.objects.unscoped().create(org=tree.district, enabled=True)
    text = client.get(url).content.decode()
    assert "乙小学党支部" in text and "30.0" in text and "50.0%" in text
    api = client.get(reverse("api:study_ranking", args=[tree.district.code]) + "?month=2022-12").json()
    assert [(r["org"], r["rank"], r["avg_points"]) for r in api["rows"]] == [
        ("branch-b", 1, 35.0),
        ("branch-a", 2, 30.0),
        ("branch-c", 2, 30.0),
    ]


def test_branch_sees_its_own_place_when_on(tree, december, login):
    RankingSetting.objects.unscoped().create(org=tree.district, enabled=True)
    text = (
        login(tree.users.sec_a)
        .get(reverse("study:ranking", args=[tree.a.code]) + "?month=2022-12")
        .content.decode()
    )
    assert "所辖 3 个党支部中位列第 <strong>2</strong> 名" in text


def test_month_out_of_range_is_400_with_a_chinese_message(tree, login):
    RankingSetting.objects.unscoped().create(org=tree.district, enabled=True)
    client = login(tree.users.district)
    response = client.get(reverse("study:ranking", args=[tree.district.code]) + "?month=2022-13")
    assert response.status_code == 400
    assert "月份超出范围：2022-13（月份应为 1–12）。" in response.content.decode()
    api = client.get(reverse("api:study_ranking", args=[tree.district.code]) + "?month=2022-13")
    assert api.status_code == 422


def test_ranking_page_queries_do_not_grow_with_branches(tree, december, login, django_assert_max_num_queries):
    RankingSetting.objects.unscoped().create(org=tree.district, enabled=True)
    for n in range(12):
        branch = f.make_org(f"extra-{n:02d}", f"附加{n}号党支部", parent=tree.district)
        member = f.make_member(branch, f"成员{n}")
        points(member, date(2022, 12, 10), n)
    client = login(tree.users.district)
    url = reverse("study:ranking", args=[tree.district.code]) + "?month=2022-12"
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.content.decode().count("<tr>") == 1 + 15


def test_switch_service_needs_supervise_and_audits(tree):
    with pytest.raises(scoping.NotVisible):
        services.ranking_switch(actor=tree.users.sec_a, org=tree.a, enabled=True)
    assert not RankingSetting.objects.unscoped().exists()
    services.ranking_switch(actor=tree.users.district, org=tree.district, enabled=True)
    services.ranking_switch(actor=tree.users.district, org=tree.district, enabled=False)
    assert list(RankingSetting.objects.unscoped().values_list("org__code", "enabled")) == [
        ("district-edu", False)
    ]
    assert list(
        AuditEntry.objects.filter(verb="study.ranking_switch").order_by("id").values_list("detail", flat=True)
    ) == [{"enabled": [None, True]}, {"enabled": [True, False]}]


def test_switch_page(tree, login):
    client = login(tree.users.district)
    url = reverse("study:ranking_switch", args=[tree.district.code])
    assert "未开启" in client.get(url).content.decode()
    assert client.post(url, {"enabled": "on"}).status_code == 302
    assert selectors.rankings_enabled(tree.b)
