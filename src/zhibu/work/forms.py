"""Forms of the work records: one ModelForm per kind, built from the registry, with choices limited to the
organisation (its roster, its parent records, its activities, the platforms it may use)."""

from __future__ import annotations

import copy
from datetime import date

from django import forms
from django.db import models

from zhibu.core.forms import ScopedForm, ScopedModelForm
from zhibu.orgs.roles import Action
from zhibu.people.models import Member
from zhibu.records.models import Activity

from . import selectors
from .kinds import Kind
from .models import Problem

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _widget_for(field: models.Field, **kwargs) -> forms.Field:
    if isinstance(field, models.DateField):
        return field.formfield(widget=DATE_WIDGET, **kwargs)
    if isinstance(field, models.ManyToManyField):
        return field.formfield(widget=forms.CheckboxSelectMultiple, **kwargs)
    if isinstance(field, models.URLField):
        return field.formfield(assume_scheme="https", **kwargs)
    if isinstance(field, models.TextField):
        return field.formfield(widget=forms.Textarea(attrs={"rows": 4}), **kwargs)
    return field.formfield(**kwargs)


def record_form_class(kind: Kind) -> type[forms.ModelForm]:
    return forms.modelform_factory(
        kind.model, form=ScopedModelForm, fields=kind.fields, formfield_callback=_widget_for
    )


def record_form(kind: Kind, *, actor, org, instance=None, data=None, files=None) -> forms.ModelForm:
    """A bound or unbound form for a record of `kind` at `org`. The instance is copied, so validating the form
    never changes the caller's object (services compare before and after)."""
    if instance is None:
        instance = kind.model() if kind.parent else kind.model(org=org)
    else:
        instance = copy.copy(instance)
    form = record_form_class(kind)(data=data, files=files, instance=instance)
    fields = form.fields
    roster = (
        Member.objects.visible_to(actor, Action.VIEW)
        .filter(branch=org, left_on__isnull=True)
        .order_by("name_pinyin", "id")
    )
    for name in kind.members + kind.member_sets:
        fields[name].queryset = roster
    if kind.parent:
        parent_model = kind.model._meta.get_field(kind.parent).related_model
        fields[kind.parent].queryset = parent_model.objects.visible_to(actor, Action.VIEW).filter(org=org)
    for name in ("activity", "training"):
        if name in fields:
            fields[name].queryset = (
                Activity.objects.visible_to(actor, Action.VIEW)
                .filter(org=org)
                .select_related("kind")
                .order_by("-starts_at")
            )
    if "platform" in fields:
        fields["platform"].queryset = selectors.platforms_for(org)
    if "year" in fields and not form.is_bound and instance.pk is None:
        fields["year"].initial = date.today().year
    return form


def cleaned(form: forms.ModelForm, kind: Kind) -> dict:
    return {name: form.cleaned_data[name] for name in kind.fields if name in form.cleaned_data}


class ProblemStatusForm(ScopedForm):
    status = forms.ChoiceField(label="整改状态", choices=Problem.Status.choices)
    evidence = forms.CharField(
        label="整改成效与佐证", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    closed_on = forms.DateField(
        label="销号日期", required=False, widget=DATE_WIDGET, help_text="改为已整改时填写；不填为今天"
    )


class PlanProgressForm(ScopedForm):
    progress = forms.IntegerField(
        label="进度（%）",
        min_value=0,
        max_value=100,
        error_messages={"min_value": "进度应在 0 到 100 之间。", "max_value": "进度应在 0 到 100 之间。"},
    )
    progress_note = forms.CharField(
        label="进展情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PhotoForm(ScopedForm):
    file = forms.FileField(
        label="照片",
        help_text="JPEG、PNG、GIF 或 WebP，不超过 5 MB",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )


class ImportForm(ScopedForm):
    file = forms.FileField(label="表格文件（.xlsx 或 .csv）")
