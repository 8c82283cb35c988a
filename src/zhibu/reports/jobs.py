"""Background work of the reports app (run as jobs: zhibu.jobs)."""

from __future__ import annotations

import io
import zipfile

from zhibu.audit import services as audit
from zhibu.jobs.services import JobFile, Progress
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from . import export, selectors
from .services import _title


def subtree_reports_zip(*, progress: Progress, year: int) -> JobFile:
    """Every branch's annual report (述职报告) of `year` under the job's organisation, one .docx each, in a zip.
    A final version is used as frozen; otherwise the draft or a fresh assembly from the records."""
    actor, org = progress.actor, progress.org
    scoping.require(actor, Action.VIEW, org)
    low, high = scoping.path_bounds(org.path)
    branches = list(
        scoping.organisations(actor, Action.VIEW)
        .filter(path__gte=low, path__lte=high, type__level="branch")
        .order_by("path")
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, branch in enumerate(branches, start=1):
            _, content = selectors.current_content(actor, branch, year)
            archive.writestr(
                f"{branch.code}-{year}-述职报告.docx",
                export.report_docx(content, title=_title(content), author=branch.name),
            )
            progress(done * 100 // (len(branches) + 1))
    audit.log(
        actor=actor,
        verb="report.export",
        target=org,
        detail={"format": "zip", "year": year, "count": len(branches)},
    )
    return JobFile(
        outcome=f"已生成 {len(branches)} 个党支部的 {year} 年度述职报告。",
        name=f"{org.code}-{year}-述职报告.zip",
        content=buffer.getvalue(),
    )
