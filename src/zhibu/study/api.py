"""Study API: the same services and selectors as the pages, the same scope."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from . import selectors, services

router = Router(tags=["学习"])
# Optional so that the scope check answers first (404 outside scope) and a missing file is a 422 after it.
OPTIONAL_FILE = File(None)


class ImportOut(Schema):
    filename: str
    rows: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    first_day: date | None
    last_day: date | None
    columns: dict[str, str]
    ignored_columns: list[str]
    unmatched: dict[str, list[int]]
    ambiguous: dict[str, list[int]]


class DailyRowOut(Schema):
    name: str
    day_points: int
    total_points: int | None
    party_member: bool


class DailyOut(Schema):
    org: str
    date: date
    roster: int
    studied: int
    studied_party: int
    points: int
    rows: list[DailyRowOut]


class RankRowOut(Schema):
    org: str
    name: str
    members: int
    participants: int
    points: int
    avg_points: float
    participation: float
    rank: int


class RankingOut(Schema):
    org: str
    month: str
    rows: list[RankRowOut]


class NoteTotalOut(Schema):
    name: str
    branch: str
    notes: int
    chars: int


class NotesSummaryOut(Schema):
    org: str
    year: int
    sessions: int
    notes: int
    chars: int
    members: list[NoteTotalOut]


@router.post(
    "/{code}/import",
    response=ImportOut,
    url_name="study_import",
    summary="导入学习强国积分（multipart 字段 file：.xlsx 或 .csv）",
)
def import_points(request, code: str, file: UploadedFile = OPTIONAL_FILE):
    org = scoping.get_org(request.user, Action.RECORD, code)
    if file is None:
        raise ValidationError({"file": "请上传积分文件（.xlsx 或 .csv）。"})
    report = services.study_import(actor=request.user, org=org, file=file, filename=file.name or "")
    return report.as_dict()


@router.get("/{code}/daily", response=DailyOut, url_name="study_daily", summary="党支部某日学习情况")
def daily(request, code: str, date: str | None = None):
    org = scoping.get_org(request.user, Action.SCHEDULE, code)
    if not org.is_branch:
        raise ValidationError("每日学习情况按党支部公布，请选择党支部。")
    day = selectors.parse_day(date, selectors.latest_day(request.user, org) or timezone.localdate())
    sheet = selectors.daily(request.user, org, day)
    return {
        "org": org.code,
        "date": sheet.day,
        "roster": sheet.roster,
        "studied": sheet.studied,
        "studied_party": sheet.studied_party,
        "points": sheet.points,
        "rows": [vars(r) for r in sheet.rows],
    }


@router.get(
    "/{code}/ranking",
    response=RankingOut,
    url_name="study_ranking",
    summary="下级党支部月度学习排名（需上级开启）",
)
def ranking(request, code: str, month: str | None = None):
    org = scoping.get_org(request.user, Action.VIEW, code)
    if not selectors.rankings_enabled(org):
        raise Http404("本组织未开启学习排名。")
    today = timezone.localdate()
    default = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    year, mon = selectors.parse_month(month, default)
    rows = selectors.ranking(request.user, org, year, mon)
    return {
        "org": org.code,
        "month": f"{year:04d}-{mon:02d}",
        "rows": [
            {
                "org": r.org.code,
                "name": r.org.name,
                "members": r.members,
                "participants": r.participants,
                "points": r.points,
                "avg_points": r.avg_points,
                "participation": r.participation,
                "rank": r.rank,
            }
            for r in rows
        ],
    }


@router.get(
    "/{code}/notes-summary",
    response=NotesSummaryOut,
    url_name="study_notes_summary",
    summary="政治学习笔记字数统计",
)
def notes_summary(request, code: str, year: str | None = None):
    org = scoping.get_org(request.user, Action.VIEW, code)
    value = selectors.parse_year(year, timezone.localdate().year)
    summary = selectors.notes_summary(request.user, org, value)
    return {
        "org": org.code,
        "year": value,
        "sessions": summary.session_count,
        "notes": summary.total_notes,
        "chars": summary.total_chars,
        "members": [
            {"name": m.name, "branch": m.branch, "notes": m.notes, "chars": m.chars} for m in summary.members
        ],
    }
