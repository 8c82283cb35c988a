from datetime import date
from decimal import Decimal

import pytest

from zhibu.dues import selectors
from zhibu.dues.ledger import level_of, streak
from zhibu.dues.models import Exemption
from zhibu.dues.tests.factories import give_base, pay
from zhibu.membership.tests.factories import make_transfer
from zhibu.orgs import scoping


def months_2022(*numbers):
    return [date(2022, n, 1) for n in numbers]


@pytest.fixture
def dues(tree):
    """Branch A: everyone with a base from January 2022; member_a pays all year, a3 stops after August."""
    m = tree.members
    for member, base in ((m.sec_a, "3200"), (m.member_a, "5400"), (m.a3, "10000"), (m.a4, "11500")):
        give_base(member, date(2022, 1, 1), base)
    for month in months_2022(*range(1, 13)):
        pay(m.member_a, month, "81.00")
        pay(m.sec_a, month, "32.00")
    for month in months_2022(*range(1, 9)):
        pay(m.a3, month, "150.00")
    return tree


@pytest.mark.parametrize(
    "last, expected",
    [(None, 12), (date(2022, 9, 1), 3), (date(2022, 7, 1), 5), (date(2022, 6, 1), 6), (date(2022, 12, 1), 0)],
)
def test_streak_counts_months_after_the_last_covered_one(last, expected):
    assert streak(last_covered=last, start=date(2022, 1, 1), upto=date(2022, 12, 1)) == expected


def test_levels_at_three_five_and_six():
    assert [level_of(n) for n in (0, 2, 3, 4, 5, 6, 9, None)] == [
        "",
        "",
        "warn3",
        "warn3",
        "warn5",
        "case",
        "case",
        "",
    ]


