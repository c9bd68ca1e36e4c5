"""Open data: missions, command periods, contributions and figures as tidy tables.

One row per observation, codes rather than labels where a code exists (ISO
3166 alpha-2 and alpha-3 for countries), dates in ISO 8601 cut to their
precision, and translated text in one column per language.
"""

from django.utils import translation
from django_countries import countries

from missions.models import CommandPeriod, Contribution, Figure, Mission

LANGUAGES = ("en", "da")


def _country(prefix, code):
    code = str(code or "")
    return {
        f"{prefix}_alpha2": code,
        f"{prefix}_alpha3": countries.alpha3(code) if code else "",
        f"{prefix}_name_en": _in_english(lambda: countries.name(code)) if code else "",
    }


def _in_english(make):
    with translation.override("en"):
        return str(make())


def _translated(obj, name):
    return {f"{name}_{code}": getattr(obj, f"{name}_{code}") or "" for code in LANGUAGES}


def _dated(column, partial):
    """A date's two columns. Their names are the published ones, older than the field names."""
    return {column: partial.iso, f"{column}_precision": partial.precision if partial else ""}


def missions_rows(missions):
    """One row per mission and host country (a mission without one has one row)."""
    rows = []
    for mission in missions.select_related("organisation").order_by("slug"):
        base = {
            "mission": mission.slug,
            "mission_acronym": mission.acronym,
            **_translated(mission, "name"),
            "organisation_acronym": mission.organisation.acronym,
            "organisation_name_en": mission.organisation.name_en or "",
            "organisation_name_da": mission.organisation.name_da or "",
            "kind": mission.kind,
            "non_combat": mission.non_combat,
            **_dated("established", mission.established),
            **_dated("ended", mission.ended),
        }
        for code in mission.host_countries or [""]:
            rows.append({**base, **_country("host_country", code)})
    return rows


def command_periods_rows(missions):
    periods = CommandPeriod.objects.filter(mission__in=missions).select_related("mission")
    return [
        {
            "mission": period.mission.slug,
            **_country("lead_nation", period.lead_nation),
            **_translated(period, "commander_rank"),
            "commander_name": period.commander_name,
            **_dated("start", period.started),
            **_dated("end", period.ended),
        }
        for period in periods.order_by("mission__slug", "started_on", "pk")
    ]


def contributions_rows(missions):
    contributions = Contribution.objects.filter(mission__in=missions).select_related(
        "mission", "mandate"
    )
    return [
        {
            "mission": contribution.mission.slug,
            "contribution_id": contribution.pk,
            **_country("country", contribution.country),
            "type": contribution.kind,
            "type_label_en": _in_english(contribution.get_kind_display),
            **_translated(contribution, "description"),
            **_dated("start", contribution.started),
            **_dated("end", contribution.ended),
            "mandate_kind": contribution.mandate.kind if contribution.mandate else "",
            "mandate_reference": contribution.mandate.reference if contribution.mandate else "",
            "mandate_url": contribution.mandate.url if contribution.mandate else "",
        }
        for contribution in contributions.order_by("mission__slug", "pk")
    ]


def figures_rows(missions):
    figures = Figure.objects.filter(contribution__mission__in=missions).select_related(
        "contribution__mission"
    )
    rows = []
    for figure in figures.order_by("contribution__mission__slug", "contribution_id", "pk"):
        wording = {}
        for code in LANGUAGES:
            with translation.override(code):
                wording[f"wording_{code}"] = figure.wording()
        rows.append(
            {
                "mission": figure.contribution.mission.slug,
                "contribution_id": figure.contribution_id,
                **_country("country", figure.contribution.country),
                "contribution_type": figure.contribution.kind,
                "measure": figure.measure,
                "figure_kind": figure.kind,
                "qualifier": figure.qualifier,
                "value": figure.value,
                **_dated("as_of", figure.dated),
                **_translated(figure, "source"),
                "source_url": figure.source_url,
                **wording,
            }
        )
    return rows


DATASETS = {
    "missions": missions_rows,
    "command-periods": command_periods_rows,
    "contributions": contributions_rows,
    "figures": figures_rows,
}


# The columns of each table, in order; a table without rows still has its header.
COLUMNS = {
    "missions": [
        "mission",
        "mission_acronym",
        "name_en",
        "name_da",
        "organisation_acronym",
        "organisation_name_en",
        "organisation_name_da",
        "kind",
        "non_combat",
        "established",
        "established_precision",
        "ended",
        "ended_precision",
        "host_country_alpha2",
        "host_country_alpha3",
        "host_country_name_en",
    ],
    "command-periods": [
        "mission",
        "lead_nation_alpha2",
        "lead_nation_alpha3",
        "lead_nation_name_en",
        "commander_rank_en",
        "commander_rank_da",
        "commander_name",
        "start",
        "start_precision",
        "end",
        "end_precision",
    ],
    "contributions": [
        "mission",
        "contribution_id",
        "country_alpha2",
        "country_alpha3",
        "country_name_en",
        "type",
        "type_label_en",
        "description_en",
        "description_da",
        "start",
        "start_precision",
        "end",
        "end_precision",
        "mandate_kind",
        "mandate_reference",
        "mandate_url",
    ],
    "figures": [
        "mission",
        "contribution_id",
        "country_alpha2",
        "country_alpha3",
        "country_name_en",
        "contribution_type",
        "measure",
        "figure_kind",
        "qualifier",
        "value",
        "as_of",
        "as_of_precision",
        "source_en",
        "source_da",
        "source_url",
        "wording_en",
        "wording_da",
    ],
}


def rows(dataset, missions=None):
    return DATASETS[dataset](missions if missions is not None else Mission.objects.all())
