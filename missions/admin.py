from django.contrib import admin

from missions.models import Mission, Organisation
from pressroom.admin import TabbedTranslationAdmin


@admin.register(Organisation)
class OrganisationAdmin(TabbedTranslationAdmin):
    list_display = ["acronym", "name"]


@admin.register(Mission)
class MissionAdmin(TabbedTranslationAdmin):
    list_display = ["name", "acronym", "organisation"]
    prepopulated_fields = {"slug": ["name_en"]}
