import copy
import functools
import threading
import time
from array import array
from collections import OrderedDict

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from core.addresses import slugify_title
from core.i18n import page_alternates
from core.models import Licence
from missions.models import Mission
from releases import ics, search, vcard
from releases.caching import depend_on, kept_for_version, read_at_stamp, release_version
from releases.filters import kept_choices, page_filters
from releases.models import (
    Correction,
    PressContact,
    PreviewLink,
    Quote,
    Release,
    ReleaseContact,
    ReleaseDocument,
    ReleaseImage,
    ReleaseKind,
    Status,
    Topic,
)


class NewestFirstPaginator(Paginator):
    """Pages of the newest-first release list; a deep page is found by its ids first.

    Skipping thousands of releases to reach page 400 read and sorted every wide row (about
    70 ms at 20,000 releases); its twenty ids come from the ``release_newest_first`` index
    alone, in the same statement that then reads the twenty releases by id.
    """

    DEEP = 200  # releases skipped from which a page is found by its ids

    # The ids of every release listed, newest first, when the view keeps them (see
    # ``ReleaseListView.get_paginator``): a deep page then reads its twenty by id.
    kept_ids = None
    # ``read(bottom, count)``, the releases of a page before DEEP, when the view has it.
    read = None
    # ``listing()``, the queryset of the list, when the view builds it only if a page needs it
    # (a first page read by ``read`` whose count is kept does not).
    listing = None

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < self.DEEP and self.read is not None:
            return self._get_page(self.read(bottom, self.per_page), number, self)
        if self.listing is not None:
            self.object_list, self.listing = self.listing(), None
        if bottom < self.DEEP:
            return super().page(number)
        if self.kept_ids is not None:
            ids = list(self.kept_ids[bottom : bottom + self.per_page])
            return self._get_page(Release.objects.listed_by_ids(ids), number, self)
        ids = self.object_list.values("pk")[bottom : bottom + self.per_page]
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)


class ReleaseListView(ListView):
    """The release list; with ``q`` it is the search page. Filters combine with both.

    A filter value that names nothing (a topic that does not exist, a year without
    releases) answers 404 with the page saying which, never a silent "everything".
    """

    paginate_by = 20
    paginator_class = NewestFirstPaginator
    template_name = "releases/release_list.html"
    search_page = False

    def get(self, request, *args, **kwargs):
        self.version = release_version(request)
        self.filters = page_filters(request.GET, self.version)
        self.query = self.filters.query
        self.results = None
        response = super().get(request, *args, **kwargs)
        if not self.filters.valid:
            response.status_code = 404
        return response

    def get_queryset(self):
        """None: the releases are read where the page needs them (``releases``), so that a
        deep page whose list's ids are kept builds no query of the ORM at all."""
        return None

    def releases(self):
        if not self.filters.valid:
            return Release.objects.none()
        return self.filters.apply(Release.objects.published())

    def get_paginator(self, queryset, *args, **kwargs):
        # ``queryset`` is None (see ``get_queryset``): the list's releases are read here.
        filters = self.filters
        if not filters.valid:
            return super().get_paginator(Release.objects.none(), *args, **kwargs)
        # The count of a list is what its release version says: kept while that holds.
        what = (filters.kind, filters.topic and filters.topic.pk, filters.year)
        what += (filters.mission and filters.mission.pk,)
        number = self.request.GET.get("page") or "1"
        skipped = (int(number) - 1) * self.paginate_by if number.isdigit() else 0
        if skipped >= NewestFirstPaginator.DEEP and self.version is not None:
            # A deep page (crawlers walk lists to their last page): the ids of every release
            # of the list, newest first, kept the same way, and the page's twenty read by id.
            ids = _kept_ids(self.version, what, lambda: self.releases().ids_newest_first())
            paginator = super().get_paginator(ids, *args, **kwargs)
            paginator.kept_ids, paginator.count = ids, len(ids)
            return paginator
        # Its first pages are read by ``read``; the queryset, built only then (building it
        # cost a first page a tenth of its render), serves a deep page asked for as "last",
        # or without a release version (staff), whose ids are not kept.
        paginator = super().get_paginator((), *args, **kwargs)
        paginator.listing = lambda: self.releases().for_listing()
        paginator.count = kept_for_version(
            self.version, ("count", *what), lambda: self.releases().count()
        )
        paginator.read = functools.partial(
            Release.objects.listed_page,
            kind=filters.kind,
            topic=filters.topic,
            year=filters.year,
            mission=filters.mission,
        )
        return paginator

    def paginate_queryset(self, queryset, page_size):
        if not self.query or not self.filters.valid:
            return super().paginate_queryset(queryset, page_size)
        number = self.request.GET.get("page") or 1
        try:
            number = int(number)
            self.results = search.search(
                self.releases(), self.query, get_language(), number, page_size
            )
        except (ValueError, InvalidPage) as error:
            raise Http404(_("There is no such page of results.")) from error
        page = self.results.page
        for release in page.object_list:
            release.snippet_html = search.marked(release.snippet)
        return page.paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.filters
        search_page = self.search_page or bool(self.query)
        url_name = "releases:search" if search_page else "releases:list"
        page = context["page_obj"].number if context.get("page_obj") else None
        context.update(
            form=filters.form,
            query=self.query,
            results=self.results,
            search_page=search_page,
            filters=filters,
            unknown_filters=filters.unknown(),
            not_found=not filters.valid,
            topic=filters.topic,
            kind_label=ReleaseKind(filters.kind).label if filters.kind else "",
            alternates=filters.alternates(url_name, page),
            query_string=filters.query_string(),
            feed_query=filters.query_string(query=False),
            # The heading and the form, kept with the filters (see ``page_filters``).
            form_part="search form" if search_page else "list form",
        )
        if self.results and self.results.suggestion:
            context["suggestion"] = format_html(
                '<a href="{}?{}">{}</a>',
                reverse("releases:search"),
                filters.query_string(q=self.results.suggestion),
                self.results.suggestion,
            )
        return context


