from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    name = models.CharField(
        _("name"), max_length=200, help_text=_("For example “North Atlantic Treaty Organization”.")
    )
    acronym = models.CharField(
        _("acronym"), max_length=30, blank=True, help_text=_("For example “NATO”.")
    )

    class Meta:
        ordering = ["acronym", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.acronym or self.name


class Mission(models.Model):
    name = models.CharField(
        _("name"), max_length=200, help_text=_("For example “NATO Mission Iraq”.")
    )
    acronym = models.CharField(
        _("acronym"), max_length=30, blank=True, help_text=_("For example “NMI”.")
    )
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, help_text=_("The mission's part of web addresses.")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="missions",
        verbose_name=_("organisation"),
        help_text=_("The organisation conducting the mission."),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("The fact-box text: a few sentences on what the mission does."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("missions:detail", kwargs={"slug": self.slug})
