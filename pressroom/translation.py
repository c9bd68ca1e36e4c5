from modeltranslation.translator import TranslationOptions, register

from pressroom.models import PressroomProfile


@register(PressroomProfile)
class PressroomProfileTranslation(TranslationOptions):
    fields = ("name", "about")
