from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from zhibu.audit import services as audit
from zhibu.core import filestore, uploads

from . import selectors


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(request.user, pk)
    template = "jobs/_status.html" if request.htmx else "jobs/detail.html"
    return render(request, template, {"job": job})


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's file (an export: decrypted here, audited, always a download)."""
    job = selectors.job_get(request.user, pk)
    if not job.result_file:
        raise Http404("该任务没有可下载的文件。")
    try:
        data = filestore.load(job.result_file)
    except FileNotFoundError as exc:
        raise Http404("该任务的文件已不存在。") from exc
    audit.log(
        actor=request.user,
        verb="job.download",
        target=job,
        org_path=job.org.path if job.org_id else None,
        detail={"name": job.result_name, "label": job.label},
    )
    return uploads.harden(FileResponse(io.BytesIO(data), as_attachment=True, filename=job.result_name))
