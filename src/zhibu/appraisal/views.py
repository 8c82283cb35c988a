"""Pages of the appraisal app: 述职评议 rounds (open, submit, rate, close, export) and 民主评议党员 (open,
self-assessment, anonymous vote, count, decide)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhibu.audit import services as audit
from zhibu.core.web import apply_errors, page
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from . import export, selectors, services
from .forms import OpenReviewForm, RateForm, RoundForm, SelfAssessmentForm
from .models import GRADE_ORDER, AppraisalRound, DemocraticReview, Grade, Level


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


# ---- 述职评议 rounds ------------------------------------------------------------------------------------


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    supervising = list(
        scoping.organisations(request.user, Action.SUPERVISE)
        .filter(type__level="committee")
        .order_by("path")[:20]
    )
    return page(
        request, "appraisal/rounds.html", {**selectors.rounds_for(request.user), "supervising": supervising}
    )


def _branches_under(actor, org):
    low, high = org.subtree_bounds()
    return (
        scoping.organisations(actor, Action.SUPERVISE)
        .filter(path__gt=low, path__lte=high, type__level="branch", dissolved_on__isnull=True)
        .order_by("path")
    )


@login_required
def round_new(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.SUPERVISE, code)
    choices = list(_branches_under(request.user, org).values_list("code", "name"))
    form = RoundForm(request.POST or None, branch_choices=choices)
    if request.method == "POST":
        if form.is_valid():
            branches = list(_branches_under(request.user, org).filter(code__in=form.cleaned_data["branches"]))
            try:
                the_round = services.round_open(
                    actor=request.user,
                    org=org,
                    year=form.cleaned_data["year"],
                    title=form.cleaned_data["title"],
                    opens_at=form.cleaned_data["opens_at"],
                    closes_at=form.cleaned_data["closes_at"],
                    branches=branches,
                    appraisers=services.parse_usernames(form.cleaned_data["appraisers"]),
                    threshold=form.cleaned_data["threshold"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "述职评议已发起。")
                return redirect("appraisal:round_detail", pk=the_round.pk)
        return page(request, "appraisal/round_new.html", {"org": org, "form": form}, status=400)
    return page(request, "appraisal/round_new.html", {"org": org, "form": form})


def _round_context(request, access, rate_errors=None) -> dict:
    participants = selectors.round_participants(access)
    the_round = access.round
    mine = selectors.my_ratings(access)
    return {
        "round": the_round,
        "access": access,
        "participants": participants,
        "rows": selectors.result_rows(the_round, participants) if the_round.is_closed else [],
        "ratings": selectors.round_ratings(access),
        "progress": selectors.rating_progress(the_round),
        "mine": mine,
        "levels": Level.choices,
        "level_labels": selectors.LEVEL_LABELS,
        "window_open": the_round.window_open(),
        "rate_errors": rate_errors or {},
        "appraiser_count": the_round.appraisers.count(),
    }


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.round_access(request.user, pk)
    return page(request, "appraisal/round_detail.html", _round_context(request, access))


@login_required
@require_POST
def round_submit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.participant_for(request.user, pk, Action.REPORT)
    try:
        services.round_submit(actor=request.user, participant=participant)
    except ValidationError as exc:
        access = selectors.round_access(request.user, participant.round_id)
        ctx = _round_context(request, access)
        ctx["errors"] = _errors(exc)
        return page(request, "appraisal/round_detail.html", ctx, status=400)
    messages.success(request, "述职报告已提交。")
    return redirect("appraisal:round_detail", pk=participant.round_id)


@login_required
@require_POST
def round_rate(request: HttpRequest, pk: int) -> HttpResponse:
    participant = selectors.participant_for_appraiser(request.user, pk)
    form = RateForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请选择评议等次：好、较好、一般或差。")
        services.round_rate(
            actor=request.user,
            participant=participant,
            level=form.cleaned_data["level"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        access = selectors.round_access(request.user, participant.round_id)
        return page(
            request,
            "appraisal/round_detail.html",
            _round_context(request, access, {participant.pk: _errors(exc)}),
            status=400,
        )
    messages.success(request, f"已评议{participant.org.name}的述职报告。")
    return redirect("appraisal:round_detail", pk=participant.round_id)


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    the_round = AppraisalRound.objects.visible_to(request.user, Action.SUPERVISE).filter(pk=pk).first()
    if the_round is None:
        raise scoping.NotVisible("不存在或无权访问。")
    findings = {}
    for key, value in request.POST.items():
        if key.startswith("findings_") and key[9:].isdigit() and value.strip():
            findings[int(key[9:])] = value
    try:
        services.round_close(actor=request.user, the_round=the_round, findings=findings)
    except ValidationError as exc:
        access = selectors.round_access(request.user, pk)
        ctx = _round_context(request, access)
        ctx["errors"] = _errors(exc)
        return page(request, "appraisal/round_detail.html", ctx, status=400)
    messages.success(request, "述职评议已结束，结果已公布。")
    return redirect("appraisal:round_detail", pk=pk)


@login_required
def round_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    the_round = (
        AppraisalRound.objects.visible_to(request.user, Action.SUPERVISE)
        .select_related("org")
        .filter(pk=pk)
        .first()
    )
    if the_round is None:
        raise scoping.NotVisible("不存在或无权访问。")
    access = selectors.round_access(request.user, pk)
    if not the_round.is_closed:
        messages.error(request, "评议结束后才能导出结果。")
        return redirect("appraisal:round_detail", pk=pk)
    participants = selectors.round_participants(access)
    data = export.round_xlsx(
        the_round,
        selectors.result_rows(the_round, participants),
        selectors.round_ratings(access),
        selectors.LEVEL_LABELS,
    )
    audit.log(actor=request.user, verb="round.export", target=the_round, detail={"format": "xlsx"})
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="round-{the_round.pk}-{the_round.year}.xlsx"'
    return response


# ---- 民主评议党员 ----------------------------------------------------------------------------------------


@login_required
def reviews_home(request: HttpRequest) -> HttpResponse:
    branches = list(
        scoping.organisations(request.user, Action.SCHEDULE)
        .filter(type__level="branch")
        .order_by("path")[:50]
    )
    if len(branches) == 1:
        return redirect("appraisal:reviews", code=branches[0].code)
    return page(request, "appraisal/reviews_home.html", {"branches": branches})


@login_required
def reviews(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.SCHEDULE, code)
    can_record = scoping.can(request.user, Action.RECORD, org)
    history = (
        list(selectors.member_grades(request.user, org))
        if scoping.can(request.user, Action.VIEW, org)
        else []
    )
    return page(
        request,
        "appraisal/reviews.html",
        {
            "org": org,
            "reviews": list(selectors.reviews(request.user, org)),
            "can_record": can_record,
            "form": OpenReviewForm(initial={"year": timezone.localdate().year}),
            "history": history,
        },
    )


@login_required
@require_POST
def review_open(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.RECORD, code)
    form = OpenReviewForm(request.POST)
    if form.is_valid():
        try:
            review = services.review_open(actor=request.user, org=org, year=form.cleaned_data["year"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{review.year}年度民主评议党员已开始。")
            return redirect("appraisal:review_detail", pk=review.pk)
    return page(
        request,
        "appraisal/reviews.html",
        {
            "org": org,
            "reviews": list(selectors.reviews(request.user, org)),
            "can_record": True,
            "form": form,
            "history": list(selectors.member_grades(request.user, org)),
        },
        status=400,
    )


def _review_context(request, review: DemocraticReview, **extra) -> dict:
    can_record = scoping.can(request.user, Action.RECORD, review.org)
    state = selectors.review_state(request.user, review)
    return {
        "review": review,
        "org": review.org,
        "can_record": can_record,
        **state,
        "self_form": SelfAssessmentForm(initial={"text": state["my_self"].text if state["my_self"] else ""}),
        "tally": selectors.review_tally(request.user, review) if can_record else [],
        "grades": [(g, Grade(g).label) for g in GRADE_ORDER],
        "grade_labels": selectors.GRADE_LABELS,
        "limit": services.excellent_limit(len(state["members"])),
        **extra,
    }


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(request.user, pk)
    return page(request, "appraisal/review_detail.html", _review_context(request, review))


@login_required
@require_POST
def review_self(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(request.user, pk)
    services.own_member(request.user, review)
    form = SelfAssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.review_self_assess(actor=request.user, review=review, text=form.cleaned_data["text"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "个人自评已保存。")
            return redirect("appraisal:review_detail", pk=review.pk)
    return page(
        request,
        "appraisal/review_detail.html",
        {**_review_context(request, review), "self_form": form},
        status=400,
    )


@login_required
def review_vote(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(request.user, pk)
    me = services.own_member(request.user, review)
    state = selectors.review_state(request.user, review)
    others = [m for m in state["members"] if m.pk != me.pk]
    errors: list[str] = []
    chosen: dict[int, str] = {}
    if request.method == "POST":
        chosen = {
            int(k[6:]): v for k, v in request.POST.items() if k.startswith("grade_") and k[6:].isdigit()
        }
        try:
            services.review_vote(actor=request.user, review=review, grades=chosen)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, "投票成功。您的评价以无记名方式保存。")
            return redirect("appraisal:review_detail", pk=review.pk)
    rows = [{"member": m, "chosen": chosen.get(m.pk, "")} for m in others]
    return page(
        request,
        "appraisal/review_vote.html",
        {
            "review": review,
            "rows": rows,
            "grades": [(g, Grade(g).label) for g in GRADE_ORDER],
            "errors": errors,
            "has_voted": state["has_voted"],
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def review_count(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(request.user, pk)
    scoping.require(request.user, Action.RECORD, review.org)
    try:
        services.review_count(actor=request.user, review=review)
    except ValidationError as exc:
        return page(
            request,
            "appraisal/review_detail.html",
            _review_context(request, review, errors=_errors(exc)),
            status=400,
        )
    messages.success(request, "互评已结束，已计票。")
    return redirect("appraisal:review_detail", pk=review.pk)


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(request.user, pk)
    scoping.require(request.user, Action.RECORD, review.org)
    grades = {int(k[6:]): v for k, v in request.POST.items() if k.startswith("grade_") and k[6:].isdigit()}
    notes = {int(k[5:]): v for k, v in request.POST.items() if k.startswith("note_") and k[5:].isdigit()}
    try:
        services.review_decide(
            actor=request.user,
            review=review,
            grades=grades,
            body=request.POST.get("body", "支委会"),
            notes=notes,
        )
    except ValidationError as exc:
        return page(
            request,
            "appraisal/review_detail.html",
            _review_context(request, review, errors=_errors(exc), posted=grades),
            status=400,
        )
    messages.success(request, "评议等次已确定，已记入党员历年评议结果。")
    return redirect("appraisal:review_detail", pk=review.pk)
