"""The reader's filters on release lists, search and feeds, in the address of each language."""

import functools
import threading
import time
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from missions.models import Mission
from releases.caching import kept_for_version
from releases.languages import field_language
from releases.models import Release, ReleaseKind, Topic

# The filters, in the order they appear in addresses.
KEYS = ("q", "kind", "topic", "year", "mission")


class LanguageSelect(forms.Select):
    """A select whose options carry ``lang`` when their label is in another language."""

    def __init__(self, *args, option_languages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_languages = option_languages or {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        code = self.option_languages.get(str(value))
        if code and code != translation.get_language():
            option["attrs"]["lang"] = code
        return option


class ReleaseFilterForm(forms.Form):
    """The filters of the release list, search and feeds; every field optional."""

    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False, widget=LanguageSelect)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    mission = forms.ChoiceField(label=_("Mission"), required=False, widget=LanguageSelect)

    def __init__(self, *args, topics=(), missions=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["kind"].choices = everything + list(ReleaseKind.choices)
        self.fields["topic"].choices = everything + [(t.slug, t.name) for t in topics]
        self.fields["topic"].widget.option_languages = {
            t.slug: field_language(t, "name") for t in topics
        }
        self.fields["year"].choices = everything + [(y, str(y)) for y in years]
        self.fields["mission"].choices = everything + [(m.slug, str(m)) for m in missions]
        self.fields["mission"].widget.option_languages = {
            m.slug: field_language(m, "name") for m in missions
        }

    @functools.cached_property
    def kept_widgets(self):
        """The fields' rendered selects, each rendered once per language, value and choices
        (and looked up once per form: a list page's form is kept, see ``page_filters``)."""
        return _KeptWidgets(self)

    @functools.cached_property
    def kept_labels(self):
        """The fields' rendered labels, each rendered once per language."""
        return _KeptLabels(self)


# Rendered selects of the filter form by (language, field, value, errors, choices): the same
# for every reader of a list, and most of what rendering the form cost.
_rendered_widgets = {}
_widgets_lock = threading.Lock()


class _KeptWidgets:
    def __init__(self, form):
        self.form = form
        self.found = {}

    def __getitem__(self, name):
        html = self.found.get(name)
        if html is None:
            html = self.found[name] = self._rendered(name)
        return html

    def _rendered(self, name):
        field = self.form[name]
        widget = field.field.widget
        key = (
            translation.get_language(),
            field.html_name,
            field.auto_id,
            str(field.value()),
            bool(self.form.errors.get(name)),
            tuple((str(value), str(label)) for value, label in field.field.choices),
            tuple(sorted(getattr(widget, "option_languages", {}).items())),
        )
        with _widgets_lock:
            html = _rendered_widgets.get(key)
        if html is None:
            html = str(field)
            with _widgets_lock:
                if len(_rendered_widgets) >= 1000:
                    _rendered_widgets.clear()
                _rendered_widgets[key] = html
        return html


# The topics and missions to choose from, by name and language: (read at, objects), in the
# order of their names in that language. The same for every list, search page and feed;
# kept PAGE_CACHE_SECONDS, and forgotten in the process that saves a topic or a mission
# (others show it within that time, as with the sign-up form).
_kept_choices = {}


def kept_choices(name, read_at=False):
    """The topics or missions (``name``) in the page's language; with ``read_at``, also
    when they were read (``time.time()``): a page that shows them is as old as that."""
    key = (name, translation.get_language())
    kept = _kept_choices.get(key)
    if kept is None or time.monotonic() - kept[0] >= settings.PAGE_CACHE_SECONDS:
        if name == "topics":
            found = list(Topic.objects.only("name_en", "name_da", "slug_en", "slug_da"))
        else:
            found = list(Mission.objects.only("slug", "acronym", "name_en", "name_da"))
        kept = _kept_choices[key] = (time.monotonic(), found, time.time())
    return (kept[1], kept[2]) if read_at else kept[1]


def forget_choices(**kwargs):
    _kept_choices.clear()
    _kept_filters.clear()


for _model in (Topic, Mission):
    post_save.connect(forget_choices, sender=_model, dispatch_uid=f"filter-choices-{_model}")
    post_delete.connect(forget_choices, sender=_model, dispatch_uid=f"filter-choices-d-{_model}")


# Rendered labels of the filter form by (language, field, id): Django renders each through a
# template, a millisecond of every list page for five labels that never change.
_rendered_labels = {}


class _KeptLabels:
    def __init__(self, form):
        self.form = form

    def __getitem__(self, name):
        field = self.form[name]
        key = (translation.get_language(), field.html_name, field.auto_id)
        html = _rendered_labels.get(key)
        if html is None:
            html = _rendered_labels[key] = field.label_tag()
        return html


def public_years():
    return Release.objects.public_years()


# Filters of list pages without a search, by language, the filters asked for and what they
# were checked against (the kept choices and years): built and checked once, as a form is
# most of what a list page rendered afresh costs in Python besides its entries. Only filters
# that name something are kept, and at most KEPT_FILTERS, so junk addresses cannot grow it.
KEPT_FILTERS = 200
_kept_filters = {}


def page_filters(data, version):
    """``Filters(data, version=version)`` for a list page, the same object each time it is
    asked for with the same filters while the choices and years stay the same."""
    if data.get("q"):
        return Filters(data, version=version)
    asked = tuple((key, tuple(data.getlist(key))) for key in KEYS if key in data)
    years = kept_for_version(version, "years", public_years)
    key = (
        translation.get_language(),
        asked,
        kept_choices("topics", read_at=True)[1],
        kept_choices("missions", read_at=True)[1],
        tuple(years),
    )
    filters = _kept_filters.get(key)
    if filters is None:
        filters = Filters(data, version=version)
        if filters.valid:
            if len(_kept_filters) >= KEPT_FILTERS:
                _kept_filters.clear()
            _kept_filters[key] = filters
    return filters


class Filters:
    """The filters a reader asked for: checked, applied, and written back into addresses.

    A topic may be named by its slug in either language (a link from the other
    language's site); addresses always use the slug of their own language.
    """

    def __init__(self, data, every_choice=True, version=None):
        # A feed needs only the choices it was given; a page's form shows them all.
        # ``version``: the release version the page renders at, under which the years are kept.
        needs = set(KEYS) if every_choice else set(data)
        self.topics, self.missions, years = [], [], []
        if "topic" in needs:
            self.topics = kept_choices("topics")
        if "mission" in needs:
            self.missions = kept_choices("missions")
        if "year" in needs:
            years = kept_for_version(version, "years", public_years)
        data = data.copy()
        asked_topic = data.get("topic", "")
        self.topic = next((t for t in self.topics if asked_topic in (t.slug_en, t.slug_da)), None)
        if self.topic is not None:
            data["topic"] = self.topic.slug
        self.form = ReleaseFilterForm(
            data,
            topics=self.topics,
            missions=self.missions,
            years=years,
        )
        self.valid = self.form.is_valid()
        cleaned = self.form.cleaned_data
        self.query = " ".join((cleaned.get("q") or "").split())[:200]
        self.kind = cleaned.get("kind") or ""
        self.year = cleaned.get("year")
        self.mission = next((m for m in self.missions if m.slug == cleaned.get("mission")), None)
        if "topic" in self.form.errors:
            self.topic = None
        # Parts of a list page rendered from these filters alone (its feeds), kept with them
        # (see ``{% kept %}`` and ``page_filters``).
        self.kept_parts = {}

    def __bool__(self):
        return bool(self.kind or self.topic or self.year or self.mission)

    def apply(self, releases):
        return releases.filtered(
            kind=self.kind, topic=self.topic, year=self.year, mission=self.mission
        )

    def params(self, language=None, query=True):
        """The filters as address parameters, with the slugs of ``language``."""
        language = language or translation.get_language()
        values = {
            "q": self.query if query else "",
            "kind": self.kind,
            "topic": getattr(self.topic, f"slug_{language}", "") or "",
            "year": self.year or "",
            "mission": self.mission.slug if self.mission else "",
        }
        return {key: values[key] for key in KEYS if values[key]}

    def query_string(self, language=None, query=True, **extra):
        """``key=value&…`` for the filters (URL-encoded), then ``extra``; "" when empty."""
        params = {**self.params(language, query), **{k: v for k, v in extra.items() if v}}
        return urlencode(params)

    def alternates(self, url_name, page=None):
        """This list in every language, with the filters, query and page carried across."""
        kept = self.__dict__.setdefault("_alternate_bases", {})
        bases = kept.get(url_name)
        if bases is None:
            # Each language's address and query without the page: the same for every page
            # of the list (and the filters are kept, see ``page_filters``).
            bases = []
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    address = settings.SITE_URL + reverse(url_name)
                    query = self.query_string(code)
                    native = translation.get_language_info(code)["name_local"].capitalize()
                bases.append((code, native, address, query))
            kept[url_name] = bases
        alternates = []
        for code, native, address, query in bases:
            if page and page > 1:
                query = f"{query}&page={page}" if query else f"page={page}"
            alternates.append((code, native, address + (f"?{query}" if query else "")))
        return alternates

    def unknown(self):
        """[(bound field, message)] for each filter that could not be used."""
        return [(self.form[name], " ".join(errors)) for name, errors in self.form.errors.items()]