# The ids of the releases of a list, newest first, by release version and filters: (read at,
# ids). At most KEPT_ID_LISTS lists (8 bytes a release each), the least recently used first
# out, and PAGE_CACHE_SECONDS at most, like the list's count.
KEPT_ID_LISTS = 32
_kept_ids_lists = OrderedDict()
_ids_lock = threading.Lock()


def _kept_ids(version, what, read):
    """``read()``, the ids of a list's releases newest first, kept by version and filters."""
    key = (version, what)
    with _ids_lock:
        kept = _kept_ids_lists.get(key)
        if kept is not None and time.monotonic() - kept[0] < settings.PAGE_CACHE_SECONDS:
            _kept_ids_lists.move_to_end(key)
            return kept[1]
    ids = array("q", read())
    with _ids_lock:
        _kept_ids_lists[key] = (time.monotonic(), ids)
        while len(_kept_ids_lists) > KEPT_ID_LISTS:
            _kept_ids_lists.popitem(last=False)
    return ids


def forget_kept_ids():
    _kept_ids_lists.clear()


def _release_page_lookups():
    return (
        "topics",
        "quotes",
        Prefetch("images", queryset=ReleaseImage.objects.select_related("licence")),
        "documents",
        "corrections",
        Prefetch("missions", queryset=Mission.objects.for_fact_box()),
        Prefetch("release_contacts__contact", queryset=PressContact.objects.all()),
    )


