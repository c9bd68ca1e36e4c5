from modeltranslation.translator import TranslationOptions, register

from releases.models import (
    Correction,
    PressContact,
    Quote,
    Release,
    ReleaseDocument,
    ReleaseImage,
    Topic,
)


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name", "slug")


@register(PressContact)
class PressContactTranslation(TranslationOptions):
    fields = ("name", "title", "organisation")


@register(Release)
class ReleaseTranslation(TranslationOptions):
    fields = ("title", "slug", "lead", "body", "dateline", "withdrawn_reason", "event_location")


@register(Quote)
class QuoteTranslation(TranslationOptions):
    fields = ("role", "text")


@register(Correction)
class CorrectionTranslation(TranslationOptions):
    fields = ("text",)


@register(ReleaseImage)
class ReleaseImageTranslation(TranslationOptions):
    fields = ("alt", "caption", "credit")


@register(ReleaseDocument)
class ReleaseDocumentTranslation(TranslationOptions):
    fields = ("title",)
