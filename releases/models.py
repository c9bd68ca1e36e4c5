"""Releases and what belongs to them, with the one rule of what the public may see."""

import datetime
import functools
import re
import secrets

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models, transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import Licence, default_licence
from core.phones import validate_phone
from core.prepared import prepared_cursor
from releases import signals


def _new_token():
    return secrets.token_urlsafe(32)


# A preview link works for two weeks unless an editor sets another end.
PREVIEW_LINK_DAYS = 14


def _preview_link_expiry():
    return timezone.now() + datetime.timedelta(days=PREVIEW_LINK_DAYS)


class ReleaseKind(models.TextChoices):
    PRESS_RELEASE = "press-release", _("Press release")
    NEWS = "news", _("News")
    STATEMENT = "statement", _("Statement")
    SPEECH = "speech", _("Speech")
    PRESS_INVITATION = "press-invitation", _("Press invitation")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    UNPUBLISHED = "unpublished", _("Unpublished")


class Step:
    """The workflow steps a person may be allowed to take on a release."""

    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    SEND_BACK = "send-back"
    PUBLISH_ALONE = "publish-alone"
    APPROVE_AFTERWARDS = "approve-afterwards"
    RESCHEDULE = "reschedule"
    RETURN_TO_DRAFT = "return-to-draft"
    WITHDRAW = "withdraw"
    UNPUBLISH = "unpublish"
    RESTORE = "restore"
    DELETE = "delete"
    ALL = (
        EDIT,
        SUBMIT,
        APPROVE,
        SEND_BACK,
        PUBLISH_ALONE,
        APPROVE_AFTERWARDS,
        RESCHEDULE,
        RETURN_TO_DRAFT,
        WITHDRAW,
        UNPUBLISH,
        RESTORE,
        DELETE,
    )


_CHANGE = ("releases.change_release",)
_PUBLISH = ("releases.publish_release",)
STEP_PERMISSIONS = {
    Step.EDIT: _CHANGE,
    Step.SUBMIT: _CHANGE,
    Step.RETURN_TO_DRAFT: _CHANGE,
    Step.RESTORE: _CHANGE,
    Step.APPROVE: _PUBLISH,
    Step.SEND_BACK: _PUBLISH,
    Step.APPROVE_AFTERWARDS: _PUBLISH,
    Step.RESCHEDULE: _PUBLISH,
    Step.WITHDRAW: _PUBLISH,
    Step.UNPUBLISH: _PUBLISH,
    Step.PUBLISH_ALONE: (*_PUBLISH, "releases.publish_alone_release"),
    Step.DELETE: ("releases.delete_release",),
}
_EDITORS_ONLY = _("Only an editor can publish, schedule, withdraw or unpublish releases.")
NO_PERMISSION = {
    Step.EDIT: _("You may not change releases."),
    Step.SUBMIT: _("You may not change releases."),
    Step.RETURN_TO_DRAFT: _("You may not change releases."),
    Step.RESTORE: _("You may not change releases."),
    Step.APPROVE: _EDITORS_ONLY,
    Step.SEND_BACK: _("Only an editor can review releases."),
    Step.APPROVE_AFTERWARDS: _("Only an editor can review releases."),
    Step.RESCHEDULE: _EDITORS_ONLY,
    Step.WITHDRAW: _EDITORS_ONLY,
    Step.UNPUBLISH: _EDITORS_ONLY,
    Step.PUBLISH_ALONE: _(
        "Publishing alone needs the permission “publish alone in an emergency”, which "
        "you do not hold. Another editor must approve this release."
    ),
    Step.DELETE: _("You may not delete releases."),
}


# States in which a release is public once its publication time has come.
PUBLIC_STATES = (Status.SCHEDULED, Status.PUBLISHED, Status.WITHDRAWN)
# States in which a preview link shows its release (a scheduled one until its time).
PREVIEW_STATES = (Status.DRAFT, Status.SUBMITTED, Status.SCHEDULED)


class Topic(models.Model):
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("The topic as readers see it, such as “Security policy”."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_("The topic's part of web addresses; letters, digits and hyphens."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(fields=["slug_en"], name="topic_unique_slug_en"),
            models.UniqueConstraint(fields=["slug_da"], name="topic_unique_slug_da"),
        ]

    def __str__(self):
        return self.name


class PressContact(models.Model):
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("Full name, or the name of a desk such as “Press duty”."),
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("For example “Press adviser”.")
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("For example “Ministry of Defence”."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=40,
        blank=True,
        validators=[validate_phone],
        help_text=_("With country code, such as +45 61 97 92 47."),
    )
    email = models.EmailField(_("email"), blank=True, help_text=_("A work address only."))
    is_duty_desk = models.BooleanField(
        _("duty desk"),
        default=False,
        help_text=_("Tick for a press duty desk that answers around the clock."),
    )

    class Meta:
        ordering = ["-is_duty_desk", "name"]
        verbose_name = _("press contact")
        verbose_name_plural = _("press contacts")

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class ReleaseQuerySet(models.QuerySet):
    def published(self, at=None):
        """The releases the public may see at ``at`` (default: now). The only such rule."""
        at = at or timezone.now()
        return self.filter(status__in=PUBLIC_STATES, published_at__lte=at)

    def ids_newest_first(self):
        """The ids of these releases in the order of ``for_listing``, read as one array (the
        ORM builds a tuple a row, three times as long for a whole list)."""
        sql, params = self.order_by().values("pk", "published_at").query.sql_with_params()
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                "SELECT array_agg(listed.pk ORDER BY listed.published_at DESC, listed.pk DESC) "
                f"FROM ({sql}) AS listed",
                params,
            )
            return cursor.fetchone()[0] or []

    def for_listing(self):
        """Newest first, for list entries (``includes/release_item.html``): one query.

        Only what an entry shows and what keeps it (``LISTED_FIELDS``): a row of a third of
        the columns, cheaper to read and to make a release of, twenty times a list page.
        """
        return self.order_by("-published_at", "-pk").only(*LISTED_FIELDS)

    def sharing_a_topic_with(self, release):
        """Releases with a topic in common with ``release``, other than itself, newest first.

        An EXISTS test rather than a join: PostgreSQL walks the newest releases and stops at
        the first few that match, instead of joining and de-duplicating every release.
        """
        shared = Release.topics.through.objects.filter(
            release_id=OuterRef("pk"), topic_id__in=[topic.pk for topic in release.topics.all()]
        )
        return (
            self.filter(Exists(shared)).exclude(pk=release.pk).order_by("-published_at", "-pk")
        ).defer("body", "body_en", "body_da")

    def filtered(self, kind=None, topic=None, year=None, mission=None):
        """Narrow by type, topic, year and mission; each may be absent.

        ``topic`` and ``mission`` are objects or slugs (a topic's in either language).
        """
        releases = self
        if kind:
            releases = releases.filter(kind=kind)
        if isinstance(topic, str):
            releases = releases.filter(Q(topics__slug_en=topic) | Q(topics__slug_da=topic))
        elif topic:
            releases = releases.filter(topics=topic)
        if isinstance(mission, str):
            releases = releases.filter(missions__slug=mission)
        elif mission:
            releases = releases.filter(missions=mission)
        if year:
            releases = releases.published_within(*_year_bounds(year))
        return releases

    def published_within(self, start, end):
        return self.filter(published_at__gte=start, published_at__lt=end)

    def search(self, text):
        """Releases that have every word of ``text``, in either language, best first."""
        from releases import search

        return search.strict(self, search.Terms.parse(text))

    def public_version(self, at=None):
        """What changes whenever what the public sees of releases changes: one query.

        The page cache keeps a page only while this stays the same.
        """
        sql, params = _version_statement(self.db)
        at = at or timezone.now()
        with prepared_cursor(self.db) as cursor:
            cursor.execute(sql, [at if param == _VERSION_MOMENT else param for param in params])
            return cursor.fetchone()

    def due(self, at=None):
        """Scheduled releases whose time has come but that the worker has not yet marked."""
        at = at or timezone.now()
        return self.filter(status=Status.SCHEDULED, published_at__lte=at)

    def with_rights_lapsed_since_edit(self, at=None):
        """Releases with an image whose rights ran out after the release was last saved."""
        at = at or timezone.now()
        return self.filter(
            images__rights_expire_at__lte=at, images__rights_expire_at__gt=F("updated_at")
        )

    def awaiting_go_live(self, at=None):
        """Public releases whose going live is not complete (not yet run, or a crash in it)."""
        return self.published(at).filter(
            status__in=(Status.SCHEDULED, Status.PUBLISHED), announced_at__isnull=True
        )


