from datetime import date

from django.urls import reverse

from zhibu.membership.models import Transfer
from zhibu.people.models import Member
from zhibu.testing.factories import make_activity

from .factories import make_transfer


def test_watch_page_lists_warnings(tree, login):
    make_activity(tree.a, "theme-day", date(2022, 1, 10), present=[tree.members.member_a])
    html = login(tree.users.sec_a).get(reverse("membership:watch", args=[tree.a.code])).content.decode()
    assert "组织生活" in html
    assert "提请支委会研究" in html


def test_transfer_in_from_outside_through_the_page(tree, login):
    response = login(tree.users.sec_b).post(
        reverse("membership:transfer_in_new", args=[tree.b.code]),
        {
            "member": tree.members.b1.pk,
            "outside_org": "中共某县第二中学支部",
            "serial": "WX-1",
            "channel": "paper",
            "issued_on": "2022-03-01",
            "received_on": "2022-03-05",
            "dues_paid_to": "2022-02",
        },
    )
    assert response.status_code == 302
    t = Transfer.objects.unscoped().get()
    assert (t.kind, t.status, t.dues_paid_to) == ("in", "received", date(2022, 2, 1))


def test_transfer_in_cannot_pick_a_member_of_another_branch(tree, login):
    response = login(tree.users.sec_b).post(
        reverse("membership:transfer_in_new", args=[tree.b.code]),
        {
            "member": tree.members.member_a.pk,
            "outside_org": "某支部",
            "serial": "WX-1",
            "channel": "paper",
            "issued_on": "2022-03-01",
            "received_on": "2022-03-05",
        },
    )
    assert response.status_code == 400
    assert Transfer.objects.unscoped().count() == 0


def test_member_page_shows_transfer_in_progress(tree, login):
    make_transfer(tree)
    html = (
        login(tree.users.sec_a).get(reverse("dues:member", args=[tree.members.member_a.pk])).content.decode()
    )
    assert "转出未接收" in html
    roll = (
        login(tree.users.sec_a)
        .get(reverse("dues:roll", args=[tree.a.code]) + "?month=2022-12")
        .content.decode()
    )
    assert "转出未接收" in roll


def test_watch_page_as_of_a_date(tree, login):
    make_activity(tree.a, "theme-day", date(2022, 9, 10), present=[tree.members.member_a, tree.members.a3])
    client = login(tree.users.sec_a)
    html = client.get(reverse("membership:watch", args=[tree.a.code]) + "?on=2022-10-31").content.decode()
    assert "李慧欣" not in html
    assert client.get(reverse("membership:watch", args=[tree.a.code]) + "?on=2022-13-01").status_code == 400


def test_transfer_accepted_through_the_pages(tree, login):
    t = make_transfer(tree, issued_on=date(2022, 12, 1), valid_until=date(2023, 3, 1))
    client = login(tree.users.sec_b)
    assert "李慧欣" in client.get(reverse("membership:transfers_index")).content.decode()
    bad = client.post(reverse("membership:transfer_receive", args=[t.pk]), {"received_on": "2022-11-01"})
    assert bad.status_code == 400
    assert "接收日期不能早于开具日期" in bad.content.decode()
    ok = client.post(reverse("membership:transfer_receive", args=[t.pk]), {"received_on": "2022-12-10"})
    assert ok.status_code == 302
    assert Member.objects.unscoped().get(pk=tree.members.member_a.pk).branch == tree.b


def test_transfer_to_self_through_the_page_is_refused(tree, login):
    response = login(tree.users.sec_a).post(
        reverse("membership:transfer_new", args=[tree.members.member_a.pk]),
        {
            "kind": "internal",
            "to_org_code": tree.a.code,
            "serial": "J-1",
            "channel": "paper",
            "issued_on": "2022-12-01",
        },
    )
    assert response.status_code == 400
    assert "不能把组织关系转到本支部" in response.content.decode()
    assert Transfer.objects.unscoped().count() == 0


def test_the_member_page_forms_of_dues_and_membership_are_posted_by_one_helper():
    """The contact and 流动党员 panels are forms of the dues member page: they post through dues' helper, not a
    copy of it."""
    import inspect

    from zhibu.dues import views as dues_views
    from zhibu.membership import views as membership_views

    assert membership_views.member_form_post is dues_views.member_form_post
    assert "def _member_post" not in inspect.getsource(membership_views)
    assert "def _member_post" not in inspect.getsource(dues_views)


def test_a_contact_panel_error_shows_on_the_member_page_and_a_good_one_goes_back_to_it(tree, login):
    from zhibu.membership.models import ContactLog

    client = login(tree.users.sec_a)
    url = reverse("membership:contact_add", args=[tree.members.a3.pk])
    response = client.post(url, {"contact-contacted_on": "", "contact-way": "电话"})
    assert response.status_code == 400
    assert response.context["member"] == tree.members.a3
    assert response.context["panels"][1]["forms"]["contact"].errors["contacted_on"] == ["这个字段是必填项。"]
    assert not ContactLog.objects.unscoped().filter(member=tree.members.a3).exists()
    response = client.post(url, {"contact-contacted_on": "2022-07-01", "contact-way": "电话"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dues:member", args=[tree.members.a3.pk])
    assert ContactLog.objects.unscoped().get(member=tree.members.a3).way == "电话"
