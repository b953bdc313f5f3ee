from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: the app answers, through the whole middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@never_cache
def ping(request: HttpRequest) -> HttpResponse:
    """The cheapest signed-in page: session and user are loaded, nothing else is done.

    The load test measures it as the floor under every page a cadre opens.
    """
    return HttpResponse("pong", content_type="text/plain")