# The version is read on every cached page view, so its SQL is built once per
# database. It is two ordered LIMIT 1 subqueries, each answered from an index; one
# aggregate with a FILTER clause would scan every release instead.
_VERSION_MOMENT = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)


# What a list entry shows (type, state, title, address, lead and time), and what keeps it and
# the pages that show it (the last edit).
LISTED_FIELDS = (
    "kind",
    "status",
    "title_en",
    "title_da",
    "slug_en",
    "slug_da",
    "lead_en",
    "lead_da",
    "published_at",
    "updated_at",
)


class ReleaseManager(models.Manager.from_queryset(ReleaseQuerySet)):
    def get_queryset(self):
        # The search documents are large and read only by the database itself.
        return super().get_queryset().defer("search", "search_words")

    # The statements of public pages, compiled once and prepared: asked of the manager, not of
    # a queryset (which each call would build, to use only its database).
    def public_by_slug(self, slug, at=None, parts=()):
        """The releases the public may see at ``at`` whose slug in either language is
        ``slug``, newest first: the ORM's statement, compiled once per database (a release
        page rendered afresh spent more time compiling it than PostgreSQL running it).

        Each release found also says, for each of the related ``parts`` (names of fields
        such as "quotes" or "topics"), whether it has any (``has_<name>``), and carries its
        topics' ids (``topic_ids``): what a page needs before it fetches the parts.
        """
        sql, params = _slug_statement(self.db, tuple(parts))
        values = {_VERSION_MOMENT: at or timezone.now(), _SLUG: slug}
        return _run_for_releases(self.db, sql, [values.get(p, p) for p in params])

    def listed_by_ids(self, ids, at=None):
        """The releases of ``ids`` the public may see at ``at``, as list entries read them
        (``for_listing``), newest first: the ORM's statement, compiled once per database and
        number of ids, and prepared (see ``core/prepared.py``)."""
        if not ids:
            return []
        sql, params = _listing_statement(self.db, len(ids))
        values = {_VERSION_MOMENT: at or timezone.now()}
        # The ids were compiled as -1, -2, …: each stands for the id in its place.
        bound = [
            ids[-param - 1] if isinstance(param, int) and param < 0 else values.get(param, param)
            for param in params
        ]
        return _run_for_releases(self.db, sql, bound)

    def listed_page(self, bottom, count, kind="", topic=None, year=None, mission=None, at=None):
        """``published(at).filtered(...).for_listing()[bottom : bottom + count]``, the first
        pages of a list: compiled once per database, filters named and page, and prepared."""
        shape = (bool(kind), topic is not None, bool(year), mission is not None)
        sql, params = _page_statement(self.db, shape, bottom, count)
        values = {_VERSION_MOMENT: at or timezone.now(), _KIND: kind}
        if topic is not None:
            values[_TOPIC] = topic.pk
        if mission is not None:
            values[_MISSION] = mission.pk
        if year:
            values[_YEAR_START], values[_YEAR_END] = _year_bounds(year)
        return _run_for_releases(self.db, sql, [values.get(p, p) for p in params])

    def newest_listed(self, count, at=None):
        """The ``count`` newest releases the public may see at ``at``, as list entries read
        them (``for_listing``): the ORM's statement, compiled once per database and count, and
        prepared (home shows them on every render)."""
        sql, params = _newest_statement(self.db, count)
        values = {_VERSION_MOMENT: at or timezone.now()}
        return _run_for_releases(self.db, sql, [values.get(p, p) for p in params])

    def listed_for_mission(self, mission_id, at=None):
        """The releases about a mission the public may see at ``at``, as list entries read
        them, newest first: compiled once per database, and prepared (a mission's page)."""
        sql, params = _mission_statement(self.db)
        values = {_VERSION_MOMENT: at or timezone.now(), _MISSION: mission_id}
        return _run_for_releases(self.db, sql, [values.get(p, p) for p in params])

    def public_years(self, at=None):
        """The years that have releases the public may see at ``at``, newest first, in local
        time: two statements compiled once per database.

        The first and the latest year come from the time index's two ends; each year between
        is looked for with one probe of that index, all in one statement. (The years from the
        first to the latest, offered as filters, led readers to empty lists; reading every
        release's year took five times as long at 20,000 releases.)
        """
        at = at or timezone.now()
        sql, params = _bounds_statement(self.db)
        with prepared_cursor(self.db) as cursor:
            cursor.execute(sql, [at if param == _VERSION_MOMENT else param for param in params])
            first, last = cursor.fetchone()
        if first is None:
            return []
        first, last = timezone.localtime(first).year, timezone.localtime(last).year
        between = range(last - 1, first, -1)
        if not between:
            return sorted({first, last}, reverse=True)
        sql, params = _year_probe_statement(self.db)
        probes, bound = [], []
        for year in between:
            start, end = _year_bounds(year)
            values = {_VERSION_MOMENT: at, _YEAR_START: start, _YEAR_END: end}
            probes.append(f"SELECT {int(year)} WHERE EXISTS ({sql})")
            bound += [values.get(param, param) for param in params]
        # Not prepared: its text changes with the number of years.
        with connections[self.db].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(probes), bound)
            found = {row[0] for row in cursor.fetchall()}
        return sorted({first, last, *found}, reverse=True)

    def shown_version(self, shown, at=None):
        """The newest publication the public can see, and which of the releases ``shown`` it
        can still see as they are now: ``(stamp, ((pk, release.shown_state()), ...))``, one
        query.

        A page that shows those releases is kept while this stays the same.
        """
        sql, params = _shown_statement(self.db)
        at = at or timezone.now()
        values = {_VERSION_MOMENT: at, _SHOWN: list(shown)}
        with prepared_cursor(self.db) as cursor:
            cursor.execute(sql, [values.get(param, param) for param in params])
            stamp, pks, *states = cursor.fetchone()
        if pks is None:  # none of them public
            return stamp, ()
        return stamp, tuple(zip(pks, zip(*states, strict=True), strict=True))


@functools.cache
def _version_statement(alias):
    releases = Release.objects.using(alias)
    edited = releases.order_by("-updated_at").values("updated_at")[:1]
    newest = releases.published(_VERSION_MOMENT).order_by("-published_at")
    edited_sql, edited_params = edited.query.sql_with_params()
    newest_sql, newest_params = newest.values("published_at")[:1].query.sql_with_params()
    return f"SELECT ({edited_sql}), ({newest_sql})", (*edited_params, *newest_params)


@functools.cache
def _bounds_statement(alias):
    public = Release.objects.using(alias).published(_VERSION_MOMENT).values("published_at")
    first_sql, first_params = public.order_by("published_at")[:1].query.sql_with_params()
    last_sql, last_params = public.order_by("-published_at")[:1].query.sql_with_params()
    return f"SELECT ({first_sql}), ({last_sql})", (*first_params, *last_params)


@functools.cache
def _year_probe_statement(alias):
    releases = Release.objects.using(alias).published(_VERSION_MOMENT)
    in_year = releases.published_within(_YEAR_START, _YEAR_END).order_by().values("pk")[:1]
    return in_year.query.sql_with_params()


@functools.cache
def _listing_statement(alias, count):
    releases = Release.objects.using(alias).published(_VERSION_MOMENT).for_listing()
    return releases.filter(pk__in=list(range(-1, -count - 1, -1))).query.sql_with_params()


