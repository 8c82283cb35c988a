from datetime import date

from zhibu.orgs import scoping
from zhibu.records import selectors
from zhibu.testing import factories as f


def _year(tree):
    a, b = tree.a, tree.b
    f.make_activity(a, "committee-meeting", date(2022, 1, 10))
    f.make_activity(a, "committee-meeting", date(2022, 2, 10))
    f.make_activity(a, "theme-day", date(2022, 2, 1))
    f.make_activity(tree.a_group, "group-meeting", date(2022, 2, 3))
    f.make_activity(a, "theme-day", date(2023, 1, 1))  # another year
    f.make_activity(b, "theme-day", date(2022, 2, 2))
    f.make_activity(tree.other_branch, "theme-day", date(2022, 2, 2))


def test_count_by_kind_is_one_query_and_exact(tree, django_assert_num_queries):
    _year(tree)
    actor = tree.users.sec_a
    scoping.prefixes(actor, "view")  # role rows are cached per actor
    with django_assert_num_queries(1):
        counts = selectors.count_by_kind(actor, tree.a, 2022)
    assert counts == {"committee-meeting": 2, "theme-day": 1, "group-meeting": 1}
    assert selectors.count_by_kind(tree.users.district, tree.district, 2022) == {
        "committee-meeting": 2,
        "theme-day": 2,
        "group-meeting": 1,
    }
    assert selectors.count_by_kind(tree.users.member_a, tree.a, 2022)["theme-day"] == 1


def test_month_activities_in_date_order(tree):
    _year(tree)
    rows = selectors.month_activities(tree.users.sec_a, tree.a, 2022, 2)
    assert [(r.held_on.day, r.kind_code, r.org_code) for r in rows] == [
        (1, "theme-day", "branch-a"),
        (3, "group-meeting", "branch-a-g1"),
        (10, "committee-meeting", "branch-a"),
    ]
    assert rows[0].full and rows[0].expected_count == 0
    schedule = selectors.month_activities(tree.users.member_a, tree.a, 2022, 2)
    assert [r.held_on.day for r in schedule] == [1, 3, 10]
    assert not schedule[0].full and schedule[0].expected_count is None


def test_member_attendance_is_their_own(tree):
    m = tree.members
    f.make_activity(tree.a, "theme-day", date(2022, 3, 1), present=[m.member_a, m.sec_a])
    f.make_activity(tree.a, "theme-day", date(2022, 4, 1), present=[m.sec_a], absent=[m.member_a])
    rows = selectors.member_attendance(tree.users.member_a)
    assert [(r.activity.held_on, r.presence) for r in rows] == [
        (date(2022, 4, 1), "absent"),
        (date(2022, 3, 1), "present"),
    ]
    assert selectors.member_attendance(tree.users.member_a, year=2021) == []
    assert selectors.member_attendance(tree.users.outsider) == []


def test_kinds_for_includes_ancestors_only(tree):
    from zhibu.records import services

    services.kind_create(actor=tree.users.district, org=tree.district, name="区级讲评")
    services.kind_create(actor=tree.users.sec_b, org=tree.b, name="乙校读书会")
    names = [k.name for k in selectors.kinds_for(tree.a)]
    assert "区级讲评" in names and "乙校读书会" not in names and len(names) == 13
