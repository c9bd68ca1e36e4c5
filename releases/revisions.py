"""A release's content as one JSON document: taken, put back, described and compared."""

import datetime
import difflib
import re
from html.parser import HTMLParser

from django.conf import settings
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator

from core.models import Licence, default_licence
from releases.html import sanitize
from releases.models import (
    Correction,
    PressContact,
    Quote,
    Release,
    ReleaseContact,
    ReleaseDocument,
    ReleaseImage,
    ReleaseKind,
    Topic,
)

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

# The release's own fields that make up its content. Status, times of publication,
# the subscriber switch and the withdrawal notice belong to the workflow, not the text.
RELEASE_FIELDS = [
    "kind",
    *(
        f"{name}_{code}"
        for name in ("title", "slug", "lead", "body", "dateline")
        for code in LANGUAGE_CODES
    ),
    "event_start",
    "event_end",
    *(f"event_location_{code}" for code in LANGUAGE_CODES),
]

# The parts of a release kept in a revision: key in the content → (model, related name).
PARTS = {
    "quotes": (Quote, "quotes"),
    "contacts": (ReleaseContact, "release_contacts"),
    "images": (ReleaseImage, "images"),
    "documents": (ReleaseDocument, "documents"),
    "corrections": (Correction, "corrections"),
}


def _part_fields(model):
    """The columns of a part that a revision keeps: all but the key, the release and
    the untranslated shadow of each translated field (the language columns hold the text)."""
    try:
        translated = set(translator.get_options_for_model(model).fields)
    except Exception:  # noqa: BLE001 (a model without translated fields)
        translated = set()
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name != "release" and field.name not in translated
    ]


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(release):
    """The release's content as it stands in the database, as plain JSON data."""
    content = {
        "fields": {name: _plain(getattr(release, name)) for name in RELEASE_FIELDS},
        "topics": sorted(release.topics.values_list("pk", flat=True)),
        "missions": sorted(release.missions.values_list("pk", flat=True)),
    }
    for key, (model, related) in PARTS.items():
        fields = _part_fields(model)
        content[key] = [
            {"id": part.pk, **{f.attname: _plain(getattr(part, f.attname)) for f in fields}}
            for part in getattr(release, related).order_by("pk")
        ]
    return content


def apply(release, content):
    """Make the release and its parts in the database hold ``content`` exactly.

    Parts keep their keys across revisions, so a part that comes back gets its old
    key (and whatever refers to it, such as deliveries of a correction, stays valid).
    Files are never deleted here: earlier revisions still show them.
    """
    changed = []
    for name, value in content["fields"].items():
        field = Release._meta.get_field(name)
        setattr(release, field.attname, field.to_python(value))
        changed.append(field.attname)
    # Not the time of the last change: putting a revision in place is no edit, and a form
    # opened on the staged text must find the row as it was (core/locking.py).
    release.save(update_fields=changed)
    release.topics.set(Topic.objects.filter(pk__in=content["topics"]))
    from missions.models import Mission

    release.missions.set(Mission.objects.filter(pk__in=content["missions"]))
    for key, (model, related) in PARTS.items():
        _apply_parts(release, model, getattr(release, related), content.get(key, []))


def _apply_parts(release, model, manager, wanted):
    fields = {f.attname: f for f in _part_fields(model)}
    wanted = [row for row in wanted if _refers_to_existing(model, row)]
    if model is ReleaseImage:
        # A licence deleted since keeps no image from coming back: it takes the default.
        licences = set(Licence.objects.values_list("pk", flat=True))
        for row in wanted:
            if row.get("licence_id") not in licences:
                row["licence_id"] = default_licence()
    keep = {row["id"] for row in wanted}
    manager.exclude(pk__in=keep).delete()
    # Free what unique constraints guard (one lead image, one row per contact)
    # before rows take their new values.
    if model is ReleaseImage:
        manager.update(is_lead=False)
    if model is ReleaseContact:
        manager.all().delete()
    existing = set(manager.values_list("pk", flat=True))
    for row in wanted:
        values = {
            name: field.to_python(row[name]) if not isinstance(field, FileField) else row[name]
            for name, field in fields.items()
            if name in row
        }
        if row["id"] in existing:
            model.objects.filter(pk=row["id"]).update(**values)
        else:
            model(pk=row["id"], release=release, **values).save(force_insert=True)


def _refers_to_existing(model, row):
    """A contact row only while its press contact exists (the shared list may lose one)."""
    if model is ReleaseContact:
        return PressContact.objects.filter(pk=row["contact_id"]).exists()
    return True


