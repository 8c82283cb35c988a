"""The scoped manager is every organisation-owned model's default manager, and what Django builds from it fails
closed: a query runs only once it says whose rows it wants."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import get_object_or_404
from django.test.utils import isolate_apps

from zhibu.core import checks
from zhibu.core.forms import ScopedForm, ScopedModelForm
from zhibu.core.scoped import ScopedModel, UnscopedQuery
from zhibu.development.models import HolidayYear
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.models import Member
from zhibu.work.models import MentoringPair

# ---------------------------------------------------------------------------------------------- the manager


def test_the_default_manager_of_every_owned_model_is_scoped():
    assert Member._default_manager.name == "objects"
    assert Organisation._default_manager.name == "scoped"
    with pytest.raises(UnscopedQuery):
        list(Organisation._default_manager.all())


@pytest.mark.parametrize(
    "run",
    [
        lambda: list(Member.objects.all()),
        lambda: Member.objects.filter(name="张文慧").count(),
        lambda: Member.objects.filter(name="张文慧").exists(),
        lambda: Member.objects.first(),
        lambda: Member.objects.values_list("name", flat=True)[0],
        lambda: Member.objects.filter(name="x").update(name="y"),
        lambda: Member.objects.filter(name="x").delete(),
        lambda: Member.objects.aggregate(n=models.Count("id")),
        lambda: list(Organisation.objects.filter(members__in=Member.objects.filter(name="张文慧"))),
    ],
    ids=["list", "count", "exists", "first", "values", "update", "delete", "aggregate", "subquery"],
)
def test_a_closed_query_does_not_run(tree, run):
    with pytest.raises(UnscopedQuery):
        run()


def test_get_object_or_404_on_the_model_fails_closed(tree):
    with pytest.raises(UnscopedQuery):
        get_object_or_404(Member, pk=tree.members.member_a.pk)
    with pytest.raises(UnscopedQuery):
        get_object_or_404(Organisation, code="branch-a")


def test_a_closed_query_opens_only_for_a_scope(tree):
    assert set(Member.objects.visible_to(tree.users.sec_b, Action.VIEW).values_list("name", flat=True)) == {
        "赵乙一"
    }
    assert list(Member.objects.none()) == []
    assert Member.objects.filter(name="赵乙一").unscoped().count() == 1
    codes = set(Organisation.scoped.visible_to(tree.users.sec_a, Action.VIEW).values_list("code", flat=True))
    assert codes == {"branch-a", "branch-a-g1"}


def test_related_managers_read_the_rows_of_an_object_in_hand(tree):
    branch = Organisation.scoped.visible_to(tree.users.sec_b, Action.VIEW).get(code="branch-b")
    assert [m.name for m in branch.members.all()] == ["赵乙一"]
    prefetched = Organisation.scoped.visible_to(tree.users.sec_b, Action.VIEW).prefetch_related("members")
    assert [[m.name for m in o.members.all()] for o in prefetched.filter(code="branch-b")] == [["赵乙一"]]


def test_uniqueness_checks_see_every_row(tree):
    HolidayYear.objects.unscoped().create(org=tree.b, year=2022)
    again = HolidayYear(org=tree.b, year=2022)
    with pytest.raises(ValidationError) as caught:
        again.validate_constraints()
    assert len(caught.value.messages) == 1
    HolidayYear(org=tree.b, year=2023).validate_constraints()  # no clash, no error
    clash = Organisation(name="重名", code="branch-a", type=tree.a.type, path="XXXX", depth=1)
    with pytest.raises(ValidationError) as caught:
        clash.validate_unique()
    assert list(caught.value.message_dict) == ["code"]


# ---------------------------------------------------------------------------------------------- forms


class ChooseMember(ScopedForm):
    member = forms.ModelChoiceField(queryset=Member.objects.all())


def _choices(form) -> list[str]:
    return [label for value, label in form["member"].field.choices if value != ""]


def test_a_choice_left_unscoped_is_empty(tree):
    assert _choices(ChooseMember()) == []
    form = ChooseMember(data={"member": tree.members.member_a.pk})
    assert not form.is_valid()
    assert "member" in form.errors


def test_a_choice_read_in_scope_lists_the_scope_only(tree):
    form = ChooseMember()
    form.fields["member"].queryset = Member.objects.visible_to(tree.users.sec_b, Action.VIEW)
    assert _choices(form) == ["赵乙一"]
    bound = ChooseMember(data={"member": tree.members.member_a.pk})
    bound.fields["member"].queryset = Member.objects.visible_to(tree.users.sec_b, Action.VIEW)
    assert not bound.is_valid()  # a member of another branch is not a valid choice


def test_a_choice_opened_without_a_scope_stops_the_form(tree):
    form = ChooseMember()
    form.fields["member"].queryset = Member.objects.unscoped()
    with pytest.raises(UnscopedQuery):
        str(form["member"])
    bound = ChooseMember(data={"member": tree.members.member_a.pk})
    bound.fields["member"].queryset = Member.objects.unscoped()
    with pytest.raises(UnscopedQuery):
        bound.is_valid()


def test_a_model_form_lists_nothing_it_was_not_given(tree):
    Form = forms.modelform_factory(MentoringPair, form=ScopedModelForm, fields=["mentor"])
    with pytest.raises(UnscopedQuery):  # the raw field, before the form has looked at it, is closed
        list(Form().fields["mentor"].choices)
    form = Form()
    assert [label for v, label in form["mentor"].field.choices if v != ""] == []


# ---------------------------------------------------------------------------------------------- the checks


def test_the_project_passes_its_own_checks():
    assert checks.scoped_models_and_forms() == []


@isolate_apps("zhibu.core")
def test_an_owned_model_with_an_unscoped_default_manager_fails_the_check():
    class Careless(models.Model):  # noqa: DJ008
        org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "core"

    class Hanger(models.Model):  # noqa: DJ008
        member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "core"

    class Unowned(models.Model):  # noqa: DJ008
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "core"

    errors = checks.check_models([Careless, Hanger, Unowned])
    assert [(e.id, e.obj) for e in errors] == [("zhibu.E001", Careless), ("zhibu.E001", Hanger)]


@isolate_apps("zhibu.core")
def test_a_scoped_model_whose_scope_does_not_reach_an_organisation_fails_the_check():
    class Astray(ScopedModel):
        scope_field = "member__name"
        member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "core"

    class Fine(ScopedModel):
        scope_field = "member__branch"
        member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "core"

    errors = checks.check_models([Astray, Fine])
    assert [(e.id, e.obj) for e in errors] == [("zhibu.E001", Astray)]


def test_a_plain_form_fails_the_check():
    class Plain(forms.Form):
        member = forms.ModelChoiceField(queryset=Member.objects.all())

    class Guarded(ScopedForm):
        member = forms.ModelChoiceField(queryset=Member.objects.all())

    errors = checks.check_forms([Plain, Guarded])
    assert [(e.id, e.obj) for e in errors] == [("zhibu.E002", Plain)]
    assert "member" in errors[0].msg
