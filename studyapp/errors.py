"""The server error page (handler500): rendered without the request's context processors, so it needs
neither the session nor the database, which may be what failed; and if even the template fails (a
missing static manifest), a plain page in the same words."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)

PLAIN_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>服务器出错了 · 工会学习</title></head>
<body><main><h1>服务器出错了</h1><p>处理你的请求时发生了错误，错误已记录下来。请稍后再试。</p>
<p><a href="/">回到首页</a></p></main></body></html>
"""


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """500: templates/500.html rendered with an empty context; the plain page when that fails."""
    try:
        body = loader.get_template(template_name).render({})
    except Exception:
        logger.exception("错误页 500.html 无法渲染，改用纯文本错误页")
        body = PLAIN_PAGE
    return HttpResponseServerError(body)
