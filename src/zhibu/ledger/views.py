from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhibu.audit import services as audit
from zhibu.core import months
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from . import archive, books, casebook, exporting, selectors, services, stats
from .definition import check
from .forms import ColumnFormSet, TemplateForm, definition_from, initial_from


def _month(text: str, *, end: bool = False) -> date:
    """The first day of a typed YYYY-MM (core.months.parse), or its last day with `end`."""
    month = months.parse(text)
    return months.last_day(month) if end else month


def _default_period() -> tuple[str, str]:
    year = timezone.localdate().year
    return f"{year}-01", f"{year}-12"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    home = scoping.home_org(request.user)
    if home is not None and scoping.can(request.user, Action.VIEW, home):
        return redirect("ledger:org", code=home.code)
    orgs = scoping.organisations(request.user, Action.VIEW).order_by("path")[:200]
    return render(request, "ledger/index.html", {"orgs": orgs})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The member's own archive, for the menu."""
    member = archive.own_member(request.user)
    return redirect("ledger:archive", pk=member.pk)


@login_required
def org_page(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.VIEW, code)
    actions = scoping.actions_at(request.user, org)
    start, end = _default_period()
    return render(
        request,
        "ledger/org.html",
        {
            "org": org,
            "templates": selectors.templates_for(request.user, org),
            "start": start,
            "end": end,
            "year": timezone.localdate().year,
            "can_export": Action.EXPORT in actions,
            "can_define": Action.SUPERVISE in actions,
            "cases": selectors.cases_in(request.user, org),
        },
    )


