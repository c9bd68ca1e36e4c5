"""The public mission pages: the list with filters, a mission's page, and the data exports."""

import functools
import io
import json
import threading
from collections import OrderedDict

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from core.encoders import CsvDictWriter
from core.models import Licence
from core.prepared import prepared_cursor
from missions import exports
from missions.chart import personnel_chart
from missions.forms import MissionFilterForm
from missions.models import (
    DENMARK,
    CommandPeriod,
    Contribution,
    Figure,
    LegalBasis,
    Mission,
    Organisation,
    Participation,
)


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

    def get_object(self, queryset=None):
        """The mission with everything its page shows, kept by a digest of all of it."""
        found = _content_digest(self.kwargs["slug"])
        if found is None:
            raise Http404
        pk, digest = found
        key = (digest, get_language())
        with _kept_lock:
            kept = _kept.get(key)
            if kept is not None:
                _kept.move_to_end(key)
        if kept is None:
            kept = (super().get_object(self.queryset.filter(pk=pk)), {})
            with _kept_lock:
                _kept[key] = kept
                while len(_kept) > KEPT_PAGES:
                    _kept.popitem(last=False)
        self.kept_parts = kept[1]
        return kept[0]

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
            # Through the relation's model: missions sit below releases and import nothing
            # of theirs.
            releases=mission.releases.model.objects.listed_for_mission(mission.pk),
            datasets=exports.DATASETS,
            # The parts change with the day (what is current) and when the image's rights end.
            kept_parts=self.kept_parts.setdefault((today, mission.image_rights_expired()), {}),
        )
        return context


# Missions with everything their pages show, and those pages' parts as rendered
# (``{% kept %}``), by a digest of every row the page shows (the mission, its organisation,
# image licence, legal bases, command periods, participations, contributions with their
# mandates, and figures) and the language. The digest is read for each request, one query:
# an edit of any of them, even a bare UPDATE in another process, shows on the next request,
# so nothing here is ever stale and nothing needs forgetting. What is saved is the six
# queries that read the mission and most of the page's rendering (contributions, figures
# and the chart).
KEPT_PAGES = 200
_kept = OrderedDict()
_kept_lock = threading.Lock()


def _content_digest(slug):
    """(pk, digest of everything the mission's page shows) for the mission of this slug, or
    None."""
    with prepared_cursor() as cursor:
        cursor.execute(_digest_statement(), [slug])
        return cursor.fetchone()


@functools.cache
def _digest_statement():
    quote = connection.ops.quote_name

    def table(model):
        return quote(model._meta.db_table)

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    def rows(model, where, alias="x"):
        return (
            f"(SELECT string_agg({alias}::text, ',' ORDER BY {alias}.id) "
            f"FROM {table(model)} {alias} WHERE {where})"
        )

    mission = f"m.{quote('id')}"
    of_mission = {
        model: f"x.{column(model, 'mission')} = {mission}"
        for model in (LegalBasis, CommandPeriod, Participation)
    }
    return f"""
        SELECT {mission}, md5(concat_ws('|',
            m::text,
            (SELECT o::text FROM {table(Organisation)} o
             WHERE o.id = m.{column(Mission, "organisation")}),
            (SELECT l::text FROM {table(Licence)} l
             WHERE l.id = m.{column(Mission, "image_licence")}),
            {rows(LegalBasis, of_mission[LegalBasis])},
            {rows(CommandPeriod, of_mission[CommandPeriod])},
            {rows(Participation, of_mission[Participation])},
            (SELECT string_agg(c::text || '>' || coalesce(mandate::text, ''), ',' ORDER BY c.id)
             FROM {table(Contribution)} c
             LEFT JOIN {table(LegalBasis)} mandate
                ON mandate.id = c.{column(Contribution, "mandate")}
             WHERE c.{column(Contribution, "mission")} = {mission}),
            (SELECT string_agg(f::text, ',' ORDER BY f.id)
             FROM {table(Figure)} f JOIN {table(Contribution)} c
                ON c.id = f.{column(Figure, "contribution")}
             WHERE c.{column(Contribution, "mission")} = {mission})
        ))
        FROM {table(Mission)} m WHERE m.{column(Mission, "slug")} = %s
    """


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
