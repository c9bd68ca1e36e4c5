from modeltranslation.translator import TranslationOptions, register

from releases.models import Correction, PressContact, Quote, Release, Topic


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name", "slug")


@register(PressContact)
class PressContactTranslation(TranslationOptions):
    fields = ("title", "organisation")


@register(Release)
class ReleaseTranslation(TranslationOptions):
    fields = ("title", "slug", "lead", "body", "dateline", "withdrawn_reason")


@register(Quote)
class QuoteTranslation(TranslationOptions):
    fields = ("role", "text")


@register(Correction)
class CorrectionTranslation(TranslationOptions):
    fields = ("text",)