def _prefetch_page_parts(release):
    """Fetch the parts a release page shows that the release has, as the statement that
    found it says (``public_by_slug(..., parts=PAGE_PARTS)``): a release without quotes,
    documents, corrections or missions, the most common kind, asks nothing of those. Its
    topics are the kept ones (``kept_choices``), in the order of their names in the page's
    language. Returns when the oldest of what it used was read (``time.time()``)."""
    lookups = _page_lookups()
    fetched = [name for name in lookups if name != "topics" and getattr(release, f"has_{name}")]
    prefetch_related_objects([release], *(lookups[name] for name in fetched))
    shown = set(release.topic_ids)
    every_topic, read_at = kept_choices("topics", read_at=True)
    topics = [topic for topic in every_topic if topic.pk in shown]
    if len(topics) != len(shown):
        # A topic newer than the kept ones: read as the page would.
        topics, read_at = list(Topic.objects.filter(pk__in=shown)), time.time()
    cache = release.__dict__.setdefault("_prefetched_objects_cache", {})
    for name in lookups:
        if name not in fetched:
            # As Django's own prefetching leaves them: evaluated already (an empty query set
            # would still be compiled each time the page asks for it).
            cache_name, empty = _evaluated_empty(release, name)
            if name == "topics" and topics:
                found = copy.copy(empty)
                found._result_cache = topics
            else:
                found = empty
            cache[cache_name] = found
    return read_at


# By a part's name: its name in a release's prefetched objects, and an evaluated empty query
# set of its model, shared (building one took a fifth of a millisecond per part).
_empty_parts = {}


def _evaluated_empty(release, name):
    found = _empty_parts.get(name)
    if found is None:
        manager = getattr(release, name)
        cache_name = getattr(manager, "prefetch_cache_name", None)
        if cache_name is None:
            cache_name = manager.field.remote_field.cache_name
        empty = manager.model.objects.none()
        empty._result_cache = []
        empty._prefetch_done = True
        found = _empty_parts[name] = (cache_name, empty)
    return found


def _lookup_name(lookup):
    path = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
    return path.split("__")[0]


# The parts of a release page, by the names of their fields.
PAGE_PARTS = tuple(_lookup_name(lookup) for lookup in _release_page_lookups())


@functools.cache
def _page_lookups():
    """The release page's lookups by part, built once: only the statement that runs them is
    new each time."""
    return {_lookup_name(lookup): lookup for lookup in _release_page_lookups()}


def _release_page_queryset(releases):
    return releases.prefetch_related(*_release_page_lookups())


# A public release page's release with its own parts (topics, quotes, images, documents,
# corrections, missions, contacts: seven queries), kept in this process by the release's
# id, last edit, status and publication time (the state that keeps its page) and the
# language, together with the parts of the page rendered from it (its head and article,
# ``{% kept %}``), so that a page rendered again because another release was published (its
# latest releases) reads only the release and renders only what surrounds the article.
# Kept PAGE_CACHE_SECONDS at most, and a page rendered from it is stored as that old, so an
# edit of a part alone (a press contact, a mission's name) shows within PAGE_CACHE_SECONDS
# as before, and in this process at once (``forget_kept_releases``).
KEPT_RELEASES = 500
_kept_releases = OrderedDict()
_kept_lock = threading.Lock()


def _public_release(slug):
    """The public release of this slug with its parts, since when it is as read (time), and
    the parts of its page rendered from it so far (see ``{% kept %}``)."""
    release = _pick(Release.objects.public_by_slug(slug, parts=PAGE_PARTS))
    if release is None:
        return None, None, None
    # By language too: parts are ordered by their names in the page's language.
    key = (release.pk, release.updated_at, release.status, release.published_at, get_language())
    with _kept_lock:
        kept = _kept_releases.get(key)
        if kept is not None:
            _kept_releases.move_to_end(key)
    if kept is not None and time.time() - kept[0] < settings.PAGE_CACHE_SECONDS:
        return copy.copy(kept[1]), kept[0], kept[2]
    read_at = min(time.time(), _prefetch_page_parts(release))
    parts = {}
    with _kept_lock:
        _kept_releases[key] = (read_at, release, parts)
        while len(_kept_releases) > KEPT_RELEASES:
            _kept_releases.popitem(last=False)
    return copy.copy(release), read_at, parts


def forget_kept_releases(**kwargs):
    """A release's part edited: this process reads every release page's parts afresh."""
    with _kept_lock:
        _kept_releases.clear()


for _model in (
    Topic,
    Quote,
    ReleaseImage,
    Licence,
    ReleaseDocument,
    Correction,
    ReleaseContact,
    PressContact,
    Mission,
):
    post_save.connect(forget_kept_releases, sender=_model, dispatch_uid=f"kept-release-{_model}")
    post_delete.connect(forget_kept_releases, sender=_model, dispatch_uid=f"kept-rel-d-{_model}")


