"""Form bases whose choices of organisation-owned rows come from the actor's scope and nowhere else.

A choice field over a scoped model starts closed (its queryset is the model's scoped default manager, see
core.scoped). Before such a form is rendered or validated, ScopedForm looks at every choice field over a scoped
model: a queryset read through `visible_to(actor, action)` (or an organisation's inherited settings, `for_org`)
is kept, a queryset still closed becomes empty, and one opened any other way (`unscoped()`, a related manager) is
a programming error that stops the page rather than list rows from outside the scope. The system check
zhibu.E002 keeps every form with such a field on one of these bases.
"""

from __future__ import annotations

from django import forms

from .scoped import ScopedQuerySet, UnscopedQuery


def scoped_choice_fields(fields) -> list[str]:
    """The names of the fields whose choices are rows of a scoped model."""
    return [
        name for name, field in fields.items() if isinstance(getattr(field, "queryset", None), ScopedQuerySet)
    ]


class ScopedChoices:
    """The mixin behind ScopedForm and ScopedModelForm (see the module's docstring)."""

    _choices_checked = False

    def _check_scoped_choices(self) -> None:
        if self._choices_checked:
            return
        for name in scoped_choice_fields(self.fields):
            field = self.fields[name]
            queryset: ScopedQuerySet = field.queryset
            if queryset.is_closed:
                field.queryset = queryset.none()
            elif queryset.scoped_for is None:
                raise UnscopedQuery(
                    f"{type(self).__name__}.{name} 的选项未按范围读取：使用 visible_to(actor, action)。"
                )
        self._choices_checked = True

    def full_clean(self):
        self._check_scoped_choices()
        return super().full_clean()  # type: ignore[misc]

    def __getitem__(self, name):
        self._check_scoped_choices()
        return super().__getitem__(name)  # type: ignore[misc]

    def __iter__(self):
        self._check_scoped_choices()
        return super().__iter__()  # type: ignore[misc]


class ScopedForm(ScopedChoices, forms.Form):
    pass


class ScopedModelForm(ScopedChoices, forms.ModelForm):
    pass
