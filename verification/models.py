"""Each public version of a release, in each of its languages, as the pressroom signed it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.models import Release


class SignedVersionQuerySet(models.QuerySet):
    def current(self):
        """The newest version of each release and language: what its page shows now."""
        return self.filter(superseded_at__isnull=True)

    def containing(self, passages):
        """Versions whose words contain every passage (already normalised), word for word."""
        versions = self
        for passage in passages:
            versions = versions.filter(words__contains=passage)
        return versions


class SignedVersion(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="signed_versions")
    language = models.CharField(_("language"), max_length=8)
    number = models.PositiveIntegerField(_("version"))
    # The exact text that was signed: canonical JSON (keys sorted, no spaces, UTF-8).
    payload = models.TextField(_("signed document"))
    signature = models.CharField(_("signature"), max_length=200)
    key_id = models.CharField(_("key"), max_length=32)
    # What the version says, without its number and time: a change makes a new version.
    digest = models.CharField(max_length=64)
    # The words of title, lead, body, quotes and corrections, spaces normalised, for
    # finding a pasted passage.
    words = models.TextField()
    # The release's updated_at that this version was checked against.
    checked_at_update = models.DateTimeField()
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    objects = SignedVersionQuerySet.as_manager()

    class Meta:
        ordering = ["release", "language", "number"]
        verbose_name = _("signed version")
        verbose_name_plural = _("signed versions")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "language", "number"], name="signed_version_number_once"
            ),
            models.UniqueConstraint(
                fields=["release", "language"],
                condition=models.Q(superseded_at__isnull=True),
                name="signed_version_one_current",
            ),
        ]

    def __str__(self):
        return f"{self.release} ({self.language}) v{self.number}"

    def successor(self):
        """The newest version of the same release and language, if this one is superseded."""
        if self.superseded_at is None:
            return None
        return (
            SignedVersion.objects.filter(release_id=self.release_id, language=self.language)
            .order_by("-number")
            .first()
        )
