from datetime import date

import pytest

from zhibu.audit.models import AuditEntry
from zhibu.dues.tests.factories import give_base, pay
from zhibu.membership import watch
from zhibu.membership.models import ContactLog, MobileRecord
from zhibu.people.models import Member
from zhibu.testing.factories import make_activity

from .factories import make_transfer

DEC = date(2022, 12, 15)


def by_topic(items, topic):
    return {w.name: w for w in items if w.topic == topic}


@pytest.fixture
def life(tree):
    """Branch A meets monthly in 2022. 李慧欣 attends every meeting; 陶俊颖 last attended in September (at a
    party-group meeting); 张文慧 last attended in July; 王明 (joined 2022-06) never attended."""
    m = tree.members
    for month in range(1, 13):
        present = [m.member_a]
        if month <= 7:
            present.append(m.sec_a)
        make_activity(tree.a, "theme-day", date(2022, month, 10), present=present, absent=[m.a3])
    make_activity(tree.a_group, "group-meeting", date(2022, 9, 20), present=[m.a3])
    make_activity(tree.b, "theme-day", date(2022, 12, 1), present=[m.a3])  # another branch: does not count
    return tree


def test_no_organisational_life_counters(life, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        items = watch.watch(actor=life.users.sec_a, org=life.a, on=DEC)
    found = {name: (w.months, w.level) for name, w in by_topic(items, "组织生活").items()}
    assert found == {"陶俊颖": (3, "warn3"), "张文慧": (5, "warn5"), "王明": (7, "case")}


def test_counter_boundaries(life):
    items = watch.watch(actor=life.users.sec_a, org=life.a, on=date(2022, 11, 1))
    assert {n: w.months for n, w in by_topic(items, "组织生活").items()} == {"张文慧": 4, "王明": 6}
    items = watch.watch(actor=life.users.sec_a, org=life.a, on=date(2022, 10, 31))
    assert {n: w.months for n, w in by_topic(items, "组织生活").items()} == {"张文慧": 3, "王明": 5}


def test_no_dues_counters(tree):
    m = tree.members
    for member in (m.sec_a, m.member_a, m.a3):
        give_base(member, date(2022, 1, 1))
    for month in range(1, 13):
        pay(m.member_a, date(2022, month, 1))
    for month in range(1, 8):
        pay(m.a3, date(2022, month, 1))
    items = watch.watch(actor=tree.users.sec_a, org=tree.a, on=DEC)
    assert {n: (w.months, w.level) for n, w in by_topic(items, "党费").items()} == {
        "陶俊颖": (5, "warn5"),
        "张文慧": (12, "case"),
    }


def test_lost_contact_for_six_months_is_listed_for_decision(tree):
    Member.objects.unscoped().filter(pk=tree.members.a3.pk).update(
        lost_contact=True, lost_contact_since=date(2022, 3, 15)
    )
    before = watch.watch(actor=tree.users.sec_a, org=tree.a, on=date(2022, 9, 14))
    after = watch.watch(actor=tree.users.sec_a, org=tree.a, on=date(2022, 9, 15))
    assert (by_topic(before, "失联")["陶俊颖"].months, by_topic(before, "失联")["陶俊颖"].level) == (
        5,
        "notice",
    )
    assert (by_topic(after, "失联")["陶俊颖"].months, by_topic(after, "失联")["陶俊颖"].level) == (6, "case")
    assert "停止党籍" in by_topic(after, "失联")["陶俊颖"].text
    a3 = Member.objects.unscoped().get(pk=tree.members.a3.pk)
    assert (a3.standing, a3.status) == ("normal", "full")  # the system proposes; people decide


def test_mobile_member_needs_contact_every_year(tree):
    a3 = tree.members.a3
    watch.mobile_register(
        actor=tree.users.sec_a,
        member=a3,
        destination="广东省深圳市",
        left_on=date(2021, 3, 1),
        host_org="深圳某区流动党员党支部",
        card_number="LD-001",
        card_issued_on=date(2021, 2, 25),
    )
    items = by_topic(watch.watch(actor=tree.users.sec_a, org=tree.a, on=date(2022, 3, 1)), "流动党员")
    assert (items["陶俊颖"].months, items["陶俊颖"].rule) == (12, "《中国共产党党员教育管理工作条例》")
    watch.contact_add(actor=tree.users.sec_a, member=a3, contacted_on=date(2022, 2, 1), way="电话")
    assert by_topic(watch.watch(actor=tree.users.sec_a, org=tree.a, on=date(2022, 3, 1)), "流动党员") == {}
    assert AuditEntry.objects.filter(verb__in=["member.mobile", "member.contact"]).count() == 2
    assert ContactLog.objects.unscoped().count() == 1


def test_mobile_member_away_six_months_without_a_card_should_transfer(tree):
    watch.mobile_register(
        actor=tree.users.sec_a, member=tree.members.a3, destination="青岛", left_on=date(2022, 1, 10)
    )
    watch.contact_add(actor=tree.users.sec_a, member=tree.members.a3, contacted_on=date(2022, 7, 1))
    items = [
        w
        for w in watch.watch(actor=tree.users.sec_a, org=tree.a, on=date(2022, 7, 10))
        if w.topic == "流动党员"
    ]
    assert [w.rule for w in items] == ["《中国共产党党员教育管理工作条例》第二十五条"]


def test_second_open_mobile_record_is_refused_and_return_closes_it(tree):
    watch.mobile_register(
        actor=tree.users.sec_a, member=tree.members.a3, destination="青岛", left_on=date(2022, 1, 10)
    )
    with pytest.raises(Exception, match="已登记为流动党员"):
        watch.mobile_register(
            actor=tree.users.sec_a, member=tree.members.a3, destination="济南", left_on=date(2022, 2, 10)
        )
    watch.mobile_return(actor=tree.users.sec_a, member=tree.members.a3, returned_on=date(2022, 5, 1))
    assert list(MobileRecord.objects.unscoped().values_list("returned_on", flat=True)) == [date(2022, 5, 1)]


def test_expired_letter_shows_in_the_watch(tree):
    make_transfer(tree, issued_on=date(2022, 8, 1), valid_until=date(2022, 11, 1))
    items = by_topic(watch.watch(actor=tree.users.sec_a, org=tree.a, on=DEC), "组织关系")
    assert items["李慧欣"].rule == "组织关系介绍信有效期（本地规定）"


def test_watch_of_a_committee_stays_bounded(life, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        watch.watch(actor=life.users.district, org=life.district, on=DEC)


# -- 请假 with a reason is not a missed meeting ---------------------------------------------------------------------


@pytest.fixture
def maternity(tree):
    """Branch A meets on the 10th of each month in 2022. 陶俊颖 attends in January, misses February to April, is on
    产假 in May (请假 with a reason), and misses June to August."""
    from zhibu.records.models import Attendance

    m = tree.members
    for month in range(1, 9):
        activity = make_activity(
            tree.a,
            "theme-day",
            date(2022, month, 10),
            present=[m.member_a, m.sec_a] + ([m.a3] if month == 1 else []),
            absent=[m.a3] if month not in (1, 5) else [],
        )
        if month == 5:
            Attendance.objects.unscoped().create(
                activity=activity, member=m.a3, presence="leave", reason="产假"
            )
    return tree


def test_leave_month_breaks_the_six_month_run(maternity):
    items = by_topic(
        watch.watch(actor=maternity.users.sec_a, org=maternity.a, on=date(2022, 8, 20)), "组织生活"
    )
    warning = items["陶俊颖"]
    # without the 请假 month this would be February to August, seven months and a case for the committee
    assert (warning.months, warning.level) == (3, "warn3")
    assert warning.text == (
        "连续3个月无正当理由未参加组织生活（最后一次出席是2022-01-10；2022年5月（产假）请假，"
        "有正当理由，不计为缺席）。"
    )


def test_leave_without_a_reason_does_not_excuse(maternity):
    from zhibu.records.models import Attendance

    Attendance.objects.unscoped().filter(presence="leave").update(reason="")
    items = by_topic(
        watch.watch(actor=maternity.users.sec_a, org=maternity.a, on=date(2022, 8, 20)), "组织生活"
    )
    assert (items["陶俊颖"].months, items["陶俊颖"].level) == (7, "case")


def test_watch_page_and_api_name_the_leave_month(maternity, login):
    from django.urls import reverse

    client = login(maternity.users.sec_a)
    page = client.get(
        reverse("membership:watch", args=[maternity.a.code]), {"on": "2022-08-20"}
    ).content.decode()
    assert "2022年5月（产假）请假，有正当理由，不计为缺席" in page
    rows = client.get(reverse("api:dues_watch", args=[maternity.a.code]), {"on": "2022-08-20"}).json()
    life = [r for r in rows if r["topic"] == "组织生活" and r["name"] == "陶俊颖"]
    assert [(r["months"], r["level"]) for r in life] == [(3, "warn3")]
