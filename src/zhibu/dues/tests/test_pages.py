from datetime import date

from django.urls import reverse

from zhibu.audit.models import AuditEntry
from zhibu.dues.models import DuesSettings, Exemption
from zhibu.dues.tests.factories import give_base, pay


def test_summary_page_lists_sub_organisations(tree, login):
    give_base(tree.members.b1)
    pay(tree.members.b1, date(2022, 12, 1))
    html = login(tree.users.district).get(
        reverse("dues:summary", args=[tree.district.code]) + "?month=2022-12"
    )
    text = html.content.decode()
    assert html.status_code == 200
    assert "2022年12月党费汇总" in text
    assert "甲幼儿园党支部" in text and "乙小学党支部" in text


def test_settings_page_saves_rounding_for_the_subtree(tree, login):
    client = login(tree.users.district)
    response = client.post(
        reverse("dues:settings", args=[tree.district.code]), {"rounding": "0.1", "letter_valid_months": "2"}
    )
    assert response.status_code == 302
    assert DuesSettings.objects.unscoped().get(org=tree.district).rounding == "0.1"
    assert AuditEntry.objects.filter(verb="dues.settings").count() == 1
    bad = client.post(
        reverse("dues:settings", args=[tree.district.code]), {"rounding": "1", "letter_valid_months": "0"}
    )
    assert bad.status_code == 400


def test_exemption_through_the_page(tree, login):
    m = tree.members.member_a
    response = login(tree.users.sec_a).post(
        reverse("dues:exemption_add", args=[m.pk]),
        {
            "exemption-kind": "reduce",
            "exemption-reduced_amount": "5",
            "exemption-from_month": "2022-03",
            "exemption-to_month": "2022-05",
            "exemption-reason": "家庭困难",
            "exemption-branch_decided_on": "2022-02-20",
            "exemption-approved_by": "区教体局党委",
            "exemption-approved_on": "2022-02-25",
        },
    )
    assert response.status_code == 302
    row = Exemption.objects.unscoped().get()
    assert (row.from_month, row.to_month, str(row.reduced_amount)) == (
        date(2022, 3, 1),
        date(2022, 5, 1),
        "5.00",
    )


def test_roll_opens_on_the_latest_month_with_payments(tree, login):
    give_base(tree.members.member_a)
    pay(tree.members.member_a, date(2022, 11, 1))
    html = login(tree.users.sec_a).get(reverse("dues:roll", args=[tree.a.code])).content.decode()
    assert "2022年11月党费收缴表" in html
