import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignInFailureQuerySet(models.QuerySet):
    def expired(self, at=None):
        """Entries older than SIGN_IN_LOG_DAYS."""
        at = at or timezone.now()
        return self.filter(at__lt=at - datetime.timedelta(days=settings.SIGN_IN_LOG_DAYS))


class SignInFailure(models.Model):
    """One failed or refused attempt to sign in to the admin: the audit log editors read."""

    class Step(models.TextChoices):
        PASSWORD = "password", _("Wrong username or password")
        CODE = "code", _("Right password, wrong second-factor code or passkey")
        RECOVERY_CODE = "recovery-code", _("Right password, wrong recovery code")
        REFUSED = "refused", _("Refused: too many failures from this address")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    username = models.CharField(_("username typed"), max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    step = models.CharField(_("what failed"), max_length=20, choices=Step.choices)
    address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    objects = SignInFailureQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self):
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"