def test_roll_for_a_month(dues, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        data = selectors.roll(actor=dues.users.sec_a, org=dues.a, month=date(2022, 12, 1))
    rows = {r.name: r for r in data.rows}
    assert sorted(rows) == sorted(["张文慧", "李慧欣", "陶俊颖", "王明"])
    assert (rows["张文慧"].due, rows["张文慧"].paid) == (Decimal("32.00"), Decimal("32.00"))
    assert (rows["陶俊颖"].due, rows["陶俊颖"].paid, rows["陶俊颖"].streak, rows["陶俊颖"].level) == (
        Decimal("150.00"),
        None,
        4,
        "warn3",
    )
    # 王明 is 预备党员 from 2022-06: owes from June (DF-09), paid nothing → 7 months → a case for the committee
    assert (rows["王明"].due, rows["王明"].streak, rows["王明"].level) == (Decimal("230.00"), 7, "case")
    assert data.due_total == Decimal("493.00")
    assert data.paid_total == Decimal("113.00")
    assert (data.paid_count, data.unpaid_count, data.warned_count) == (2, 2, 2)


def test_arrears_warnings_at_three_five_and_six_months(dues):
    a3 = {
        m: selectors.roll(actor=dues.users.sec_a, org=dues.a, month=m).rows for m in months_2022(10, 11, 12)
    }
    assert [next(r.streak for r in rows if r.name == "陶俊颖") for rows in a3.values()] == [2, 3, 4]
    jan = date(2023, 1, 1)
    feb = date(2023, 2, 1)
    by_month = {
        m: next(
            r for r in selectors.roll(actor=dues.users.sec_a, org=dues.a, month=m).rows if r.name == "陶俊颖"
        )
        for m in (jan, feb)
    }
    assert (by_month[jan].streak, by_month[jan].level) == (5, "warn5")
    assert (by_month[feb].streak, by_month[feb].level, by_month[feb].level_label) == (
        6,
        "case",
        "提请支委会研究",
    )


def test_arrears_never_change_a_status(dues):
    selectors.roll(actor=dues.users.sec_a, org=dues.a, month=date(2023, 6, 1))
    dues.members.a3.refresh_from_db()
    assert (dues.members.a3.status, dues.members.a3.standing) == ("full", "normal")


def test_exempt_months_break_the_streak(dues):
    Exemption.objects.unscoped().create(
        org=dues.a,
        member=dues.members.a3,
        kind="exempt",
        from_month=date(2022, 9, 1),
        to_month=date(2022, 10, 1),
        reason="病",
        branch_decided_on=date(2022, 8, 20),
        approved_by="区党委",
        approved_on=date(2022, 8, 25),
    )
    row = next(
        r
        for r in selectors.roll(actor=dues.users.sec_a, org=dues.a, month=date(2022, 12, 1)).rows
        if r.name == "陶俊颖"
    )
    assert (row.streak, row.level) == (2, "")
    october = next(
        r
        for r in selectors.roll(actor=dues.users.sec_a, org=dues.a, month=date(2022, 10, 1)).rows
        if r.name == "陶俊颖"
    )
    assert (october.due, october.relief) == (Decimal("0.00"), "免交")


def test_member_without_a_base_shows_as_not_assessed(tree):
    data = selectors.roll(actor=tree.users.sec_b, org=tree.b, month=date(2022, 12, 1))
    assert [(r.name, r.due, r.streak) for r in data.rows] == [("赵乙一", None, None)]
    assert data.no_base_count == 1


def test_member_in_transit_is_marked(dues):
    make_transfer(dues, member=dues.members.member_a)
    row = next(
        r
        for r in selectors.roll(actor=dues.users.sec_a, org=dues.a, month=date(2022, 12, 1)).rows
        if r.name == "李慧欣"
    )
    assert row.transfer_out is True


def test_committee_roll_and_summary_cover_the_subtree(dues):
    give_base(dues.members.b1, date(2022, 1, 1), "3200")
    pay(dues.members.b1, date(2022, 12, 1), "32.00")
    data = selectors.roll(actor=dues.users.district, org=dues.district, month=date(2022, 12, 1))
    assert len(data.rows) == 5
    rows, total = selectors.summary(actor=dues.users.district, org=dues.district, month=date(2022, 12, 1))
    assert [
        (r.org.code, r.members, r.paid_count, r.due_total, r.paid_total, r.unpaid_count, r.warned_count)
        for r in rows
    ] == [
        ("branch-a", 4, 2, Decimal("493.00"), Decimal("113.00"), 2, 2),
        ("branch-b", 1, 1, Decimal("32.00"), Decimal("32.00"), 0, 0),
    ]
    assert (total.members, total.paid_total, total.rate) == (5, Decimal("145.00"), "60%")


def test_roll_outside_scope_is_not_visible(dues):
    with pytest.raises(scoping.NotVisible):
        selectors.roll(actor=dues.users.sec_b, org=dues.a, month=date(2022, 12, 1))
    with pytest.raises(scoping.NotVisible):
        selectors.roll(actor=dues.users.member_a, org=dues.a, month=date(2022, 12, 1))


def test_roll_agrees_with_the_ledger_month_by_month(dues):
    """The roll applies the rules inline for speed; the ledger is the reference used by services and the watch."""
    from zhibu.dues.ledger import Ledger
    from zhibu.orgs.roles import Action

    m = dues.members
    give_base(m.a3, date(2022, 10, 1), "3000", income_type="retired")
    Exemption.objects.unscoped().create(
        org=dues.a,
        member=m.a4,
        kind="reduce",
        reduced_amount=Decimal("20"),
        from_month=date(2022, 8, 1),
        to_month=date(2022, 9, 1),
        reason="困难",
        branch_decided_on=date(2022, 7, 20),
        approved_by="区党委",
        approved_on=date(2022, 7, 25),
    )
    Exemption.objects.unscoped().create(
        org=dues.a,
        member=m.a3,
        kind="exempt",
        from_month=date(2022, 11, 1),
        to_month=date(2022, 11, 1),
        reason="病",
        branch_decided_on=date(2022, 10, 20),
        approved_by="区党委",
        approved_on=date(2022, 10, 25),
    )
    ledger = Ledger.load(
        actor=dues.users.sec_a,
        action=Action.VIEW,
        member_filter={"member__branch": dues.a},
        branch_paths=[dues.a.path],
    )
    paid = {}
    for p in selectors.DuesPayment.objects.unscoped().values_list("member_id", "month"):
        paid.setdefault(p[0], []).append(p[1])
    for n in range(1, 13):
        month = date(2022, n, 1)
        for row in selectors.roll(actor=dues.users.sec_a, org=dues.a, month=month).rows:
            member = next(x for x in (m.sec_a, m.member_a, m.a3, m.a4) if x.pk == row.member_id)
            last = max((x for x in paid.get(member.pk, []) if x <= month), default=None)
            assert row.due == ledger.due(member.pk, dues.a.path, month), (member.name, month)
            assert row.streak == ledger.unpaid_streak(member.pk, member.joined_on, last, month), (
                member.name,
                month,
            )
