"""System checks that fail the build when organisation-owned data could be read around the scope.

zhibu.E001 — a model that belongs to an organisation (a foreign key to Organisation, or to a model that belongs to
one) must have a scoped default manager, unless it is named in UNSCOPED_ON_PURPOSE with the reason; its
`scope_field` (or each of `scope_fields`) must lead to an Organisation.
zhibu.E002 — every form of zhibu is a ScopedForm or ScopedModelForm (core.forms), so the choices of any field over
a scoped model, declared on the class or added in __init__, come from the actor's scope and are empty otherwise.

`make lint` runs `zhibu check --fail-level WARNING`, and core/tests/test_scoping_checks.py proves both checks fail
on a deliberately bad model and form.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from django import forms
from django.apps import apps
from django.core import checks
from django.db import models

from .forms import ScopedChoices, scoped_choice_fields
from .scoped import ScopedManager

ORGANISATION = "orgs.Organisation"

# Models that point at an organisation and are deliberately read without a scope, with the reason.
UNSCOPED_ON_PURPOSE: dict[str, str] = {
    "orgs.RoleAssignment": "the scope itself is read from these rows (orgs.scoping)",
}


def is_scoped(model: type[models.Model]) -> bool:
    return isinstance(model._default_manager, ScopedManager)


def _owned(model: type[models.Model]) -> bool:
    for field in model._meta.concrete_fields:
        if not field.is_relation or field.related_model is None:
            continue
        if field.related_model._meta.label == ORGANISATION or is_scoped(field.related_model):
            return True
    return False


def _leads_to_organisation(model: type[models.Model], path: str) -> bool:
    if path == "":
        return model._meta.label == ORGANISATION
    current = model
    for part in path.split("__"):
        try:
            field = current._meta.get_field(part)
        except Exception:
            return False
        if not field.is_relation or field.related_model is None:
            return False
        current = field.related_model
    return current._meta.label == ORGANISATION


def check_models(models_: Iterable[type[models.Model]]) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in models_:
        label = model._meta.label
        if label in UNSCOPED_ON_PURPOSE:
            continue
        if is_scoped(model):
            fields = getattr(model, "scope_fields", None) or (getattr(model, "scope_field", None),)
            for path in fields:
                if path is None or not _leads_to_organisation(model, path):
                    errors.append(
                        checks.Error(
                            f"{label} 的范围字段 {path!r} 没有指向组织。",
                            hint="scope_field 应为通往 Organisation 的外键路径，例如 'org' 或 'member__branch'。",
                            obj=model,
                            id="zhibu.E001",
                        )
                    )
        elif label == ORGANISATION or _owned(model):
            errors.append(
                checks.Error(
                    f"{label} 属于某个组织，但默认管理器不限定范围。",
                    hint="继承 core.scoped.ScopedModel（或其变体），或在 UNSCOPED_ON_PURPOSE 中写明原因。",
                    obj=model,
                    id="zhibu.E001",
                )
            )
    return errors


def _subclasses(cls: type) -> Iterable[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def check_forms(form_classes: Iterable[type[forms.BaseForm]]) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for form_class in form_classes:
        if issubclass(form_class, ScopedChoices):
            continue
        fields = scoped_choice_fields(form_class.base_fields)
        listing = f"的字段 {', '.join(fields)} 列出某个组织的数据，" if fields else ""
        errors.append(
            checks.Error(
                f"表单 {form_class.__module__}.{form_class.__qualname__} {listing}不按范围限定选项。",
                hint="继承 core.forms.ScopedForm 或 ScopedModelForm，选项用 visible_to(actor, action) 读取。",
                obj=form_class,
                id="zhibu.E002",
            )
        )
    return errors


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class of zhibu's apps (each app's forms module is imported first)."""
    for config in apps.get_app_configs():
        if config.name.startswith("zhibu."):
            try:
                importlib.import_module(f"{config.name}.forms")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.forms":
                    raise
    return [
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("zhibu.")
        and ".tests." not in cls.__module__
        and "base_fields" in vars(cls)
    ]


@checks.register()
def scoped_models_and_forms(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    configs = app_configs or apps.get_app_configs()
    project = [m for c in configs if c.name.startswith("zhibu.") for m in c.get_models()]
    return check_models(project) + check_forms(project_forms())
