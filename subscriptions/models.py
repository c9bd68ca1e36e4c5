import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.models import Release, ReleaseKind

# Bump when the wording next to the sign-up button changes; each subscriber
# keeps the version they agreed to.
CONSENT_VERSION = "2026-11"


def new_key():
    return secrets.token_urlsafe(12)


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    SUSPENDED = "suspended", _("Suspended after bounces")


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=SubscriberStatus.CONFIRMED)

    def matching(self, release):
        """Confirmed subscribers whose choices cover the release."""
        topics = Subscriber.topics.through.objects.filter(
            subscriber=OuterRef("pk"), topic__in=release.topics.values("pk")
        )
        missions = Subscriber.missions.through.objects.filter(
            subscriber=OuterRef("pk"), mission__in=release.missions.values("pk")
        )
        return self.confirmed().filter(
            Q(all_releases=True)
            | Q(kinds__contains=[release.kind])
            | Exists(topics)
            | Exists(missions)
        )

    def by_address(self, email):
        return self.filter(email__iexact=email.strip())


class Subscriber(models.Model):
    email = models.EmailField(_("email address"), max_length=254)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the emails."),
    )
    all_releases = models.BooleanField(
        _("all releases"),
        default=True,
        help_text=_("Every release; otherwise only the chosen types, topics and missions."),
    )
    kinds = ArrayField(
        models.CharField(max_length=20, choices=ReleaseKind.choices),
        verbose_name=_("types"),
        default=list,
        blank=True,
        help_text=_("Types of release followed."),
    )
    topics = models.ManyToManyField(
        "releases.Topic",
        blank=True,
        related_name="subscribers",
        verbose_name=_("topics"),
        help_text=_("Topics followed."),
    )
    missions = models.ManyToManyField(
        "missions.Mission",
        blank=True,
        related_name="subscribers",
        verbose_name=_("missions"),
        help_text=_("Missions followed."),
    )
    frequency = models.CharField(
        _("frequency"),
        max_length=20,
        choices=Frequency.choices,
        default=Frequency.IMMEDIATELY,
        help_text=_("Each release as it is published, or a daily or weekly digest."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
        editable=False,
    )
    # Part of every signed link; a new key makes all earlier links void.
    key = models.CharField(max_length=32, default=new_key, editable=False)
    consent_version = models.CharField(_("consent wording"), max_length=20, editable=False)
    consented_at = models.DateTimeField(_("consent given"), null=True, editable=False)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, editable=False)
    left_at = models.DateTimeField(_("left"), null=True, editable=False)
    hard_bounces = models.PositiveSmallIntegerField(_("hard bounces"), default=0, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        permissions = [("export_subscriber", _("Can export subscriber addresses"))]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="subscriber_unique_email"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(consented_at__isnull=False),
                name="subscriber_has_consent",
            ),
        ]
        indexes = [models.Index(fields=["status", "frequency"], name="subscriber_status")]

    def __str__(self):
        return self.email

    @classmethod
    def sign_up(cls, email, at=None, **choices):
        """The subscriber for ``email``, waiting for confirmation unless already confirmed.

        A confirmed address keeps its choices: only its owner may change them,
        through the signed link in their emails. ``at`` is when consent was given.
        """
        email = email.strip()
        with transaction.atomic():
            subscriber = cls.objects.select_for_update().by_address(email).first()
            if subscriber is None:
                subscriber = cls(email=email)
            elif subscriber.status == SubscriberStatus.CONFIRMED:
                return subscriber
            subscriber.start_over(at)
            subscriber.set_choices(**choices)
        return subscriber

    def set_choices(self, *, language, all_releases, kinds, topics, missions, frequency):
        self.language = language
        self.all_releases = all_releases
        self.kinds = [] if all_releases else list(kinds)
        self.frequency = frequency
        self.save()
        self.topics.set([] if all_releases else topics)
        self.missions.set([] if all_releases else missions)
        # Releases waiting for a digest follow the new frequency.
        self.deliveries.filter(status=DeliveryStatus.QUEUED).update(frequency=frequency)

    def start_over(self, at=None):
        """Back to waiting for confirmation, with new links (after leaving, or a lost email)."""
        if self.status in (SubscriberStatus.UNSUBSCRIBED, SubscriberStatus.SUSPENDED):
            self.key = new_key()
            self.left_at = None
        self.status = SubscriberStatus.PENDING
        self.consent_version = CONSENT_VERSION
        self.consented_at = at or timezone.now()
        self.hard_bounces = 0

    def confirm(self):
        if self.status == SubscriberStatus.PENDING:
            self.status = SubscriberStatus.CONFIRMED
            self.confirmed_at = timezone.now()
            self.save(update_fields=["status", "confirmed_at"])

    def unsubscribe(self):
        """Leave everything; the address is erased after the retention period."""
        if self.status != SubscriberStatus.UNSUBSCRIBED:
            self.status = SubscriberStatus.UNSUBSCRIBED
            self.left_at = timezone.now()
            self.save(update_fields=["status", "left_at"])
            self.deliveries.filter(status=DeliveryStatus.QUEUED).update(
                status=DeliveryStatus.CANCELLED
            )

    def record_hard_bounce(self):
        with transaction.atomic():
            subscriber = Subscriber.objects.select_for_update().get(pk=self.pk)
            subscriber.hard_bounces += 1
            if subscriber.hard_bounces >= settings.SUBSCRIBER_BOUNCE_LIMIT:
                subscriber.status = SubscriberStatus.SUSPENDED
            subscriber.save(update_fields=["hard_bounces", "status"])
        self.hard_bounces, self.status = subscriber.hard_bounces, subscriber.status

    def follows(self):
        """What the subscriber follows, as readable labels."""
        if self.all_releases:
            return [str(_("All releases"))]
        kinds = [str(ReleaseKind(kind).label) for kind in self.kinds]
        return kinds + [str(t) for t in self.topics.all()] + [str(m) for m in self.missions.all()]


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Delivery(models.Model):
    """One release, or one correction to it, for one subscriber: sent at most once."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="deliveries")
    correction = models.ForeignKey(
        "releases.Correction",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "release"],
                condition=Q(correction__isnull=True),
                name="delivery_once_per_release",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "correction"],
                condition=Q(correction__isnull=False),
                name="delivery_once_per_correction",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "frequency", "next_attempt_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="delivery_pending",
            ),
        ]

    def __str__(self):
        return f"{self.release_id} → {self.subscriber_id} ({self.status})"


class DeliveryReport(Release):
    """Releases seen from the subscriptions side: how many emails each has queued and sent."""

    class Meta:
        proxy = True
        verbose_name = _("delivery report")
        verbose_name_plural = _("delivery reports")

    @staticmethod
    def annotate(queryset):
        def count(status):
            return Count(
                "deliveries",
                filter=Q(deliveries__status=status, deliveries__correction__isnull=True),
            )

        return queryset.annotate(
            queued=count(DeliveryStatus.QUEUED) + count(DeliveryStatus.SENDING),
            sent=count(DeliveryStatus.SENT),
            failed=count(DeliveryStatus.FAILED),
        )
