from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.audit.models import AuditEntry
from zhibu.dues import services
from zhibu.dues.brackets import IncomeType
from zhibu.dues.models import DuesBase, DuesPayment, DuesSettings, Exemption, ExtraPayment, Period

from .factories import give_base, pay


def payments():
    return DuesPayment.objects.unscoped()


def test_payment_uses_the_base_in_force_that_month(tree):
    m = tree.members.member_a
    give_base(m, date(2022, 1, 1), "3200")
    give_base(m, date(2022, 7, 1), "5400")  # pay rise from July (DF-07)
    june = services.payment_record(
        actor=tree.users.sec_a, member=m, month=date(2022, 6, 1), paid_on=date(2022, 6, 5)
    )
    july = services.payment_record(
        actor=tree.users.sec_a, member=m, month=date(2022, 7, 1), paid_on=date(2022, 7, 5)
    )
    assert (june[0].due, june[0].amount) == (Decimal("32.00"), Decimal("32.00"))
    assert july[0].due == Decimal("81.00")
    assert july[0].org == tree.a
    assert AuditEntry.objects.filter(verb="dues.payment").count() == 2


def test_second_payment_for_a_paid_month_is_refused_and_nothing_saved(tree):
    m = tree.members.member_a
    give_base(m)
    services.payment_record(
        actor=tree.users.sec_a, member=m, month=date(2022, 9, 1), paid_on=date(2022, 9, 5)
    )
    with pytest.raises(ValidationError) as exc:
        services.payment_record(
            actor=tree.users.sec_a,
            member=m,
            month=date(2022, 9, 1),
            paid_on=date(2022, 9, 20),
            amount=Decimal("40"),
        )
    assert "2022年9月的党费已经交过，不能重复交纳" in str(exc.value)
    assert list(payments().values_list("month", "amount")) == [(date(2022, 9, 1), Decimal("32.00"))]
    assert AuditEntry.objects.filter(verb="dues.payment").count() == 1


