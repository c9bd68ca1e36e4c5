from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from releases.models import PressContact, Release


class HomeView(TemplateView):
    template_name = "pressroom/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["latest_releases"] = Release.objects.published().for_listing()[:10]
        context["contacts"] = PressContact.objects.all()[:4]
        return context


class AboutView(TemplateView):
    template_name = "pressroom/about.html"


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def healthz(request):
    """For load balancers and benchmarks: answers without touching the database."""
    return HttpResponse("ok\n", content_type="text/plain")
