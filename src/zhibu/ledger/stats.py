"""党内统计: the counts a basic-level organisation's statistical return asks for, on a date, from the roster.

Every count is a named condition on members (or organisations, or transfers); the whole table is one
aggregate query per table, so a district of a thousand branches costs three queries, and each count's
condition also lists the people behind it.

A member counts at a date when they had joined by then (预备党员 from 入党日期) and had not left the branch;
正式 or 预备 follows the 转正 date. Ages and 党龄 are whole years at the date. 党龄 runs from 转正.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from zhibu.core import months
from zhibu.membership.models import Transfer
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.codes import Education, Gender
from zhibu.people.models import Member

HAN = "01"
AGE_BANDS = [
    (None, 30, "30岁及以下"),
    (31, 35, "31至35岁"),
    (36, 40, "36至40岁"),
    (41, 45, "41至45岁"),
    (46, 50, "46至50岁"),
    (51, 55, "51至55岁"),
    (56, 60, "56至60岁"),
    (61, 70, "61至70岁"),
    (71, None, "71岁及以上"),
]
STANDING_BANDS = [
    (None, 5, "5年及以下"),
    (6, 10, "6至10年"),
    (11, 20, "11至20年"),
    (21, 30, "21至30年"),
    (31, 40, "31至40年"),
    (41, 50, "41至50年"),
    (51, None, "51年及以上"),
]
EDUCATION_GROUPS = [
    ("研究生", [Education.POSTGRADUATE]),
    ("大学本科", [Education.BACHELOR]),
    ("大学专科", [Education.COLLEGE]),
    ("中专", [Education.SECONDARY]),
    ("高中", [Education.HIGH_SCHOOL]),
    ("初中及以下", [Education.JUNIOR]),
]


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    condition: Q


@dataclass
class Section:
    title: str
    cells: list[Cell]
    values: dict[str, int] = field(default_factory=dict)
    note: str = ""

    def items(self) -> list[tuple[Cell, int]]:
        return [(cell, self.values.get(cell.key, 0)) for cell in self.cells]


def _years_band(field_name: str, on: date, low: int | None, high: int | None) -> Q:
    """Whole years since `field_name` at `on` within [low, high]: a date range on the field."""
    q = Q(**{f"{field_name}__isnull": False})
    if low is not None:  # at least `low` whole years
        q &= Q(**{f"{field_name}__lte": months.shift(on, -12 * low)})
    if high is not None:  # fewer than high + 1 whole years
        q &= Q(**{f"{field_name}__gt": months.shift(on, -12 * (high + 1))})
    return q


def _breakdowns(prefix: str, on: date) -> list[Cell]:
    cells = [
        Cell(f"{prefix}sex:M", "男", Q(gender=Gender.MALE)),
        Cell(f"{prefix}sex:F", "女", Q(gender=Gender.FEMALE)),
        Cell(f"{prefix}eth:han", "汉族", Q(ethnicity=HAN)),
        Cell(f"{prefix}eth:minority", "少数民族", ~Q(ethnicity=HAN)),
    ]
    cells += [
        Cell(f"{prefix}age:{label}", label, _years_band("birth_date", on, low, high))
        for low, high, label in AGE_BANDS
    ]
    cells += [
        Cell(f"{prefix}edu:{label}", label, Q(education__in=codes)) for label, codes in EDUCATION_GROUPS
    ]
    cells.append(Cell(f"{prefix}edu:未登记", "学历未登记", Q(education="")))
    return cells


def member_sections(on: date) -> list[Section]:
    full = Q(confirmed_on__isnull=False, confirmed_on__lte=on)
    year_start = date(on.year, 1, 1)
    return [
        Section(
            "党员总数",
            [
                Cell("all", "党员", Q()),
                Cell("full", "正式党员", full),
                Cell("probationary", "预备党员", ~full),
            ],
        ),
        Section("党员构成", _breakdowns("", on)),
        Section(
            "党龄（自转正之日起）",
            [
                Cell(f"standing:{label}", label, full & _years_band("confirmed_on", on, low, high))
                for low, high, label in STANDING_BANDS
            ],
        ),
        Section(
            "流动党员和失联党员",
            [
                Cell("mobile", "流动党员", Q(mobile=True)),
                Cell("lost", "失联党员", Q(lost_contact=True, lost_contact_since__lte=on)),
            ],
        ),
        Section(
            f"{on.year}年发展党员",
            [Cell("developed", "发展党员", Q(joined_on__gte=year_start))] + _breakdowns("developed:", on),
            note="入党日期在本年1月1日至统计日期之间的预备党员，按同样口径分组。",
        ),
    ]


def _members(actor, org: Organisation, on: date) -> QuerySet[Member]:
    low, high = org.subtree_bounds()
    return (
        Member.objects.visible_to(actor, Action.VIEW)
        .filter(branch__path__gte=low, branch__path__lte=high, joined_on__isnull=False, joined_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
    )


@dataclass
class Table:
    org: Organisation
    on: date
    sections: list[Section]


def table(actor, org: Organisation, on: date) -> Table:
    """Every count of the return for the organisation's subtree at `on`: three aggregate queries."""
    scoping.require(actor, Action.VIEW, org)
    sections = member_sections(on)
    developed = Q(joined_on__gte=date(on.year, 1, 1))
    aggregates = {}
    for section in sections:
        for cell in section.cells:
            condition = cell.condition & developed if cell.key.startswith("developed:") else cell.condition
            aggregates[cell.key] = Count("id", filter=condition) if condition else Count("id")
    totals = _members(actor, org, on).aggregate(**aggregates)
    for section in sections:
        section.values = {cell.key: totals[cell.key] for cell in section.cells}
    sections.append(_organisations(actor, org, on))
    sections.append(_movements(actor, org, on))
    return Table(org=org, on=on, sections=sections)


