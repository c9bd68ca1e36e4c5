"""The translated admin base every app uses, and the admin of the pressroom profile and licences."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import images
from core.autosave import AutosaveAdminMixin
from core.content_policy import NonceMediaMixin
from core.inline_texts import InlineAddTextMixin
from core.kept_uploads import KeptUploadsAdminMixin
from core.locking import RowVersionAdminMixin, RowVersionFormMixin
from core.models import Licence, PressroomProfile
from core.one_language import OneLanguageModelForm, OneLanguageTranslationAdmin


class AdminModelForm(RowVersionFormMixin, OneLanguageModelForm):
    """The base of every translated admin form: one language is enough, no silent overwrite."""


class TabbedTranslationAdmin(
    NonceMediaMixin,
    AutosaveAdminMixin,
    InlineAddTextMixin,
    RowVersionAdminMixin,
    KeptUploadsAdminMixin,
    OneLanguageTranslationAdmin,
):
    """Translated fields written one language at a time, with one switch for the whole form."""

    form = AdminModelForm

    # Every image uploaded in these forms goes through the one image pipeline.
    formfield_overrides = {models.ImageField: {"form_class": images.ImageUploadField}}

    class Media:
        js = ("core/admin-writing-language.js", "core/admin-autosave.js")
        css = {"all": ("core/admin-writing-language.css",)}


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


class LicenceAdminForm(AdminModelForm):
    url = Licence._meta.get_field("url").formfield(assume_scheme="https")


@admin.register(Licence)
class LicenceAdmin(TabbedTranslationAdmin):
    form = LicenceAdminForm
    list_display = ["name", "url"]
