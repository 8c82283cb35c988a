"""Reads of the work records shared by pages, the API, the CLI and the annual report.

`year_figures`, `problems`, `previous_year_problems` and `plans` are the API the report (app `reports`) uses:
they take an actor (a user or `scoping.SYSTEM`), check that the organisation is visible, and return plain data.
Only the organisation's own records count (not its subtree): a report is written per organisation.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action

from .models import (
    MentoringPair,
    ModelPost,
    Plan,
    Platform,
    Problem,
    PropagandaTeam,
    Publicity,
    Reflection,
    Selection,
    Service,
    ShowcaseLesson,
    Space,
    TeamAward,
    TeamTalk,
)


def _label(model) -> str:
    return model._meta.label_lower


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _active_in(year: int, start: str = "starts_on", end: str = "ends_on") -> Q:
    first, last = _year_bounds(year)
    return Q(**{f"{start}__lte": last}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first}))


def platforms_for(org: Organisation | None) -> QuerySet[Platform]:
    """Built-in platforms plus those an organisation on the path to `org` added."""
    platforms = Platform.objects.for_org(org) if org is not None else Platform.objects.shipped()
    return platforms.order_by("order", "id")


def year_figures(actor, org: Organisation, year: int) -> dict:
    """The figures of one organisation's year that the annual report states, with the records behind each.

    Returns ``{"values": {...}, "sources": {...}}``.

    ``values`` (plain Python data):
      - ``service_count``: int — 为群众办实事 records dated in the year.
      - ``publicity_by_platform``: dict {platform name: count}, in platform order, only platforms with items.
        Every item dated in the year counts, whatever its status (投稿 / 采用 / 发布).
      - ``publicity_national_study``: int — items on platforms of kind 全国学习平台 (学习强国).
      - ``publicity_other``: int — items on every other platform (视频号, 公众号, local media, 其他 …).
      - ``publicity_total``: int.
      - ``local_media_titles``: list[str] — distinct titles, by date, of items with status 发布 on platforms of
        kind 地方媒体 (日照教育发布, 日照数字报 …).
      - ``local_media_items``: list of dicts ``{"id", "title", "platform", "date"}`` — the same items one by one
        (a title carried by two papers appears twice here, once in ``local_media_titles``).
      - ``mentoring_pairs``: int — 青蓝工程 pairs whose period overlaps the year.
      - ``showcase_lessons``: list[tuple[int, int]] — (month, number of 汇报展示课) for months with lessons.
      - ``showcase_lesson_count``: int.
      - ``showcase_months``: set[int] — months with at least one showcase lesson.
      - ``model_posts``: int — 党员示范岗 whose period overlaps the year.
      - ``propaganda_teams``: list of dicts, one per team founded by the end of the year (or undated):
        ``{"id", "name", "leader": str | None, "members": [names], "talks": [{"id", "title", "date",
        "speakers": [names], "audience"}], "awards": [{"id", "competition", "level" (e.g. "区级"),
        "level_code" (e.g. "district"), "prize", "date"}]}`` — talks and awards dated in the year.
      - ``selections``: list of dicts ``{"id", "name", "date", "winners": int, "winner_names": [str]}``.
      - ``reflection_count``: int; ``reflection_chars``: int — sum of han_count of reflections on trainings
        held in the year.
      - ``spaces``: list[str] — names of activity spaces opened by the end of the year (or undated).

    ``sources``: {key of values: list of (model label, id)}, e.g. ``("work.publicity", 12)``, naming the
    records each figure was counted from (for ``propaganda_teams`` the teams, talks and awards).
    """
    scoping.require(actor, Action.VIEW, org)
    first, last = _year_bounds(year)
    in_year = Q(org=org, date__gte=first, date__lte=last)
    values: dict = {}
    sources: dict[str, list[tuple[str, int]]] = {}

    service_ids = list(
        Service.objects.visible_to(actor, Action.VIEW).filter(in_year).values_list("id", flat=True)
    )
    values["service_count"] = len(service_ids)
    sources["service_count"] = [(_label(Service), i) for i in service_ids]

    rows = list(
        Publicity.objects.visible_to(actor, Action.VIEW)
        .filter(in_year)
        .order_by("date", "id")
        .values_list(
            "id",
            "title",
            "status",
            "platform__name",
            "platform__kind",
            "platform__order",
            "platform_id",
            "date",
        )
    )
    by_platform: Counter = Counter()
    platform_order: dict[str, tuple[int, int]] = {}
    national: list[int] = []
    other: list[int] = []
    local_ids: list[int] = []
    local_titles: list[str] = []
    local_items: list[dict] = []
    for pk, title, status, p_name, p_kind, p_order, p_id, day in rows:
        by_platform[p_name] += 1
        platform_order[p_name] = (p_order, p_id)
        (national if p_kind == Platform.Kind.NATIONAL_STUDY else other).append(pk)
        if p_kind == Platform.Kind.LOCAL_MEDIA and status == Publicity.Status.PUBLISHED:
            local_ids.append(pk)
            local_items.append({"id": pk, "title": title, "platform": p_name, "date": day})
            if title not in local_titles:
                local_titles.append(title)
    label = _label(Publicity)
    values["publicity_by_platform"] = {
        name: by_platform[name] for name in sorted(by_platform, key=platform_order.__getitem__)
    }
    values["publicity_national_study"] = len(national)
    values["publicity_other"] = len(other)
    values["publicity_total"] = len(rows)
    values["local_media_titles"] = local_titles
    values["local_media_items"] = local_items
    sources["publicity_by_platform"] = [(label, r[0]) for r in rows]
    sources["publicity_total"] = sources["publicity_by_platform"]
    sources["publicity_national_study"] = [(label, i) for i in national]
    sources["publicity_other"] = [(label, i) for i in other]
    sources["local_media_titles"] = sources["local_media_items"] = [(label, i) for i in local_ids]

    pair_ids = list(
        MentoringPair.objects.visible_to(actor, Action.VIEW)
        .filter(_active_in(year), org=org)
        .values_list("id", flat=True)
    )
    values["mentoring_pairs"] = len(pair_ids)
    sources["mentoring_pairs"] = [(_label(MentoringPair), i) for i in pair_ids]

    lessons = list(
        ShowcaseLesson.objects.visible_to(actor, Action.VIEW)
        .filter(pair__org=org, date__gte=first, date__lte=last)
        .order_by("date", "id")
        .values_list("id", "date")
    )
    months = Counter(d.month for _, d in lessons)
    values["showcase_lessons"] = sorted(months.items())
    values["showcase_lesson_count"] = len(lessons)
    values["showcase_months"] = set(months)
    lesson_sources = [(_label(ShowcaseLesson), i) for i, _ in lessons]
    for key in ("showcase_lessons", "showcase_lesson_count", "showcase_months"):
        sources[key] = lesson_sources

    post_ids = list(
        ModelPost.objects.visible_to(actor, Action.VIEW)
        .filter(_active_in(year), org=org)
        .values_list("id", flat=True)
    )
    values["model_posts"] = len(post_ids)
    sources["model_posts"] = [(_label(ModelPost), i) for i in post_ids]

    values["propaganda_teams"], sources["propaganda_teams"] = _teams(actor, org, first, last)
    values["selections"], sources["selections"] = _selections(actor, org, first, last)

    reflections = Reflection.objects.visible_to(actor, Action.VIEW).filter(
        org=org, training__held_on__gte=first, training__held_on__lte=last
    )
    reflection_rows = list(reflections.values_list("id", "han_count"))
    values["reflection_count"] = len(reflection_rows)
    values["reflection_chars"] = sum(n for _, n in reflection_rows)
    sources["reflection_count"] = sources["reflection_chars"] = [
        (_label(Reflection), i) for i, _ in reflection_rows
    ]

    spaces = list(
        Space.objects.visible_to(actor, Action.VIEW)
        .filter(Q(opened_on__isnull=True) | Q(opened_on__lte=last), org=org)
        .order_by("id")
        .values_list("id", "name")
    )
    values["spaces"] = [name for _, name in spaces]
    sources["spaces"] = [(_label(Space), i) for i, _ in spaces]
    return {"values": values, "sources": sources}


def _teams(actor, org, first: date, last: date) -> tuple[list[dict], list[tuple[str, int]]]:
    talks = (
        TeamTalk.objects.visible_to(actor, Action.VIEW)
        .filter(date__gte=first, date__lte=last)
        .order_by("date", "id")
        .prefetch_related("speakers")
    )
    awards = (
        TeamAward.objects.visible_to(actor, Action.VIEW)
        .filter(date__gte=first, date__lte=last)
        .order_by("date", "id")
    )
    teams = (
        PropagandaTeam.objects.visible_to(actor, Action.VIEW)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=last), org=org)
        .select_related("leader")
        .order_by("name", "id")
        .prefetch_related("members", Prefetch("talks", queryset=talks), Prefetch("awards", queryset=awards))
    )
    result, sources = [], []
    for team in teams:
        sources.append((_label(PropagandaTeam), team.id))
        sources += [(_label(TeamTalk), t.id) for t in team.talks.all()]
        sources += [(_label(TeamAward), a.id) for a in team.awards.all()]
        result.append(
            {
                "id": team.id,
                "name": team.name,
                "leader": team.leader.name if team.leader else None,
                "members": sorted((m.name for m in team.members.all()), key=lambda n: n),
                "talks": [
                    {
                        "id": t.id,
                        "title": t.title,
                        "date": t.date,
                        "audience": t.audience,
                        "speakers": [s.name for s in t.speakers.all()],
                    }
                    for t in team.talks.all()
                ],
                "awards": [
                    {
                        "id": a.id,
                        "competition": a.competition,
                        "level": a.get_level_display(),
                        "level_code": a.level,
                        "prize": a.prize,
                        "date": a.date,
                    }
                    for a in team.awards.all()
                ],
            }
        )
    return result, sources


def _selections(actor, org, first: date, last: date) -> tuple[list[dict], list[tuple[str, int]]]:
    rows = (
        Selection.objects.visible_to(actor, Action.VIEW)
        .filter(org=org, date__gte=first, date__lte=last)
        .order_by("date", "id")
        .prefetch_related("winners__member")
    )
    result, sources = [], []
    for selection in rows:
        names = [w.display_name for w in selection.winners.all()]
        result.append(
            {
                "id": selection.id,
                "name": selection.name,
                "date": selection.date,
                "winners": len(names),
                "winner_names": names,
            }
        )
        sources.append((_label(Selection), selection.id))
    return result, sources


# ---- problems and plans ---------------------------------------------------------------------------------


def _problem_dict(p: Problem) -> dict:
    return {
        "id": p.id,
        "year": p.year,
        "order": p.order,
        "category": p.category,
        "description": p.description,
        "source": p.source,
        "source_label": p.get_source_display(),
        "measures": p.measures,
        "owner": p.owner,
        "deadline": p.deadline,
        "status": p.status,
        "status_label": p.get_status_display(),
        "evidence": p.evidence,
        "closed_on": p.closed_on,
    }


def problem_queryset(
    actor, org: Organisation, year: int | None = None, action: str = Action.VIEW
) -> QuerySet[Problem]:
    qs = Problem.objects.visible_to(actor, action).filter(org=org)
    return qs.filter(year=year) if year is not None else qs


def problems(actor, org: Organisation, year: int) -> list[dict]:
    """The problems found in `year` (存在问题), in order, as dicts: id, year, order, category, description,
    source / source_label, measures, owner, deadline, status (open / in_progress / done) / status_label,
    evidence, closed_on."""
    scoping.require(actor, Action.VIEW, org)
    return [_problem_dict(p) for p in problem_queryset(actor, org, year)]


def previous_year_problems(actor, org: Organisation, year: int) -> list[dict]:
    """上年度问题整改情况: the problems of `year - 1` with their current status (same dicts as `problems`)."""
    return problems(actor, org, year - 1)


def problem_status_counts(actor, org: Organisation, year: int) -> dict[str, int]:
    scoping.require(actor, Action.VIEW, org)
    counts = dict(problem_queryset(actor, org, year).values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in Problem.Status.values}


def plan_queryset(
    actor, org: Organisation, year: int | None = None, action: str = Action.VIEW
) -> QuerySet[Plan]:
    qs = Plan.objects.visible_to(actor, action).filter(org=org)
    return qs.filter(year=year) if year is not None else qs


def plans(actor, org: Organisation, year: int) -> list[dict]:
    """The plan for `year` (下步工作计划 of the report on year - 1): goals first, then directions, in order, as
    dicts: id, year, section (goal / direction) / section_label, order, title, text, owner, progress (0–100),
    progress_label, progress_note."""
    scoping.require(actor, Action.VIEW, org)
    return [
        {
            "id": p.id,
            "year": p.year,
            "section": p.section,
            "section_label": p.get_section_display(),
            "order": p.order,
            "title": p.title,
            "text": p.text,
            "owner": p.owner,
            "progress": p.progress,
            "progress_label": p.progress_label,
            "progress_note": p.progress_note,
        }
        for p in plan_queryset(actor, org, year)
    ]


def plan_progress(actor, org: Organisation, year: int) -> int | None:
    """The average progress of a year's plan, or None without a plan."""
    scoping.require(actor, Action.VIEW, org)
    agg = plan_queryset(actor, org, year).aggregate(total=Sum("progress"), n=Count("id"))
    return round(agg["total"] / agg["n"]) if agg["n"] else None
