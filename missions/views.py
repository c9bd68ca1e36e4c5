"""The public mission pages: the list with filters, a mission's page, and the data exports."""

import hashlib
import io
import json
import threading
from collections import OrderedDict

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from core.encoders import CsvDictWriter
from missions import exports
from missions.chart import personnel_chart
from missions.forms import MissionFilterForm
from missions.models import DENMARK, Contribution, Mission


class MissionListView(ListView):
    def get_queryset(self):
        missions = Mission.objects.for_listing()
        # The field keeps its codes comma-separated in one column.
        host_countries = {
            code
            for codes in Mission.objects.order_by().values_list("host_countries", flat=True)
            for code in codes.split(",")
            if code
        }
        self.filter_form = MissionFilterForm(
            self.request.GET or None, host_countries=host_countries
        )
        return self.filter_form.filter(missions)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        missions = list(context["object_list"])
        context.update(
            filter_form=self.filter_form,
            current_missions=[m for m in missions if m.is_current(today)],
            ended_missions=[m for m in missions if not m.is_current(today)],
            is_filtered=bool(self.filter_form.is_bound and self.filter_form.has_changed()),
            datasets=exports.DATASETS,
        )
        return context


class MissionDetailView(DetailView):
    queryset = Mission.objects.select_related("organisation", "image_licence").prefetch_related(
        "legal_bases",
        "command_periods",
        "participations",
        Prefetch(
            "contributions",
            queryset=Contribution.objects.select_related("mandate").prefetch_related("figures"),
        ),
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mission = self.object
        today = timezone.localdate()
        danish = [c for c in mission.contributions.all() if c.country == DENMARK]
        mission.danish_contributions = danish
        context.update(
            current_contributions=[c for c in danish if c.is_current(today)],
            past_contributions=[c for c in danish if not c.is_current(today)],
            other_contributions=[c for c in mission.contributions.all() if c.country != DENMARK],
            # Drawn only when the page's kept parts are not at hand.
            chart=SimpleLazyObject(lambda: personnel_chart(danish, today)),
            releases=mission.releases.published().for_listing(),
            datasets=exports.DATASETS,
            kept_parts=_kept_parts(mission, today),
        )
        return context


# A mission page's parts as rendered (``{% kept %}``), by what they were rendered from:
# a digest of every field of the mission and of everything it shows of its own, read for
# each request as before, with the day and the language. A page whose mission reads the
# same is the same page, so the parts are never stale and need no forgetting; only the
# rendering is saved (most of the page's cost: contributions, figures and the chart).
KEPT_PAGES = 200
_kept = OrderedDict()
_kept_lock = threading.Lock()


def _kept_parts(mission, today):
    key = (_digest(mission), today, get_language(), mission.image_rights_expired())
    with _kept_lock:
        parts = _kept.get(key)
        if parts is None:
            parts = _kept[key] = {}
            while len(_kept) > KEPT_PAGES:
                _kept.popitem(last=False)
        else:
            _kept.move_to_end(key)
    return parts


def _digest(mission):
    """A digest of the mission's fields and of its organisation, image licence, legal bases,
    command periods, participations, contributions with their mandates and figures."""
    shown = [mission, mission.organisation, mission.image_licence]
    shown += mission.legal_bases.all()
    shown += mission.command_periods.all()
    shown += mission.participations.all()
    for contribution in mission.contributions.all():
        shown += [contribution, contribution.mandate, *contribution.figures.all()]
    text = repr(
        [
            (type(obj).__name__, [getattr(obj, f.attname) for f in obj._meta.concrete_fields])
            for obj in shown
            if obj is not None
        ]
    )
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def forget_kept_pages():
    with _kept_lock:
        _kept.clear()


@require_GET
def export(request, dataset, fmt):
    """A dataset as CSV or JSON; ``?mission=<slug>`` narrows it to one mission."""
    if dataset not in exports.DATASETS or fmt not in ("csv", "json"):
        raise Http404
    missions = Mission.objects.all()
    if "mission" in request.GET:
        missions = missions.filter(slug=request.GET["mission"])
        if not missions.exists():
            raise Http404
    rows = exports.rows(dataset, missions)
    filename = f"pressroom-{dataset}.{fmt}"
    if fmt == "json":
        body = json.dumps(
            {"dataset": dataset, "rows": rows}, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        out = io.StringIO()
        # The byte-order mark makes spreadsheet programs read the file as UTF-8.
        out.write("\ufeff")
        writer = CsvDictWriter(out, fieldnames=exports.COLUMNS[dataset])
        writer.writeheader()
        writer.writerows(rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