class ReleaseDetailView(DetailView):
    context_object_name = "release"
    preview = False
    kept_parts = None

    def get_object(self, queryset=None):
        slug = self.kwargs["slug"]
        by_slug = Q(slug_en=slug) | Q(slug_da=slug)
        release, read_at, self.kept_parts = _public_release(slug)
        if release is not None:
            # The page is as old as what it shows of the release.
            self.request.page_data_since = read_at
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
        latest, related, stamp, read_at = _latest_and_related(release)
        context["latest"] = latest
        context["related"] = related
        # The latest releases' section, the same under nearly every release page: kept with
        # the profile by the releases' states (see ``{% kept %}`` and ``site_parts``).
        context["latest_key"] = "latest " + " ".join(
            f"{other.pk}/{other.updated_at.timestamp()}/{other.status}/"
            f"{other.published_at.timestamp()}"
            for other in latest
        )
        if not self.preview:
            read_at_stamp(self.request, stamp, read_at)
            depend_on(self.request, [release, *latest, *related])
            if self.kept_parts is not None:
                # The page's own parts rendered from the kept release, by address (its
                # language links come from it), and the links themselves.
                parts = self.kept_parts.setdefault(self.request.path, {})
                context["kept_parts"] = parts
                if "alternates" not in parts:
                    parts["alternates"] = page_alternates(self.request, release)
                context["alternates"] = parts["alternates"]
                languages = release.languages()
                if len(languages) == 1:
                    # Written in one language: its address on the other site shows the same
                    # text, so search engines are told of that language's page alone.
                    context["only_language"] = languages[0]
                    context["head_alternates"] = [
                        alternate for alternate in parts["alternates"] if alternate[0] in languages
                    ]
        context["share_url"] = settings.SITE_URL + release.get_absolute_url()
        return context


# How many of the newest public releases a release page's latest and related releases are
# picked from (see ``_latest_and_related``).
NEWEST_WINDOW = 100

# (read at: time.monotonic(), the newest public releases, their topic ids by release).
_window = None


def _newest_public(fresh=False):
    """The NEWEST_WINDOW newest public releases without bodies, each one's topic ids, and
    the window itself if it was kept (else None): two queries when read, kept
    PAGE_CACHE_SECONDS at most."""
    global _window
    window = _window
    if (
        not fresh
        and window is not None
        and time.monotonic() - window.read_at < settings.PAGE_CACHE_SECONDS
    ):
        return window.releases, window.topics, window
    read_at = time.monotonic()
    releases = list(Release.objects.published().for_listing()[:NEWEST_WINDOW])
    topics = {release.pk: set() for release in releases}
    for release_id, topic_id in Release.topics.through.objects.filter(
        release_id__in=list(topics)
    ).values_list("release_id", "topic_id"):
        topics[release_id].add(topic_id)
    _window = _Window(read_at, releases, topics)
    return releases, topics, None


class _Window:
    """The newest public releases as read at ``read_at`` (``time.monotonic()``), and when
    they were last found still as read (``checked``: monotonic and wall-clock times)."""

    def __init__(self, read_at, releases, topics):
        self.read_at, self.releases, self.topics = read_at, releases, topics
        self.checked = (read_at, time.time())

    def check(self):
        """Whether nothing was published since and every release in it is public as read:
        one query, after which pages take it as checked for PAGE_VERSION_SECONDS."""
        now = (time.monotonic(), time.time())
        stamp, states = Release.objects.shown_version([release.pk for release in self.releases])
        newest = self.releases[0].published_at if self.releases else None
        if stamp != newest or dict(states) != {
            other.pk: other.shown_state() for other in self.releases
        }:
            return False
        self.checked = now
        return True

    def checked_lately(self):
        return time.monotonic() - self.checked[0] < settings.PAGE_VERSION_SECONDS


