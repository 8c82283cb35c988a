"""Test data for the work app, written directly (no audit)."""

from __future__ import annotations

from datetime import date

from zhibu.work import models as m


def platform(name: str) -> m.Platform:
    return m.Platform.objects.unscoped().get(name=name, org=None)


def publicity(
    org, platform_name: str, on: date, *, title: str = "", status: str = "published"
) -> m.Publicity:
    return m.Publicity.objects.unscoped().create(
        org=org,
        platform=platform(platform_name),
        date=on,
        title=title or f"{platform_name}稿件{on}",
        status=status,
    )


def service(org, on: date, **fields) -> m.Service:
    values = {"beneficiary": "小班幼儿家长", "difficulty": "接送时间冲突", "action": "安排延时看护"} | fields
    return m.Service.objects.unscoped().create(org=org, date=on, **values)


def pair(
    org, mentor, start: date, end: date | None = None, apprentice: str = "青年教师甲"
) -> m.MentoringPair:
    return m.MentoringPair.objects.unscoped().create(
        org=org, mentor=mentor, apprentice=apprentice, starts_on=start, ends_on=end
    )


def lesson(pair_, on: date, title: str = "汇报课") -> m.ShowcaseLesson:
    return m.ShowcaseLesson.objects.unscoped().create(pair=pair_, date=on, title=title)


def post(org, member, start: date, end: date | None = None, name: str = "保教示范岗") -> m.ModelPost:
    return m.ModelPost.objects.unscoped().create(
        org=org, member=member, name=name, starts_on=start, ends_on=end
    )


def team(org, name: str, members=(), leader=None) -> m.PropagandaTeam:
    t = m.PropagandaTeam.objects.unscoped().create(org=org, name=name, leader=leader)
    t.members.set(members)
    return t


def talk(team_, on: date, title: str = "宣讲", speakers=()) -> m.TeamTalk:
    t = m.TeamTalk.objects.unscoped().create(team=team_, date=on, title=title)
    t.speakers.set(speakers)
    return t


def award(team_, on: date, level: str = "district", prize: str = "优秀奖", competition: str = "宣讲比赛"):
    return m.TeamAward.objects.unscoped().create(
        team=team_, date=on, level=level, prize=prize, competition=competition
    )


def selection(org, on: date, name: str, winners=()) -> m.Selection:
    s = m.Selection.objects.unscoped().create(org=org, date=on, name=name)
    for w in winners:
        m.SelectionWinner.objects.unscoped().create(
            selection=s, **({"member": w} if not isinstance(w, str) else {"name": w})
        )
    return s


def reflection(org, author, training, text: str, title: str = "心得") -> m.Reflection:
    from zhibu.core.cn import han_count

    return m.Reflection.objects.unscoped().create(
        org=org, author=author, training=training, title=title, text=text, han_count=han_count(text)
    )


def space(org, name: str, opened: date | None = None) -> m.Space:
    return m.Space.objects.unscoped().create(org=org, name=name, opened_on=opened)


def problem(org, year: int, category: str = "学习不够", order: int = 1, **fields) -> m.Problem:
    return m.Problem.objects.unscoped().create(
        org=org,
        year=year,
        order=order,
        category=category,
        description=fields.pop("description", "问题表现"),
        **fields,
    )


def plan(org, year: int, section: str = "goal", order: int = 1, title: str = "立德铸魂", **fields) -> m.Plan:
    return m.Plan.objects.unscoped().create(
        org=org, year=year, section=section, order=order, title=title, **fields
    )
