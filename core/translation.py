"""The profile's fields that are written in English and Danish."""

from modeltranslation.translator import TranslationOptions, register

from core.models import PressroomProfile


@register(PressroomProfile)
class PressroomProfileTranslation(TranslationOptions):
    fields = ("title", "organisation", "about")
