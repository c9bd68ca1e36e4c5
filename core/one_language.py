"""Admin forms in which one language is enough for every translated field."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.translator import NotRegistered, translator

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def needs_one_language(model):
    """The model's translated fields that must be written in at least one language.

    A translated field the model does not allow to be blank is required in *some*
    language, never in a particular one: most of a Danish ministry's texts exist in
    Danish only, others in English only.
    """
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    return [name for name in options.all_fields if not model._meta.get_field(name).blank]


def require_one_language(form):
    """Add an error to every language version of a required field that is empty in all."""
    model = form._meta.model
    for name in needs_one_language(model):
        versions = {code: f"{name}_{code}" for code in LANGUAGE_CODES}
        shown = [field for field in versions.values() if field in form.fields]
        if not shown or any(field in form.errors for field in shown):
            continue
        written = [
            form.cleaned_data.get(field)
            if field in form.fields
            else getattr(form.instance, field, None)
            for field in versions.values()
        ]
        if any(str(value or "").strip() for value in written):
            continue
        error = ValidationError(
            _("Fill in “%(field)s” in at least one language; one is enough."),
            code="one-language",
            params={"field": model._meta.get_field(name).verbose_name},
        )
        for field in shown:
            form.add_error(field, error)


class OneLanguageModelForm(forms.ModelForm):
    """A model form whose required translated fields need one language, any one."""

    def clean(self):
        cleaned = super().clean()
        require_one_language(self)
        return cleaned


class OneLanguageAdminMixin:
    """Lets every language version of a translated field be left empty in the form.

    modeltranslation makes the default language required wherever the model field is
    required; here the form's ``clean()`` asks for one language instead.
    """

    form = OneLanguageModelForm

    def patch_translation_field(self, db_field, field, request, **kwargs):
        super().patch_translation_field(db_field, field, request, **kwargs)
        if getattr(db_field, "translated_field", None) is not None:
            field.required = False


class OneLanguageTranslationAdmin(OneLanguageAdminMixin, TranslationAdmin):
    pass


class OneLanguageStackedInline(OneLanguageAdminMixin, TranslationStackedInline):
    pass


class OneLanguageTabularInline(OneLanguageAdminMixin, TranslationTabularInline):
    pass
