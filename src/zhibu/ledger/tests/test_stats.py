"""党内统计 counts equal the roster's own counts, change with it, and click through to the people behind them."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from zhibu.ledger import stats
from zhibu.people.models import Member
from zhibu.testing import factories as f

pytestmark = pytest.mark.django_db
ON = date(2022, 12, 31)


def values(t, actor=None, org=None, on=ON) -> dict[str, int]:
    table = stats.table(actor or t.users.district, org or t.district, on)
    return {key: value for section in table.sections for key, value in section.values.items()}


def test_counts_follow_the_roster(tree):
    v = values(tree)
    # tree: branch-a has 3 正式 + 1 预备 (joined 2022-06-01), branch-b has 1 正式; other district not counted.
    assert (v["all"], v["full"], v["probationary"]) == (5, 4, 1)
    assert v["developed"] == 1
    assert v["org:branch"] == 2 and v["org:committee"] == 1 and v["org:group"] == 1
    assert sum(v[k] for k in v if k.startswith("age:")) == 5
    assert sum(v[k] for k in v if k.startswith("edu:")) == 5
    assert v["sex:M"] + v["sex:F"] == 5


def test_a_new_member_changes_every_count_it_belongs_to(tree):
    before = values(tree)
    f.make_member(tree.b, "新党员", status="probationary", joined=date(2022, 7, 1))
    after = values(tree)
    changed = {k for k in after if after[k] != before.get(k)}
    new = Member.objects.unscoped().get(name="新党员")
    sex = "sex:M" if new.gender == "1" else "sex:F"
    eth = "eth:han" if new.ethnicity == "01" else "eth:minority"
    assert {
        "all",
        "probationary",
        "developed",
        "gain:developed",
        sex,
        eth,
        f"developed:{sex}",
        f"developed:{eth}",
    } <= changed
    assert after["all"] == before["all"] + 1 and after["full"] == before["full"]
    age_keys = [k for k in changed if k.startswith("age:")]
    assert len(age_keys) == 1 and after[age_keys[0]] == before[age_keys[0]] + 1


def test_status_and_standing_are_read_at_the_date(tree):
    early = values(tree, on=date(2022, 5, 31))
    assert (early["all"], early["probationary"]) == (4, 0)  # 王明 joined on 2022-06-01


def test_age_band_edges_are_whole_years(tree):
    member = tree.members.b1
    Member.objects.unscoped().filter(pk=member.pk).update(birth_date=date(1992, 1, 1))

    def band_of(on):
        return {
            key
            for key in ("age:30岁及以下", "age:31至35岁")
            if member.pk
            in {m.pk for m in stats.people_behind(tree.users.district, tree.district, on, key)[1]}
        }

    assert band_of(date(2022, 12, 31)) == {"age:30岁及以下"}
    assert band_of(date(2023, 1, 1)) == {"age:31至35岁"}  # 31 on this day


def test_a_secretary_sees_only_the_branch(tree):
    v = values(tree, actor=tree.users.sec_a, org=tree.a)
    assert v["all"] == 4


def test_page_links_each_count_to_the_people(tree, client):
    client.force_login(tree.users.district)
    page = client.get(
        reverse("ledger:stats", args=[tree.district.code]), {"on": "2022-12-31"}
    ).content.decode()
    assert "key=probationary" in page
    people = client.get(
        reverse("ledger:stats_people", args=[tree.district.code]), {"on": "2022-12-31", "key": "probationary"}
    ).content.decode()
    assert "王明" in people and "张文慧" not in people


def test_xlsx_download_has_every_count(tree, client):
    import io

    from openpyxl import load_workbook

    client.force_login(tree.users.district)
    response = client.get(
        reverse("ledger:stats", args=[tree.district.code]), {"on": "2022-12-31", "as": "xlsx"}
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1] == ("类别", "项目", "数量")
    assert ("党员总数", "预备党员", 1) in rows


@pytest.mark.parametrize("query", [{"on": "2022-02-30"}, {"on": "yesterday"}, {"on": "1800-01-01"}])
def test_bad_dates_answer_400(tree, client, query):
    client.force_login(tree.users.district)
    response = client.get(reverse("ledger:stats", args=[tree.district.code]), query)
    assert response.status_code == 400


def test_unknown_count_is_404(tree, client):
    client.force_login(tree.users.district)
    response = client.get(reverse("ledger:stats_people", args=[tree.district.code]), {"key": "nope"})
    assert response.status_code == 404


def test_table_costs_a_fixed_number_of_queries(tree, django_assert_max_num_queries):
    f.make_member(tree.b, "另一党员")
    with django_assert_max_num_queries(6):
        stats.table(tree.users.district, tree.district, ON)


def test_demo_district_counts_equal_the_roster(demo_data):
    from django.contrib.auth import get_user_model

    from zhibu.orgs.models import Organisation

    district = get_user_model()._default_manager.get(username="district")
    org = Organisation.objects.get(code="district-edu")
    v = values(None, actor=district, org=org, on=date(2022, 12, 31))
    low, high = org.subtree_bounds()
    roster = Member.objects.unscoped().filter(
        branch__path__gte=low, branch__path__lte=high, left_on__isnull=True
    )
    assert v["all"] == roster.filter(status__in=["full", "probationary"], joined_on__lte=ON).count() > 0
    assert v["full"] == roster.filter(status="full", confirmed_on__lte=ON).count()
    assert (
        v["sex:F"]
        == roster.filter(status__in=["full", "probationary"], joined_on__lte=ON, gender="2").count()
    )
