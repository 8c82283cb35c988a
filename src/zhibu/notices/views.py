from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibu.audit import services as audit
from zhibu.core import uploads as upload_check
from zhibu.core.web import apply_errors
from zhibu.orgs import scoping
from zhibu.orgs.models import OrgType
from zhibu.orgs.roles import Action

from . import selectors, services
from .forms import NoticeForm


@login_required
def index(request: HttpRequest) -> HttpResponse:
    org = scoping.home_org(request.user)
    if org is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return redirect("notices:org", code=org.code)


@login_required
def org_page(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.SCHEDULE, code)
    supervises = scoping.can(request.user, Action.SUPERVISE, org)
    return render(
        request,
        "notices/org.html",
        {
            "org": org,
            "inbox": selectors.inbox(request.user, org),
            "supervises": supervises,
            "published": list(selectors.published(request.user, org)[:50]) if supervises else [],
        },
    )


@login_required
def publish(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.SUPERVISE, code)
    low, high = org.subtree_bounds()
    receivers = (
        scoping.organisations(request.user, Action.SUPERVISE)
        .filter(path__gt=low, path__lte=high, dissolved_on__isnull=True)
        .exclude(type__level=OrgType.Level.GROUP)
        .order_by("path")
    )
    initial = {"title": request.GET.get("title", "")[:120]}
    if request.GET.get("to"):
        initial["targets"] = list(receivers.filter(code=request.GET["to"]))
    form = NoticeForm(request.POST or None, request.FILES or None, receivers=receivers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_publish(
                actor=request.user,
                org=org,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                deadline=form.cleaned_data["deadline"],
                targets=list(form.cleaned_data["targets"]),
                uploads=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已发布通知「{notice.title}」。")
            return redirect("notices:detail", pk=notice.pk)
    return render(
        request,
        "notices/publish.html",
        {"org": org, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.get_notice(request.user, pk)
    status = selectors.read_status(request.user, access.notice) if access.supervises else []
    read = None
    if access.reader_org is not None:
        read = next((r for r in access.notice.reads.all() if r.org_id == access.reader_org.pk), None)
    return render(
        request,
        "notices/detail.html",
        {
            "a": access,
            "n": access.notice,
            "files": selectors.files_of(access.notice),
            "status": status,
            "read_count": sum(1 for _, r in status if r),
            "read": read,
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    services.notice_mark_read(actor=request.user, pk=pk)
    messages.success(request, "已标记为已读。")
    return redirect("notices:detail", pk=pk)


@login_required
def file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    access = selectors.get_notice(request.user, pk)
    item = next((f for f in selectors.files_of(access.notice) if f.pk == file_id), None)
    if item is None:
        raise scoping.NotVisible("不存在或无权访问。")
    audit.log(
        actor=request.user, verb="notice.file_download", target=access.notice, detail={"file": item.name}
    )
    return upload_check.serve(item.file, content_type=item.content_type, filename=item.name)
