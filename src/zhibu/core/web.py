"""Small helpers shared by the web faces of every app."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

T = TypeVar("T")


def page(
    request: HttpRequest,
    template: str,
    context: dict | None = None,
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render the full page, or only its partial when htmx asks for it."""
    name = partial if partial and getattr(request, "htmx", False) and not request.htmx.boosted else template
    return render(request, name, context or {}, status=status)


def paginate(request: HttpRequest, queryset, per_page: int = 30):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError onto a form so the page shows it beside the fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def submit(
    request: HttpRequest,
    form,
    action: Callable[[dict], T],
    *,
    success: str | Callable[[T], str],
    then: Callable[[T], HttpResponse],
) -> HttpResponse | None:
    """The post-form-service-redirect step of a view. On a POST whose form is valid, call the service with the
    cleaned data; a ValidationError it raises goes onto the form beside its fields; on success flash `success`
    (text, or a function of the result) and answer `then(result)`, usually a redirect. None means: render the
    page with the form, with `form_status(form)`."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return then(result)


def form_status(form) -> int:
    """400 when the page shows a form with errors, else 200."""
    return 400 if form.errors else 200


def flash_saved(request: HttpRequest, text: str) -> None:
    messages.success(request, text)
