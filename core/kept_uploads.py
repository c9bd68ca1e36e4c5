"""Files chosen in an admin form that failed validation, kept on the server for the next save.

A browser cannot fill a file input again, so when a save is refused for any reason
each file that passed its own checks is stored under ``kept/<user>/`` and the form
shows it as “Kept: name, size — remove”. A signed token in the form names it; only
the person who chose it can use it, and only for the same input, within
``MAX_AGE``. The next save uses it as if it had just been chosen. ``kept/`` is never
served, and files older than ``MAX_AGE`` are deleted by ``sweep()``.
"""

import datetime
import mimetypes
import posixpath
import secrets

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

FOLDER = "kept"
MAX_AGE = datetime.timedelta(hours=24)
TOKEN_SUFFIX = "__kept"
REMOVE_SUFFIX = "__remove"
_SALT = "pressroom.kept-upload"


class KeptUpload(UploadedFile):
    """A kept file, offered to a form as though it had just been uploaded."""

    def __init__(self, token, storage_name, original_name):
        file = default_storage.open(storage_name, "rb")
        super().__init__(
            file=file,
            name=original_name,
            content_type=mimetypes.guess_type(original_name)[0] or "application/octet-stream",
            size=default_storage.size(storage_name),
        )
        self.token = token
        self.storage_name = storage_name


def keep(upload, user, input_name):
    """Store ``upload`` for ``user``'s next save of ``input_name``; return its token."""
    sweep()
    original = posixpath.basename(upload.name) or "file"
    upload.seek(0)
    storage_name = default_storage.save(
        f"{FOLDER}/{user.pk}/{secrets.token_hex(16)}-{get_valid_filename(original) or 'file'}",
        upload,
    )
    upload.seek(0)
    return signing.dumps(
        {"user": user.pk, "input": input_name, "name": storage_name, "original": original},
        salt=_SALT,
    )


def restore(token, user, input_name):
    """The kept file a token names, if it is ``user``'s, for this input and still fresh."""
    try:
        kept = signing.loads(token, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if kept["user"] != user.pk or kept["input"] != input_name:
        return None
    if not default_storage.exists(kept["name"]):
        return None
    return KeptUpload(token, kept["name"], kept["original"])


def discard(upload):
    upload.close()
    default_storage.delete(upload.storage_name)


def sweep(now=None):
    """Delete kept files older than ``MAX_AGE``; return how many."""
    cutoff = (now or timezone.now()) - MAX_AGE
    deleted = 0
    try:
        users, _files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    for user in users:
        for name in default_storage.listdir(f"{FOLDER}/{user}")[1]:
            if default_storage.get_modified_time(f"{FOLDER}/{user}/{name}") < cutoff:
                default_storage.delete(f"{FOLDER}/{user}/{name}")
                deleted += 1
    return deleted


class KeptFileInput(AdminFileWidget):
    """The admin's file input, followed by the file kept from the last attempt."""

    def __init__(self, kept, attrs=None):
        super().__init__(attrs)
        self.kept = kept

    def use_required_attribute(self, initial):
        return False

    def render(self, name, value, attrs=None, renderer=None):
        remove_id = f"id_{name}{REMOVE_SUFFIX}"
        return format_html(
            '{}<p class="kept-upload">{} <strong>{}</strong>, {} – '
            '<input type="checkbox" name="{}" id="{}"> <label for="{}">{}</label>'
            '<input type="hidden" name="{}" value="{}"><span class="help">{}</span></p>',
            super().render(name, value, attrs, renderer),
            _("Kept:"),
            self.kept.name,
            filesizeformat(self.kept.size),
            f"{name}{REMOVE_SUFFIX}",
            remove_id,
            remove_id,
            _("remove"),
            f"{name}{TOKEN_SUFFIX}",
            self.kept.token,
            _("It is saved with the form. Choose another file to use that one instead."),
        )


class _Kept:
    def __init__(self, token, name, size):
        self.token, self.name, self.size = token, name, size


def keep_form_uploads(form, user):
    """Keep every file of a refused ``form`` that passed its own checks, and show it kept."""
    if form.data.get(form.add_prefix("DELETE")):
        return
    for name, field in form.fields.items():
        if not isinstance(field, forms.FileField) or name in form.errors:
            continue
        input_name = form.add_prefix(name)
        upload = form.files.get(input_name)
        if upload is None:
            continue
        token = getattr(upload, "token", None) or keep(upload, user, input_name)
        field.widget = KeptFileInput(
            _Kept(token, posixpath.basename(upload.name), upload.size), field.widget.attrs
        )


class KeptUploadsAdminMixin:
    """Keeps the chosen files of a change form that is refused, and uses them on the next save."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        used = self._restore_kept_uploads(request) if request.method == "POST" else []
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if response.status_code in (301, 302, 303):
            for upload in used:
                discard(upload)
        return response

    def _restore_kept_uploads(self, request):
        used = []
        for key, token in request.POST.items():
            if not key.endswith(TOKEN_SUFFIX):
                continue
            input_name = key.removesuffix(TOKEN_SUFFIX)
            upload = restore(token, request.user, input_name)
            if upload is None:
                continue
            if input_name in request.FILES or request.POST.get(input_name + REMOVE_SUFFIX):
                discard(upload)  # replaced by a newly chosen file, or removed
                continue
            request.FILES[input_name] = upload
            used.append(upload)
        return used

    def render_change_form(self, request, context, *args, **kwargs):
        if request.method == "POST":
            if "adminform" in context:
                keep_form_uploads(context["adminform"].form, request.user)
            for inline in context.get("inline_admin_formsets", []):
                for form in inline.formset.forms:
                    keep_form_uploads(form, request.user)
        return super().render_change_form(request, context, *args, **kwargs)
