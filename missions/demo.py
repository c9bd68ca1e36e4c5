"""Demo missions from the seed pages, in English and Danish."""

from missions.models import Mission, Organisation

ORGANISATIONS = [
    {
        "acronym": "NATO",
        "name_en": "North Atlantic Treaty Organization",
        "name_da": "Den Nordatlantiske Traktats Organisation",
    },
]

MISSIONS = [
    {
        "slug": "nato-mission-iraq",
        "organisation": "NATO",
        "acronym": "NMI",
        "name_en": "NATO Mission Iraq",
        "name_da": "NATO’s Mission Irak",
        "summary_en": "NMI is a non-combat mission responsible for providing advice, training "
        "and capacity building to Iraqi security institutions in order to support the "
        "long-term fight against ISIS.",
        "summary_da": "NMI er en ikke-kampmission, der yder rådgivning, træning og "
        "kapacitetsopbygning til irakiske sikkerhedsinstitutioner for at støtte den "
        "langsigtede kamp mod ISIL.",
    },
]


def load():
    created = 0
    organisations = {}
    for fields in ORGANISATIONS:
        organisation, made = Organisation.objects.get_or_create(
            acronym=fields["acronym"], defaults=fields
        )
        organisations[organisation.acronym] = organisation
        created += made
    for spec in MISSIONS:
        fields = dict(spec, organisation=organisations[spec["organisation"]])
        _mission, made = Mission.objects.get_or_create(slug=spec["slug"], defaults=fields)
        created += made
    return created
