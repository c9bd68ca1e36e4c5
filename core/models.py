"""The site-wide pressroom profile, image licences, and the forms the admin keeps as people type."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class PressroomProfile(models.Model):
    """The pressroom's title, its organisation, about text and contact details: one row."""

    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_(
            "Shown at the top of every page and email and in browser tabs, for example "
            "“News from the Ministry of Foreign Affairs of Denmark”."
        ),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        help_text=_(
            "The organisation's name as it reads in a sentence such as “releases from …”, "
            "for example “the Ministry of Foreign Affairs of Denmark” or "
            "“Udenrigsministeriet”. Emails are sent in this name."
        ),
    )
    about = models.TextField(
        _("about text"),
        blank=True,
        help_text=_("A few sentences about the pressroom, shown on the home and about pages."),
    )
    address = models.TextField(
        _("postal address"),
        blank=True,
        help_text=_("One line per address line."),
    )
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, help_text=_("The press office's main phone number.")
    )
    email = models.EmailField(
        _("email"), blank=True, help_text=_("The press office's main email address.")
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="profile/",
        blank=True,
        help_text=_("Shown beside the title in the header. SVG is not accepted; use PNG."),
    )

    class Meta:
        verbose_name = _("pressroom profile")
        verbose_name_plural = _("pressroom profile")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="pressroom_profile_singleton"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def load(cls):
        """The profile row, or an unsaved default before an editor has written one."""
        return cls.objects.filter(pk=1).first() or cls(
            pk=1, title=_("Pressroom"), organisation=_("Pressroom")
        )

    def sender_name(self):
        """The organisation's name standing alone, as emails are sent and releases published.

        It is stored as it reads within a sentence (“the Ministry …”), so it starts
        with a capital here.
        """
        return capfirst(str(self.organisation or self.title))

    def address_lines(self):
        return [line.strip() for line in self.address.splitlines() if line.strip()]


class AutosavedForm(models.Model):
    """What a person had typed in an admin form, kept on the server as they wrote it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    path = models.CharField(max_length=300, editable=False)  # the form's admin address
    # The form's fields as it would send them: [[name, value], ...], files left out.
    fields = models.JSONField(default=list, editable=False)
    saved_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("autosaved form")
        verbose_name_plural = _("autosaved forms")
        constraints = [
            models.UniqueConstraint(fields=["user", "path"], name="autosaved_once_per_form"),
        ]

    def __str__(self):
        return f"{self.user} {self.path} {self.saved_at:%Y-%m-%d %H:%M}"


class Licence(models.Model):
    """The terms on which an image may be used: a short list editors keep."""

    name = models.CharField(
        _("name"),
        max_length=150,
        help_text=_("As readers see it, such as “Free for editorial use with credit”."),
    )
    url = models.URLField(
        _("address"),
        blank=True,
        help_text=_("Where the full terms can be read, if anywhere."),
    )

    class Meta:
        # Kept from when licences were the releases' alone: only the model moved.
        db_table = "releases_licence"
        ordering = ["pk"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")

    def __str__(self):
        return self.name


def default_licence():
    """The licence an image has unless an editor chooses another: the oldest one."""
    pk = Licence.objects.order_by("pk").values_list("pk", flat=True).first()
    if pk is None:
        pk = Licence.objects.create(
            name_en="Free for editorial use with credit",
            name_da="Fri til redaktionel brug med kreditering",
        ).pk
    return pk