@functools.cache
def _newest_statement(alias, count):
    releases = Release.objects.using(alias).published(_VERSION_MOMENT).for_listing()
    return releases[:count].query.sql_with_params()


# Stands for the mission's id in the statement below (no id is negative).
_MISSION = -1


@functools.cache
def _mission_statement(alias):
    releases = Release.objects.using(alias).published(_VERSION_MOMENT).for_listing()
    return releases.filter(missions=_MISSION).query.sql_with_params()


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _microseconds(moment):
    """``moment`` in whole microseconds since 1970, as ``_EPOCH_MICROSECONDS`` reads a column."""
    return None if moment is None else (moment - _EPOCH) // datetime.timedelta(microseconds=1)


# A time column as whole microseconds since 1970: exact, as PostgreSQL keeps times to the
# microsecond and its epoch is numeric.
_EPOCH_MICROSECONDS = "(extract(epoch FROM {}) * 1000000)::bigint"


def _year_bounds(year):
    """The first moment of ``year`` and of the next, in local time."""
    start = datetime.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    return start, start.replace(year=year + 1)


# Stand for the filters' values in the statement below.
_KIND = "the type asked for"
_TOPIC = -2
_YEAR_START = datetime.datetime(2, 1, 1, tzinfo=datetime.UTC)
_YEAR_END = datetime.datetime(3, 1, 1, tzinfo=datetime.UTC)


@functools.cache
def _page_statement(alias, shape, bottom, count):
    kind, topic, year, mission = shape
    releases = Release.objects.using(alias).published(_VERSION_MOMENT)
    releases = releases.filtered(
        kind=_KIND if kind else None,
        topic=_TOPIC if topic else None,
        mission=_MISSION if mission else None,
    )
    if year:
        releases = releases.published_within(_YEAR_START, _YEAR_END)
    return releases.for_listing()[bottom : bottom + count].query.sql_with_params()


# The columns of each statement ``_run_for_releases`` ran, by its text (a statement compiled
# once): psycopg makes a cursor's description anew, a column at a time, each time it is asked.
_column_names = {}


def _run_for_releases(alias, sql, params):
    """The releases a statement compiled from the ORM finds, run prepared (see
    ``core/prepared.py``), each made from its row as unpickling makes a model: without
    ``__init__`` and its signals, which cost a list page of twenty releases a quarter of its
    rendering. Columns after the model's (annotations) are attributes too; fields the
    statement left out are read when asked for, as any deferred field."""
    with prepared_cursor(alias) as cursor:
        cursor.execute(sql, params)
        names = _column_names.get(sql)
        if names is None:
            names = _column_names[sql] = [column.name for column in cursor.description]
        rows = cursor.fetchall()
    found = []
    for row in rows:
        release = Release.__new__(Release)
        release._state = ModelState()
        release._state.db = alias
        release._state.adding = False
        release.__dict__.update(zip(names, row, strict=True))
        found.append(release)
    return found


# Stands for the list of releases a page shows in the statement below.
_SHOWN = "shown releases"


_SLUG = "the slug asked for"


@functools.cache
def _slug_statement(alias, parts):
    releases = Release.objects.using(alias).published(_VERSION_MOMENT)
    by_slug = releases.filter(Q(slug_en=_SLUG) | Q(slug_da=_SLUG)).order_by("-published_at", "-pk")
    if parts:
        has = {}
        for name in parts:
            field = Release._meta.get_field(name)
            model = field.remote_field.through if field.many_to_many else field.related_model
            has[f"has_{name}"] = Exists(model.objects.filter(release_id=OuterRef("pk")))
        topics = Release.topics.through.objects.filter(release_id=OuterRef("pk"))
        by_slug = by_slug.annotate(
            **has, topic_ids=ArraySubquery(topics.order_by().values("topic_id"))
        )
    return by_slug.query.sql_with_params()


@functools.cache
def _shown_statement(alias):
    public = Release.objects.using(alias).published(_VERSION_MOMENT)
    newest = public.order_by("-published_at").values("published_at")[:1]
    newest_sql, newest_params = newest.query.sql_with_params()
    # The shown releases are passed as one array of ids, and read in one scan of them: the
    # ORM's statement for their ids, its select list replaced by one array per column.
    shown = public.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [_SHOWN])).order_by()
    shown_sql, shown_params = shown.values("pk").query.sql_with_params()
    table = connections[alias].ops.quote_name(Release._meta.db_table)
    select = f'SELECT {table}."id" AS "pk" FROM '
    assert shown_sql.startswith(select), shown_sql
    quote = connections[alias].ops.quote_name
    columns = ", ".join(
        f'array_agg({value.format(f"{table}.{quote(column)}")} ORDER BY {table}."id")'
        for column, value in (
            ("id", "{}"),
            ("updated_at", _EPOCH_MICROSECONDS),
            ("status", "{}"),
            ("published_at", _EPOCH_MICROSECONDS),
        )
    )
    return (
        f"SELECT ({newest_sql}), shown.* FROM (SELECT {columns} FROM {shown_sql[len(select) :]}) "
        "AS shown",
        (*newest_params, *shown_params),
    )