def test_database_refuses_the_same_month_twice(tree):
    m = tree.members.member_a
    pay(m, date(2022, 9, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        pay(m, date(2022, 9, 1))
    assert payments().count() == 1


def test_quarterly_payment_needs_the_branch_consent(tree):
    m = tree.members.member_a
    give_base(m)
    with pytest.raises(ValidationError, match="按季度交纳须经支部同意"):
        services.payment_record(
            actor=tree.users.sec_a,
            member=m,
            month=date(2022, 4, 1),
            paid_on=date(2022, 6, 30),
            period=Period.QUARTERLY,
        )
    assert payments().count() == 0
    give_base(m, date(2022, 4, 1), "3200", period=Period.QUARTERLY, period_approved_on=date(2022, 3, 20))
    rows = services.payment_record(
        actor=tree.users.sec_a,
        member=m,
        month=date(2022, 5, 1),
        paid_on=date(2022, 6, 30),
        period=Period.QUARTERLY,
    )
    assert [(r.month, r.amount, r.late_months) for r in rows] == [
        (date(2022, 4, 1), Decimal("32.00"), 2),
        (date(2022, 5, 1), Decimal("32.00"), 1),
        (date(2022, 6, 1), Decimal("32.00"), 0),
    ]


def test_quarter_with_a_paid_month_is_refused_whole(tree):
    m = tree.members.member_a
    give_base(m, date(2022, 1, 1), "3200", period=Period.QUARTERLY, period_approved_on=date(2021, 12, 20))
    pay(m, date(2022, 2, 1))
    with pytest.raises(ValidationError, match="2022年2月的党费已经交过"):
        services.payment_record(
            actor=tree.users.sec_a,
            member=m,
            month=date(2022, 1, 1),
            paid_on=date(2022, 3, 30),
            period=Period.QUARTERLY,
        )
    assert payments().count() == 1


def test_late_payment_is_marked_and_older_than_six_months_flagged(tree):
    m = tree.members.member_a
    give_base(m)
    late = services.payment_record(
        actor=tree.users.sec_a, member=m, month=date(2022, 1, 1), paid_on=date(2022, 7, 3)
    )[0]
    very_late = services.payment_record(
        actor=tree.users.sec_a, member=m, month=date(2022, 2, 1), paid_on=date(2022, 9, 3)
    )[0]
    assert (late.late_months, late.late_over_limit) == (6, False)
    assert (very_late.late_months, very_late.late_over_limit) == (7, True)


def test_paying_in_advance_is_refused(tree):
    m = tree.members.member_a
    give_base(m)
    with pytest.raises(ValidationError, match="不得为党员预交党费"):
        services.payment_record(
            actor=tree.users.sec_a, member=m, month=date(2022, 10, 1), paid_on=date(2022, 9, 3)
        )
    assert payments().count() == 0


def test_probationary_member_pays_from_the_month_of_joining(tree):
    m = tree.members.a4  # 预备党员 since 2022-06-01
    give_base(m, date(2022, 1, 1), "3200")
    with pytest.raises(ValidationError, match="《关于中国共产党党费收缴、使用和管理的规定》"):
        services.payment_record(
            actor=tree.users.sec_a, member=m, month=date(2022, 5, 1), paid_on=date(2022, 6, 2)
        )
    rows = services.payment_record(
        actor=tree.users.sec_a, member=m, month=date(2022, 6, 1), paid_on=date(2022, 6, 2)
    )
    assert rows[0].due == Decimal("32.00")


def test_payment_without_a_base_is_refused(tree):
    with pytest.raises(ValidationError, match="没有核定的党费计算基数"):
        services.payment_record(
            actor=tree.users.sec_a,
            member=tree.members.member_a,
            month=date(2022, 9, 1),
            paid_on=date(2022, 9, 3),
        )


def test_negative_base_is_refused(tree):
    with pytest.raises(ValidationError, match="党费计算基数不能为负数"):
        services.base_set(
            actor=tree.users.sec_a,
            member=tree.members.member_a,
            effective_month=date(2022, 1, 1),
            income_type=IncomeType.SALARIED,
            base=Decimal("-1"),
        )
    assert DuesBase.objects.unscoped().count() == 0


def test_negative_base_is_refused_by_the_database(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        give_base(tree.members.member_a, base="-5")


def test_base_set_records_history_and_corrects_the_same_month(tree):
    m = tree.members.member_a
    services.base_set(
        actor=tree.users.sec_a,
        member=m,
        effective_month=date(2022, 1, 1),
        income_type=IncomeType.SALARIED,
        base=Decimal("3200"),
    )
    services.base_set(
        actor=tree.users.sec_a,
        member=m,
        effective_month=date(2022, 1, 1),
        income_type=IncomeType.SALARIED,
        base=Decimal("3300"),
    )
    services.base_set(
        actor=tree.users.sec_a,
        member=m,
        effective_month=date(2023, 1, 1),
        income_type=IncomeType.RETIRED,
        base=Decimal("5001"),
    )
    rows = list(
        DuesBase.objects.unscoped().order_by("effective_month").values_list("effective_month", "base")
    )
    assert rows == [(date(2022, 1, 1), Decimal("3300.00")), (date(2023, 1, 1), Decimal("5001.00"))]
    assert list(
        AuditEntry.objects.filter(verb__startswith="dues.base").order_by("id").values_list("verb", flat=True)
    ) == ["dues.base_set", "dues.base_update", "dues.base_set"]


def test_farmer_amount_must_lie_between_two_jiao_and_one_yuan(tree):
    m = tree.members.member_a
    for wrong in ("0.1", "1.5"):
        with pytest.raises(ValidationError, match="0.2–1 元"):
            services.base_set(
                actor=tree.users.sec_a,
                member=m,
                effective_month=date(2022, 1, 1),
                income_type=IncomeType.FARMER,
                chosen_amount=Decimal(wrong),
            )
    row = services.base_set(
        actor=tree.users.sec_a,
        member=m,
        effective_month=date(2022, 1, 1),
        income_type=IncomeType.FARMER,
        chosen_amount=Decimal("0.5"),
        base=Decimal("999"),
    )
    assert (row.base, row.chosen_amount) == (None, Decimal("0.5"))
    paid = services.payment_record(
        actor=tree.users.sec_a, member=m, month=date(2022, 1, 1), paid_on=date(2022, 1, 9)
    )
    assert paid[0].due == Decimal("0.50")


def test_student_pays_two_jiao(tree):
    m = tree.members.member_a
    services.base_set(
        actor=tree.users.sec_a, member=m, effective_month=date(2022, 1, 1), income_type=IncomeType.STUDENT
    )
    paid = services.payment_record(
        actor=tree.users.sec_a, member=m, month=date(2022, 2, 1), paid_on=date(2022, 2, 9)
    )
    assert paid[0].due == Decimal("0.20")


def test_organisation_rounding_to_the_jiao_applies_below_it(tree):
    DuesSettings.objects.unscoped().create(org=tree.district, rounding="0.1")
    m = tree.members.member_a
    give_base(m, base="2010")
    paid = services.payment_record(
        actor=tree.users.sec_a, member=m, month=date(2022, 2, 1), paid_on=date(2022, 2, 9)
    )
    assert paid[0].due == Decimal("10.10")


def test_exemption_and_reduction_change_what_is_due(tree):
    m = tree.members.member_a
    give_base(m, base="5400")
    services.exemption_add(
        actor=tree.users.sec_a,
        member=m,
        kind=Exemption.Kind.EXEMPT,
        from_month=date(2022, 3, 1),
        to_month=date(2022, 4, 1),
        reason="重病住院",
        branch_decided_on=date(2022, 2, 20),
        approved_by="区教体局党委",
        approved_on=date(2022, 2, 25),
    )
    services.exemption_add(
        actor=tree.users.sec_a,
        member=m,
        kind=Exemption.Kind.REDUCE,
        from_month=date(2022, 5, 1),
        to_month=date(2022, 5, 1),
        reduced_amount=Decimal("10"),
        reason="家庭困难",
        branch_decided_on=date(2022, 4, 20),
        approved_by="区教体局党委",
        approved_on=date(2022, 4, 25),
    )
    dues = [
        services.payment_record(
            actor=tree.users.sec_a, member=m, month=date(2022, n, 1), paid_on=date(2022, n, 9)
        )[0].due
        for n in (3, 5, 6)
    ]
    assert dues == [Decimal("0.00"), Decimal("10.00"), Decimal("81.00")]


def test_exemption_needs_branch_discussion_before_approval(tree):
    with pytest.raises(ValidationError, match="先支部讨论"):
        services.exemption_add(
            actor=tree.users.sec_a,
            member=tree.members.member_a,
            kind=Exemption.Kind.EXEMPT,
            from_month=date(2022, 3, 1),
            to_month=date(2022, 4, 1),
            reason="病",
            branch_decided_on=date(2022, 2, 20),
            approved_by="区教体局党委",
            approved_on=date(2022, 2, 10),
        )
    assert Exemption.objects.unscoped().count() == 0


def test_voluntary_payment_of_a_thousand_goes_to_the_centre(tree):
    m = tree.members.member_a
    small = services.extra_add(
        actor=tree.users.sec_a, member=m, paid_on=date(2022, 7, 1), amount=Decimal("999.99")
    )
    big = services.extra_add(
        actor=tree.users.sec_a, member=m, paid_on=date(2022, 7, 1), amount=Decimal("1000")
    )
    assert (small.to_centre, big.to_centre) == (False, True)
    assert ExtraPayment.objects.unscoped().count() == 2


def test_secretary_cannot_record_for_another_branch(tree):
    m = tree.members.b1
    give_base(m)
    with pytest.raises(Exception) as exc:
        services.payment_record(
            actor=tree.users.sec_a, member=m, month=date(2022, 9, 1), paid_on=date(2022, 9, 3)
        )
    assert exc.value.__class__.__name__ == "NotVisible"
    assert payments().count() == 0


def test_member_role_cannot_record(tree):
    m = tree.members.member_a
    give_base(m)
    with pytest.raises(Exception) as exc:
        services.payment_record(
            actor=tree.users.member_a, member=m, month=date(2022, 9, 1), paid_on=date(2022, 9, 3)
        )
    assert exc.value.__class__.__name__ == "NotVisible"
    assert payments().count() == 0