def files(content):
    """The names of every stored file a revision shows."""
    names = set()
    for image in content.get("images", []):
        names.add(image["image"])
        names.update(rendition["name"] for rendition in image.get("renditions", []))
    names.update(document["file"] for document in content.get("documents", []))
    return names - {""}


# Describing a revision as readers would read it


class _VisibleText(HTMLParser):
    """A body as a reader meets it, every tag the body may hold (``releases/html.py``) shown:
    one line per paragraph, heading, quotation line or list item; headings marked "## ",
    quotations "> ", items "• " or their number; **strong**, *emphasis*, ^(superscript) and
    _(subscript); and after a link's words the address it leads to, [→ address]. A reviewer
    who compares two of these sees every change a reader would see, a link's address too."""

    MARKS = {"strong": ("**", "**"), "em": ("*", "*"), "sup": ("^(", ")"), "sub": ("_(", ")")}
    HEADINGS = {"h2": "## ", "h3": "### ", "h4": "#### "}
    BLOCKS = {"p", *HEADINGS}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.lists = []  # per open list: the next item's number, or None (bullets)
        self.links = []  # per open link: what follows its words
        self.quotes = 0
        self.item_opened = False

    def _line(self, marker=""):
        self.parts.append("\n" + "> " * self.quotes + marker)
        self.item_opened = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.MARKS:
            self.parts.append(self.MARKS[tag][0])
        elif tag == "a":
            href, title = attrs.get("href") or "", attrs.get("title") or ""
            self.links.append(f" [→ {href}{f' “{title}”' if title else ''}]" if href else "")
        elif tag == "li":
            number = self.lists[-1] if self.lists else None
            self._line("• " if number is None else f"{number}. ")
            # Its first paragraph (the editor writes one in each item) starts on its line.
            self.item_opened = True
            if number is not None:
                self.lists[-1] += 1
        elif tag in ("ul", "ol"):
            start = attrs.get("start") or ""
            if tag == "ol":
                self.lists.append(int(start) if start.isdigit() else 1)
            else:
                self.lists.append(None)
            kind = [f"{name}={attrs[name]}" for name in ("type", "data-type") if attrs.get(name)]
            self._line(f"[{', '.join(kind)}]" if tag == "ol" and kind else "")
        elif tag == "blockquote":
            self.quotes += 1
            self._line()
        elif tag == "br":
            self._line()
        elif tag == "hr":
            self._line("———")
            self._line()
        elif tag in self.BLOCKS:
            if self.item_opened:
                self.parts.append(self.HEADINGS.get(tag, ""))
            else:
                self._line(self.HEADINGS.get(tag, ""))

    def handle_endtag(self, tag):
        if tag in self.MARKS:
            self.parts.append(self.MARKS[tag][1])
        elif tag == "a" and self.links:
            self.parts.append(self.links.pop())
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._line()
        elif tag == "blockquote" and self.quotes:
            self.quotes -= 1
            self._line()
        elif tag in self.BLOCKS or tag == "li":
            self._line()

    def handle_data(self, data):
        self.parts.append(data)
        if data.strip():
            self.item_opened = False


def visible_text(markup):
    """A body without its tags, as a reader meets it, its formatting and links marked (see
    ``_VisibleText``), one block per line: read through the sanitiser, as the public page
    shows it, whatever path stored it."""
    if not markup:
        return ""
    parser = _VisibleText()
    parser.feed(sanitize(markup))
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line.strip("> "))


def _date(value):
    from core.templatetags.core import shown_time

    return shown_time(datetime.datetime.fromisoformat(value)) if value else ""


def _named(model, ids, code):
    objects = {obj.pk: obj for obj in model.objects.filter(pk__in=ids)}
    names = []
    for pk in ids:
        obj = objects.get(pk)
        if obj is None:
            names.append(str(_("(deleted)")))
        else:
            names.append(getattr(obj, f"name_{code}", "") or str(obj))
    return ", ".join(names)


def _ordered(rows):
    return sorted(rows, key=lambda row: (row.get("order", 0), row["id"]))


def _contacts(content):
    rows = _ordered(content.get("contacts", []))
    contacts = PressContact.objects.in_bulk([row["contact_id"] for row in rows])
    return "\n".join(str(contacts.get(row["contact_id"], _("(deleted)"))) for row in rows)


def _quotes(content, code):
    lines = []
    for quote in _ordered(content.get("quotes", [])):
        text = quote.get(f"text_{code}") or ""
        role = quote.get(f"role_{code}") or ""
        if text or role:
            speaker = ", ".join(part for part in (quote.get("speaker", ""), role) if part)
            lines.append(f"“{text}” – {speaker}")
    return "\n".join(lines)


