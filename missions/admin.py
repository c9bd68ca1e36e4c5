"""The missions admin: organisations, missions with their parts, contributions with figures."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import images
from core.admin import TabbedTranslationAdmin
from core.one_language import OneLanguageStackedInline, OneLanguageTabularInline
from missions.forms import CommandPeriodFormSet, FigureFormSet, MissionAdminForm
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


class LegalBasisInline(OneLanguageStackedInline):
    model = LegalBasis
    add_text = _("Add a legal basis")
    extra = 0
    formfield_overrides = URL_FIELDS


class CommandPeriodInline(OneLanguageTabularInline):
    model = CommandPeriod
    add_text = _("Add a command period")
    formset = CommandPeriodFormSet
    extra = 0


class ParticipationInline(admin.TabularInline):
    model = Participation
    add_text = _("Add a participating nation")
    extra = 0


class ContributionInline(OneLanguageStackedInline):
    model = Contribution
    add_text = _("Add a contribution")
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
    form = MissionAdminForm
    list_display = ["name", "acronym", "organisation", "established_on", "ended_on"]
    list_filter = ["organisation", "kind", "non_combat"]
    search_fields = ["name", "acronym", "slug"]
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
            {
                "fields": [
                    "image",
                    "image_alt",
                    "image_caption",
                    "image_credit",
                    "image_licence",
                    "image_rights_expire_at",
                ]
            },
        ),
    ]
    inlines = [LegalBasisInline, CommandPeriodInline, ParticipationInline, ContributionInline]

    def save_model(self, request, obj, form, change):
        if "image" not in form.changed_data:
            return super().save_model(request, obj, form, change)
        old_files = []
        if change:
            old = Mission.objects.get(pk=obj.pk)
            old_files = [old.image.name, *(r["name"] for r in old.image_renditions)]
        super().save_model(request, obj, form, change)
        obj.make_image_renditions()
        images.delete_files_on_commit(old_files)


class FigureInline(OneLanguageTabularInline):
    model = Figure
    add_text = _("Add a figure")
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