@login_required
def sheet(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    org = scoping.get_org(request.user, Action.EXPORT, code)
    template = selectors.template_for(request.user, org, pk)
    try:
        start = _month(request.GET.get("from", ""))
        end = _month(request.GET.get("to", ""), end=True)
        if end < start:
            raise ValidationError("截止月份不能早于起始月份。")
        if months.between(start, end) >= 36:
            raise ValidationError("一次最多下载 36 个月。")
        download = services.sheet_export(
            actor=request.user,
            org=org,
            template=template,
            start=start,
            end=end,
            fmt=request.GET.get("format", "xlsx"),
        )
    except ValidationError as exc:
        return render(request, "ledger/error.html", {"org": org, "errors": exc.messages}, status=400)
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response


def _template_page(request, *, org, template, form, formset, status=200):
    return render(
        request,
        "ledger/template_form.html",
        {
            "org": org,
            "template": template,
            "form": form,
            "formset": formset,
            "versions": selectors.versions_of(template) if template else [],
        },
        status=status,
    )


def _read(request, kinds):
    form = TemplateForm(request.POST, kind_names=kinds)
    formset = ColumnFormSet(request.POST, prefix="col", form_kwargs={"kind_names": kinds})
    if not (form.is_valid() and formset.is_valid()):
        return form, formset, None
    try:
        definition = check(definition_from(form, formset), kinds)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return form, formset, None
    return form, formset, definition


@login_required
def template_new(request: HttpRequest, code: str) -> HttpResponse:
    """A superior's own template, started from one it can see (?from=<id>) or empty."""
    org = scoping.get_org(request.user, Action.SUPERVISE, code)
    kinds = selectors.kind_names(org)
    source = None
    if request.GET.get("from", "").isdigit():
        source = selectors.template_for(request.user, org, int(request.GET["from"]))
    if request.method == "POST":
        form, formset, definition = _read(request, kinds)
        if definition is not None:
            try:
                template = services.template_create(
                    actor=request.user,
                    org=org,
                    name=form.cleaned_data["name"],
                    based_on=source,
                    description=form.cleaned_data["description"],
                    definition=definition,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"已保存模板「{template.name}」（第1版）。")
                return redirect("ledger:org", code=org.code)
        return _template_page(request, org=org, template=None, form=form, formset=formset, status=400)
    head, columns = ({}, [])
    if source is not None:
        head, columns = initial_from(selectors.latest_version(source).definition)
        head.update(name=f"{source.name}（{org.label}）", description=source.description)
    form = TemplateForm(initial=head, kind_names=kinds)
    formset = ColumnFormSet(initial=columns, prefix="col", form_kwargs={"kind_names": kinds})
    return _template_page(request, org=org, template=None, form=form, formset=formset)


@login_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.editable_template(request.user, pk)
    org = template.org
    kinds = selectors.kind_names(org)
    if request.method == "POST":
        form, formset, definition = _read(request, kinds)
        if definition is not None:
            version = services.template_revise(
                actor=request.user,
                template=template,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                definition=definition,
                note=form.cleaned_data["note"],
            )
            messages.success(request, f"已保存模板「{form.cleaned_data['name']}」第{version.number}版。")
            return redirect("ledger:template_edit", pk=template.pk)
        return _template_page(request, org=org, template=template, form=form, formset=formset, status=400)
    head, columns = initial_from(selectors.latest_version(template).definition)
    head.update(name=template.name, description=template.description)
    form = TemplateForm(initial=head, kind_names=kinds)
    formset = ColumnFormSet(initial=columns, prefix="col", form_kwargs={"kind_names": kinds})
    return _template_page(request, org=org, template=template, form=form, formset=formset)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or str(timezone.localdate().year)
    if not raw.isdigit() or not 1921 <= int(raw) <= 2100:
        raise ValidationError(f"年份「{raw}」无效，应为 1921 至 2100 之间的四位数。")
    return int(raw)


@login_required
def book(request: HttpRequest, code: str) -> HttpResponse:
    """The year's record book of meetings: a printable page, or ?as=docx for the Word file."""
    wants_docx = request.GET.get("as") == "docx"
    org = scoping.get_org(request.user, Action.EXPORT if wants_docx else Action.VIEW, code)
    try:
        year = _year(request)
    except ValidationError as exc:
        return render(request, "ledger/error.html", {"org": org, "errors": exc.messages}, status=400)
    the_book = books.book(request.user, org, year)
    if wants_docx:
        content = books.book_docx(the_book)
        audit.log(
            actor=request.user,
            verb="ledger.book_export",
            target=org,
            detail={"year": year, "meetings": len(the_book.meetings)},
        )
        return _attachment(content, DOCX, f"{org.code}-{year}-record-book.docx")
    return render(
        request,
        "ledger/book.html",
        {"org": org, "book": the_book, "entries": [(m, books.lines(m)) for m in the_book.meetings]},
    )


def _on(request: HttpRequest) -> date:
    raw = request.GET.get("on")
    if not raw:
        return timezone.localdate()
    try:
        on = date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(f"统计日期「{raw}」无效，应写成 2022-12-31 这样的日期。") from None
    if not 1921 <= on.year <= 2100:
        raise ValidationError(f"统计日期「{raw}」超出范围。")
    return on


@login_required
def stats_page(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.VIEW, code)
    try:
        on = _on(request)
    except ValidationError as exc:
        return render(request, "ledger/error.html", {"org": org, "errors": exc.messages}, status=400)
    the_table = stats.table(request.user, org, on)
    if request.GET.get("as") == "xlsx":
        scoping.require(request.user, Action.EXPORT, org)
        audit.log(actor=request.user, verb="ledger.stats_export", target=org, detail={"on": on.isoformat()})
        return _attachment(stats_xlsx(the_table), XLSX, f"{org.code}-stats-{on:%Y%m%d}.xlsx")
    return render(
        request,
        "ledger/stats.html",
        {
            "org": org,
            "table": the_table,
            "on": on,
            "can_export": scoping.can(request.user, Action.EXPORT, org),
        },
    )


def stats_xlsx(the_table) -> bytes:
    definition = {
        "title_rows": [f"{the_table.org.name}党内统计（截至{the_table.on:%Y年%m月%d日}）"],
        "columns": [
            {"header": h, "field": f, "format": "", "mapping": {}}
            for h, f in (("类别", "section"), ("项目", "label"), ("数量", "value"))
        ],
    }
    rows = [
        {"section": s.title, "label": c.label, "value": s.values.get(c.key, 0)}
        for s in the_table.sections
        for c in s.cells
    ]
    return exporting.render(definition, rows, fmt="xlsx", org_name=the_table.org.name, period="")


@login_required
def stats_people(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.VIEW, code)
    try:
        on = _on(request)
    except ValidationError as exc:
        return render(request, "ledger/error.html", {"org": org, "errors": exc.messages}, status=400)
    title, items = stats.people_behind(request.user, org, on, request.GET.get("key", ""))
    return render(request, "ledger/stats_people.html", {"org": org, "on": on, "title": title, "items": items})


@login_required
def member_archive(request: HttpRequest, pk: int) -> HttpResponse:
    the_archive = archive.archive(request.user, pk)
    if request.GET.get("as") == "docx":
        audit.log(actor=request.user, verb="ledger.archive_export", target=the_archive.member)
        return _attachment(archive.archive_docx(the_archive), DOCX, f"archive-{the_archive.member.pk}.docx")
    return render(request, "ledger/archive.html", {"a": the_archive, "m": the_archive.member})


@login_required
def case_book(request: HttpRequest, pk: int) -> HttpResponse:
    book = casebook.case_book(request.user, pk)
    if request.GET.get("as") == "docx":
        scoping.require(request.user, Action.EXPORT, book.case.org)
        audit.log(actor=request.user, verb="ledger.case_export", target=book.case)
        return _attachment(casebook.case_book_docx(book), DOCX, f"case-{book.case.pk}.docx")
    return render(
        request,
        "ledger/casebook.html",
        {
            "book": book,
            "entries": [(casebook.entry_title(e), e.lines()) for e in book.entries],
            "can_export": scoping.can(request.user, Action.EXPORT, book.case.org),
        },
    )


@login_required
def dues_ledger(request: HttpRequest, code: str) -> HttpResponse:
    org = scoping.get_org(request.user, Action.EXPORT, code)
    try:
        year = _year(request)
    except ValidationError as exc:
        return render(request, "ledger/error.html", {"org": org, "errors": exc.messages}, status=400)
    content, count = casebook.dues_ledger_xlsx(request.user, org, year)
    audit.log(
        actor=request.user, verb="ledger.dues_export", target=org, detail={"year": year, "members": count}
    )
    return _attachment(content, XLSX, f"{org.code}-{year}-dues-ledger.xlsx")
