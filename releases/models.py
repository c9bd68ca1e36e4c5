"""Releases and what belongs to them, with the one rule of what the public may see."""

import datetime
import functools
import re
import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models, transaction
from django.db.models import Exists, F, Max, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.phones import validate_phone
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

    def for_listing(self):
        """Newest first, with the topics a list entry shows fetched in one more query.

        A list entry shows no body, so the bodies and their search vectors are left behind.
        """
        return (
            self.order_by("-published_at", "-pk")
            .defer("body", "body_en", "body_da")
            .prefetch_related("topics")
        )

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
            start = datetime.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
            releases = releases.filter(
                published_at__gte=start, published_at__lt=start.replace(year=year + 1)
            )
        return releases

    def search(self, text):
        """Releases that have every word of ``text``, in either language, best first."""
        from releases import search

        return search.strict(self, search.Terms.parse(text))

    def years(self):
        """The years from the first release to the latest, newest first, in local time."""
        bounds = self.aggregate(first=Min("published_at"), last=Max("published_at"))
        if bounds["first"] is None:
            return []
        first, last = (timezone.localtime(bounds[key]).year for key in ("first", "last"))
        return list(range(last, first - 1, -1))

    def public_version(self, at=None):
        """What changes whenever what the public sees of releases changes: one query.

        The page cache keeps a page only while this stays the same.
        """
        sql, params = _version_statement(self.db)
        at = at or timezone.now()
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [at if param == _VERSION_MOMENT else param for param in params])
            return cursor.fetchone()

    def due(self, at=None):
        """Scheduled releases whose time has come but that the worker has not yet marked."""
        at = at or timezone.now()
        return self.filter(status=Status.SCHEDULED, published_at__lte=at)

    def awaiting_go_live(self, at=None):
        """Public releases whose going live is not complete (not yet run, or a crash in it)."""
        return self.published(at).filter(
            status__in=(Status.SCHEDULED, Status.PUBLISHED), announced_at__isnull=True
        )


# The version is read on every cached page view, so its SQL is built once per
# database. It is two ordered LIMIT 1 subqueries, each answered from an index; one
# aggregate with a FILTER clause would scan every release instead.
_VERSION_MOMENT = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)


class ReleaseManager(models.Manager.from_queryset(ReleaseQuerySet)):
    def get_queryset(self):
        # The search documents are large and read only by the database itself.
        return super().get_queryset().defer("search", "search_words")


