"""Writes on the organisation tree and on roles. Every function checks scope first and audits once."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhibu.core import auditlog as audit
from zhibu.core import events, months
from zhibu.core.cn import date_cn

from . import scoping, selectors
from .models import Election, Organisation, OrgBreak, OrgType, Post, PostKind, RoleAssignment, TermRule
from .roles import ADMIN_ROLES, Action, Role
from .roster import roster

EDITABLE_FIELDS = (
    "name",
    "short_name",
    "secretary_name",
    "contact_name",
    "contact_phone",
    "founded_on",
    "unit_situation",
    "unit_names",
    "live_from",
)


def _snapshot(org: Organisation) -> dict:
    return {field: getattr(org, field) for field in (*EDITABLE_FIELDS, "code")}


@transaction.atomic
def org_create(
    *, actor, parent: Organisation | None, type: OrgType, code: str, name: str, **fields
) -> Organisation:
    if parent is None:
        if not scoping.can_create_root(actor):
            raise scoping.NotVisible()
    else:
        scoping.require(actor, Action.ORG, parent)
        if not parent.is_active:
            raise ValidationError("上级组织已撤销，不能在其下新建组织。")
    if not type.may_sit_under(parent.type if parent else None):
        raise ValidationError(
            {"type": f"“{type.name}”不能设在“{parent.type.name if parent else '顶层'}”之下。"}
        )
    node = Organisation(type=type, code=code, name=name, **fields)
    node.full_clean(exclude=["path", "depth", "numchild"])
    org = (
        Organisation.objects.add_child(parent, instance=node)
        if parent
        else Organisation.objects.add_root(instance=node)
    )
    audit.log(actor=actor, verb="org.create", target=org, detail=_snapshot(org))
    return org


@transaction.atomic
def org_update(*, actor, org: Organisation, **fields) -> Organisation:
    scoping.require(actor, Action.ORG, Organisation.objects.get_parent(org) or org)
    before = _snapshot(org)
    for field, value in fields.items():
        if field not in EDITABLE_FIELDS:
            raise ValueError(f"field {field} cannot be edited here")
        setattr(org, field, value)
    org.full_clean(exclude=["path", "depth", "numchild"])
    org.save()
    audit.log(actor=actor, verb="org.update", target=org, detail=audit.changes(before, _snapshot(org)))
    if before["live_from"] != org.live_from:
        _relight(org)
    return org


def _relight(org: Organisation) -> None:
    """The lights of the subtree depend on 启用日期 and 假期: announce it (the lights app relights after commit)."""
    events.announce(events.CALENDAR, org_ids=[org.pk])


def _require_breaks(actor, org: Organisation) -> None:
    """A branch's secretary marks its own 假期; a superior marks them for its subtree."""
    if not (scoping.can(actor, Action.RECORD, org) or scoping.can(actor, Action.SUPERVISE, org)):
        scoping.require(actor, Action.VIEW, org)
        raise ValidationError("只有本支部书记（委员）或上级党组织可以登记假期。")


