from modeltranslation.translator import TranslationOptions, register

from missions.models import Mission, Organisation


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name",)


@register(Mission)
class MissionTranslation(TranslationOptions):
    fields = ("name", "summary")
