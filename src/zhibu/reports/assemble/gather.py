"""Gathering: every figure the report states, read once through the owning apps' selectors and returned as
frozen dataclasses (`Figures`), each count with the records it was counted from.

Nothing is caught here. A selector that raises, or answers in a shape this module does not know (a missing key
is a KeyError), makes the whole report fail with that error: a report silently missing a paragraph would be
signed and filed as if the branch had done nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import timezone

from zhibu.core.months import last_day
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.orgs.selectors import secretary_on, secretary_test
from zhibu.people.models import StatusEvent
from zhibu.records.models import Activity
from zhibu.rules import selectors as rules
from zhibu.rules.models import MonthLight
from zhibu.study import selectors as study
from zhibu.study.models import StudyNote, StudyPoints
from zhibu.work import selectors as work

from .blocks import Ref


@dataclass(frozen=True)
class Counted:
    """A number and the records it was counted from."""

    value: int
    refs: tuple[Ref, ...] = ()


@dataclass(frozen=True)
class ActivityRow:
    id: int
    held_on: date
    topic: str
    speaker_id: int | None


@dataclass(frozen=True)
class Selection:
    id: int
    name: str
    winners: int


@dataclass(frozen=True)
class Talk:
    id: int
    title: str


@dataclass(frozen=True)
class Award:
    id: int
    level: str
    competition: str
    prize: str


@dataclass(frozen=True)
class Team:
    id: int
    name: str
    members: int
    talks: tuple[Talk, ...]
    awards: tuple[Award, ...]


@dataclass(frozen=True)
class WorkFigures:
    """The work app's figures of the year (`work.selectors.year_figures`), with `sources` naming the records
    behind each key."""

    service_count: int
    spaces: tuple[str, ...]
    publicity_national_study: int
    publicity_other: int
    local_media_titles: tuple[str, ...]
    mentoring_pairs: int
    model_posts: int
    reflection_chars: int
    reflection_count: int
    selections: tuple[Selection, ...]
    propaganda_teams: tuple[Team, ...]
    showcase_lesson_count: int
    showcase_months: tuple[int, ...]
    sources: Mapping[str, tuple[Ref, ...]]

    def refs(self, key: str) -> tuple[Ref, ...]:
        return self.sources.get(key, ())


@dataclass(frozen=True)
class ProblemItem:
    id: int
    category: str
    description: str
    status: str
    status_label: str
    measures: str
    evidence: str


@dataclass(frozen=True)
class PlanItem:
    id: int
    section: str
    title: str
    text: str


@dataclass(frozen=True)
class Rank:
    """The branch's place in the superior's study ranking of a month, and the ranking page."""

    place: int
    month: int
    refs: tuple[Ref, ...]
    url: str


@dataclass(frozen=True)
class Figures:
    """Everything the text needs, gathered once (a handful of queries)."""

    org: Organisation
    year: int
    activities: Mapping[str, tuple[ActivityRow, ...]]  # kind code → lawful activities of the year
    below_quorum: tuple[ActivityRow, ...]  # 支委会 below quorum, left out of every figure
    became: Mapping[str, tuple[int, ...]]  # status → status event ids
    secretary: str
    secretary_member_id: int | None
    is_secretary: Callable[[int | None, date], bool]  # the 书记 on that day
    work: WorkFigures
    problems: tuple[ProblemItem, ...]
    previous_problems: tuple[ProblemItem, ...]
    plans: tuple[PlanItem, ...]  # for the next year
    note_chars: Counted  # characters of the political-study notes
    rank: Rank | None  # None when the superior does not rank, or there is no ranking that month
    green_months: Counted | None  # None for an organisation that is not a branch (no lights)

    def acts(self, *codes: str) -> list[ActivityRow]:
        return [row for code in codes for row in self.activities.get(code, ())]


def gather(actor, org: Organisation, year: int) -> Figures:
    scoping.require(actor, Action.VIEW, org)
    activities, below_quorum = _activities(actor, org, year)
    holder = secretary_on(org, on=min(date(year, 12, 31), timezone.localdate()))
    return Figures(
        org=org,
        year=year,
        activities=activities,
        below_quorum=below_quorum,
        became=_became(actor, org, year),
        # the 书记 of that year (at its end): a later 换届 does not change who signs a past year's report
        secretary=holder.name if holder else org.secretary_name,
        secretary_member_id=holder.member_id if holder else None,
        is_secretary=secretary_test(org),
        work=work_figures(actor, org, year),
        problems=problems(actor, org, year),
        previous_problems=problems(actor, org, year - 1),
        plans=plans(actor, org, year + 1),
        note_chars=note_chars(actor, org, year),
        rank=rank(actor, org, year, 12),
        green_months=green_months(actor, org, year),
    )


def _activities(
    actor, org: Organisation, year: int
) -> tuple[dict[str, tuple[ActivityRow, ...]], tuple[ActivityRow, ...]]:
    rows = (
        Activity.objects.visible_to(actor, Action.VIEW)
        .filter(org=org, held_on__gte=date(year, 1, 1), held_on__lte=date(year, 12, 31))
        .order_by("held_on", "id")
        .values_list(
            "id",
            "kind__code",
            "held_on",
            "topic",
            "speaker_id",
            "kind__checks_quorum",
            "committee_size",
            "committee_present",
        )
    )
    by_kind: dict[str, list[ActivityRow]] = {}
    below: list[ActivityRow] = []
    for pk, code, held_on, topic, speaker_id, checks_quorum, size, present in rows:
        row = ActivityRow(pk, held_on, topic, speaker_id)
        if checks_quorum and size and present * 2 <= size:
            # 未达法定人数: not a lawful 支委会 (支部工作条例 第十二条), so not one of the year's meetings
            below.append(row)
            continue
        by_kind.setdefault(code, []).append(row)
    return {code: tuple(found) for code, found in by_kind.items()}, tuple(below)


def _became(actor, org: Organisation, year: int) -> dict[str, tuple[int, ...]]:
    events = (
        StatusEvent.objects.visible_to(actor, Action.VIEW)
        .filter(member__branch=org, on__gte=date(year, 1, 1), on__lte=date(year, 12, 31))
        .order_by("on", "id")
        .values_list("id", "status")
    )
    found: dict[str, list[int]] = {}
    for pk, status in events:
        found.setdefault(status, []).append(pk)
    return {status: tuple(ids) for status, ids in found.items()}


def _refs(pairs) -> tuple[Ref, ...]:
    return tuple((str(label), int(pk)) for label, pk in pairs)


def work_figures(actor, org: Organisation, year: int) -> WorkFigures:
    answer = work.year_figures(actor, org, year)
    values, sources = answer["values"], answer["sources"]
    return WorkFigures(
        service_count=int(values["service_count"]),
        spaces=tuple(values["spaces"]),
        publicity_national_study=int(values["publicity_national_study"]),
        publicity_other=int(values["publicity_other"]),
        local_media_titles=tuple(values["local_media_titles"]),
        mentoring_pairs=int(values["mentoring_pairs"]),
        model_posts=int(values["model_posts"]),
        reflection_chars=int(values["reflection_chars"]),
        reflection_count=int(values["reflection_count"]),
        selections=tuple(Selection(s["id"], s["name"], int(s["winners"])) for s in values["selections"]),
        propaganda_teams=tuple(
            Team(
                t["id"],
                t["name"],
                len(t["members"]),
                tuple(Talk(x["id"], x["title"]) for x in t["talks"]),
                tuple(Award(a["id"], a["level"], a["competition"], a["prize"]) for a in t["awards"]),
            )
            for t in values["propaganda_teams"]
        ),
        showcase_lesson_count=int(values["showcase_lesson_count"]),
        showcase_months=tuple(sorted(values["showcase_months"])),
        sources={key: _refs(pairs) for key, pairs in sources.items()},
    )


def problems(actor, org: Organisation, year: int) -> tuple[ProblemItem, ...]:
    return tuple(
        ProblemItem(
            p["id"],
            p["category"],
            p["description"],
            p["status"],
            p["status_label"],
            p["measures"] or "",
            p["evidence"] or "",
        )
        for p in work.problems(actor, org, year)
    )


def plans(actor, org: Organisation, year: int) -> tuple[PlanItem, ...]:
    return tuple(
        PlanItem(p["id"], p["section"], p["title"], p["text"] or "") for p in work.plans(actor, org, year)
    )


def note_chars(actor, org: Organisation, year: int) -> Counted:
    """The characters of the political-study notes (the study app counts the org's subtree), with the notes."""
    chars = int(study.note_chars(actor, org, year))
    if not chars:
        return Counted(0)
    low, high = org.subtree_bounds()
    ids = (
        StudyNote.objects.visible_to(actor, Action.VIEW)
        .filter(
            activity__org__path__gte=low,
            activity__org__path__lte=high,
            activity__kind__code="political-study",
            activity__held_on__gte=date(year, 1, 1),
            activity__held_on__lte=date(year, 12, 31),
        )
        .values_list("id", flat=True)
    )
    return Counted(chars, tuple(("study.studynote", pk) for pk in ids))


def rank(actor, org: Organisation, year: int, month: int) -> Rank | None:
    """The branch's place in the superior's study ranking of `month`, only when the superior has the ranking
    switched on and there is a ranking for that month: its refs are the branch's study points of the month and
    its url the ranking page. Otherwise None, and the report leaves the sentence out."""
    parent = Organisation.objects.get_parent(org)
    if parent is None or not study.rankings_enabled(parent):
        return None
    place = study.branch_rank(org, year, month)
    if place is None:
        return None
    start = date(year, month, 1)
    end = last_day(start)
    ids = (
        StudyPoints.objects.visible_to(actor, Action.VIEW)
        .filter(member__branch=org, on__gte=start, on__lte=end, day_points__gt=0)
        .values_list("id", flat=True)
    )
    return Rank(
        place=int(place[0]),
        month=month,
        refs=tuple(("study.studypoints", pk) for pk in ids),
        url=f"{reverse('study:ranking', args=[org.code])}?month={year:04d}-{month:02d}",
    )


def green_months(actor, org: Organisation, year: int) -> Counted | None:
    """Months whose organisational-life light is green, from the rules app's evaluation of the branch's year."""
    if not org.is_branch:
        return None
    year_view = rules.branch_year(actor=actor, org=org, year=year, details=False)
    green = [m.month for m in year_view.months if m.colour == "green"]
    ids = (
        MonthLight.objects.visible_to(actor, Action.SCHEDULE)
        .filter(org=org, year=year, month__in=green)
        .values_list("id", flat=True)
    )
    return Counted(len(green), tuple(("rules.monthlight", pk) for pk in ids))
