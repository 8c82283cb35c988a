from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhibu.core.web import apply_errors, form_status, page, submit

from . import scoping, selectors, services
from .forms import BreakForm, DissolveForm, MoveForm, OrgForm, RoleForm
from .models import Election, Organisation, OrgBreak, RoleAssignment
from .roles import Action


@login_required
def index(request: HttpRequest) -> HttpResponse:
    org = scoping.home_org(request.user)
    if org is None:
        raise Http404
    if not scoping.can(request.user, Action.SCHEDULE, org):  # the system and security administrators
        return redirect("orgs:detail", code=org.code)
    return redirect("orgs:dashboard", code=org.code)


@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.SCHEDULE, code)
    data = selectors.dashboard(request.user, org, timezone.localdate())
    return page(
        request,
        "orgs/dashboard.html",
        {
            "org": org,
            **data,
            "actions": scoping.actions_at(request.user, org),
            "ancestors": selectors.ancestors(org, request.user),
        },
    )


@login_required
def tree(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.STRUCTURE, code)
    nodes = list(selectors.children(request.user, org, Action.STRUCTURE))
    return page(
        request,
        "orgs/tree.html",
        {
            "org": org,
            "nodes": nodes,
            "ancestors": selectors.ancestors(org, request.user),
            "actions": scoping.actions_at(request.user, org),
        },
        partial="orgs/_children.html",
    )


@login_required
def children(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.STRUCTURE, code)
    return page(
        request,
        "orgs/_children.html",
        {"org": org, "nodes": list(selectors.children(request.user, org, Action.STRUCTURE))},
    )


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.STRUCTURE, code)
    today = timezone.localdate()
    posts = (
        {
            "holders": selectors.post_holders(org, on=today),
            "term": selectors.term_state(org, on=today),
            "has_committee": selectors.has_committee(org, on=today),
            "elections": list(
                Election.objects.visible_to(request.user, Action.VIEW).filter(org=org).order_by("-held_on")
            ),
        }
        if org.is_branch
        else {}
    )
    return page(
        request,
        "orgs/detail.html",
        {
            **posts,
            "org": org,
            "ancestors": selectors.ancestors(org, request.user),
            "kids": list(selectors.children(request.user, org, Action.STRUCTURE)),
            "roles": list(selectors.roles_at(request.user, org)),
            "actions": scoping.actions_at(request.user, org),
            "role_form": RoleForm(),
        },
    )


@login_required
def create(request: HttpRequest, code: str) -> HttpResponse:
    parent = scoping.get_org(request.user, Action.ORG, code)
    form = OrgForm(request.POST or None)

    def create_org(data):
        fields = {k: v for k, v in data.items() if k not in ("type", "code", "name")}
        return services.org_create(
            actor=request.user,
            parent=parent,
            type=data["type"],
            code=data["code"],
            name=data["name"],
            **fields,
        )

    done = submit(
        request,
        form,
        create_org,
        success=lambda org: f"已新建“{org.name}”。",
        then=lambda org: redirect("orgs:detail", code=org.code),
    )
    return done or page(
        request,
        "orgs/form.html",
        {"form": form, "parent": parent, "title": f"在“{parent.label}”下新建组织"},
        status=form_status(form),
    )


@login_required
def edit(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.STRUCTURE, code)
    scoping.require(request.user, Action.ORG, Organisation.objects.get_parent(org) or org)
    form = OrgForm(request.POST or None, instance=org, editing=True)
    done = submit(
        request,
        form,
        lambda data: services.org_update(actor=request.user, org=org, **data),
        success="已保存。",
        then=lambda _: redirect("orgs:detail", code=org.code),
    )
    return done or page(
        request,
        "orgs/form.html",
        {"form": form, "org": org, "title": f"编辑“{org.label}”"},
        status=form_status(form),
    )


@login_required
def move(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.STRUCTURE, code)
    scoping.require(request.user, Action.ORG, Organisation.objects.get_parent(org) or org)
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            target = scoping.get_org(request.user, Action.ORG, form.cleaned_data["new_parent"].strip())
        except Http404:
            form.add_error("new_parent", "目标组织不存在或不在您的管理范围内。")
        else:
            try:
                org = services.org_move(actor=request.user, org=org, new_parent=target)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已将“{org.label}”及其下级移动到“{target.label}”之下。")
                return redirect("orgs:detail", code=org.code)
    return page(
        request,
        "orgs/form.html",
        {"form": form, "org": org, "title": f"移动“{org.label}”"},
        status=400 if form.errors else 200,
    )


@login_required
def dissolve(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.STRUCTURE, code)
    scoping.require(request.user, Action.ORG, Organisation.objects.get_parent(org) or org)
    form = DissolveForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda data: services.org_dissolve(actor=request.user, org=org, on=data["on"], reason=data["reason"]),
        success=lambda count: f"已撤销 {count} 个组织，历史记录保留。",
        then=lambda _: redirect("orgs:detail", code=org.code),
    )
    return done or page(
        request,
        "orgs/form.html",
        {
            "form": form,
            "org": org,
            "title": f"撤销“{org.label}”",
            "danger": "撤销后该组织及其下级不再接受新记录，历史记录保留可查。",
        },
        status=form_status(form),
    )


@login_required
@require_POST
def role_grant(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.ROLES, code)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.role_grant(
                actor=request.user,
                user=form.cleaned_data["username"],
                org=org,
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        return page(
            request,
            "orgs/detail.html",
            {
                "org": org,
                "ancestors": selectors.ancestors(org, request.user),
                "kids": list(selectors.children(request.user, org, Action.STRUCTURE)),
                "roles": list(selectors.roles_at(request.user, org)),
                "actions": scoping.actions_at(request.user, org),
                "role_form": form,
            },
            status=400,
        )
    messages.success(request, "已授予角色。")
    return redirect("orgs:detail", code=org.code)


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment.objects.select_related("org", "user"), pk=pk)
    scoping.require(request.user, Action.ROLES, assignment.org)
    try:
        services.role_revoke(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已撤销角色。")
    return redirect("orgs:detail", code=assignment.org.code)


@login_required
def breaks(request: HttpRequest, code: str) -> HttpResponse:
    """假期 (寒暑假) of an organisation: weekly requirements are not due in weeks inside them."""
    org = scoping.get_org(request.user, Action.VIEW, code)
    can_edit = scoping.can(request.user, Action.RECORD, org) or scoping.can(
        request.user, Action.SUPERVISE, org
    )
    form = BreakForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            try:
                services.break_add(actor=request.user, org=org, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已登记假期；假期内的周不再要求每周的活动。")
                return redirect("orgs:breaks", code=org.code)
    return page(
        request,
        "orgs/breaks.html",
        {
            "org": org,
            "form": form,
            "can_edit": can_edit,
            "ancestors": selectors.ancestors(org, request.user),
            **selectors.breaks_for(request.user, org),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def break_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        OrgBreak.objects.visible_to(request.user, Action.VIEW).select_related("org"), pk=pk
    )
    try:
        services.break_remove(actor=request.user, item=item)
    except ValidationError:
        raise Http404 from None
    messages.success(request, "已删除假期。")
    return redirect("orgs:breaks", code=item.org.code)
