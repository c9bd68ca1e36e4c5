"""The shapes of the API's answers: they render the data and describe it in the OpenAPI schema.

The data itself is built by ``opendata.representation``; these only name and type it.
"""

from rest_framework import serializers

from releases.models import ReleaseKind

STATUSES = ["published", "withdrawn"]


class TopicSerializer(serializers.Serializer):
    slug_en = serializers.CharField()
    slug_da = serializers.CharField()
    name_en = serializers.CharField()
    name_da = serializers.CharField()


class MissionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    acronym = serializers.CharField()
    name_en = serializers.CharField()
    name_da = serializers.CharField()


class ReleaseTextSerializer(serializers.Serializer):
    title = serializers.CharField()
    slug = serializers.CharField(help_text="The release's part of its address in this language.")
    lead = serializers.CharField()
    url = serializers.URLField(help_text="The release's public page in this language.")


class ReleaseFullTextSerializer(ReleaseTextSerializer):
    body_html = serializers.CharField(help_text="The body as safe HTML (the editor's subset).")
    body_text = serializers.CharField(help_text="The body as plain text, one paragraph a line.")
    dateline = serializers.CharField()
    event_location = serializers.CharField(help_text="Press invitations only; else empty.")
    withdrawn_reason = serializers.CharField(help_text="Empty unless the release was withdrawn.")


class ReleaseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ReleaseKind.values)
    status = serializers.ChoiceField(
        choices=STATUSES, help_text="A withdrawn release stays listed, with its reason."
    )
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=["en", "da"]),
        help_text="The languages the release is written in.",
    )
    en = ReleaseTextSerializer(allow_null=True, help_text="null: not written in English.")
    da = ReleaseTextSerializer(allow_null=True, help_text="null: not written in Danish.")
    topics = TopicSerializer(many=True)
    missions = MissionSerializer(many=True)
    api_url = serializers.URLField(help_text="This release's full record in the API.")


class QuoteSerializer(serializers.Serializer):
    speaker = serializers.CharField()
    role_en = serializers.CharField()
    role_da = serializers.CharField()
    text_en = serializers.CharField()
    text_da = serializers.CharField()


class ContactSerializer(serializers.Serializer):
    name_en = serializers.CharField()
    name_da = serializers.CharField()
    title_en = serializers.CharField()
    title_da = serializers.CharField()
    organisation_en = serializers.CharField()
    organisation_da = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    is_duty_desk = serializers.BooleanField()


class RenditionSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    format = serializers.CharField()


class LicenceSerializer(serializers.Serializer):
    name_en = serializers.CharField()
    name_da = serializers.CharField()
    url = serializers.CharField(help_text="Where the terms can be read; empty if nowhere.")


class ImageSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="The original, without location or camera data.")
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    is_lead = serializers.BooleanField()
    alt_en = serializers.CharField()
    alt_da = serializers.CharField()
    caption_en = serializers.CharField()
    caption_da = serializers.CharField()
    credit_en = serializers.CharField()
    credit_da = serializers.CharField()
    renditions = RenditionSerializer(many=True)
    licence = LicenceSerializer()
    download_url = serializers.URLField(
        help_text="The original with its credit and licence written into it (EXIF and XMP)."
    )
    rights_expire_at = serializers.DateTimeField(
        allow_null=True, help_text="When the image stops being offered; null if never."
    )


class DocumentSerializer(serializers.Serializer):
    url = serializers.URLField()
    title_en = serializers.CharField()
    title_da = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes.")
    file_type = serializers.CharField(help_text="PDF, DOCX, …")


class CorrectionSerializer(serializers.Serializer):
    date = serializers.DateTimeField()
    text_en = serializers.CharField()
    text_da = serializers.CharField()


class ReleaseDetailSerializer(ReleaseSummarySerializer):
    en = ReleaseFullTextSerializer(allow_null=True, help_text="null: not written in English.")
    da = ReleaseFullTextSerializer(allow_null=True, help_text="null: not written in Danish.")
    event_start = serializers.DateTimeField(allow_null=True)
    event_end = serializers.DateTimeField(allow_null=True)
    quotes = QuoteSerializer(many=True)
    contacts = ContactSerializer(many=True, help_text="The duty desk first.")
    images = ImageSerializer(many=True)
    documents = DocumentSerializer(many=True)
    corrections = CorrectionSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For each filter that could not be used, why.",
    )
