"""Demo missions from the seed pages, in English and Danish.

Only what the seeds say: where a date is known to the month or the year, it is
entered with that precision; where a number or name is not known, it is left out.
"""

import datetime
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from core.models import Licence, default_licence
from missions.dates import Precision
from missions.models import (
    CommandPeriod,
    Contribution,
    ContributionKind,
    Figure,
    FigureKind,
    LegalBasis,
    LegalBasisKind,
    Mission,
    MissionKind,
    Organisation,
    Participation,
    Qualifier,
)

MONTH, YEAR = Precision.MONTH, Precision.YEAR

ORGANISATIONS = [
    {
        "acronym": "NATO",
        "name_en": "North Atlantic Treaty Organization",
        "name_da": "Den Nordatlantiske Traktats Organisation",
    },
    {
        "acronym": "",
        "name_en": "Global Coalition against Daesh",
        "name_da": "Den globale koalition mod Daesh",
    },
]

SOURCE_MISSION_PAGE = {
    "source_en": "Ministry of Foreign Affairs, page on NATO Mission Iraq",
    "source_da": "Udenrigsministeriet, siden om NATO’s Mission Irak",
}
SOURCE_COALITION = {
    "source_en": "Ministry of Foreign Affairs, page on Iraq",
    "source_da": "Udenrigsministeriet, siden om Irak",
}
SOURCE_RELEASE = {
    "source_en": "Press release, 17 May 2022",
    "source_da": "Pressemeddelelse, 17. maj 2022",
}

NMI_DESCRIPTION_EN = (
    "NATO Mission Iraq (NMI) is a training and capacity-building mission that supports "
    "Iraq's efforts to fight terrorism and stabilise the country.\n\n"
    "At the Brussels summit in July 2018, NATO's heads of state and government approved "
    "turning NATO's training and capacity-building activity in Iraq into a mission of its own, "
    "NATO Mission Iraq.\n\n"
    "NMI works within the framework of the Global Coalition against ISIL. NATO is a member of "
    "the coalition, and the international actors in Iraq coordinate closely. NMI thus "
    "complements the broad international effort to strengthen Iraq's stability and its "
    "capacity to fight terrorism.\n\n"
    "NMI was established at the request of Prime Minister Haider al-Abadi for further NATO "
    "assistance in Iraq, among other things to professionalise the military education system, "
    "to build the national security structure and to advise on anti-corruption as part of the "
    "fight against terrorism.\n\n"
    "The advisory activities primarily focus on the Iraqi Ministry of Defence and the Iraqi "
    "military education institutions. NMI staff consists of civilian and military advisers, "
    "staff officers and support staff, including contributions from NATO's partner countries "
    "Australia, Finland and Sweden."
)
NMI_DESCRIPTION_DA = (
    "NATO’s Mission Irak (NMI) er en trænings- og kapacitetsopbygningsmission, der skal "
    "bidrage til Iraks indsats for at bekæmpe terrorisme og stabilisere landet.\n\n"
    "På topmødet i Bruxelles i juli 2018 godkendte NATO’s stats- og regeringsledere en "
    "transformation af NATO’s trænings- og kapacitetsopbygningsaktivitet i Irak til en egentlig "
    "mission, NATO’s Mission Irak.\n\n"
    "NMI finder sted inden for rammerne af den globale koalition mod ISIL. NATO er medlem af "
    "koalitionen, og der koordineres tæt mellem de internationale aktører i Irak. NMI "
    "komplementerer således den brede internationale indsats, der skal styrke Iraks stabilitet "
    "og kapacitet i forhold til terrorbekæmpelse.\n\n"
    "Transformationen til NMI sker på baggrund af en anmodning fra premierminister Haider "
    "al-Abadi om yderligere NATO-assistance i Irak, blandt andet til professionalisering af det "
    "militære uddannelsessystem, opbygning af den nationale sikkerhedsstruktur og rådgivning om "
    "antikorruption med henblik på terrorbekæmpelse.\n\n"
    "Rådgivningen retter sig først og fremmest mod det irakiske forsvarsministerium og de "
    "irakiske militære uddannelsesinstitutioner. NMI’s personel består af civile og militære "
    "rådgivere, stabsofficerer og støttepersonel, herunder bidrag fra NATO’s partnerlande "
    "Australien, Finland og Sverige."
)

