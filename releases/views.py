import html

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from core.i18n import page_alternates
from missions.models import Mission
from releases import ics
from releases.forms import ReleaseFilterForm, topics_for_filter
from releases.models import (
    MARK_START,
    MARK_STOP,
    PressContact,
    PreviewLink,
    Release,
    ReleaseKind,
    Status,
)


class ReleaseListView(ListView):
    """The release list; with ``q`` it is the search page. Filters combine with both."""

    paginate_by = 20
    template_name = "releases/release_list.html"
    search_page = False

    def get(self, request, *args, **kwargs):
        topics = list(topics_for_filter())
        self.form = ReleaseFilterForm(
            request.GET, topics=topics, years=Release.objects.published().years()
        )
        self.form.is_valid()
        self.filters = {
            key: value
            for key, value in self.form.cleaned_data.items()
            if value not in (None, "") and key not in self.form.errors
        }
        self.query = " ".join(self.filters.pop("q", "").split())
        self.topic = next((t for t in topics if t.slug == self.filters.get("topic")), None)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        releases = Release.objects.published().filtered(**self.filters)
        if self.query:
            return releases.search(self.query).with_snippet(self.query, get_language())
        return releases.for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.query:
            for release in context["object_list"]:
                release.snippet_html = _marked(release.snippet)
        params = {key: value for key, value in self.request.GET.items() if key != "page"}
        feed_params = {k: v for k, v in self.filters.items() if k in ("kind", "topic")}
        context.update(
            form=self.form,
            query=self.query,
            search_page=self.search_page or bool(self.query),
            filters=self.filters,
            topic=self.topic,
            kind_label=ReleaseKind(self.filters["kind"]).label if "kind" in self.filters else "",
            query_string="&".join(f"{k}={escape(v)}" for k, v in params.items() if v),
            feed_query="&".join(f"{k}={v}" for k, v in feed_params.items()),
        )
        return context


def _marked(snippet):
    """Escape the snippet, then turn the search markers into <mark> elements."""
    text = escape(html.unescape(strip_tags(snippet or "")))
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))


def _release_page_queryset(releases):
    return releases.prefetch_related(
        "topics",
        "quotes",
        "images",
        "documents",
        "corrections",
        Prefetch("missions", queryset=Mission.objects.for_fact_box()),
        Prefetch("release_contacts__contact", queryset=PressContact.objects.all()),
    )


class ReleaseDetailView(DetailView):
    context_object_name = "release"
    preview = False

    def get_object(self, queryset=None):
        slug = self.kwargs["slug"]
        by_slug = Q(slug_en=slug) | Q(slug_da=slug)
        release = _pick(_release_page_queryset(Release.objects.published()).filter(by_slug))
        if release is None and self.request.user.is_staff:
            release = _pick(_release_page_queryset(Release.objects.all()).filter(by_slug))
            self.preview = release is not None
        if release is None:
            if Release.objects.filter(by_slug, status=Status.UNPUBLISHED).exists():
                raise Gone
            raise Http404
        return release

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Gone:
            return TemplateResponse(request, "releases/gone.html", status=410)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        release = self.object
        context["preview"] = self.preview
        context["related"] = Release.objects.published().sharing_a_topic_with(release)[:3]
        context["share_url"] = settings.SITE_URL + release.get_absolute_url()
        return context


class Gone(Exception):
    """An unpublished release: its address answers 410."""


def _pick(releases):
    """The release whose slug is in the reader's language, else the other language's."""
    language = get_language()
    found = sorted(releases, key=lambda r: r.slug != getattr(r, f"slug_{language}"))
    return found[0] if found else None


class PreviewView(ReleaseDetailView):
    """A secret preview link: its release while not yet public, then the public page.

    Revoked, ended and unknown links, and links to a withdrawn or unpublished release,
    all get the same page, which shows nothing of any release.
    """

    def get(self, request, *args, **kwargs):
        self.link = PreviewLink.objects.for_token(kwargs["token"])
        release = self.link.release if self.link else None
        if self.link is not None and self.link.shows_release():
            response = super().get(request, *args, **kwargs)
        elif release is not None and release.is_public() and release.status != Status.WITHDRAWN:
            # Published: the link has done its work and leads to the public page.
            response = redirect(release.get_absolute_url())
        else:
            response = TemplateResponse(request, "releases/preview_ended.html", status=404)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response

    def get_object(self, queryset=None):
        self.preview = True
        return _release_page_queryset(Release.objects.all()).get(pk=self.link.release_id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview_token"] = self.link.token
        # The language switch leads to this preview in the other language.
        context["alternates"] = page_alternates(self.request, self.link)
        return context


def invitation_ics(request, slug):
    release = (
        Release.objects.published()
        .filter(
            Q(slug_en=slug) | Q(slug_da=slug),
            kind=ReleaseKind.PRESS_INVITATION,
            event_start__isnull=False,
        )
        .first()
    )
    if release is None:
        raise Http404
    response = HttpResponse(
        ics.invitation(release, now=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{release.slug}.ics"'
    return response


class ContactListView(ListView):
    template_name = "releases/contact_list.html"
    queryset = PressContact.objects.all()
