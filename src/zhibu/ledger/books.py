"""The branch's 台账 as documents, written from records: the organisational-life record book of a year
(“三会一课”记录本) as a printable page and as a .docx in the official document layout the annual report uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhibu.orgs.models import Organisation
from zhibu.reports.export import report_docx

from . import selectors

# One-to-one talks are kept as records too, but they are not meetings of the book.
NOT_IN_BOOK = {"heart-talk"}


@dataclass(frozen=True)
class Book:
    org: Organisation
    year: int
    meetings: list[dict]

    @property
    def title(self) -> str:
        return f"{self.org.name}{self.year}年“三会一课”及组织生活记录"


def book(actor, org: Organisation, year: int) -> Book:
    kinds = [code for code in selectors.kind_names(org) if code not in NOT_IN_BOOK]
    rows = selectors.meeting_rows(actor, org, date(year, 1, 1), date(year, 12, 31), kinds)
    return Book(org=org, year=year, meetings=rows)


def lines(meeting: dict) -> list[str]:
    """The body of one meeting's entry, as the record book writes it."""
    out = [
        f"时间：{meeting['held_on']:%Y年%m月%d日} {meeting['time_range']}",
        f"地点：{meeting['location'] or '未填写'}",
        f"主持人：{meeting['host'] or '未填写'}　记录人：{meeting['recorder'] or '未填写'}",
    ]
    if meeting["speaker"]:
        out.append(f"主讲人：{meeting['speaker']}")
    out.append(
        f"应到{meeting['expected_count']}人，实到{meeting['present_count']}人，"
        f"请假{meeting['leave_count']}人，缺席{meeting['absent_count']}人。"
    )
    if meeting["present_names"]:
        out.append(f"出席：{meeting['present_names']}")
    if meeting["leave_names"]:
        out.append(f"请假：{meeting['leave_names']}")
    if meeting["absent_names"]:
        out.append(f"缺席：{meeting['absent_names']}")
    out.append(f"议题：{meeting['topic']}")
    if meeting["content"]:
        out.append(f"内容纪要：{meeting['content']}")
    if meeting["decisions"]:
        out.append(f"决议事项：{meeting['decisions']}")
    if meeting["attachments"]:
        out.append(f"附件：{meeting['attachments']}")
    return out


def book_docx(the_book: Book) -> bytes:
    blocks = [
        {"kind": "title", "text": the_book.title},
        {"kind": "author", "text": f"共{len(the_book.meetings)}次，按召开日期排列"},
    ]
    for meeting in the_book.meetings:
        blocks.append(
            {
                "kind": "h1",
                "text": f"{meeting['held_on'].month}月{meeting['held_on'].day}日　{meeting['kind_name']}",
            }
        )
        blocks.append({"kind": "p", "text": "\n".join(lines(meeting))})
    if not the_book.meetings:
        blocks.append({"kind": "p", "text": "本年度没有组织生活记录。"})
    return report_docx({"blocks": blocks}, title=the_book.title, author=the_book.org.name)
