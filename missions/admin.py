"""The missions admin: organisations, missions with their parts, contributions with figures."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from core.admin import TabbedTranslationAdmin
from missions.forms import CommandPeriodFormSet, FigureFormSet
from missions.models import (
    CommandPeriod,
    Contribution,
    Figure,
    LegalBasis,
    Mission,
    Organisation,
    Participation,
)


@admin.register(Organisation)
class OrganisationAdmin(TabbedTranslationAdmin):
    list_display = ["acronym", "name"]
    search_fields = ["acronym", "name"]


# Links typed without a scheme are taken as https, as Django 6 will do.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class LegalBasisInline(TranslationStackedInline):
    model = LegalBasis
    extra = 0
    formfield_overrides = URL_FIELDS


class CommandPeriodInline(TranslationTabularInline):
    model = CommandPeriod
    formset = CommandPeriodFormSet
    extra = 0


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0


class ContributionInline(TranslationStackedInline):
    model = Contribution
    extra = 0
    show_change_link = True
    fields = [
        "country",
        "kind",
        "description",
        "started_on",
        "started_precision",
        "ended_on",
        "ended_precision",
    ]
    verbose_name_plural = _("contributions (open one to edit its figures and mandate)")


@admin.register(Mission)
class MissionAdmin(TabbedTranslationAdmin):
    list_display = ["name", "acronym", "organisation", "established_on", "ended_on"]
    list_filter = ["organisation", "kind", "non_combat"]
    search_fields = ["name", "acronym", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "organisation", "summary", "description"]}),
        (
            _("Where, what and when"),
            {
                "fields": [
                    "host_countries",
                    "kind",
                    "non_combat",
                    ("established_on", "established_precision"),
                    ("ended_on", "ended_precision"),
                ]
            },
        ),
        (
            _("Lead image"),
            {"fields": ["image", "image_alt", "image_caption", "image_credit"]},
        ),
    ]
    inlines = [LegalBasisInline, CommandPeriodInline, ParticipationInline, ContributionInline]


class FigureInline(TranslationTabularInline):
    model = Figure
    formset = FigureFormSet
    extra = 1
    formfield_overrides = URL_FIELDS


@admin.register(Contribution)
class ContributionAdmin(TabbedTranslationAdmin):
    list_display = ["__str__", "mission", "started_on", "ended_on"]
    list_filter = ["mission", "kind"]
    list_select_related = ["mission"]
    fields = [
        "mission",
        "country",
        "kind",
        "description",
        ("started_on", "started_precision"),
        ("ended_on", "ended_precision"),
        "mandate",
    ]
    inlines = [FigureInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "mandate" in form.base_fields:
            form.base_fields["mandate"].queryset = obj.mission.legal_bases.all()
        return form
