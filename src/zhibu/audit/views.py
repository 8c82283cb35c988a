from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from zhibu.core.forms import ScopedForm
from zhibu.core.web import page, paginate
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from . import selectors, wording


class FilterForm(ScopedForm):
    verb = forms.ChoiceField(label="操作", required=False)
    who = forms.CharField(label="操作人", required=False)
    target = forms.CharField(label="对象", required=False)
    since = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not scoping.prefixes(request.user, Action.AUDIT):
        raise Http404
    form = FilterForm(request.GET or None)
    form.fields["verb"].choices = [("", "全部")] + sorted(
        ((verb, wording.label(verb)) for verb in selectors.verbs(request.user)), key=lambda pair: pair[1]
    )
    filters = form.cleaned_data if form.is_valid() else {}
    rows = paginate(request, selectors.entries(request.user, **{k: v for k, v in filters.items() if v}), 50)
    for entry in rows:
        entry.sentence, entry.lines = wording.sentence(entry), wording.details(entry)
    return page(
        request,
        "audit/index.html",
        {"form": form, "rows": rows},
        partial="audit/_rows.html",
        status=400 if form.errors else 200,
    )
