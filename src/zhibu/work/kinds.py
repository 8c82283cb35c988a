"""The registry of work record types: one description per type drives the generic pages, forms, API and
services, so that fourteen small record types do not need fourteen copies of the same views."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Model, Q
from django.http import Http404

from . import models as m


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[object], object]


@dataclass(frozen=True)
class Kind:
    slug: str  # URL segment and API name
    model: type[Model]
    label: str
    fields: tuple[str, ...]  # editable fields, in form order
    columns: tuple[Column, ...]
    parent: str = ""  # FK field to the parent record for child types (its org is the parent's org)
    members: tuple[str, ...] = ()  # FK fields to Member that must be on the organisation's roster
    member_sets: tuple[str, ...] = ()  # M2M fields to Member, likewise
    year: Callable[[int], Q] | None = None  # records of a year; None: not filed by year
    order_by: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    importable: tuple[str, ...] = ()  # columns of the xlsx import, in order (empty: no import)
    hint: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def scope_field(self) -> str:
        return self.model.scope_field

    @property
    def label_lower(self) -> str:
        return self.model._meta.label_lower

    def org_of(self, obj):
        return getattr(obj, self.parent).org if self.parent else obj.org


def _dated(name: str) -> Callable[[int], Q]:
    return lambda year: Q(**{f"{name}__gte": date(year, 1, 1), f"{name}__lte": date(year, 12, 31)})


def _overlapping(year: int) -> Q:
    return Q(starts_on__lte=date(year, 12, 31)) & (Q(ends_on__isnull=True) | Q(ends_on__gte=date(year, 1, 1)))


def _names(attr: str) -> Callable[[object], str]:
    return lambda obj: "、".join(x.name for x in getattr(obj, attr).all())


def _display(attr: str) -> Callable[[object], str]:
    return lambda obj: getattr(obj, f"get_{attr}_display")()


KINDS: dict[str, Kind] = {
    k.slug: k
    for k in [
        Kind(
            "publicity",
            m.Publicity,
            "宣传稿件",
            ("platform", "title", "date", "status", "authors", "author_names", "link"),
            (
                Column("日期", lambda o: o.date),
                Column("平台", lambda o: o.platform),
                Column("标题", lambda o: o.title),
                Column("状态", _display("status")),
            ),
            member_sets=("authors",),
            year=_dated("date"),
            select=("platform",),
            importable=("platform", "title", "date", "status", "author_names", "link"),
            hint="学习强国供稿、视频号与公众号发布、地方媒体报道等",
        ),
        Kind(
            "service",
            m.Service,
            "为群众办实事",
            ("date", "beneficiary", "difficulty", "action", "result", "helpers"),
            (
                Column("日期", lambda o: o.date),
                Column("服务对象", lambda o: o.beneficiary),
                Column("所办实事", lambda o: o.action),
                Column("党员", _names("helpers")),
            ),
            member_sets=("helpers",),
            year=_dated("date"),
            prefetch=("helpers",),
            importable=("date", "beneficiary", "difficulty", "action", "result"),
            hint="党员教干帮助教师、幼儿、家长解决实际困难",
        ),
        Kind(
            "pair",
            m.MentoringPair,
            "青蓝工程结对",
            ("mentor", "apprentice", "starts_on", "ends_on"),
            (
                Column("师傅", lambda o: o.mentor),
                Column("徒弟", lambda o: o.apprentice),
                Column("开始", lambda o: o.starts_on),
                Column("结束", lambda o: o.ends_on or "—"),
            ),
            members=("mentor",),
            year=_overlapping,
            select=("mentor",),
            hint="党员教师与青年教师结对帮扶",
        ),
        Kind(
            "lesson",
            m.ShowcaseLesson,
            "汇报展示课",
            ("pair", "date", "title", "note"),
            (
                Column("日期", lambda o: o.date),
                Column("结对", lambda o: o.pair),
                Column("课题", lambda o: o.title),
            ),
            parent="pair",
            year=_dated("date"),
            select=("pair__mentor",),
        ),
        Kind(
            "post",
            m.ModelPost,
            "党员示范岗",
            ("member", "name", "starts_on", "ends_on"),
            (
                Column("示范岗", lambda o: o.name),
                Column("党员", lambda o: o.member),
                Column("开始", lambda o: o.starts_on),
                Column("结束", lambda o: o.ends_on or "—"),
            ),
            members=("member",),
            year=_overlapping,
            select=("member",),
        ),
        Kind(
            "team",
            m.PropagandaTeam,
            "宣讲队",
            ("name", "leader", "members", "founded_on"),
            (
                Column("名称", lambda o: o.name),
                Column("负责人", lambda o: o.leader or "—"),
                Column("成员", _names("members")),
            ),
            members=("leader",),
            member_sets=("members",),
            select=("leader",),
            prefetch=("members",),
        ),
        Kind(
            "talk",
            m.TeamTalk,
            "宣讲",
            ("team", "title", "date", "speakers", "audience", "activity"),
            (
                Column("日期", lambda o: o.date),
                Column("宣讲队", lambda o: o.team),
                Column("题目", lambda o: o.title),
                Column("宣讲人", _names("speakers")),
            ),
            parent="team",
            member_sets=("speakers",),
            year=_dated("date"),
            select=("team",),
            prefetch=("speakers",),
        ),
        Kind(
            "award",
            m.TeamAward,
            "宣讲获奖",
            ("team", "competition", "level", "prize", "date"),
            (
                Column("日期", lambda o: o.date),
                Column("宣讲队", lambda o: o.team),
                Column("比赛", lambda o: o.competition),
                Column("级别", _display("level")),
                Column("奖项", lambda o: o.prize),
            ),
            parent="team",
            year=_dated("date"),
            select=("team",),
        ),
        Kind(
            "selection",
            m.Selection,
            "选树评选",
            ("name", "date", "description"),
            (
                Column("日期", lambda o: o.date),
                Column("名称", lambda o: o.name),
                Column("获评", lambda o: len(o.winners.all())),
            ),
            year=_dated("date"),
            prefetch=("winners",),
        ),
        Kind(
            "winner",
            m.SelectionWinner,
            "获评者",
            ("selection", "member", "name", "title"),
            (
                Column("评选", lambda o: o.selection),
                Column("获评者", lambda o: o.display_name),
                Column("称号", lambda o: o.title or "—"),
            ),
            parent="selection",
            members=("member",),
            year=_dated("selection__date"),
            select=("selection", "member"),
        ),
        Kind(
            "reflection",
            m.Reflection,
            "学习心得",
            ("training", "author", "title", "text"),
            (
                Column("培训", lambda o: o.training.topic),
                Column("作者", lambda o: o.author),
                Column("标题", lambda o: o.title),
                Column("字数", lambda o: o.han_count),
            ),
            members=("author",),
            year=_dated("training__held_on"),
            select=("training", "author"),
            hint="字数按汉字计，保存时自动统计",
        ),
        Kind(
            "space",
            m.Space,
            "活动阵地",
            ("name", "place", "description", "opened_on"),
            (
                Column("名称", lambda o: o.name),
                Column("位置", lambda o: o.place or "—"),
                Column("照片", lambda o: len(o.photos.all())),
            ),
            prefetch=("photos",),
            hint="党员活动室、教师书屋等",
        ),
        Kind(
            "problem",
            m.Problem,
            "问题清单",
            ("year", "order", "category", "description", "source", "measures", "owner", "deadline"),
            (
                Column("序号", lambda o: o.order),
                Column("类别", lambda o: o.category),
                Column("来源", _display("source")),
                Column("责任人", lambda o: o.owner or "—"),
                Column("时限", lambda o: o.deadline or "—"),
                Column("状态", _display("status")),
            ),
            year=lambda year: Q(year=year),
            hint="存在问题与整改台账；整改状态在列表中更新",
        ),
        Kind(
            "plan",
            m.Plan,
            "工作计划",
            ("year", "section", "order", "title", "text", "owner"),
            (
                Column("部分", _display("section")),
                Column("序号", lambda o: o.order),
                Column("要点", lambda o: o.title),
                Column("责任人", lambda o: o.owner or "—"),
                Column("进度", lambda o: f"{o.progress}%"),
            ),
            year=lambda year: Q(year=year),
            hint="下一年度的工作目标与工作方向；进度在列表中更新",
        ),
    ]
}

LABELS = {k.label_lower: k for k in KINDS.values()}


def get(slug: str) -> Kind:
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404("没有这种记录。") from None


def for_label(label: str) -> Kind | None:
    """The kind of a model label such as "work.publicity" (as in year_figures' sources)."""
    return LABELS.get(label)
