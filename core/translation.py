"""The fields of the profile and the licences that are written in English and Danish."""

from modeltranslation.translator import TranslationOptions, register

from core.models import Licence, PressroomProfile


@register(PressroomProfile)
class PressroomProfileTranslation(TranslationOptions):
    fields = ("title", "organisation", "about")


@register(Licence)
class LicenceTranslation(TranslationOptions):
    fields = ("name",)
