from datetime import date

from django.urls import reverse

from zhibu.audit.models import AuditEntry
from zhibu.dues.models import DuesSettings, Exemption
from zhibu.dues.tests.factories import give_base, pay
from zhibu.membership.models import Transfer
from zhibu.membership.tests.factories import make_transfer
from zhibu.testing.factories import make_activity


def test_summary_page_lists_sub_organisations(tree, login):
    give_base(tree.members.b1)
    pay(tree.members.b1, date(2022, 12, 1))
    html = login(tree.users.district).get(reverse("dues:summary", args=[tree.district.code]) + "?month=2022-12")
    text = html.content.decode()
    assert html.status_code == 200
    assert "2022年12月党费汇总" in text
    assert "甲幼儿园党支部" in text and "乙小学党支部" in text


def test_watch_page_lists_warnings(tree, login):
    make_activity(tree.a, "theme-day", date(2022, 1, 10), present=[tree.members.member_a])
    html = login(tree.users.sec_a).get(reverse("membership:watch", args=[tree.a.code])).content.decode()
    assert "组织生活" in html
    assert "提请支委会研究" in html


def test_settings_page_saves_rounding_for_the_subtree(tree, login):
    client = login(tree.users.district)
    response = client.post(reverse("dues:settings", args=[tree.district.code]),
                           {"rounding": "0.1", "letter_valid_months": "2"})
    assert response.status_code == 302
    assert DuesSettings.objects.get(org=tree.district).rounding == "0.1"
    assert AuditEntry.objects.filter(verb="dues.settings").count() == 1
    bad = client.post(reverse("dues:settings", args=[tree.district.code]), {"rounding": "1", "letter_valid_months": "0"})
    assert bad.status_code == 400


def test_exemption_through_the_page(tree, login):
    m = tree.members.member_a
    response = login(tree.users.sec_a).post(reverse("dues:exemption_add", args=[m.pk]), {
        "exemption-kind": "reduce", "exemption-reduced_amount": "5", "exemption-from_month": "2022-03",
        "exemption-to_month": "2022-05", "exemption-reason": "家庭困难", "exemption-branch_decided_on": "2022-02-20",
        "exemption-approved_by": "区教体局党委", "exemption-approved_on": "2022-02-25"})
    assert response.status_code == 302
    row = Exemption.objects.unscoped().get()
    assert (row.from_month, row.to_month, str(row.reduced_amount)) == (date(2022, 3, 1), date(2022, 5, 1), "5.00")


def test_transfer_in_from_outside_through_the_page(tree, login):
    response = login(tree.users.sec_b).post(reverse("membership:transfer_in_new", args=[tree.b.code]), {
        "member": tree.members.b1.pk, "outside_org": "中共某县第二中学支部", "serial": "WX-1", "channel": "paper",
        "issued_on": "2022-03-01", "received_on": "2022-03-05", "dues_paid_to": "2022-02"})
    assert response.status_code == 302
    t = Transfer.objects.unscoped().get()
    assert (t.kind, t.status, t.dues_paid_to) == ("in", "received", date(2022, 2, 1))


def test_transfer_in_cannot_pick_a_member_of_another_branch(tree, login):
    response = login(tree.users.sec_b).post(reverse("membership:transfer_in_new", args=[tree.b.code]), {
        "member": tree.members.member_a.pk, "outside_org": "某支部", "serial": "WX-1", "channel": "paper",
        "issued_on": "2022-03-01", "received_on": "2022-03-05"})
    assert response.status_code == 400
    assert Transfer.objects.unscoped().count() == 0


def test_member_page_shows_transfer_in_progress(tree, login):
    make_transfer(tree)
    html = login(tree.users.sec_a).get(reverse("dues:member", args=[tree.members.member_a.pk])).content.decode()
    assert "转出未接收" in html
    roll = login(tree.users.sec_a).get(reverse("dues:roll", args=[tree.a.code]) + "?month=2022-12").content.decode()
    assert "转出未接收" in roll


def test_roll_opens_on_the_latest_month_with_payments(tree, login):
    give_base(tree.members.member_a)
    pay(tree.members.member_a, date(2022, 11, 1))
    html = login(tree.users.sec_a).get(reverse("dues:roll", args=[tree.a.code])).content.decode()
    assert "2022年11月党费收缴表" in html


def test_watch_page_as_of_a_date(tree, login):
    make_activity(tree.a, "theme-day", date(2022, 9, 10), present=[tree.members.member_a, tree.members.a3])
    client = login(tree.users.sec_a)
    html = client.get(reverse("membership:watch", args=[tree.a.code]) + "?on=2022-10-31").content.decode()
    assert "李慧欣" not in html
    assert client.get(reverse("membership:watch", args=[tree.a.code]) + "?on=2022-13-01").status_code == 400
