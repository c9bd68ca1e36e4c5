from django.contrib import admin

from pressroom.admin import TabbedTranslationAdmin
from releases.media import ReleaseDocumentInline, ReleaseImageInline
from releases.models import PressContact, Release, Topic


@admin.register(Topic)
class TopicAdmin(TabbedTranslationAdmin):
    list_display = ["name"]


@admin.register(PressContact)
class PressContactAdmin(TabbedTranslationAdmin):
    list_display = ["name", "organisation", "phone", "is_duty_desk"]


@admin.register(Release)
class ReleaseAdmin(TabbedTranslationAdmin):
    list_display = ["title", "kind", "status", "published_at"]
    inlines = [ReleaseImageInline, ReleaseDocumentInline]
