"""Autosave of admin forms: what a person types is kept on the server a few seconds after
they stop, and offered back when they return to the form.

A closed tab, a lost session or a crash loses at most those few seconds. The kept form
belongs to its writer alone; it is offered on the same form's page, restored only when
the person chooses to, forgotten when the form is saved, and deleted after ``MAX_AGE``.
Chosen files are not kept this way (see kept_uploads for files of a refused save).
"""

import datetime
import json

from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.views.decorators.http import require_http_methods

from core.models import AutosavedForm

MAX_AGE = datetime.timedelta(days=14)
MAX_FIELDS = 5000


def _valid_path(path):
    return isinstance(path, str) and path.startswith(reverse("admin:index")) and len(path) <= 300


@require_http_methods(["GET", "POST", "DELETE"])
def view(request):
    """GET ?path=: the kept form, if any; POST {path, fields}: keep it; DELETE ?path=: forget."""
    if request.method == "POST":
        try:
            sent = json.loads(request.body)
            path, fields = sent["path"], sent["fields"]
        except (ValueError, KeyError, TypeError):
            return HttpResponseBadRequest()
        if not _valid_path(path) or not _is_field_list(fields):
            return HttpResponseBadRequest()
        kept, _created = AutosavedForm.objects.update_or_create(
            user=request.user, path=path, defaults={"fields": fields, "saved_at": timezone.now()}
        )
        return JsonResponse({"shown": _shown(kept.saved_at)})
    path = request.GET.get("path", "")
    if not _valid_path(path):
        return HttpResponseBadRequest()
    kept = AutosavedForm.objects.filter(user=request.user, path=path)
    if request.method == "DELETE":
        kept.delete()
        return JsonResponse({})
    kept = kept.filter(saved_at__gte=timezone.now() - MAX_AGE).first()
    if kept is None:
        return JsonResponse({})
    return JsonResponse({"shown": _shown(kept.saved_at), "fields": kept.fields})


def _is_field_list(fields):
    return (
        isinstance(fields, list)
        and len(fields) <= MAX_FIELDS
        and all(
            isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(part, str) for part in pair)
            for pair in fields
        )
    )


def _shown(moment):
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return formats.time_format(local, "H:i")
    return formats.date_format(local, "j. F H:i")


def forget_old(now=None):
    """Delete kept forms older than ``MAX_AGE``; return how many."""
    cutoff = (now or timezone.now()) - MAX_AGE
    return AutosavedForm.objects.filter(saved_at__lt=cutoff).delete()[0]


class AutosaveAdminMixin:
    """Forgets the kept form once the form it belongs to has been saved."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if request.method == "POST" and response.status_code in (301, 302, 303):
            AutosavedForm.objects.filter(user=request.user, path=request.path).delete()
        return response