def _organisations(actor, org: Organisation, on: date) -> Section:
    low, high = org.subtree_bounds()
    rows = (
        scoping.organisations(actor, Action.VIEW)
        .filter(path__gte=low, path__lte=high)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=on))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))
        .values_list("type__code", "type__name")
        .annotate(n=Count("id"))
        .order_by("type__order", "type__code")
    )
    section = Section("党组织", [])
    for code, name, n in rows:
        section.cells.append(Cell(f"org:{code}", name, Q(type__code=code)))
        section.values[f"org:{code}"] = n
    return section


def _movements(actor, org: Organisation, on: date) -> Section:
    """Members gained and lost in the year up to `on`: 发展 from the roster, 转入/转出 from received transfers
    that cross the subtree's edge. Deaths and expulsions are not recorded by zhibu and are not counted."""
    low, high = org.subtree_bounds()
    inside_to = Q(to_org__path__gte=low, to_org__path__lte=high)
    inside_from = Q(from_org__path__gte=low, from_org__path__lte=high)
    year = Q(received_on__gte=date(on.year, 1, 1), received_on__lte=on, status=Transfer.Status.RECEIVED)
    came = year & inside_to & ~inside_from
    went = (year & inside_from & ~inside_to) | (
        Q(kind=Transfer.Kind.OUT, issued_on__gte=date(on.year, 1, 1), issued_on__lte=on)
        & inside_from
        & ~Q(status="cancelled")
    )
    transfers = Transfer.objects.visible_to(actor, Action.VIEW).aggregate(
        came=Count("id", filter=came), went=Count("id", filter=went)
    )
    developed = _members(actor, org, on).filter(joined_on__gte=date(on.year, 1, 1)).count()
    section = Section(
        f"{on.year}年党员增减",
        [
            Cell("gain:developed", "发展", Q(joined_on__gte=date(on.year, 1, 1))),
            Cell("gain:transfer", "转入", came),
            Cell("loss:transfer", "转出", went),
        ],
        note="死亡、出党等减少情况本系统未登记，不在此统计。",
    )
    section.values = {
        "gain:developed": developed,
        "gain:transfer": transfers["came"],
        "loss:transfer": transfers["went"],
    }
    return section


def people_behind(actor, org: Organisation, on: date, key: str) -> tuple[str, list]:
    """The members, organisations or transfers counted by one cell, for the click-through list."""
    the_table = member_sections(on)
    for section in the_table:
        for cell in section.cells:
            if cell.key == key:
                qs = _members(actor, org, on).filter(cell.condition)
                if key.startswith("developed:"):
                    qs = qs.filter(joined_on__gte=date(on.year, 1, 1))
                return f"{section.title} · {cell.label}", list(
                    qs.select_related("branch").order_by("branch__path", "name_pinyin", "id")
                )
    for section in (_organisations(actor, org, on), _movements(actor, org, on)):
        for cell in section.cells:
            if cell.key != key:
                continue
            if key.startswith("org:"):
                low, high = org.subtree_bounds()
                return f"党组织 · {cell.label}", list(
                    scoping.organisations(actor, Action.VIEW)
                    .filter(cell.condition, path__gte=low, path__lte=high)
                    .order_by("path")
                )
            if key == "gain:developed":
                return f"{section.title} · 发展", list(
                    _members(actor, org, on)
                    .filter(cell.condition)
                    .select_related("branch")
                    .order_by("branch__path", "id")
                )
            return f"{section.title} · {cell.label}", list(
                Transfer.objects.visible_to(actor, Action.VIEW)
                .filter(cell.condition)
                .select_related("member")
                .order_by("issued_on", "id")
            )
    raise scoping.NotVisible("没有这一统计项。")
