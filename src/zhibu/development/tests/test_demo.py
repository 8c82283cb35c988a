"""The demo's development cases: the kindergarten's two 2022 changes come from cases, other branches at stages."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from zhibu.development import selectors, services
from zhibu.development.models import Case, StepRecord
from zhibu.orgs.scoping import SYSTEM
from zhibu.people.models import StatusEvent


def test_demo_cases_and_2022_figures(demo_data, client):
    kg = demo_data.orgs["wolongshan-kg"]
    zhu = Case.objects.unscoped().get(member__name="朱晓彤")
    qin = Case.objects.unscoped().get(member__name="秦雪")
    assert (zhu.org, zhu.ruleset, zhu.stage, zhu.next_step) == (kg, "2014", 5, 22)
    assert zhu.member.joined_on == date(2022, 6, 28) and zhu.probation_end == date(2023, 6, 28)
    assert (qin.stage, qin.member.status_since) == (2, date(2022, 4, 12))
    events = StatusEvent.objects.unscoped().filter(member__branch=kg, on__year=2022)
    assert sorted(events.values_list("member__name", "status")) == [
        ("朱晓彤", "candidate"),
        ("朱晓彤", "probationary"),
        ("秦雪", "activist"),
    ]
    assert not StepRecord.objects.unscoped().filter(case__in=[zhu, qin], overdue=True).exists()

    district = demo_data.orgs["district-edu"]
    counts = dict((k, n) for k, _, n in selectors.pipeline(SYSTEM, district)["counts"])
    assert counts == {"1": 2, "2": 2, "3": 1, "4": 0, "5": 2, "done": 0, "closed": 0}
    others = Case.objects.unscoped().exclude(org=kg).filter(due_by__lt=services.today())
    assert list(others.values_list("member__name", flat=True)) == ["方子墨"]

    client.force_login(demo_data.users["secretary"])
    page = client.get(reverse("development:case", args=[zhu.pk])).content.decode()
    assert "下一步：第22步 提出转正申请" in page
    response = client.post(reverse("development:advance", args=[zhu.pk]), {"step": 22, "on": "2023-06-12"})
    assert response.status_code == 302


def test_demo_votes_are_lawful_and_the_overdue_conversion_is_shown(demo_data, client):
    from zhibu.development.models import Vote
    from zhibu.orgs import selectors as posts
    from zhibu.orgs.models import Election

    votes = list(Vote.objects.unscoped().select_related("record__case__org"))
    assert len(votes) == 2
    for vote in votes:  # every vote counts the roster's voters, never more, and passes lawfully
        assert vote.expected == vote.roster_expected and vote.derivation and vote.quorum and vote.passed
    t2 = next(v for v in votes if v.record.case.org.code == "vocational-t2")
    assert t2.expected == 9 and "正式党员9人" in t2.derivation  # the demo used to count 12 voters here
    zhu = Case.objects.unscoped().get(member__name="朱晓彤")
    days = (services.today() - date(2023, 6, 28)).days
    client.force_login(demo_data.users["secretary"])
    page = client.get(reverse("development:case", args=[zhu.pk])).content.decode()
    assert f"已超期 {days} 天" in page
    home = client.get(reverse("home:index")).content.decode()
    assert f'发展党员 朱晓彤：第22步 提出转正申请 <span class="muted">已逾期 {days} 天</span>' in home
    kg = demo_data.orgs["wolongshan-kg"]
    assert list(Election.objects.unscoped().filter(org=kg).values_list("held_on", flat=True)) == [
        date(2021, 1, 8),
        date(2024, 1, 5),
    ]
    assert [h.name for h in posts.post_holders(kg, on=date(2022, 12, 31)) if h.post == "organiser"] == [
        "孙晓梅"
    ]
    assert [h.name for h in posts.post_holders(kg, on=date(2024, 1, 5)) if h.post == "organiser"] == [
        "吴丽娟"
    ]
