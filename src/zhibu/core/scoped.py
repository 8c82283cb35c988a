"""Managers that make a query on organisation-owned data say whose rows it wants before it runs.

Every organisation-owned model inherits ScopedModel, and its default manager (`objects`, the one Django's own
machinery uses too) is scoped. A query from it is *closed*: it may be built, filtered and chained, but it does not
run — not as a list, a count, an update, a delete or a subquery — until it is opened by one of

- `visible_to(actor, action)`: the rows in the actor's scope for that action (orgs.scoping decides);
- `unscoped()`: on purpose, every row — for migrations, background jobs, commands and benchmarks; the name is
  there to be grepped;
- `none()`: no rows at all.

So `get_object_or_404(Model, …)`, a form field built from the model, or a subquery nobody scoped fails closed with
UnscopedQuery instead of seeing the whole system. Two things are open by construction: a related manager reached
from an object already in hand (`activity.attendances.all()` — the parent was scoped when it was read), and the
uniqueness checks of `full_clean()`, which must see every row to be right and return nothing to the caller.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.db.models import Q
from django.db.models.sql import Query

from . import access

_integrity_checks: ContextVar[bool] = ContextVar("zhibu_integrity_checks", default=False)


class UnscopedQuery(RuntimeError):
    pass


def _refuse(model) -> UnscopedQuery:
    return UnscopedQuery(
        f"{model.__name__} 的查询未限定范围：使用 visible_to(actor, action)，或显式 unscoped()。"
    )


@contextmanager
def integrity_checks() -> Iterator[None]:
    """Let closed queries run for Django's uniqueness and constraint checks (they answer yes or no, never rows)."""
    token = _integrity_checks.set(True)
    try:
        yield
    finally:
        _integrity_checks.reset(token)


class ClosedQuery(Query):
    """A query that has not said whose rows it wants: it refuses to be compiled, alone or as a subquery."""

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        if not _integrity_checks.get():
            raise _refuse(self.model)
        return super().get_compiler(using, connection, elide_empty)

    def chain(self, klass=None):
        # update() and aggregate() change the query's class; the change would drop the refusal.
        if klass is not None and not _integrity_checks.get():
            raise _refuse(self.model)
        return super().chain(klass)