@functools.cache
def _version_statement(alias):
    releases = Release.objects.using(alias)
    edited = releases.order_by("-updated_at").values("updated_at")[:1]
    newest = releases.published(_VERSION_MOMENT).order_by("-published_at")
    edited_sql, edited_params = edited.query.sql_with_params()
    newest_sql, newest_params = newest.values("published_at")[:1].query.sql_with_params()
    return f"SELECT ({edited_sql}), ({newest_sql})", (*edited_params, *newest_params)


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

    objects = ReleaseManager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        permissions = [("publish_release", _("Can publish, schedule and withdraw releases"))]
        indexes = [
            models.Index(fields=["status", "published_at"], name="release_visibility"),
            models.Index(fields=["updated_at"], name="release_updated"),
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

    # The workflow. Each transition records who and when in ReleaseEvent.

    def submit(self, by):
        self._require(self.status in (Status.DRAFT,), _("Only a draft can be submitted."))
        self.status = Status.SUBMITTED
        self.submitted_by = by
        self._save_transition(by, ReleaseEvent.Action.SUBMITTED)

    def publish(self, by, at=None, notify=None):
        """Publish now, or schedule for ``at``; a second person must do it (four eyes)."""
        self._require_publisher(by)
        self._require(
            self.status in (Status.SUBMITTED, Status.SCHEDULED),
            _("Only a release submitted for review can be published."),
        )
        self._require(
            bool(self.languages()), _("A release needs a title in at least one language.")
        )
        now = timezone.now()
        if notify is not None:
            self.notify_subscribers = notify
        if at is not None and at > now:
            self.status = Status.SCHEDULED
            self.published_at = at
            action = ReleaseEvent.Action.SCHEDULED
        else:
            self.status = Status.PUBLISHED
            self.published_at = now
            action = ReleaseEvent.Action.PUBLISHED
        self._save_transition(by, action)
        from releases import tasks

        transaction.on_commit(lambda: tasks.defer_go_live(self))

    def withdraw(self, by, reasons):
        """Withdraw a public release; ``reasons`` maps language codes to the reason shown."""
        self._require_publisher(by)
        self._require(self.is_public(), _("Only a published release can be withdrawn."))
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

    def unpublish(self, by):
        self._require_publisher(by)
        self._require(
            self.status in PUBLIC_STATES,
            _("Only a published or scheduled release can be unpublished."),
        )
        self.status = Status.UNPUBLISHED
        self._save_transition(by, ReleaseEvent.Action.UNPUBLISHED)
        self.end_preview_links()

    def end_preview_links(self):
        """Revoke every preview link: a release taken back is shown to no one outside.

        (Preview links never show a withdrawn or unpublished release anyway; revoking
        keeps them dead if the release is later returned to draft.)
        """
        self.preview_links.filter(revoked=False).update(revoked=True)

    def return_to_draft(self, by):
        self._require(
            self.status in (Status.SUBMITTED, Status.SCHEDULED, Status.UNPUBLISHED),
            _("This release is already a draft or is public."),
        )
        if self.status == Status.SCHEDULED:
            self._require_publisher(by)
        self.status = Status.DRAFT
        self.published_at = None
        # Published again later, it goes live again (to subscribers who have not had it).
        self.announced_at = None
        self._save_transition(by, ReleaseEvent.Action.RETURNED)

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
                ReleaseEvent.objects.create(release=release, action=ReleaseEvent.Action.WENT_LIVE)
            Release.objects.filter(pk=release.pk).update(**fields)
            signals.went_live.send(sender=Release, release=release, by=None)
        self.status, self.announced_at = release.status, release.announced_at
        return True

    def add_correction(self, by, notify=False, **fields):
        """Add a dated correction notice to a public release, record it and announce it.

        ``fields`` are the correction's text (``text`` or ``text_en``/``text_da``) and
        optionally its ``created_at``; ``notify`` emails it to those who got the release.
        """
        with transaction.atomic():
            correction = Correction.objects.create(
                release=self, created_by=by, notify_subscribers=notify, **fields
            )
            ReleaseEvent.objects.create(
                release=self, by=by, action=ReleaseEvent.Action.CORRECTED, note=correction.text
            )
            # In the same transaction: the emails are queued with the correction, or not at all.
            signals.corrected.send(sender=Release, release=self, by=by, correction=correction)
        return correction

    def _require(self, condition, message):
        if not condition:
            raise ValidationError(message)

    def _require_publisher(self, by):
        if not by.has_perm("releases.publish_release"):
            raise PermissionDenied(
                _("Only an editor can publish, schedule, withdraw or unpublish releases.")
            )
        if self.submitted_by_id is not None and self.submitted_by_id == by.pk:
            raise PermissionDenied(
                _("You submitted this release, so another editor must publish it.")
            )

    def _save_transition(self, by, action, note=""):
        with transaction.atomic():
            self.save()
            ReleaseEvent.objects.create(release=self, action=action, by=by, note=note)
        signal = _ANNOUNCED.get(action)
        if signal is not None:
            signal.send(sender=Release, release=self, by=by)


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
    is_lead = models.BooleanField(
        _("lead image"), default=False, help_text=_("Shown at the top of the release and in lists.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    renditions = models.JSONField(
        editable=False,
        default=list,
        help_text="[{'width': 640, 'format': 'webp', 'name': 'path/in/storage'}, ...]",
    )

    class Meta:
        ordering = ["-is_lead", "order", "pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.UniqueConstraint(
                fields=["release"], condition=Q(is_lead=True), name="release_one_lead_image"
            ),
        ]

    def __str__(self):
        return self.alt


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
        return self.usable().select_related("release").filter(token=token).first()


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

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")

    def __str__(self):
        return self.note or self.token[:8]

    def get_absolute_url(self):
        return reverse("releases:preview", kwargs={"token": self.token})

    def shows_release(self, at=None):
        """Whether the link shows its release now: usable, and the release not yet public."""
        at = at or timezone.now()
        return (
            not self.revoked
            and self.expires_at > at
            and self.release.status in PREVIEW_STATES
            and not self.release.is_public(at)
        )


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


# Workflow steps announced to other apps, by the action recorded for them.
_ANNOUNCED = {
    ReleaseEvent.Action.SUBMITTED: signals.submitted,
    ReleaseEvent.Action.WITHDRAWN: signals.withdrawn,
    ReleaseEvent.Action.UNPUBLISHED: signals.unpublished,
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