class Release(models.Model):
    kind = models.CharField(
        _("type"),
        max_length=20,
        choices=ReleaseKind.choices,
        default=ReleaseKind.PRESS_RELEASE,
        help_text=_("Shown as a label on the release."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    title = models.CharField(
        _("title"),
        max_length=250,
        help_text=_(
            "The headline. Leave a language empty if the release does not exist in that language."
        ),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=250,
        blank=True,
        help_text=_("The release's part of the web address. It cannot change once published."),
    )
    lead = models.TextField(
        _("lead"),
        blank=True,
        help_text=_(
            "One or two sentences that sum up the release; shown in lists, feeds and emails."
        ),
    )
    body = models.TextField(_("body"), blank=True, help_text=_("The full text."))
    dateline = models.CharField(
        _("dateline"),
        max_length=100,
        blank=True,
        help_text=_("Where the release comes from, such as “Baghdad”."),
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "When the release becomes public, in Copenhagen time. Set when it is "
            "published or scheduled."
        ),
    )
    event_start = models.DateTimeField(
        _("event starts"),
        null=True,
        blank=True,
        help_text=_("Press invitations only: when the event starts, in Copenhagen time."),
    )
    event_end = models.DateTimeField(
        _("event ends"),
        null=True,
        blank=True,
        help_text=_("Press invitations only: when the event ends."),
    )
    event_location = models.CharField(
        _("event place"),
        max_length=250,
        blank=True,
        help_text=_("Press invitations only: the address where the event takes place."),
    )
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="releases",
        verbose_name=_("topics"),
        help_text=_("Readers can filter and follow releases by topic."),
    )
    contacts = models.ManyToManyField(
        PressContact,
        through="ReleaseContact",
        blank=True,
        related_name="releases",
        verbose_name=_("press contacts"),
    )
    missions = models.ManyToManyField(
        "missions.Mission",
        blank=True,
        related_name="releases",
        verbose_name=_("missions"),
        help_text=_(
            "The missions abroad this release concerns; their fact boxes are shown on the release."
        ),
    )
    notify_subscribers = models.BooleanField(
        _("email subscribers"),
        default=True,
        help_text=_("Untick to publish without emailing subscribers."),
    )
    announced_at = models.DateTimeField(
        _("went live"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the worker completed its going live: marked published and handed to "
            "the subscriptions, in one transaction."
        ),
    )
    withdrawn_reason = models.TextField(
        _("reason for withdrawal"),
        blank=True,
        help_text=_("Shown on the page of a withdrawn release."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The full-text search document: each language's text with that language's
    # stemming, together; and the plain words of both, for typo suggestions. Triggers
    # in the database keep them (migration 0010), since they hold the quotes, topics,
    # captions and document titles too, which live in other tables: no save path can
    # leave them stale.
    search = SearchVectorField(null=True, editable=False)
    search_words = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    sent_back_at = models.DateTimeField(_("sent back"), null=True, blank=True, editable=False)
    approved_revision = models.ForeignKey(
        "ReleaseRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("approved revision"),
    )
    pending_revision = models.ForeignKey(
        "ReleaseRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("revision waiting for review"),
    )

    objects = ReleaseManager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        permissions = [
            ("publish_release", _("Can publish, schedule and withdraw releases")),
            (
                "publish_alone_release",
                _("Can publish alone in an emergency, without a second editor"),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "published_at"], name="release_visibility"),
            models.Index(fields=["updated_at"], name="release_updated"),
            # Lists page through releases newest first, ties by id: a deep page's ids are read
            # from this index alone (status included for the visibility rule), not by sorting
            # every release (see ``releases.views.NewestFirstPaginator``).
            models.Index(
                fields=["-published_at", "-id"], include=["status"], name="release_newest_first"
            ),
            # The same for a list of one type: a type's count, page or ids read from this
            # index, where every release was read (30–50 ms at 20,000 releases).
            models.Index(
                fields=["kind", "-published_at", "-id"],
                include=["status"],
                name="release_kind_newest_first",
            ),
            # The per-minute go-live sweep reads only the few releases not yet announced.
            models.Index(
                fields=["published_at"],
                condition=Q(announced_at__isnull=True),
                name="release_awaiting_go_live",
            ),
            GinIndex(fields=["search"], name="release_search"),
            GinIndex(fields=["title_en"], name="release_title_en_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(fields=["title_da"], name="release_title_da_trgm", opclasses=["gin_trgm_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATES) | Q(published_at__isnull=False),
                name="release_public_has_time",
            ),
            models.CheckConstraint(
                condition=Q(event_end__isnull=True)
                | Q(event_start__isnull=False, event_end__gte=F("event_start")),
                name="release_event_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["slug_en"], condition=~Q(slug_en=""), name="release_unique_slug_en"
            ),
            models.UniqueConstraint(
                fields=["slug_da"], condition=~Q(slug_da=""), name="release_unique_slug_da"
            ),
        ]

    def __str__(self):
        return self.title or self.title_da or self.title_en or f"#{self.pk}"

    def get_absolute_url(self):
        return reverse(
            "releases:detail", kwargs={"slug": self.slug or self.slug_en or self.slug_da}
        )

    def press_contacts(self):
        """The release's press contacts: the duty desk first, then in the editor's order."""
        links = sorted(self.release_contacts.all(), key=lambda link: not link.contact.is_duty_desk)
        return [link.contact for link in links]

    def languages(self):
        """The codes of the languages this release is written in."""
        return [code for code, _name in settings.LANGUAGES if getattr(self, f"title_{code}")]

    def shown_language(self, language=None):
        """The language the reader sees on the ``language`` site: itself, or one that exists."""
        language = language or get_language()
        available = self.languages()
        return language if language in available or not available else available[0]

    def is_public(self, at=None):
        at = at or timezone.now()
        return self.status in PUBLIC_STATES and self.published_at and self.published_at <= at

    def shown_state(self):
        """What a page that shows this release is kept by, as ``shown_version`` reads it: its
        last edit, status and publication time, the times in microseconds since 1970 (a
        check reads hundreds of these at once, and integers load at a tenth of the cost
        of times)."""
        return (_microseconds(self.updated_at), self.status, _microseconds(self.published_at))

    # The workflow. Each step records who and when in ReleaseEvent, and each save of
    # the content a ReleaseRevision. One rule, ``refusal``, says who may take which
    # step; the admin asks ``allowed_actions`` and every step below enforces it.
    #
    # Where the text lives: while a release is public or scheduled, its row and parts
    # hold exactly the approved revision, so that every public path (pages, search,
    # feeds, sitemap, emails) reads approved text through ``published()`` alone. A
    # change to such a release is kept only as a revision waiting for review, and
    # reaches the row when a second editor approves it. In the other states the row
    # holds the newest text, which nobody outside sees.

    def allowed_actions(self, user):
        """The workflow steps ``user`` may take on this release now."""
        return [step for step in Step.ALL if self.refusal(step, user) is None]

    def refusal(self, step, user):
        """Why ``user`` may not take ``step`` now, in their language; None if they may."""
        permissions = STEP_PERMISSIONS[step]
        if not (user.is_active and all(user.has_perm(name) for name in permissions)):
            return NO_PERMISSION[step]
        return getattr(self, "_refuse_" + step.replace("-", "_"))(user)

    def _refuse_edit(self, user):
        return None

    _refuse_restore = _refuse_edit

    def _refuse_submit(self, user):
        if self.status != Status.DRAFT:
            return _("Only a draft can be submitted for review.")
        if not self.languages():
            return _("Write a title in at least one language before you submit.")
        return self._untold()

    def _untold(self, revision=None):
        """Why the text cannot go out as it is, or None: a title alone (a headline with no
        lead or body in any language went out as a release). Asked of the row, and of
        ``revision`` (the one waiting for review, which an approval puts in the row). A
        language with a title but no text of its own shows the other's, marked as such."""
        texts = [lambda name: getattr(self, name)]
        if revision is not None:
            texts.append(lambda name: revision.content["fields"].get(name))
        for text in texts:
            if not any(
                (text(f"lead_{code}") or "").strip()
                or strip_tags(text(f"body_{code}") or "").strip()
                for code, _name in settings.LANGUAGES
            ):
                return _(
                    "Write a lead or a body before it goes out: a title alone says too little."
                )
        return None

    def _refuse_approve(self, user):
        if not self.waits_for_review():
            return _("Nothing in this release waits for review.")
        if user.pk in self.authors():
            return _(
                "You wrote or changed this text since it was last approved, or asked for "
                "its review, so another editor must approve it."
            )
        if not self.languages():
            return _("A release needs a title in at least one language.")
        return self._untold(self.pending_revision)

    def _refuse_send_back(self, user):
        if not self.waits_for_review():
            return _("Nothing in this release waits for review.")
        if user.pk in self.authors():
            return _(
                "You wrote or changed this text, so another editor reviews it. To take it "
                "back yourself, return it to draft or restore the approved revision."
            )
        return None

    def _refuse_publish_alone(self, user):
        if not self.waits_for_review():
            return _("Nothing in this release waits for review.")
        if not self.languages():
            return _("A release needs a title in at least one language.")
        return self._untold(self.pending_revision)

    def _refuse_approve_afterwards(self, user):
        revision = self.approved_revision
        if revision is None or not self.is_published_without_review():
            return _("This release was reviewed before it was published.")
        if user.pk in self.authors(revision):
            return _("You wrote or published this text, so another editor must approve it.")
        return None

    def _refuse_reschedule(self, user):
        if self.status != Status.SCHEDULED or self.is_public():
            return _("Only a scheduled release that is not yet public can be rescheduled.")
        return None

    def _refuse_return_to_draft(self, user):
        if self.status not in (Status.SUBMITTED, Status.UNPUBLISHED):
            return _("Only a release waiting for review or unpublished can go back to draft.")
        return None

    def _refuse_withdraw(self, user):
        if not self.is_public() or self.status == Status.WITHDRAWN:
            return _("Only a published release can be withdrawn.")
        return None

    def _refuse_unpublish(self, user):
        if self.status not in PUBLIC_STATES:
            return _("Only a published or scheduled release can be unpublished.")
        return None

    def _refuse_delete(self, user):
        if self.status not in (Status.DRAFT, Status.SUBMITTED) or self.was_public():
            return _(
                "A release that has been public, or is scheduled, cannot be deleted; "
                "unpublish or withdraw it instead."
            )
        own_draft = self.status == Status.DRAFT and self.created_by_id == user.pk
        if not own_draft and not user.has_perm("releases.publish_release"):
            return _("Press officers may delete only their own drafts.")
        return None

    def _require(self, condition, message):
        if not condition:
            raise ValidationError(message)

    def _check(self, step, user):
        reason = self.refusal(step, user)
        if reason is not None:
            raise PermissionDenied(reason)

    # Revisions

    def latest_revision(self):
        return self.revisions.order_by("-number").first()

    def last_reviewed_revision(self, before=None):
        """The newest revision a second editor approved (or approved before revisions)."""
        revisions = self.revisions.filter(approved_at__isnull=False)
        if before is not None:
            revisions = revisions.filter(number__lt=before.number)
        return revisions.order_by("-number").first()

    def authors(self, revision=None):
        """The people who may not approve ``revision`` (default: the one waiting).

        Whoever wrote or changed its text since the last reviewed revision, asked for
        its review, or published it alone.
        """
        revision = revision or self.pending_revision
        if revision is None:
            return set()
        reviewed = self.last_reviewed_revision(before=revision)
        rows = self.revisions.filter(
            number__gt=reviewed.number if reviewed else 0, number__lte=revision.number
        ).values_list("created_by_id", "published_alone_by_id")
        people = {person for row in rows for person in row}
        if revision.pk == self.pending_revision_id:
            people.add(self.submitted_by_id)
        return people - {None}

    def waits_for_review(self):
        """A revision waits (a release submitted before revisions were kept waits too)."""
        return self.pending_revision_id is not None or self.status == Status.SUBMITTED

    def is_published_without_review(self):
        revision = self.approved_revision
        return (
            self.status in PUBLIC_STATES
            and revision is not None
            and revision.approved_at is None
            and revision.published_alone_by_id is not None
        )

    def was_public(self):
        """Whether the public may ever have seen this release at its address."""
        return (
            self.is_public()
            or self.status == Status.UNPUBLISHED
            or self.events.filter(
                action__in=[
                    ReleaseEvent.Action.PUBLISHED,
                    ReleaseEvent.Action.WENT_LIVE,
                    ReleaseEvent.Action.PUBLISHED_ALONE,
                    ReleaseEvent.Action.WITHDRAWN,
                    ReleaseEvent.Action.UNPUBLISHED,
                ]
            ).exists()
        )

    def keep_baseline(self, by=None):
        """Make sure the text in the database is kept as a revision before anyone edits it.

        A release made before revisions were kept, or by code, gets one now; on a
        public release it counts as approved, since it is what the public sees.
        """
        public = self.status in PUBLIC_STATES
        # Whoever opens or reviews a release did not write what is already there.
        if public:
            author = self.created_by
        elif self.status == Status.SUBMITTED:
            author = self.created_by or self.submitted_by
        else:
            author = self.created_by or by
        revision = self.latest_revision()
        if revision is None:
            revision = self._add_revision(self._snapshot(), author)
        if public and self.approved_revision_id is None:
            if revision.content != self._snapshot():
                revision = self._add_revision(self._snapshot(), author)
            revision.approved_at = self.published_at or timezone.now()
            revision.save(update_fields=["approved_at"])
            self.approved_revision = revision
            Release.objects.filter(pk=self.pk).update(approved_revision=revision)
        if self.status == Status.SUBMITTED and self.pending_revision_id is None:
            self.pending_revision = revision
            Release.objects.filter(pk=self.pk).update(pending_revision=revision)
        return revision

    def stage_newest(self, by):
        """Before an edit: keep the baseline, and put the newest text in the row.

        Call it inside the transaction in which the edit is saved and ``record_edit``
        runs (or which is rolled back): on a public release the row holds the newest,
        unapproved text only within that transaction.
        """
        from releases import revisions

        self.keep_baseline(by)
        latest = self.latest_revision()
        if self.status in PUBLIC_STATES and latest.pk != self.approved_revision_id:
            revisions.apply(self, latest.content)

    def edit(self, by, change):
        """Change the newest text as ``by``, as the admin's form does: ``change(release)``
        saves what it changes. Kept as a revision; on a public or scheduled release the
        change waits for review. Returns the new revision, or None if nothing changed."""
        with transaction.atomic():
            self.stage_newest(by)
            change(self)
            return self.record_edit(by)

    def record_edit(self, by):
        """Keep the content just saved to the row as a new revision, if it changed.

        On a public or scheduled release the row goes back to the approved text at
        once (call this in the transaction that saved the edit, with
        ``stage_newest`` before it) and the change waits for a second editor.
        Returns the new revision, or None if nothing changed.
        """
        return self._propose(self._snapshot(), by, row_changed=True)

    def restore(self, revision, by):
        """Make an earlier revision's content the newest one; it is reviewed like any edit."""
        from releases import revisions

        self._check(Step.RESTORE, by)
        with transaction.atomic():
            if self.status not in PUBLIC_STATES:
                revisions.apply(self, revision.content)
            return self._propose(revision.content, by, restored_from=revision.number)

    def _propose(self, content, by, row_changed=False, restored_from=None):
        from releases import revisions

        with transaction.atomic():
            Release.objects.select_for_update().filter(pk=self.pk).first()
            latest = self.latest_revision()
            if latest is not None and latest.content == content:
                return None
            revision = self._add_revision(content, by, restored_from=restored_from)
            if self.status in PUBLIC_STATES:
                approved = self.approved_revision
                if approved is None:
                    raise RuntimeError("stage_newest() must run before a public release is edited")
                if row_changed:
                    # The public keeps the approved text until a second editor approves.
                    revisions.apply(self, approved.content)
                if content == approved.content:
                    self._close_review()
                elif self.pending_revision_id is None:
                    self._ask_review(revision, by)
                else:
                    self.pending_revision = revision
                    self.save(update_fields=["pending_revision"])
            elif self.status == Status.SUBMITTED:
                self.pending_revision = revision
                self.save(update_fields=["pending_revision"])
        return revision

    def _snapshot(self):
        from releases import revisions

        return revisions.snapshot(self)

    def _add_revision(self, content, by, restored_from=None):
        last = self.revisions.aggregate(last=Max("number"))["last"] or 0
        return ReleaseRevision.objects.create(
            release=self,
            number=last + 1,
            content=content,
            created_by=by,
            restored_from=restored_from,
        )

    def _ask_review(self, revision, by):
        self.pending_revision = revision
        self.submitted_by, self.submitted_at, self.sent_back_at = by, timezone.now(), None
        self._save_transition(by, ReleaseEvent.Action.CHANGE_SUBMITTED, revision=revision)

    def _close_review(self):
        self.pending_revision, self.sent_back_at = None, None
        self.save(update_fields=["pending_revision", "sent_back_at", "updated_at"])

    def _revision_of_row(self, by):
        """The revision holding the row's content, made now if the row changed outside."""
        self.keep_baseline(by)
        content = self._snapshot()
        latest = self.latest_revision()
        return latest if latest.content == content else self._add_revision(content, by)

    # Steps

    def submit(self, by):
        self._check(Step.SUBMIT, by)
        with transaction.atomic():
            revision = self._revision_of_row(by)
            self.status = Status.SUBMITTED
            self.pending_revision = revision
            self.submitted_by, self.submitted_at, self.sent_back_at = by, timezone.now(), None
            self._save_transition(by, ReleaseEvent.Action.SUBMITTED, revision=revision)

    def publish(self, by, at=None, notify=None, revision=None):
        """Approve the revision waiting for review; a second editor must do it (four eyes).

        A submitted release goes public now, or at ``at``. On a public release the
        change goes public now; on a scheduled one it goes live at its time, or at
        ``at`` if given. ``revision`` is the one the reviewer saw: if the text has
        changed since, nothing is approved.
        """
        self.keep_baseline(by)
        self._check(Step.APPROVE, by)
        pending = self.pending_revision
        if revision is not None and revision.pk != pending.pk:
            raise ValidationError(
                _(
                    "The text changed while you were reviewing it: revision %(number)s now "
                    "waits. Look at the new changes before you approve."
                ),
                params={"number": pending.number},
            )
        self._require(
            at is None
            or (self.status in (Status.SUBMITTED, Status.SCHEDULED) and not self.is_public()),
            _(
                "A change to a live release goes public when it is approved; it cannot "
                "be scheduled."
            ),
        )
        if notify is not None:
            self.notify_subscribers = notify
        with transaction.atomic():
            pending.approved_by, pending.approved_at = by, timezone.now()
            pending.save(update_fields=["approved_by", "approved_at"])
            action = self._make_public(pending, by, at)
            event = self._save_transition(by, action, revision=pending)
        signals.approved.send(sender=Release, release=self, by=by, event=event, revision=pending)

    def publish_alone(self, by, reason):
        """Publish the waiting revision without a second editor: emergencies only, flagged."""
        self.keep_baseline(by)
        self._check(Step.PUBLISH_ALONE, by)
        reason = (reason or "").strip()
        self._require(reason, _("Write why this cannot wait for a second editor."))
        pending = self.pending_revision
        with transaction.atomic():
            pending.published_alone_by = by
            pending.published_alone_at = timezone.now()
            pending.published_alone_reason = reason
            pending.save()
            self._make_public(pending, by, at=timezone.now())
            self._save_transition(
                by, ReleaseEvent.Action.PUBLISHED_ALONE, note=reason, revision=pending
            )

    def _make_public(self, revision, by, at):
        """Put the approved ``revision`` before the public; return the action it was."""
        from releases import revisions, tasks

        before = self.approved_revision.content if self.approved_revision else {}
        now = timezone.now()
        went_public = False
        if self.status in PUBLIC_STATES:
            revisions.apply(self, revision.content)
            action = ReleaseEvent.Action.CHANGE_APPROVED
            if at is not None and not self.is_public():
                went_public = True
                self.published_at = max(at, now)
                self.status = Status.SCHEDULED if at > now else Status.PUBLISHED
                if at <= now:
                    action = ReleaseEvent.Action.PUBLISHED
        else:
            # The row should hold this text already; putting it there makes sure that
            # nothing but the approved revision can become public.
            revisions.apply(self, revision.content)
            went_public = True
            if at is not None and at > now:
                self.status, self.published_at = Status.SCHEDULED, at
                action = ReleaseEvent.Action.SCHEDULED
            else:
                self.status, self.published_at = Status.PUBLISHED, now
                action = ReleaseEvent.Action.PUBLISHED
        self.approved_revision = revision
        self.pending_revision = None
        self.sent_back_at = None
        self._announce_corrections(before, revision.content, by)
        if went_public:
            transaction.on_commit(lambda: tasks.defer_go_live(self))
        return action

    def _announce_corrections(self, before, after, by):
        """Record and announce each correction that reaches the public with this approval."""
        known = {row["id"] for row in before.get("corrections", [])}
        for row in after.get("corrections", []):
            if row["id"] in known:
                continue
            correction = Correction.objects.filter(pk=row["id"]).first()
            if correction is None:
                continue
            ReleaseEvent.objects.create(
                release=self, by=by, action=ReleaseEvent.Action.CORRECTED, note=correction.text
            )
            signals.corrected.send(sender=Release, release=self, by=by, correction=correction)

    def send_back(self, by, comment, revision=None):
        """Return the waiting revision to its authors with the reviewer's comment."""
        self.keep_baseline(by)
        self._check(Step.SEND_BACK, by)
        comment = (comment or "").strip()
        self._require(comment, _("Write what should change; the author reads it."))
        pending = self.pending_revision
        if revision is not None and revision.pk != pending.pk:
            raise ValidationError(
                _(
                    "The text changed while you were reviewing it: revision %(number)s now "
                    "waits. Look at the new changes first."
                ),
                params={"number": pending.number},
            )
        if self.status == Status.SUBMITTED:
            self.status = Status.DRAFT
        self.pending_revision = None
        self.sent_back_at = timezone.now()
        self._save_transition(by, ReleaseEvent.Action.SENT_BACK, note=comment, revision=pending)

    def approve_afterwards(self, by):
        """A second editor's review of a release published alone; the flag goes."""
        self._check(Step.APPROVE_AFTERWARDS, by)
        revision = self.approved_revision
        revision.approved_by, revision.approved_at = by, timezone.now()
        with transaction.atomic():
            revision.save(update_fields=["approved_by", "approved_at"])
            self._save_transition(by, ReleaseEvent.Action.APPROVED_AFTERWARDS, revision=revision)

    def reschedule(self, by, at):
        """Move the time of a scheduled, approved release; a past or no time publishes now."""
        from releases import tasks

        self._check(Step.RESCHEDULE, by)
        now = timezone.now()
        if at is not None and at > now:
            self.published_at, action = at, ReleaseEvent.Action.SCHEDULED
        else:
            self.status, self.published_at = Status.PUBLISHED, now
            action = ReleaseEvent.Action.PUBLISHED
        self._save_transition(by, action, revision=self.approved_revision)
        # Embargo links lead to the public page for a while after the (new) time.
        self.preview_links.embargoed().update(
            expires_at=self.published_at + datetime.timedelta(days=PREVIEW_LINK_DAYS)
        )
        transaction.on_commit(lambda: tasks.defer_go_live(self))

    def withdraw(self, by, reasons):
        """Withdraw a public release; ``reasons`` maps language codes to the reason shown."""
        self._check(Step.WITHDRAW, by)
        reasons = {code: (text or "").strip() for code, text in reasons.items()}
        self._require(
            any(reasons.values()), _("Give the reason for the withdrawal; it is shown on the page.")
        )
        self.status = Status.WITHDRAWN
        for code, text in reasons.items():
            setattr(self, f"withdrawn_reason_{code}", text)
        note = " / ".join(text for text in reasons.values() if text)
        self._save_transition(by, ReleaseEvent.Action.WITHDRAWN, note=note)
        self.end_preview_links()

    def unpublish(self, by, reason):
        """Take a release away from the public; one that never was public becomes a draft."""
        from releases import revisions

        self._check(Step.UNPUBLISH, by)
        reason = (reason or "").strip()
        self._require(reason, _("Give the reason for unpublishing; it is kept in the history."))
        with transaction.atomic():
            was_public = self.was_public()
            latest = self.latest_revision()
            if latest is not None and self.approved_revision_id not in (None, latest.pk):
                # Nobody outside sees it any more: the row holds the newest text again.
                revisions.apply(self, latest.content)
            self.pending_revision = None
            if was_public:
                self.status = Status.UNPUBLISHED
                action = ReleaseEvent.Action.UNPUBLISHED
            else:
                self.status, self.published_at = Status.DRAFT, None
                action = ReleaseEvent.Action.UNSCHEDULED
            self._save_transition(by, action, note=reason)
        self.end_preview_links()

    def end_preview_links(self):
        """Revoke every preview link: a release taken back is shown to no one outside.

        (Preview links never show a withdrawn or unpublished release anyway; revoking
        keeps them dead if the release is later returned to draft.)
        """
        self.preview_links.filter(revoked=False).update(revoked=True)

    # Embargo: a scheduled release given early to accredited journalists

    def may_share_under_embargo(self, at=None):
        return self.status == Status.SCHEDULED and not self.is_public(at)

    @transaction.atomic
    def grant_embargo(self, journalists, by):
        """Give each accredited journalist not yet holding one a personal link; the new links.

        Each link works until the release is public and then leads to its public page
        (for as long as a preview link would); the journalists are not emailed here.
        """
        if not by.has_perm("releases.publish_release"):
            raise PermissionDenied(_("Only an editor can give releases under embargo."))
        # Two editors giving at once, or one unpublishing: each waits for the other here.
        locked = Release.objects.select_for_update().get(pk=self.pk)
        self._require(
            locked.may_share_under_embargo(),
            _("Only a scheduled release that is not yet public can be given under embargo."),
        )
        holding = set(
            self.preview_links.embargoed()
            .filter(revoked=False)
            .values_list("journalist_id", flat=True)
        )
        expires_at = locked.published_at + datetime.timedelta(days=PREVIEW_LINK_DAYS)
        links = [
            PreviewLink(
                release=self,
                journalist=journalist,
                note=str(journalist),
                created_by=by,
                expires_at=expires_at,
            )
            for journalist in journalists
            if journalist.is_accredited() and journalist.pk not in holding
        ]
        return PreviewLink.objects.bulk_create(links)

    def revoke_embargo(self, journalist=None):
        """End the embargo links of one journalist, or of all; how many were working."""
        links = self.preview_links.embargoed().filter(revoked=False)
        if journalist is not None:
            links = links.filter(journalist=journalist)
        return links.update(revoked=True)

    def return_to_draft(self, by):
        self._check(Step.RETURN_TO_DRAFT, by)
        self.status = Status.DRAFT
        self.pending_revision = None
        self.published_at = None
        # Published again later, it goes live again (to subscribers who have not had it).
        self.announced_at = None
        self._save_transition(by, ReleaseEvent.Action.RETURNED)

    def delete_by(self, by):
        """Delete a draft that was never public, if ``by`` may."""
        self._check(Step.DELETE, by)
        self.delete()

    def go_live(self):
        """Complete the release's going live, once; False if there was nothing to do.

        Marking a scheduled release published, recording it and announcing it
        (subscriptions queue their emails on the announcement) are one
        transaction: a worker killed or a database lost anywhere in it leaves
        nothing done, and the per-minute sweep (``awaiting_go_live``) completes
        it later. The row lock makes the job and the sweep take turns, and the
        second finds it announced.
        """
        with transaction.atomic():
            release = (
                Release.objects.select_for_update().awaiting_go_live().filter(pk=self.pk).first()
            )
            if release is None:
                return False
            release.announced_at = timezone.now()
            fields = {"announced_at": release.announced_at}
            if release.status == Status.SCHEDULED:
                release.status = fields["status"] = Status.PUBLISHED
                ReleaseEvent.objects.create(
                    release=release,
                    action=ReleaseEvent.Action.WENT_LIVE,
                    revision_id=release.approved_revision_id,
                )
            Release.objects.filter(pk=release.pk).update(**fields)
            signals.went_live.send(sender=Release, release=release, by=None)
        self.status, self.announced_at = release.status, release.announced_at
        return True

    def add_correction(self, by, notify=False, **fields):
        """Propose a dated correction notice to a public release, as ``by``.

        ``fields`` are the correction's text (``text`` or ``text_en``/``text_da``) and
        optionally its ``created_at``; ``notify`` emails it to those who got the
        release. Like any change of text it waits for a second editor: it is recorded
        and announced (``signals.corrected``) when that editor approves the revision.
        Returns the revision that holds it.
        """

        def add(release):
            Correction.objects.create(
                release=release, created_by=by, notify_subscribers=notify, **fields
            )

        return self.edit(by, add)

    def _save_transition(self, by, action, note="", revision=None):
        with transaction.atomic():
            self.save()
            event = ReleaseEvent.objects.create(
                release=self, action=action, by=by, note=note, revision=revision
            )
        signal = _ANNOUNCED.get(action)
        if signal is not None:
            signal.send(sender=Release, release=self, by=by, event=event, revision=revision)
        return event