# The fact box of the seed release, paragraph by paragraph.
NMI_FACTS_EN = (
    "NMI is a non-combat mission responsible for providing advice, training and capacity "
    "building to Iraqi security institutions in order to support the long-term fight against "
    "ISIS. The advisory activities primarily focus on the Iraqi Ministry of Defence and the "
    "Iraqi military education institutions. NMI staff consists of civilian and military "
    "advisers, staff officers and support staff, including contributions from NATO's partner "
    "countries Australia, Finland and Sweden.\n\n"
    "Denmark will continue to contribute significantly to NMI with force protection "
    "personnel, staff officers and civilian and military advisers.\n\n"
    "The military effort complements a broader framework of political and civilian measures "
    "in the region aimed at preventing ISIS from regaining ideological and geographical "
    "foothold. Through the regional peace and stabilization program for Syria and Iraq, "
    "Denmark contributes to stabilizing former ISIS-controlled areas. Among other things, "
    "Denmark supports reconciliation efforts, reforms of the Iraqi security sector and "
    "demining."
)
NMI_FACTS_DA = (
    "NMI er en ikke-kampmission, der yder rådgivning, træning og kapacitetsopbygning til "
    "irakiske sikkerhedsinstitutioner for at støtte den langsigtede kamp mod ISIL. "
    "Rådgivningen retter sig først og fremmest mod det irakiske forsvarsministerium og de "
    "irakiske militære uddannelsesinstitutioner. NMI’s personel består af civile og militære "
    "rådgivere, stabsofficerer og støttepersonel, herunder bidrag fra NATO’s partnerlande "
    "Australien, Finland og Sverige.\n\n"
    "Danmark vil fortsat bidrage væsentligt til NMI med styrkebeskyttelse, stabsofficerer "
    "samt civile og militære rådgivere.\n\n"
    "Den militære indsats supplerer en bredere ramme af politiske og civile tiltag i "
    "regionen, der skal forhindre ISIL i at genvinde ideologisk og geografisk fodfæste. "
    "Gennem det regionale freds- og stabiliseringsprogram for Syrien og Irak bidrager "
    "Danmark til at stabilisere områder, som ISIL tidligere kontrollerede. Danmark støtter "
    "blandt andet forsoningsindsatser, reformer af den irakiske sikkerhedssektor og "
    "minerydning."
)