@transaction.atomic
def break_add(*, actor, org: Organisation, name: str, starts_on: date, ends_on: date) -> OrgBreak:
    """Mark a 假期 (寒假, 暑假 …) of `org` and everything under it: weekly requirements are not due inside it."""
    _require_breaks(actor, org)
    item = OrgBreak(org=org, name=(name or "").strip(), starts_on=starts_on, ends_on=ends_on)
    item.full_clean()
    overlap = (
        OrgBreak.objects.unscoped().filter(org=org, starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    )
    if overlap is not None:
        raise ValidationError({"starts_on": f"与已登记的{overlap}重叠。"})
    item.save()
    audit.log(
        actor=actor,
        verb="org.break_add",
        target=org,
        detail={"name": item.name, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
    )
    _relight(org)
    return item


@transaction.atomic
def break_remove(*, actor, item: OrgBreak) -> None:
    _require_breaks(actor, item.org)
    org = item.org
    detail = {"name": item.name, "starts_on": item.starts_on.isoformat(), "ends_on": item.ends_on.isoformat()}
    item.delete()
    audit.log(actor=actor, verb="org.break_remove", target=org, detail=detail)
    _relight(org)


@transaction.atomic
def org_move(*, actor, org: Organisation, new_parent: Organisation) -> Organisation:
    """Move an organisation with its whole subtree under a new parent (both inside the actor's scope)."""
    parent = Organisation.objects.get_parent(org)
    scoping.require(actor, Action.ORG, parent or org)
    scoping.require(actor, Action.ORG, new_parent)
    if parent is None:
        raise ValidationError("顶层组织不能移动。")
    if new_parent.path.startswith(org.path):
        raise ValidationError({"new_parent": "不能移动到自身或自己的下级组织之下。"})
    if not new_parent.is_active:
        raise ValidationError({"new_parent": "目标组织已撤销。"})
    if not org.type.may_sit_under(new_parent.type):
        raise ValidationError({"new_parent": f"“{org.type.name}”不能设在“{new_parent.type.name}”之下。"})
    old_parent_name = parent.name
    Organisation.objects.move(org, new_parent, "sorted-child")
    org = Organisation.objects.get(pk=org.pk)
    audit.log(
        actor=actor, verb="org.move", target=org, detail={"from": old_parent_name, "to": new_parent.name}
    )
    return org


@transaction.atomic
def org_dissolve(*, actor, org: Organisation, on: date, reason: str = "") -> int:
    """Mark an organisation and its subtree dissolved. Nothing is deleted: history stays readable."""
    scoping.require(actor, Action.ORG, Organisation.objects.get_parent(org) or org)
    if not org.is_active:
        raise ValidationError("该组织已撤销。")
    if org.founded_on and on < org.founded_on:
        raise ValidationError({"on": "撤销日期不能早于成立日期。"})
    low, high = scoping.path_bounds(org.path)
    active_members = roster().active_count(low, high)
    if active_members:
        raise ValidationError(f"该组织及下级仍有 {active_members} 名党员未转出，请先办理组织关系转接。")
    count = Organisation.objects.filter(path__gte=low, path__lte=high, dissolved_on__isnull=True).update(
        dissolved_on=on
    )
    audit.log(
        actor=actor,
        verb="org.dissolve",
        target=org,
        detail={"on": on.isoformat(), "reason": reason, "count": count},
    )
    return count


def _require_duty(actor, role: str, org: Organisation, *, revoke: bool = False) -> None:
    """三员分立: who may grant or revoke which role. Nobody changes their own roles; the administrators' roles
    belong to the security administrator above; a superior's role to a superior or security administrator."""
    verb = "撤销" if revoke else "授予"
    if role in ADMIN_ROLES and not scoping.can(actor, Action.SECURITY, org):
        raise ValidationError(
            {
                "role": f"只有上级安全管理员可以{verb}“{Role(role).label}”角色"
                "（三员分立：系统管理员、安全管理员、审计员职责分离）。"
            }
        )
    if role == Role.SUPERIOR and not (
        scoping.can(actor, Action.SECURITY, org)
        or scoping.can(actor, Action.ORG, org)
        and scoping.can(actor, Action.ROLES, org)
    ):
        raise ValidationError({"role": f"只有上级管理员或安全管理员可以{verb}“上级管理员”角色。"})


@transaction.atomic
def role_grant(*, actor, user, org: Organisation, role: str) -> RoleAssignment:
    scoping.require(actor, Action.ROLES, org)
    if role not in Role.values:
        raise ValidationError({"role": "未知角色。"})
    if user.pk == getattr(actor, "pk", None):
        raise ValidationError({"username": "不能为自己授予角色，请由上级管理员办理。"})
    _require_duty(actor, role, org)
    if role in ADMIN_ROLES:
        held = set(
            RoleAssignment.objects.filter(user=user, role__in=ADMIN_ROLES)
            .exclude(role=role)
            .values_list("role", flat=True)
        )
        if held:
            names = "、".join(Role(r).label for r in sorted(held))
            raise ValidationError(
                {"role": f"该用户已担任{names}，系统管理员、安全管理员、审计员不能由同一人兼任。"}
            )
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, org=org, role=role, defaults={"granted_by": getattr(actor, "pk", None) and actor}
    )
    if not created:
        raise ValidationError("该用户已在此组织担任这一角色。")
    audit.log(actor=actor, verb="role.grant", target=org, detail={"user": user.username, "role": role})
    scoping.forget(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    scoping.require(actor, Action.ROLES, assignment.org)
    if assignment.user_id == getattr(actor, "pk", None):
        raise ValidationError("不能撤销自己的角色，请由上级管理员办理。")
    _require_duty(actor, assignment.role, assignment.org, revoke=True)
    detail = {"user": assignment.user.username, "role": assignment.role}
    org = assignment.org
    assignment.delete()
    audit.log(actor=actor, verb="role.revoke", target=org, detail=detail)


# ---------------------------------------------------------------------------------------------- posts and terms

LEAD_POSTS = (PostKind.SECRETARY, PostKind.DEPUTY)


def _problems(org: Organisation, held_on: date, posts: list[tuple[Any, str]]) -> tuple[dict, list[str], int]:
    """Errors (refused) and warnings (to be confirmed) for a set of posts; also the count of 正式党员."""
    full = {pk: (name, since) for pk, name, since in selectors.full_members_on(org, held_on)}
    errors: dict[str, list[str]] = {}
    warnings: list[str] = []
    kinds = [post for _, post in posts]
    conduct = selectors.CONDUCT
    if any(post not in PostKind.values for post in kinds):
        errors.setdefault("posts", []).append("职务无效。")
        return errors, warnings, len(full)
    if kinds.count(PostKind.SECRETARY) != 1:
        errors.setdefault("posts", []).append("应选举书记1名。")
    if kinds.count(PostKind.DEPUTY) > 1:
        errors.setdefault("posts", []).append(f"副书记至多1名（{conduct}）。")
    members = [member for member, _ in posts]
    if len({m.pk for m in members}) != len(members):
        errors.setdefault("posts", []).append("同一名党员不能担任两个职务。")
    if len(full) < selectors.COMMITTEE_AT:
        others = [PostKind(p).label for p in kinds if p not in LEAD_POSTS]
        if others:
            errors.setdefault("posts", []).append(
                f"本支部{date_cn(held_on)}有正式党员{len(full)}人，不足7人，不设支部委员会，只设书记1名、必要时设副书记1名，"
                f"不能选举{'、'.join(others)}（{conduct}）。"
            )
    elif not selectors.COMMITTEE_MIN <= len(posts) <= 7:
        errors.setdefault("posts", []).append(
            f"本支部有正式党员{len(full)}人，应设支部委员会，委员一般3至5人、最多不超过7人，现为{len(posts)}人（{conduct}）。"
        )
    for member, post in posts:
        label = PostKind(post).label
        if member.branch_id != org.pk:
            errors.setdefault("posts", []).append(f"{member.name}不是本支部党员，不能担任{label}。")
        elif member.pk not in full:
            errors.setdefault("posts", []).append(
                f"{member.name}在{date_cn(held_on)}不是正式党员，不能担任{label}：支部委员会委员和书记、副书记须为正式党员"
                f"（预备党员没有选举权和被选举权，《中国共产党章程》第七条；{conduct}）。"
            )
        elif post in LEAD_POSTS:
            since = full[member.pk][1]
            if since is None or months.shift(since, 12) > held_on:
                counted = f"（自{date_cn(since)}转正起算）" if since is not None else ""
                warnings.append(
                    f"{member.name}的党龄{counted}不满1年，担任{label}一般应有1年以上党龄"
                    f"（{conduct}第二十三条）。"
                )
    return errors, warnings, len(full)


@transaction.atomic
def committee_elect(
    *,
    actor,
    org: Organisation,
    held_on: date,
    posts: list[tuple[Any, str]],
    term_years: int | None = None,
    delay_approval: str = "",
    confirm: bool = False,
    day: date | None = None,
) -> Election:
    """Record a 换届 (or a first election): the previous posts end the day before, the new ones start on `held_on`.
    `posts` is a list of (member, post code). A branch of fewer than 7 正式党员 elects only a 书记 (and, if needed,
    a 副书记); posts go only to 正式党员; a 书记 or 副书记 of under one year of 党龄 needs `confirm`; a 换届 after
    the term ended needs the superior's approval (`delay_approval`), and no later than the allowed delay."""
    scoping.require(actor, Action.MEMBERS, org)
    if not org.is_branch:
        raise ValidationError({"org": "换届选举在党支部（联合党支部）登记。"})
    ids = [m for m, _ in posts if isinstance(m, int)]
    if ids:  # members given by id (the API): only those the actor may manage
        found = roster().manageable(actor, Action.MEMBERS, ids)
        if len(found) != len(set(ids)):
            raise scoping.NotVisible("不存在或无权访问。")
        posts = [(found[m] if isinstance(m, int) else m, post) for m, post in posts]
    today = day or timezone.localdate()
    if held_on > today:
        raise ValidationError({"held_on": "选举日期不能晚于今天。"})
    years, max_delay = selectors.term_years(org)
    years = term_years or years
    if not 3 <= years <= 5:
        raise ValidationError({"term_years": "每届任期应为3至5年（《中国共产党章程》第三十一条）。"})
    errors, warnings, full_count = _problems(org, held_on, posts)
    previous = selectors.election_on(org, held_on)
    if previous is not None and previous.held_on == held_on:
        errors.setdefault("held_on", []).append("这一天已登记过换届选举。")
    if Election.objects.visible_to(actor, Action.MEMBERS).filter(org=org, held_on__gt=held_on).exists():
        errors.setdefault("held_on", []).append("已有更晚的换届选举记录，不能在其之前补登。")
    if previous is not None and held_on > previous.term_ends_on:
        latest = months.shift(previous.term_ends_on, max_delay)
        if not delay_approval.strip():
            errors.setdefault("delay_approval", []).append(
                f"上届任期已于{date_cn(previous.term_ends_on)}届满，延期换届须经上级党组织批准，请填写批准机关、日期和文号"
                f"（{selectors.CONDUCT}）。"
            )
        elif held_on > latest:
            errors.setdefault("held_on", []).append(
                f"延期换届一般不超过{max_delay}个月（应在{date_cn(latest)}前完成）。"
            )
    if errors:
        raise ValidationError(errors)
    if warnings and not confirm:
        raise ValidationError({"confirm": [*warnings, "如确需任职，请勾选“已知悉并确认”后再保存。"]})
    election = Election(
        org=org,
        held_on=held_on,
        term_years=years,
        term_ends_on=months.shift(held_on, 12 * years) - timedelta(days=1),
        has_committee=full_count >= selectors.COMMITTEE_AT,
        full_members=full_count,
        delay_approval=delay_approval.strip()[:300],
        confirmed_warnings="；".join(warnings)[:300],
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    election.full_clean()
    election.save()
    open_posts = Post.objects.visible_to(actor, Action.MEMBERS).filter(org=org, ended_on__isnull=True)
    if previous is None and not open_posts.exists():
        # the roster's undated holders served until this election: keep them as the set before it
        since = org.founded_on or date(2000, 1, 1)
        Post.objects.unscoped().bulk_create(
            [
                Post(
                    org=org,
                    member=m,
                    post=m.party_post,
                    started_on=min(since, held_on - timedelta(days=1)),
                    ended_on=held_on - timedelta(days=1),
                )
                for m in roster().post_holders(actor, Action.MEMBERS, org, PostKind.values)
            ]
        )
    open_posts.update(ended_on=held_on - timedelta(days=1))
    Post.objects.unscoped().bulk_create(
        [Post(org=org, election=election, member=m, post=post, started_on=held_on) for m, post in posts]
    )
    # the roster's 党内职务 says who holds the posts now
    roster().set_posts(actor, Action.MEMBERS, org, PostKind.values, posts)
    secretary = next(m for m, post in posts if post == PostKind.SECRETARY)
    Organisation.objects.filter(pk=org.pk).update(secretary_name=secretary.name)
    events.announce(events.ROSTER, org_ids=[org.pk])  # committee posts changed: the lights follow
    audit.log(
        actor=actor,
        verb="org.elect",
        target=org,
        detail={
            "held_on": held_on.isoformat(),
            "term_years": years,
            "has_committee": election.has_committee,
            "posts": [[m.name, PostKind(p).label] for m, p in posts],
            "delay_approval": delay_approval,
            "confirmed": warnings,
        },
    )
    return election


@transaction.atomic
def term_rule_set(
    *, actor, org: Organisation, term_years: int, max_delay_months: int = 12, basis: str = ""
) -> TermRule:
    """Set the term length for an organisation's subtree (e.g. 5 years for 村、社区 branches)."""
    scoping.require(actor, Action.SUPERVISE, org)
    rule = TermRule.objects.visible_to(actor, Action.SUPERVISE).filter(org=org).first() or TermRule(org=org)
    rule.term_years, rule.max_delay_months, rule.basis = term_years, max_delay_months, basis
    rule.changed_at = timezone.now()
    rule.full_clean()
    rule.save()
    audit.log(
        actor=actor,
        verb="org.term_rule",
        target=org,
        detail={"term_years": term_years, "max_delay_months": max_delay_months, "basis": basis},
    )
    return rule
