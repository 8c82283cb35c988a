"""Roster pages: parse, call a selector or service, render. Scope is resolved before any input is read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from zhibu.core import hooks, tabular
from zhibu.core.web import form_status, page, paginate, submit
from zhibu.jobs import services as jobs
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from . import exporting, importing, selectors, services
from .columns import COLUMNS
from .forms import FilterForm, ImportForm, MemberForm, StatusForm
from .models import Member, Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response.headers["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The roster of the user's home organisation; a plain 党员 goes to their own record."""
    user = request.user
    org = scoping.home_org(user)
    if org is not None and not scoping.can(user, Action.VIEW, org):
        org = scoping.organisations(user, Action.VIEW).order_by("depth", "path").first()
    if org is not None:
        return redirect("people:list", code=org.code)
    if selectors.own_member(user) is not None:
        return redirect("people:me")
    raise Http404


def _address_query(data) -> QueryDict:
    """The filters as they may appear in an address: a full ID number replaced by its digest token, any other
    text with digits (part of a number) left out."""
    query = QueryDict(mutable=True)
    for key in ("q", "status", "group", "post"):
        value = (data.get(key) or "").strip()
        if key == "q" and value:
            value = selectors.id_search_token(value) or value
            if not selectors.may_go_in_address(value):
                continue
        if value:
            query[key] = value
    return query


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_list(request: HttpRequest, code: str) -> HttpResponse:
    """The roster, filtered. The search form posts (search by ID number: the number stays out of the address and
    the access log); the address it leads to carries the number's digest token instead (people.selectors)."""
    org = scoping.get_org(request.user, Action.VIEW, code)
    posted = request.method == "POST"
    if not posted and request.GET.get("q") and not selectors.may_go_in_address(request.GET["q"]):
        return redirect(f"{request.path}?{_address_query(request.GET).urlencode()}")  # out of the address bar
    data = request.POST if posted else request.GET
    form = FilterForm(
        data or None,
        groups=list(selectors.groups_in(request.user, org)),
        posts=selectors.posts_in(request.user, org),
    )
    filters = {}
    if form.is_bound and form.is_valid():
        cleaned = form.cleaned_data
        filters = {
            "q": cleaned["q"],
            "status": cleaned["status"],
            "post": cleaned["post"],
            "group": form.groups.get(cleaned["group"]),
        }
    query = _address_query(data)
    address = f"{request.path}?{query.urlencode()}" if query else request.path
    if (
        posted
        and form.is_valid()
        and not getattr(request, "htmx", False)
        and ("q" in query or not filters["q"])
    ):
        response = redirect(address)  # the address holds the whole search: a plain page to come back to
        response.status_code = 303
        return response
    response = _roster(request, org, form, filters, query)
    if posted and getattr(request, "htmx", False):
        response["HX-Push-Url"] = address
    return response


def _roster(request: HttpRequest, org, form: FilterForm, filters: dict, query: QueryDict) -> HttpResponse:
    members = selectors.member_list(request.user, org, **filters).defer("id_number", "address")
    actions = scoping.actions_at(request.user, org)
    if selectors.is_id_search_token(form.data.get("q", "")):  # show an empty box, not the token
        form.data = form.data.copy()
        form.data["q"] = ""
    context = {
        "org": org,
        "form": form,
        "page_obj": paginate(request, members),
        "query": query.urlencode(),
        "actions": actions,
        "counts": _labelled(selectors.status_counts(request.user, org)),
        "show_branch": not org.is_branch and not org.is_group,
        "by_id_number": selectors.is_id_search_token(query.get("q", "")),
        "transferring": set().union(*hooks.answers(hooks.MEMBERS_LEAVING, request.user, Action.VIEW, org)),
    }
    return page(
        request,
        "people/member_list.html",
        context,
        partial="people/_member_table.html",
        status=400 if form.errors else 200,
    )


def _labelled(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(value, label, counts.get(value, 0)) for value, label in Status.choices]