MISSIONS = [
    {
        "slug": "nato-mission-iraq",
        "organisation": "North Atlantic Treaty Organization",
        "acronym": "NMI",
        "name_en": "NATO Mission Iraq",
        "name_da": "NATO’s Mission Irak",
        "host_countries": ["IQ"],
        "kind": MissionKind.TRAINING,
        "non_combat": True,
        "established_on": datetime.date(2018, 7, 1),
        "established_precision": MONTH,
        "summary_en": NMI_FACTS_EN,
        "summary_da": NMI_FACTS_DA,
        "description_en": NMI_DESCRIPTION_EN,
        "description_da": NMI_DESCRIPTION_DA,
        "legal_bases": [
            {
                "key": "summit",
                "kind": LegalBasisKind.ALLIANCE_DECISION,
                "title_en": "Decision of NATO's heads of state and government at the Brussels "
                "summit to make the training activity in Iraq a mission",
                "title_da": "NATO’s stats- og regeringslederes beslutning på topmødet i "
                "Bruxelles om at gøre træningsaktiviteten i Irak til en mission",
                "dated_on": datetime.date(2018, 7, 1),
                "dated_precision": MONTH,
            },
            {
                "key": "request",
                "kind": LegalBasisKind.HOST_NATION_REQUEST,
                "title_en": "Request from Iraqi Prime Minister Haider al-Abadi for further "
                "NATO assistance",
                "title_da": "Anmodning fra den irakiske premierminister Haider al-Abadi om "
                "yderligere NATO-assistance",
            },
        ],
        "command_periods": [
            {
                "lead_nation": "DK",
                "commander_rank_en": "Lieutenant General",
                "commander_rank_da": "Generalløjtnant",
                "commander_name": "Per Pease",
                "started_on": datetime.date(2020, 11, 1),
                "started_precision": MONTH,
                "ended_on": datetime.date(2021, 1, 1),
                "ended_precision": YEAR,
            },
            {
                "lead_nation": "DK",
                "commander_rank_en": "Lieutenant General",
                "commander_rank_da": "Generalløjtnant",
                "commander_name": "Michael Lollesgaard",
                "started_on": datetime.date(2021, 1, 1),
                "started_precision": YEAR,
                "ended_on": datetime.date(2022, 5, 1),
                "ended_precision": MONTH,
            },
            {
                "lead_nation": "IT",
                "started_on": datetime.date(2022, 5, 1),
                "started_precision": MONTH,
            },
        ],
        "participations": [
            ("DK", Participation.Role.MEMBER),
            ("IT", Participation.Role.MEMBER),
            ("AU", Participation.Role.PARTNER),
            ("FI", Participation.Role.PARTNER),
            ("SE", Participation.Role.PARTNER),
        ],
        "contributions": [
            {
                "kind": ContributionKind.PERSONNEL,
                "description_en": "Personnel for the new NATO training mission.",
                "description_da": "Personel til den nye NATO-træningsmission.",
                "started_on": datetime.date(2018, 1, 1),
                "started_precision": YEAR,
                "figures": [
                    {
                        "kind": FigureKind.INITIAL,
                        "qualifier": Qualifier.EXACT,
                        "value": 4,
                        "dated_on": datetime.date(2018, 1, 1),
                        "dated_precision": YEAR,
                        **SOURCE_MISSION_PAGE,
                    },
                    {
                        "kind": FigureKind.CEILING,
                        "qualifier": Qualifier.UP_TO_ABOUT,
                        "value": 15,
                        "dated_on": datetime.date(2018, 1, 1),
                        "dated_precision": YEAR,
                        **SOURCE_MISSION_PAGE,
                    },
                ],
            },
            {
                "kind": ContributionKind.HEADQUARTERS_STAFF,
                "description_en": "The force commander of NMI, his close staff and a close "
                "protection team, while Denmark led the mission.",
                "description_da": "NMI’s styrkechef, hans nærmeste stab og et "
                "nærbeskyttelseshold, mens Danmark havde kommandoen over missionen.",
                "started_on": datetime.date(2020, 11, 1),
                "started_precision": MONTH,
                "ended_on": datetime.date(2022, 5, 1),
                "ended_precision": MONTH,
            },
            {
                "kind": ContributionKind.AIR_TRANSPORT,
                "description_en": "Two Danish transport helicopters.",
                "description_da": "To danske transporthelikoptere.",
                "ended_on": datetime.date(2022, 5, 1),
                "ended_precision": MONTH,
                "figures": [
                    {
                        "measure": Figure.Measure.AIRCRAFT,
                        "kind": FigureKind.ACTUAL,
                        "qualifier": Qualifier.EXACT,
                        "value": 2,
                        "dated_on": datetime.date(2022, 5, 17),
                        "dated_precision": Precision.DAY,
                        **SOURCE_RELEASE,
                    }
                ],
            },
            {
                "kind": ContributionKind.FORCE_PROTECTION,
                "description_en": "Force protection personnel.",
                "description_da": "Styrkebeskyttelse.",
            },
            {
                "kind": ContributionKind.STAFF_OFFICERS,
                "description_en": "Staff officers in the mission.",
                "description_da": "Stabsofficerer i missionen.",
            },
            {
                "kind": ContributionKind.CIVILIAN_ADVISERS,
                "description_en": "Civilian advisers to Iraqi security institutions.",
                "description_da": "Civile rådgivere for irakiske sikkerhedsinstitutioner.",
            },
            {
                "kind": ContributionKind.MILITARY_ADVISERS,
                "description_en": "Military advisers to Iraqi security institutions.",
                "description_da": "Militære rådgivere for irakiske sikkerhedsinstitutioner.",
            },
        ],
    },
    {
        "slug": "operation-inherent-resolve",
        "organisation": "Global Coalition against Daesh",
        "acronym": "OIR",
        "name_en": "Operation Inherent Resolve",
        "name_da": "Operation Inherent Resolve",
        "host_countries": ["IQ"],
        "summary_en": "The military effort of the international coalition to defeat ISIL. "
        "Denmark provides special operations forces that train and advise Iraqi security "
        "forces, a radar contribution and staff to the coalition's headquarters.",
        "summary_da": "Den internationale koalitions militære indsats for at bekæmpe ISIL. "
        "Danmark stiller specialoperationsstyrker, der træner og rådgiver de irakiske "
        "sikkerhedsstyrker, et radarbidrag og stabspersonel til koalitionens hovedkvarterer "
        "til rådighed.",
        "description_en": "Denmark makes a number of military contributions available to the "
        "international coalition to defeat ISIL, among them special operations forces that "
        "train and advise the Iraqi security forces. The force contribution can also support "
        "the coalition's special operations against ISIL as a whole, including by carrying out "
        "more traditional special operations tasks on its own.",
        "description_da": "Danmark stiller en række militære bidrag til rådighed for den "
        "internationale koalition til bekæmpelse af ISIL, heriblandt specialoperationsstyrker, "
        "som forestår træning og rådgivning af de irakiske sikkerhedsstyrker. Styrkebidraget "
        "kan desuden støtte koalitionens samlede specialoperationsopgaver i kampen mod ISIL, "
        "herunder gennem selvstændig opgaveløsning i mere traditionelle "
        "specialoperationsstyrkeopgaver.",
        "contributions": [
            {
                "kind": ContributionKind.SPECIAL_FORCES,
                "description_en": "Special operations forces that train and advise the Iraqi "
                "security forces.",
                "description_da": "Specialoperationsstyrker, der træner og rådgiver de irakiske "
                "sikkerhedsstyrker.",
                "figures": [
                    {
                        "kind": FigureKind.CEILING,
                        "qualifier": Qualifier.UP_TO_ABOUT,
                        "value": 60,
                        **SOURCE_COALITION,
                    }
                ],
            },
            {
                "kind": ContributionKind.RADAR,
                "description_en": "A radar contribution providing airspace surveillance in "
                "support of the coalition's air operations.",
                "description_da": "Et radarbidrag, der yder luftrumsovervågning til støtte for "
                "koalitionens luftoperationer.",
            },
            {
                "kind": ContributionKind.HEADQUARTERS_STAFF,
                "description_en": "Staff to the coalition's headquarters.",
                "description_da": "Stabsbidrag til koalitionens hovedkvarterer.",
            },
        ],
    },
]

