"""Phone numbers checked and written in international form (+45 61 97 92 47) with phonenumbers."""

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A number written without a country code is taken as Danish.
DEFAULT_REGION = "DK"


def parse(text):
    """The number ``text`` stands for, or a ValidationError saying what is wrong."""
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _(
                "“%(text)s” is not a phone number. Write it with its country code, such as "
                "+45 61 97 92 47."
            ),
            code="phone",
            params={"text": text},
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(text)s” is not a valid phone number. Check the digits and the country code."),
            code="phone",
            params={"text": text},
        )
    return number


def validate_phone(text):
    if text:
        parse(text)


def international(text):
    """``61979247`` → ``+45 61 97 92 47``; an empty text stays empty."""
    if not text:
        return ""
    return phonenumbers.format_number(parse(text), phonenumbers.PhoneNumberFormat.INTERNATIONAL)


class PhoneNumberField(forms.CharField):
    """A form field that accepts a phone number as people write it and keeps it international."""

    def clean(self, value):
        return international(super().clean(value))
