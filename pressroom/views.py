import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from pressroom.tasks import worker_health
from releases.models import PressContact, Release
from verification import keys


class HomeView(TemplateView):
    template_name = "pressroom/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["latest_releases"] = Release.objects.newest_listed(10)
        # Read only when the section is rendered, not when it is kept.
        context["contacts"] = PressContact.objects.all()[:4]
        context["contact_parts"] = _kept_contact_parts()
        return context


# The home page's press contacts as rendered ({% kept %}), by language: (read at, parts). The
# same for every reader: kept PAGE_CACHE_SECONDS, as pages are, and forgotten in the process
# that saves a contact (others show it within that time, as with the profile).
_contact_parts = {}


def _kept_contact_parts():
    language = translation.get_language()
    kept = _contact_parts.get(language)
    if kept is None or time.monotonic() - kept[0] >= settings.PAGE_CACHE_SECONDS:
        kept = _contact_parts[language] = (time.monotonic(), {})
    return kept[1]


def forget_contact_parts(**kwargs):
    _contact_parts.clear()


post_save.connect(forget_contact_parts, sender=PressContact, dispatch_uid="home-contacts-save")
post_delete.connect(forget_contact_parts, sender=PressContact, dispatch_uid="home-contacts-del")


class AboutView(TemplateView):
    template_name = "pressroom/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signing_key_id"] = keys.key_id()
        context["signing_key_pem"] = keys.public_key_pem()
        return context


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page says: the site's icon."""
    return HttpResponseRedirect(static("pressroom/favicon.svg"))


def healthz(request):
    """For load balancers and benchmarks: answers without touching the database."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def workers_healthz(request):
    """For monitoring: how many task workers are alive, and the age of the newest heartbeat.

    Answers 503 when no worker has sent a heartbeat within ``STALLED_AFTER`` seconds:
    then nothing goes live on time and no email goes out.
    """
    alive, age = worker_health()
    lines = [
        "ok" if alive else "no live worker",
        f"live workers: {alive}",
        f"newest heartbeat: {'never' if age is None else f'{age:.0f} s ago'}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n",
        content_type="text/plain",
        status=200 if alive else 503,
    )


def page_not_found(request, exception):
    """The 404 page, whose language switch leads to the front page of each language.

    The missing address has no page in any language, so it gets no hreflang or
    canonical links, and switching language does not lead back to it.
    """
    alternates = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            native = translation.get_language_info(code)["name_local"].capitalize()
            alternates.append((code, native, settings.SITE_URL + reverse("home")))
    context = {"alternates": alternates, "not_found": True}
    return render(request, "404.html", context, status=404)
