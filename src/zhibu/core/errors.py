"""Error pages in the site's layout, in Chinese, with the menu and a way back (404, 403, 500, CSRF failure).

The 404 page says the same for "does not exist" and "outside your scope": it must not reveal which.
Under /api/ the answer is the API's error body (JSON) instead of a page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

PAGES = {
    400: ("请求有误", "提交的内容无法处理，请返回上一页检查后重试。"),
    403: ("无权进行此操作", "您的账号没有进行此操作的权限。如需办理，请联系本支部书记或上级党组织管理员。"),
    404: ("页面不存在", "您要找的页面不存在，或不在您的权限范围内。"),
    500: ("系统出错了", "处理您的请求时出现错误，已记录。请稍后重试；如果一再出现，请联系系统管理员。"),
}


API_DETAILS = {
    400: "请求有误。",
    403: "无权进行此操作。",
    404: "不存在或无权访问。",
    500: "系统出错了，已记录。请稍后重试。",
}


def _api(request: HttpRequest, status: int, detail: str = "") -> HttpResponse | None:
    if not request.path.startswith("/api/"):
        return None
    return JsonResponse(
        {"detail": detail or API_DETAILS[status], "errors": {}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _page(request: HttpRequest, status: int, detail: str = "", title: str = "") -> HttpResponse:
    api_answer = _api(request, status, detail)
    if api_answer is not None:
        return api_answer
    default_title, text = PAGES[status]
    if title:  # a page of its own: its title and its explanation only
        text, detail = detail, ""
    title = title or default_title
    return render(
        request,
        "zhibu/error.html",
        {"status": status, "title": title, "text": text, "detail": detail},
        status=status,
    )


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(request, 400)


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(request, 403)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the context processors (they read the database, which may be what failed)."""
    api_answer = _api(request, 500)
    if api_answer is not None:
        return api_answer
    title, text = PAGES[500]
    html = loader.get_template("zhibu/error_500.html").render({"title": title, "text": text})
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(
        request,
        403,
        "页面已过期或来自其他网站，为保护您的账号，本次提交未被接受。请刷新页面后重新提交；"
        "如果您长时间未操作，可能需要重新登录。",
        title="页面已过期",
    )