def _images(content, code):
    lines = []
    default_licence_pk = Licence.objects.order_by("pk").values_list("pk", flat=True).first()
    for image in sorted(
        content.get("images", []),
        key=lambda row: (not row.get("is_lead"), row.get("order", 0), row["id"]),
    ):
        name = image["image"].rsplit("/", 1)[-1]
        words = [image.get(f"{key}_{code}") or "" for key in ("alt", "caption", "credit")]
        line = " – ".join([name, *(word for word in words if word)])
        if image.get("is_lead"):
            line += f" ({_('lead image')})"
        # The rights, only where an editor chose them: a reviewer sees what was decided.
        if image.get("licence_id") not in (None, default_licence_pk):
            line += f" ({_('licence')}: {_named(Licence, [image['licence_id']], code)})"
        if image.get("rights_expire_at"):
            line += f" ({_('rights expire')} {_date(image['rights_expire_at'])})"
        lines.append(line)
    return "\n".join(lines)


def _documents(content, code):
    return "\n".join(
        f"{document.get(f'title_{code}') or ''} ({document['file'].rsplit('/', 1)[-1]})"
        for document in _ordered(content.get("documents", []))
    )


def _corrections(content, code):
    rows = sorted(content.get("corrections", []), key=lambda row: (row["created_at"], row["id"]))
    return "\n".join(
        f"{_date(row['created_at'])}: {row.get(f'text_{code}') or ''}"
        for row in rows
        if row.get(f"text_{code}")
    )


def _kind(value):
    try:
        return str(ReleaseKind(value).label)
    except ValueError:
        return value or ""


def _field(content, name):
    return content["fields"].get(name) or ""


# What a revision shows, in the order of the form: (key, label, per language?, text of).
SECTIONS = [
    ("kind", _("type"), False, lambda c, code: _kind(_field(c, "kind"))),
    ("title", _("title"), True, lambda c, code: _field(c, f"title_{code}")),
    ("slug", _("slug"), True, lambda c, code: _field(c, f"slug_{code}")),
    ("lead", _("lead"), True, lambda c, code: _field(c, f"lead_{code}")),
    ("body", _("body"), True, lambda c, code: visible_text(_field(c, f"body_{code}"))),
    ("dateline", _("dateline"), True, lambda c, code: _field(c, f"dateline_{code}")),
    ("event_start", _("event starts"), False, lambda c, code: _date(_field(c, "event_start"))),
    ("event_end", _("event ends"), False, lambda c, code: _date(_field(c, "event_end"))),
    (
        "event_location",
        _("event place"),
        True,
        lambda c, code: _field(c, f"event_location_{code}"),
    ),
    ("topics", _("topics"), True, lambda c, code: _named(Topic, c.get("topics", []), code)),
    ("missions", _("missions"), True, lambda c, code: _missions(c, code)),
    ("quotes", _("quotes"), True, _quotes),
    ("contacts", _("press contacts"), False, lambda c, code: _contacts(c)),
    ("images", _("images"), True, _images),
    ("documents", _("documents"), True, _documents),
    ("corrections", _("corrections"), True, _corrections),
]


def _missions(content, code):
    from missions.models import Mission

    return _named(Mission, content.get("missions", []), code)


def describe(content):
    """[(key, label, language name or "", text)] for every part of ``content`` with text."""
    return [row for row in _rows(content) if row[3]]


def _rows(content):
    languages = dict(settings.LANGUAGES)
    for key, label, translated, text_of in SECTIONS:
        if translated:
            for code in LANGUAGE_CODES:
                yield (f"{key}_{code}", label, languages[code], text_of(content, code))
        else:
            yield (key, label, "", text_of(content, None))


def compare(old, new):
    """[(label, language name, old text, new text, inline diff as HTML)] of what differs."""
    old_rows = {row[0]: row for row in _rows(old)} if old else {}
    changes = []
    for key, label, language, text in _rows(new):
        before = old_rows[key][3] if key in old_rows else ""
        if before != text:
            changes.append((label, language, before, text, inline_diff(before, text)))
    return changes


# A word with the spaces after it: changed words next to each other read as one change.
_TOKEN = re.compile(r"\S+\s*|\s+")


def inline_diff(old, new):
    """The new text with removed words in <del> and added words in <ins>, escaped.

    Words are compared without the spaces after them (a line's last word, followed by more
    words, is still the same word); a line break after a word still counts."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(
        None, [t.rstrip(" ") for t in a], [t.rstrip(" ") for t in b], autojunk=False
    )
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
        if op == "equal":
            out.append(escape("".join(b[j1:j2])))
    return mark_safe("".join(out))
