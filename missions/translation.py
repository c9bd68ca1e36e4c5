from modeltranslation.translator import TranslationOptions, register

from missions.models import (
    CommandPeriod,
    Contribution,
    Figure,
    LegalBasis,
    Mission,
    Organisation,
)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name",)


@register(Mission)
class MissionTranslation(TranslationOptions):
    fields = ("name", "summary", "description", "image_alt", "image_caption", "image_credit")


@register(LegalBasis)
class LegalBasisTranslation(TranslationOptions):
    fields = ("title",)


@register(CommandPeriod)
class CommandPeriodTranslation(TranslationOptions):
    fields = ("commander_rank",)


@register(Contribution)
class ContributionTranslation(TranslationOptions):
    fields = ("description",)


@register(Figure)
class FigureTranslation(TranslationOptions):
    fields = ("source",)