_PARTS = ("legal_bases", "command_periods", "participations", "contributions")


def load():
    """Create what is missing; a mission's parts only if it has none of that part yet."""
    created = 0
    organisations = {}
    for fields in ORGANISATIONS:
        organisation, made = Organisation.objects.get_or_create(
            acronym=fields["acronym"], name_en=fields["name_en"], defaults=fields
        )
        organisations[fields["name_en"]] = organisation
        created += made
    for spec in MISSIONS:
        fields = {k: v for k, v in spec.items() if k not in _PARTS}
        fields["organisation"] = organisations[spec["organisation"]]
        mission, made = Mission.objects.get_or_create(slug=spec["slug"], defaults=fields)
        created += made
        created += _load_parts(mission, spec)
    created += _load_image()
    return created


def _load_image():
    """A drawn lead image for NATO Mission Iraq, so the media library has a mission's image."""
    mission = Mission.objects.filter(slug="nato-mission-iraq").first()
    if mission is None or mission.image:
        return 0
    picture = Image.new("RGB", (1200, 675), "#7fb2d9")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 420, 1200, 675), fill="#d9b779")
    draw.ellipse((930, 90, 1050, 210), fill="#fff3c4")
    draw.polygon([(120, 420), (300, 300), (480, 420)], fill="#b08a55")
    content = BytesIO()
    picture.save(content, "JPEG", quality=90)
    mission.image = SimpleUploadedFile("desert.jpg", content.getvalue(), "image/jpeg")
    mission.image_alt_en = "A drawing of a desert under a blue sky, with a low hill and the sun"
    mission.image_alt_da = "En tegning af en ørken under en blå himmel med en lav bakke og solen"
    mission.image_caption_en = "The desert in Iraq (a drawing for the demo)."
    mission.image_caption_da = "Ørkenen i Irak (en tegning til demoen)."
    mission.image_credit_en = "Pressroom demo"
    mission.image_credit_da = "Presserummets demo"
    # The demo's open licence, where the migrations made it.
    mission.image_licence = Licence.objects.filter(
        name_en="CC BY 4.0"
    ).first() or Licence.objects.get(pk=default_licence())
    mission.save()
    mission.make_image_renditions()
    return 1


def _load_parts(mission, spec):
    created = 0
    bases = {}
    if not mission.legal_bases.exists():
        for fields in spec.get("legal_bases", []):
            values = {k: v for k, v in fields.items() if k != "key"}
            bases[fields["key"]] = LegalBasis.objects.create(mission=mission, **values)
            created += 1
    if not mission.command_periods.exists():
        for fields in spec.get("command_periods", []):
            CommandPeriod.objects.create(mission=mission, **fields)
            created += 1
    if not mission.participations.exists():
        for country, role in spec.get("participations", []):
            Participation.objects.create(mission=mission, country=country, role=role)
            created += 1
    if not mission.contributions.exists():
        for fields in spec.get("contributions", []):
            values = {k: v for k, v in fields.items() if k not in ("figures", "mandate")}
            contribution = Contribution.objects.create(
                mission=mission, mandate=bases.get(fields.get("mandate")), **values
            )
            created += 1
            for figure in fields.get("figures", []):
                Figure.objects.create(contribution=contribution, **figure)
                created += 1
    return created