class ReleaseContact(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="release_contacts")
    contact = models.ForeignKey(
        PressContact, on_delete=models.PROTECT, related_name="+", verbose_name=_("press contact")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("press contact")
        verbose_name_plural = _("press contacts")
        constraints = [
            models.UniqueConstraint(fields=["release", "contact"], name="release_contact_once"),
        ]

    def __str__(self):
        return str(self.contact)


class Quote(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="quotes")
    speaker = models.CharField(
        _("speaker"), max_length=200, help_text=_("The person quoted, such as “Jeppe Kofod”.")
    )
    role = models.CharField(
        _("role"),
        max_length=200,
        blank=True,
        help_text=_("Their role at the time, such as “Minister for Foreign Affairs”."),
    )
    text = models.TextField(_("quotation"), help_text=_("The words, without quotation marks."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self):
        return self.speaker


def upload_image(instance, filename):
    return f"releases/{instance.release_id}/images/{filename}"


def upload_document(instance, filename):
    return f"releases/{instance.release_id}/documents/{filename}"


class ReleaseImageQuerySet(models.QuerySet):
    def in_rights(self, at=None):
        """Images whose rights have not expired at ``at`` (default: now)."""
        at = at or timezone.now()
        return self.filter(Q(rights_expire_at__isnull=True) | Q(rights_expire_at__gt=at))

    def expired(self, at=None):
        """Images whose rights have run out by ``at`` (default: now)."""
        return self.filter(rights_expire_at__lte=at or timezone.now())

    def expiring(self, within, at=None):
        """Images whose rights run out after ``at`` and within ``within`` (a timedelta)."""
        at = at or timezone.now()
        return self.filter(rights_expire_at__gt=at, rights_expire_at__lte=at + within)

    def public(self, at=None):
        """Images the public may see and download: of public releases, rights not expired."""
        return self.in_rights(at).filter(release__in=Release.objects.published(at))


class ReleaseImage(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        _("image"),
        upload_to=upload_image,
        width_field="width",
        height_field="height",
        help_text=_(
            "JPEG, PNG or WebP. Location and camera data are removed on upload; the "
            "original stays downloadable for journalists."
        ),
    )
    alt = models.CharField(
        _("alternative text"),
        max_length=250,
        help_text=_("What the image shows, for readers who cannot see it. Required."),
    )
    caption = models.CharField(
        _("caption"), max_length=300, blank=True, help_text=_("Shown under the image.")
    )
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("For example “Photo: Ministry of Defence”."),
    )
    licence = models.ForeignKey(
        Licence,
        on_delete=models.PROTECT,
        related_name="images",
        verbose_name=_("licence"),
        default=default_licence,
        blank=True,
        help_text=_("The terms on which journalists may use the image."),
    )
    rights_expire_at = models.DateTimeField(
        _("rights expire"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty if the rights do not run out. From this moment the image is "
            "no longer shown or offered; its caption stays."
        ),
    )
    is_lead = models.BooleanField(
        _("lead image"), default=False, help_text=_("Shown at the top of the release and in lists.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False, default=0)
    expiry_notice_sent_at = models.DateTimeField(editable=False, null=True)
    renditions = models.JSONField(
        editable=False,
        default=list,
        help_text="[{'width': 640, 'format': 'webp', 'name': 'path/in/storage'}, ...]",
    )

    objects = ReleaseImageQuerySet.as_manager()

    class Meta:
        ordering = ["-is_lead", "order", "pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.UniqueConstraint(
                fields=["release"], condition=Q(is_lead=True), name="release_one_lead_image"
            ),
        ]
        indexes = [
            # Read on every view of the media library (how many have run out) and by the sweep.
            models.Index(
                fields=["rights_expire_at"],
                condition=Q(rights_expire_at__isnull=False),
                name="image_rights_expiry",
            ),
        ]

    def __str__(self):
        return self.alt

    def rights_expired(self, at=None):
        return self.rights_expire_at is not None and self.rights_expire_at <= (at or timezone.now())


class ReleaseDocument(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(
        _("file"),
        upload_to=upload_document,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, CSV or plain text."),
    )
    title = models.CharField(
        _("title"), max_length=250, help_text=_("As readers should see it, such as “Fact sheet”.")
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False, default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title

    def extension(self):
        """The file type as readers know it: PDF, DOCX, …"""
        return self.file.name.rsplit(".", 1)[-1].upper() if "." in self.file.name else ""


# Preview tokens are URL-safe base64 (see _new_token); nothing else is looked up.
_PREVIEW_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self, at=None):
        """Links neither revoked nor past their end at ``at`` (default: now)."""
        return self.filter(revoked=False, expires_at__gt=at or timezone.now())

    def for_token(self, token):
        """The usable link with this token, with its release; None for any other token."""
        if not isinstance(token, str) or not _PREVIEW_TOKEN.fullmatch(token):
            return None
        return self.usable().select_related("release", "journalist").filter(token=token).first()

    def plain(self):
        """Preview links an editor made by hand, for no one in particular."""
        return self.filter(journalist__isnull=True)

    def embargoed(self):
        """Personal embargo links, each for one accredited journalist."""
        return self.filter(journalist__isnull=False)


class PreviewLink(models.Model):
    """An unguessable, revocable link that shows an unpublished release to someone outside.

    It shows the release, text and media, while the release is not yet public; once it
    is public the link leads to its public address; after the link is revoked or has
    ended, or once the release is withdrawn or unpublished, it shows nothing of it.
    """

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="preview_links")
    token = models.CharField(max_length=64, unique=True, editable=False, default=_new_token)
    note = models.CharField(
        _("given to"),
        max_length=200,
        blank=True,
        help_text=_("Who the link is for, so it can be revoked later."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    expires_at = models.DateTimeField(
        _("works until"),
        default=_preview_link_expiry,
        help_text=_(
            "After this time the link shows nothing. Two weeks after it was made, "
            "unless you set another time."
        ),
    )
    revoked = models.BooleanField(
        _("revoked"),
        default=False,
        help_text=_(
            "Tick to make the link stop working. Withdrawing or unpublishing the "
            "release revokes its links."
        ),
    )

    journalist = models.ForeignKey(
        "Journalist",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="embargo_links",
        editable=False,
        verbose_name=_("journalist"),
    )
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True, editable=False)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "journalist"],
                condition=Q(revoked=False, journalist__isnull=False),
                name="one_working_embargo_link_per_journalist",
            )
        ]

    def __str__(self):
        return self.note or self.token[:8]

    def get_absolute_url(self):
        return reverse("releases:preview", kwargs={"token": self.token})

    def shows_release(self, at=None):
        """Whether the link shows its release now: usable, and the release not yet public."""
        at = at or timezone.now()
        if self.journalist_id is not None and not (
            # A personal embargo link: only a scheduled release, only while accredited.
            self.release.status == Status.SCHEDULED and self.journalist.is_accredited(at)
        ):
            return False
        return (
            not self.revoked
            and self.expires_at > at
            and self.release.status in PREVIEW_STATES
            and not self.release.is_public(at)
        )

    def record_open(self):
        """Log that the journalist of this embargo link opened it, now."""
        return self.opens.create()


