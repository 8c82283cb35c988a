"""What a template column may take: the fields of each row unit, with their Chinese names and kinds.

A unit is what one row of a sheet stands for: one member at one activity (the national member system's
组织活动 records), one activity (a platform's monthly activity list) or one organisation in one quarter (a
superior's 三会一课 summary). Counting fields of the quarter unit are one per activity kind, named
`count:<kind code>`, so a new kind needs no code.
"""

from __future__ import annotations

from dataclasses import dataclass

ATTENDANCE = "attendance"
ACTIVITY = "activity"
QUARTER = "quarter"

UNITS = {
    ATTENDANCE: "每名党员每次活动一行",
    ACTIVITY: "每次活动一行",
    QUARTER: "每个党组织每季度一行",
}

DATE_FORMATS = {
    "%Y-%m-%d": "2022-07-01",
    "%Y.%m.%d": "2022.07.01",
    "%Y/%m/%d": "2022/07/01",
    "%Y年%m月%d日": "2022年07月01日",
}


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    units: frozenset[str]
    is_date: bool = False


_BOTH = frozenset({ATTENDANCE, ACTIVITY})
_ALL = frozenset(UNITS)

_FIELDS = [
    Field("org_name", "党组织名称", _ALL),
    Field("org_code", "党组织代码", _ALL),
    Field("kind_name", "活动类型", _BOTH),
    Field("kind_code", "活动类型代码", _BOTH),
    Field("topic", "活动主题（议题）", _BOTH),
    Field("held_on", "召开日期", _BOTH, is_date=True),
    Field("time_range", "起止时间", _BOTH),
    Field("location", "地点", _BOTH),
    Field("host", "主持人", _BOTH),
    Field("speaker", "主讲人", _BOTH),
    Field("recorder", "记录人", _BOTH),
    Field("content", "主要内容", _BOTH),
    Field("decisions", "决议事项", _BOTH),
    Field("expected_count", "应到人数", _BOTH),
    Field("present_count", "实到人数", _BOTH),
    Field("leave_count", "请假人数", _BOTH),
    Field("absent_count", "缺席人数", _BOTH),
    Field("present_names", "实到人员名单", _BOTH),
    Field("leave_names", "请假人员名单（事由）", _BOTH),
    Field("absent_names", "缺席人员名单", _BOTH),
    Field("attachments", "附件", _BOTH),
    Field("member_name", "党员姓名", frozenset({ATTENDANCE})),
    Field("member_gender", "性别", frozenset({ATTENDANCE})),
    Field("member_status", "人员类别", frozenset({ATTENDANCE})),
    Field("presence", "参加情况", frozenset({ATTENDANCE})),
    Field("reason", "请假事由", frozenset({ATTENDANCE})),
    Field("period", "统计期间", frozenset({QUARTER})),
    Field("count_total", "活动总次数", frozenset({QUARTER})),
]
FIELDS: dict[str, Field] = {f.key: f for f in _FIELDS}
COUNT_PREFIX = "count:"


def lookup(key: str, kind_names: dict[str, str]) -> Field | None:
    """The field for a column key; `count:<kind>` fields exist for every kind the organisation can use."""
    if key.startswith(COUNT_PREFIX):
        code = key[len(COUNT_PREFIX) :]
        if code in kind_names:
            return Field(key, f"{kind_names[code]}次数", frozenset({QUARTER}))
        return None
    return FIELDS.get(key)


def choices(kind_names: dict[str, str]) -> list[tuple[str, str]]:
    """(key, label) for a select box: the fixed fields, then one count per kind."""
    fixed = [(f.key, f"{f.label}（{'、'.join(UNITS[u][:-2] for u in sorted(f.units))}）") for f in _FIELDS]
    counts = [(f"{COUNT_PREFIX}{code}", f"{name}次数（季度）") for code, name in kind_names.items()]
    return fixed + counts
