"""Web addresses (slugs) made from titles: letters transliterated, clashes offered a free one."""

import itertools
import json
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Letters that Unicode does not decompose into a base letter and an accent, written as
# readers of the language spell them without it (Danish æ, ø, å in particular).
LETTERS = {
    "æ": "ae",
    "ø": "oe",
    "å": "aa",
    "ß": "ss",
    "þ": "th",
    "ð": "d",
    "đ": "d",
    "ł": "l",
    "œ": "oe",
    "ı": "i",
    "ŋ": "ng",
    "ħ": "h",
    "ŧ": "t",
}
LETTERS_JSON = json.dumps(LETTERS, ensure_ascii=False)


def slugify_title(text, max_length=250):
    """``Særlig udsending til Mellemøsten`` → ``saerlig-udsending-til-mellemoesten``."""
    text = "".join(LETTERS.get(letter, letter) for letter in (text or "").lower())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"['’]", "", text)  # “officer's draft” → officers-draft
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:max_length].rstrip("-")


def free_slug(queryset, field, slug, max_length):
    """The first of ``slug-2``, ``slug-3``, … that no row of ``queryset`` uses."""
    taken = set(
        queryset.filter(**{f"{field}__startswith": slug[: max_length - 4]}).values_list(
            field, flat=True
        )
    )
    for number in itertools.count(2):
        suffix = f"-{number}"
        candidate = slug[: max_length - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate


class SlugFormMixin:
    """Fills each slug from its title, here and in the browser, and refuses a clash readably.

    ``slug_sources`` maps each slug field to the fields it is made from (the first one
    filled in counts). A slug left empty
    is made from the title; one another row uses is refused with a message naming that
    row and a free alternative, which is filled in, so one more save takes it.
    """

    slug_sources = {}
    # Whether a filled-in address keeps following its title while it is typed (a draft's
    # does; a topic's or mission's, once it has one, stays as it is).
    slug_follows_title = False

    class Media:
        js = ("core/admin-slugs.js",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for slug, sources in self.slug_sources.items():
            ids = [self[source].auto_id for source in sources if source in self.fields]
            if slug in self.fields and ids:
                self.fields[slug].required = False  # made from the title when left empty
                self.fields[slug].widget.attrs.update(
                    {"data-slug-from": " ".join(ids), "data-slug-letters": LETTERS_JSON}
                )
                if self.slug_follows_title or self.instance.pk is None:
                    self.fields[slug].widget.attrs["data-slug-follows"] = "1"

    def clean(self):
        # Before the other checks, which should see the slug as it will be saved.
        cleaned = self.cleaned_data
        model = self._meta.model
        others = model._default_manager.exclude(pk=self.instance.pk)
        for slug, sources in self.slug_sources.items():
            if slug not in self.fields or slug in self.errors:
                continue
            max_length = model._meta.get_field(slug).max_length
            title = next((cleaned[name] for name in sources if cleaned.get(name)), "")
            value = cleaned.get(slug) or slugify_title(title, max_length)
            if not value:
                continue
            cleaned[slug] = value
            self._show(slug, value)
            clash = others.filter(**{slug: value}).first()
            if clash is not None:
                free = free_slug(others, slug, value, max_length)
                self._show(slug, free)
                self.add_error(
                    slug,
                    ValidationError(
                        _(
                            "The address “%(slug)s” is already used by “%(other)s”. "
                            "“%(free)s” is free and has been filled in: save again to use "
                            "it, or write another."
                        ),
                        code="taken",
                        params={"slug": value, "other": clash, "free": free},
                    ),
                )
        return super().clean()

    def _show(self, field, value):
        """Show ``value`` in the field if the form comes back, as it would be saved."""
        self.data = self.data.copy()
        self.data[self.add_prefix(field)] = value


class SlugModelForm(SlugFormMixin, forms.ModelForm):
    pass
