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
        ("朱晓彤", "candidate"), ("朱晓彤", "probationary"), ("秦雪", "activist")]
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
