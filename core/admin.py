"""The translated admin base every app uses, and the admin of the pressroom profile."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from core.models import PressroomProfile


class TabbedTranslationAdmin(TranslationAdmin):
    """Translated fields grouped in English and Danish tabs, without any CDN script."""

    class Media:
        js = ("core/admin-translation-tabs.js",)
        css = {"all": ("core/admin-translation-tabs.css",)}


@admin.register(PressroomProfile)
class PressroomProfileAdmin(TabbedTranslationAdmin):
    fieldsets = [
        (None, {"fields": ["title", "organisation", "about", "logo"]}),
        (_("Contact"), {"fields": ["address", "phone", "email"]}),
    ]

    def has_add_permission(self, request):
        return not PressroomProfile.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