class ScopedQuerySet(models.QuerySet):
    def __init__(self, model=None, query=None, using=None, hints=None):
        super().__init__(
            model=model, query=query if query is not None else ClosedQuery(model), using=using, hints=hints
        )
        # How it was opened for someone: the action of visible_to, "own", "org", "shipped" or "none"; None when
        # closed or opened by unscoped() (core.forms refuses such choices).
        self.scoped_for: str | None = None

    def _clone(self):
        clone = super()._clone()
        clone.scoped_for = self.scoped_for
        return clone

    @property
    def is_closed(self) -> bool:
        return isinstance(self.query, ClosedQuery)

    def _opened(self):
        clone = self._chain()
        if isinstance(clone.query, ClosedQuery):
            clone.query.__class__ = Query
        return clone

    def _scope(self, actor, action: str) -> Q:
        return access.scoping().q(actor, action, self.model.scope_field)

    def visible_to(self, actor, action: str):
        queryset = self._opened().filter(self._scope(actor, action))
        queryset.scoped_for = str(action)
        return queryset

    def unscoped(self):
        return self._opened()

    def for_org(self, org):
        """The rows an organisation inherits: its own, its ancestors' and the system's where the field may be
        empty (the caller holds `org`, read in scope)."""
        field = self.model.scope_field
        queryset = self._opened().filter(
            Q(**{f"{field}__isnull": True})
            | Q(**{f"{field}__path__in": org.ancestor_paths(include_self=True)})
        )
        queryset.scoped_for = "org"
        return queryset

    def own(self, actor):
        """The rows that are the actor's own (the model's `own_field` leads to the user), by orgs.scoping.own_q:
        the system and the anonymous own nothing, and no actor at all is a mistake (MissingActor)."""
        field = getattr(self.model, "own_field", None)
        if field is None:
            raise UnscopedQuery(f"{self.model.__name__} 没有“本人”的概念（own_field）。")
        queryset = self._opened().filter(access.scoping().own_q(actor, field))
        queryset.scoped_for = "own"
        return queryset

    def none(self):
        queryset = super(ScopedQuerySet, self._opened()).none()
        queryset.scoped_for = "none"
        return queryset

    def _closed_guard(self) -> None:
        if self.is_closed and not _integrity_checks.get():
            raise _refuse(self.model)

    # Writes and shortcuts that do not go through the compiler of this query.
    def create(self, **kwargs):
        self._closed_guard()
        return super().create(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        self._closed_guard()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        self._closed_guard()
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def get_or_create(self, defaults=None, **kwargs):
        self._closed_guard()
        return super().get_or_create(defaults=defaults, **kwargs)

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        self._closed_guard()
        return super().update_or_create(defaults=defaults, create_defaults=create_defaults, **kwargs)

    def delete(self):
        self._closed_guard()
        return super().delete()

    delete.alters_data = True  # type: ignore[attr-defined]

    def _raw_delete(self, using):
        self._closed_guard()
        return super()._raw_delete(using)

    def update(self, **kwargs):
        self._closed_guard()
        return super().update(**kwargs)

    update.alters_data = True  # type: ignore[attr-defined]


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    def get_queryset(self):
        queryset = self._queryset_class(model=self.model, using=self._db, hints=self._hints)
        if getattr(self, "instance", None) is not None and hasattr(self, "core_filters"):
            # A related manager (`parent.children`): the rows hang on an object the caller already read in scope.
            return queryset.unscoped()
        return queryset


class IntegrityChecksSeeAll:
    """Uniqueness and constraint checks compare with every row, in or out of the actor's scope."""

    def validate_unique(self, exclude=None):
        with integrity_checks():
            super().validate_unique(exclude=exclude)  # type: ignore[misc]

    def validate_constraints(self, exclude=None):
        with integrity_checks():
            super().validate_constraints(exclude=exclude)  # type: ignore[misc]


class ScopedModel(IntegrityChecksSeeAll, models.Model):
    """Base for models that belong to an organisation. `scope_field` names the path to it."""

    scope_field = "org"

    objects = ScopedManager()

    class Meta:
        abstract = True


class EitherScopedQuerySet(ScopedQuerySet):
    """Visible when any of the model's `scope_fields` points into the actor's scope (fails closed all the same)."""

    def _scope(self, actor, action: str) -> Q:
        scoping = access.scoping()
        condition = Q(pk__in=[])
        for field in self.model.scope_fields:
            condition |= scoping.q(actor, action, field)
        return condition


class EitherScopedManager(ScopedManager.from_queryset(EitherScopedQuerySet)):  # type: ignore[misc]
    pass


class EitherScopedModel(ScopedModel):
    scope_fields: tuple[str, ...] = ("org",)

    objects = EitherScopedManager()

    class Meta:
        abstract = True


class InheritedScopedQuerySet(ScopedQuerySet):
    """Settings that flow down the tree (activity kinds, platforms, dues rounding): a row is visible in the
    actor's subtree, above it on the way to the root (the settings it inherits), and when it belongs to nobody
    (shipped with the system)."""

    def _scope(self, actor, action: str) -> Q:
        scoping = access.scoping()
        field = self.model.scope_field
        return (
            Q(**{f"{field}__isnull": True})
            | scoping.q(actor, action, field)
            | scoping.q_above(actor, action, field)
        )

    def shipped(self):
        """The rows that belong to no organisation (shipped with the system, visible to everyone)."""
        queryset = self._opened().filter(**{f"{self.model.scope_field}__isnull": True})
        queryset.scoped_for = "shipped"
        return queryset


class InheritedScopedManager(ScopedManager.from_queryset(InheritedScopedQuerySet)):  # type: ignore[misc]
    pass


class InheritedScopedModel(ScopedModel):
    objects = InheritedScopedManager()

    class Meta:
        abstract = True
