"""Background work of the roster (run as jobs: zhibu.jobs)."""

from __future__ import annotations

from zhibu.jobs.services import JobFile, Progress

from .exporting import member_export


def roster_export(*, progress: Progress, full: bool = False) -> JobFile:
    """The roster of the job's organisation and its subtree as .xlsx (masked unless `full`)."""
    content, count = member_export(actor=progress.actor, org=progress.org, full=full)
    kind = "完整信息" if full else "已脱敏"
    return JobFile(
        outcome=f"已导出 {count} 人（{kind}）。", name=f"{progress.org.code}-党员名册.xlsx", content=content
    )