def _detail_context(request: HttpRequest, member: Member, **extra) -> dict:
    actions = scoping.actions_at(request.user, member.branch)
    return {
        "member": member,
        "actions": actions,
        "events": list(member.status_events.all()),
        "can_edit": Action.MEMBERS in actions,
        "can_reveal": Action.PII in actions,
        "status_form": extra.pop("status_form", None)
        or (StatusForm() if Action.MEMBERS in actions else None),
        **extra,
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(request.user, pk)
    return page(request, "people/member_detail.html", _detail_context(request, member))


@login_required
def me(request: HttpRequest) -> HttpResponse:
    member = selectors.own_member(request.user)
    if member is None:
        raise Http404("没有与您的账号关联的党员信息。")
    return page(request, "people/member_detail.html", _detail_context(request, member, is_me=True))


@login_required
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(request.user, pk)
    full = services.member_reveal(actor=request.user, member=member)
    return page(
        request,
        "people/member_detail.html",
        _detail_context(request, member, revealed=full),
        partial="people/_pii.html",
    )


@login_required
@require_POST
def status_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(request.user, pk, Action.MEMBERS)
    form = StatusForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: services.member_status_record(actor=request.user, member=member, **data),
        success=lambda _: (
            f"已记录：{form.cleaned_data['on']:%Y-%m-%d} {Status(form.cleaned_data['status']).label}。"
        ),
        then=lambda _: redirect("people:detail", pk=member.pk),
    )
    if done:
        return done
    member = selectors.member_get(request.user, pk, Action.MEMBERS)  # fresh history after a refused write
    return page(
        request, "people/member_detail.html", _detail_context(request, member, status_form=form), status=400
    )


@login_required
def create(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.MEMBERS, code)
    form = MemberForm(request.POST or None, groups=selectors.party_groups(org))

    def create_member(data):
        history = services.history_from_dates(data["status"], form.dates())
        return services.member_create(actor=request.user, branch=org, history=history, **form.member_fields())

    done = None
    if not org.is_branch:
        form.add_error(None, "请在党支部（或联合党支部）下新增党员。")
    else:
        done = submit(
            request,
            form,
            create_member,
            success=lambda member: f"已新增“{member.name}”。",
            then=lambda member: redirect("people:detail", pk=member.pk),
        )
    return done or page(
        request,
        "people/member_form.html",
        {"form": form, "org": org, "title": f"新增党员 · {org.label}"},
        status=form_status(form),
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(request.user, pk, Action.MEMBERS)
    form = MemberForm(request.POST or None, groups=selectors.party_groups(member.branch), member=member)
    done = submit(
        request,
        form,
        lambda data: services.member_update(actor=request.user, member=member, **form.member_fields()),
        success=lambda _: f"已保存“{member.name}”的信息。",
        then=lambda _: redirect("people:detail", pk=member.pk),
    )
    return done or page(
        request,
        "people/member_form.html",
        {"form": form, "org": member.branch, "member": member, "title": f"编辑 · {member.name}"},
        status=form_status(form),
    )


@login_required
def import_view(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.MEMBERS, code)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importing.member_import(
                actor=request.user, branch=org, file=upload, filename=upload.name
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"导入完成。{result.summary()}")
            return redirect("people:list", code=org.code)
    bad = bool(errors or form.errors)
    return page(
        request,
        "people/member_import.html",
        {"org": org, "form": form, "errors": errors, "columns": COLUMNS},
        status=400 if bad else 200,
    )


@login_required
def template(request: HttpRequest) -> HttpResponse:
    if not scoping.prefixes(request.user, Action.MEMBERS):
        raise Http404
    return _xlsx(exporting.template_bytes(), "党员名册导入模板.xlsx")


@login_required
@require_POST
def export_job(request: HttpRequest, code: str) -> HttpResponse:
    """A large roster (a committee's whole subtree) is exported by a background job; its page offers the file."""
    org = scoping.get_org(request.user, Action.EXPORT, code)
    full = request.POST.get("full") == "1"
    if full:
        scoping.require(request.user, Action.PII, org)
    job = jobs.start(
        actor=request.user,
        org=org,
        label=f"导出党员名册（{'完整信息' if full else '脱敏'}）· {org.name}",
        task="zhibu.people.jobs.roster_export",
        full=full,
    )
    return redirect("jobs:detail", job.pk)


@login_required
def export(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.EXPORT, code)
    full = request.GET.get("full") == "1"
    suffix = "完整" if full else "脱敏"
    name = f"党员名册-{org.code}-{timezone.localdate():%Y%m%d}-{suffix}"
    if request.GET.get("format") == "csv":
        content, _ = exporting.member_export(actor=request.user, org=org, full=full, fmt="csv")
        response = HttpResponse(content, content_type=tabular.CSV)
        response["Content-Disposition"] = content_disposition_header(True, f"{name}.csv")
        return response
    content, _ = exporting.member_export(actor=request.user, org=org, full=full)
    return _xlsx(content, f"{name}.xlsx")
