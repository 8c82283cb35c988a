"""Managers that make an unscoped query on organisation-owned data an error.

Every organisation-owned model inherits ScopedModel. `Model.objects.visible_to(actor, action)` is the normal
way in; `Model.objects.unscoped()` says on purpose that a query crosses scopes (migrations, background jobs,
benchmarks). `Model.objects.filter(...)` raises UnscopedQuery. The first-declared manager `internal` exists for
Django's own machinery (related managers, validate_unique, deletion) and is not used by application code; a test
keeps it that way.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class UnscopedQuery(RuntimeError):
    pass


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, actor, action: str):
        from zhibu.orgs import scoping

        return self.filter(scoping.q(actor, action, self.model.scope_field))


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    def get_queryset(self):
        raise UnscopedQuery(
            f"{self.model.__name__}.objects 需要先限定范围：使用 visible_to(actor, action) 或显式 unscoped()。"
        )

    def _base(self) -> ScopedQuerySet:
        return ScopedQuerySet(model=self.model, using=self._db, hints=self._hints)

    def visible_to(self, actor, action: str) -> ScopedQuerySet:
        return self._base().visible_to(actor, action)

    def unscoped(self) -> ScopedQuerySet:
        return self._base()


class ScopedModel(models.Model):
    """Base for models that belong to an organisation. `scope_field` names the path to it."""

    scope_field = "org"

    internal = models.Manager()
    objects = ScopedManager()

    class Meta:
        abstract = True


class EitherScopedQuerySet(ScopedQuerySet):
    """Visible when any of the model's `scope_fields` points into the actor's scope (fails closed all the same)."""

    def visible_to(self, actor, action: str):
        from zhibu.orgs import scoping

        condition = Q(pk__in=[])
        for field in self.model.scope_fields:
            condition |= scoping.q(actor, action, field)
        return self.filter(condition)


class EitherScopedManager(ScopedManager):
    def _base(self) -> EitherScopedQuerySet:
        return EitherScopedQuerySet(model=self.model, using=self._db, hints=self._hints)


class EitherScopedModel(ScopedModel):
    scope_fields: tuple[str, ...] = ("org",)

    internal = models.Manager()
    objects = EitherScopedManager()

    class Meta:
        abstract = True