def forget_newest(**kwargs):
    """A release saved or its topics changed in this process: its next page reads the newest
    releases afresh (other processes find what they pick changed, or it shows within
    PAGE_CACHE_SECONDS, as with a kept page)."""
    global _window
    _window = None


post_save.connect(forget_newest, sender=Release, dispatch_uid="newest-releases-save")
post_delete.connect(forget_newest, sender=Release, dispatch_uid="newest-releases-delete")
m2m_changed.connect(forget_newest, sender=Release.topics.through, dispatch_uid="newest-topics")


def _latest_and_related(release):
    """The three newest public releases other than ``release``, the three newest after those
    that share a topic with it, the newest publication time the public can see (the stamp
    of ``shown_version``), and when all three were read or checked (``time.time()``).

    Release pages pick them from the same newest releases, kept in the process. Before they
    are used, one query checks that nothing was published since (the newest publication is
    still the newest kept) and that each of the newest is still public as kept, else they
    are read again; checked, they are taken as they are for PAGE_VERSION_SECONDS, the bound
    within which a kept page is checked too. A release whose related releases are older
    than the newest ones is looked up in the database as before.
    """
    newest, topics, window = _newest_public()
    if window is not None and not (window.checked_lately() or window.check()):
        newest, topics, window = _newest_public(fresh=True)
    read_at = window.checked[1] if window is not None else time.time()
    wanted = {topic.pk for topic in release.topics.all()}
    others = [other for other in newest if other.pk != release.pk]
    latest = others[:3]
    related = [other for other in others[3:] if topics[other.pk] & wanted][:3]
    if len(related) < 3 and len(newest) == NEWEST_WINDOW and wanted:
        related = list(
            Release.objects.published()
            .sharing_a_topic_with(release)
            .exclude(pk__in=[other.pk for other in latest])[:3]
        )
    # The newest publication: the window's first, read or checked at ``read_at``.
    stamp = newest[0].published_at if newest else None
    return latest, related, stamp, read_at


class Gone(Exception):
    """An unpublished release: its address answers 410."""


def _pick(releases):
    """The release whose slug is in the reader's language, else the other language's."""
    language = get_language()
    found = sorted(releases, key=lambda r: r.slug != getattr(r, f"slug_{language}"))
    return found[0] if found else None


class PreviewView(ReleaseDetailView):
    """A secret preview link: its release while not yet public, then the public page.

    A journalist's embargo link is one too: the page is marked as embargoed, names the
    journalist, and each opening is logged.

    Revoked, ended and unknown links, and links to a withdrawn or unpublished release,
    all get the same page, which shows nothing of any release.
    """

    def get(self, request, *args, **kwargs):
        self.link = PreviewLink.objects.for_token(kwargs["token"])
        release = self.link.release if self.link else None
        if self.link is not None and self.link.shows_release():
            response = super().get(request, *args, **kwargs)
            if self.link.journalist_id is not None and request.method == "GET":
                self.link.record_open()
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
        # A personal embargo link names its reader on the page: a leak shows its source.
        context["embargo_for"] = self.link.journalist
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
    depend_on(request, [release])
    response = HttpResponse(
        ics.invitation(release, now=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{release.slug}.ics"'
    return response


def _vcard_response(text, name):
    response = HttpResponse(text, content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.vcf"'
    return response


def contact_vcard(request, pk):
    """One press contact for an address book."""
    contact = PressContact.objects.filter(pk=pk).first()
    if contact is None:
        raise Http404
    return _vcard_response(vcard.card(contact), slugify_title(contact.name) or f"contact-{pk}")


def release_vcards(request, slug):
    """Every press contact of a public release, the duty desk first, in one file."""
    release = _pick(
        Release.objects.published()
        .filter(Q(slug_en=slug) | Q(slug_da=slug))
        .prefetch_related(
            Prefetch("release_contacts__contact", queryset=PressContact.objects.all())
        )
    )
    contacts = release.press_contacts() if release else []
    if not contacts:
        raise Http404
    return _vcard_response(vcard.cards(contacts), f"{release.slug}-contacts")


class ContactListView(ListView):
    template_name = "releases/contact_list.html"
    queryset = PressContact.objects.all()