class EmbargoOpen(models.Model):
    """One opening of a personal embargo link: who read the release early, and when."""

    link = models.ForeignKey(
        PreviewLink, on_delete=models.CASCADE, related_name="opens", verbose_name=_("link")
    )
    at = models.DateTimeField(_("opened"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("embargo link opening")
        verbose_name_plural = _("embargo link openings")

    def __str__(self):
        return f"{self.link.journalist} {self.at:%Y-%m-%d %H:%M:%S}"


class JournalistGroup(models.Model):
    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_("Such as “Defence correspondents” or “Nordic agencies”."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("journalist group")
        verbose_name_plural = _("journalist groups")

    def __str__(self):
        return self.name


class JournalistQuerySet(models.QuerySet):
    def accredited(self, at=None):
        """Journalists whose accreditation holds on the day of ``at`` (default: today)."""
        return self.filter(accredited_until__gte=_local_date(at))


def _local_date(at=None):
    return timezone.localdate(at or timezone.now())


class Journalist(models.Model):
    """An accredited journalist to whom editors may give releases before their time."""

    name = models.CharField(
        _("name"), max_length=200, help_text=_("Shown on every release page they open early.")
    )
    outlet = models.CharField(
        _("outlet"), max_length=200, help_text=_("The newspaper, agency or station.")
    )
    email = models.EmailField(
        _("email"), unique=True, help_text=_("Their personal embargo links are sent here.")
    )
    accredited_until = models.DateField(
        _("accredited until"),
        help_text=_("The last day of the accreditation. After it, their links show nothing."),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the emails they get, and of the page their link opens."),
    )
    groups = models.ManyToManyField(
        JournalistGroup,
        blank=True,
        related_name="journalists",
        verbose_name=_("groups"),
        help_text=_("Early access can be given to a whole group at once."),
    )

    objects = JournalistQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("journalist")
        verbose_name_plural = _("journalists")

    def __str__(self):
        return f"{self.name} ({self.outlet})" if self.outlet else self.name

    def is_accredited(self, at=None):
        return self.accredited_until >= _local_date(at)


class ReleaseEvent(models.Model):
    """One step in a release's workflow: who did what, and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned to draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        WENT_LIVE = "went-live", _("Went live at its scheduled time")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        UNPUBLISHED = "unpublished", _("Unpublished")
        CORRECTED = "corrected", _("Correction added")
        CHANGE_SUBMITTED = "change-submitted", _("Change submitted for review")
        SENT_BACK = "sent-back", _("Sent back")
        CHANGE_APPROVED = "change-approved", _("Change approved and public")
        PUBLISHED_ALONE = "published-alone", _("Published alone, without review")
        APPROVED_AFTERWARDS = "approved-afterwards", _("Approved after publication")
        UNSCHEDULED = "unscheduled", _("Unpublished before going live; back to draft")

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    revision = models.ForeignKey(
        "ReleaseRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("revision"),
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class Correction(models.Model):
    """A dated note an editor adds to a published release; shown on its page."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(
        _("correction"),
        help_text=_(
            "What was corrected, as readers should see it, such as “An earlier "
            "version gave the wrong date.”"
        ),
    )
    created_at = models.DateTimeField(
        _("date"), default=timezone.now, help_text=_("Shown with the note.")
    )
    notify_subscribers = models.BooleanField(
        _("notify subscribers"),
        default=False,
        help_text=_("Tick to email the correction to the subscribers who received the release."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("added by"),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d}: {self.text[:60]}"


class RevisionQuerySet(models.QuerySet):
    def showing(self, name):
        """Whether any revision shows the stored file ``name`` (an image, rendition or document)."""
        return self.filter(
            Q(content__images__contains=[{"image": name}])
            | Q(content__images__contains=[{"renditions": [{"name": name}]}])
            | Q(content__documents__contains=[{"file": name}])
        ).exists()


class ReleaseRevision(models.Model):
    """A release's content as it stood after one save: what review approves.

    ``content`` holds the translated fields, topics, missions, quotes, contacts,
    images, documents and corrections (see ``releases/revisions.py``).
    """

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    content = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    restored_from = models.PositiveIntegerField(_("restored from revision"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    published_alone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published alone by"),
    )
    published_alone_at = models.DateTimeField(_("published alone"), null=True, blank=True)
    published_alone_reason = models.TextField(_("reason for publishing alone"), blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["release", "number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["release", "number"], name="revision_number_once"),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True)
                | Q(published_alone_at__isnull=True)
                | Q(approved_by__isnull=False),
                name="revision_alone_then_approved_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.release} #{self.number}"

    def is_baseline(self):
        """Kept from a release that was public before revisions were kept."""
        return self.approved_at is not None and self.approved_by_id is None


# Workflow steps announced to other apps, by the action recorded for them.
_ANNOUNCED = {
    ReleaseEvent.Action.SUBMITTED: signals.submitted,
    ReleaseEvent.Action.CHANGE_SUBMITTED: signals.submitted,
    ReleaseEvent.Action.WITHDRAWN: signals.withdrawn,
    ReleaseEvent.Action.UNPUBLISHED: signals.unpublished,
    ReleaseEvent.Action.UNSCHEDULED: signals.unpublished,
    ReleaseEvent.Action.SENT_BACK: signals.sent_back,
    ReleaseEvent.Action.PUBLISHED_ALONE: signals.published_alone,
    ReleaseEvent.Action.APPROVED_AFTERWARDS: signals.approved_afterwards,
}


class SearchWord(models.Model):
    """A word of the public releases, with how many use it: what typo suggestions offer.

    Filled from the releases' ``search_words`` by ``releases.search.refresh_words()``.
    """

    word = models.CharField(max_length=200, primary_key=True)
    releases = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [GistIndex(fields=["word"], name="searchword_trgm", opclasses=["gist_trgm_ops"])]

    def __str__(self):
        return self.word
