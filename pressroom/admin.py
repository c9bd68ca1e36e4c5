from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from pressroom import images
from pressroom.inline_texts import InlineAddTextMixin
from pressroom.kept_uploads import KeptUploadsAdminMixin
from pressroom.models import PressroomProfile
from pressroom.one_language import OneLanguageTranslationAdmin


class TabbedTranslationAdmin(
    InlineAddTextMixin, KeptUploadsAdminMixin, OneLanguageTranslationAdmin
):
    """Translated fields written one language at a time, with one switch for the whole form."""

    # Every image uploaded in these forms goes through the one image pipeline.
    formfield_overrides = {models.ImageField: {"form_class": images.ImageUploadField}}

    class Media:
        js = ("pressroom/admin-writing-language.js",)
        css = {"all": ("pressroom/admin-writing-language.css",)}


@admin.register(PressroomProfile)
class PressroomProfileAdmin(TabbedTranslationAdmin):
    fieldsets = [
        (None, {"fields": ["name", "about", "logo"]}),
        (_("Contact"), {"fields": ["address", "phone", "email"]}),
    ]

    def has_add_permission(self, request):
        return not PressroomProfile.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
