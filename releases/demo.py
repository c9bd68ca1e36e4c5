"""Demo releases from the seed page, in English and Danish."""

import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from core.models import Licence
from releases import media, search
from releases.models import (
    Journalist,
    JournalistGroup,
    PressContact,
    Quote,
    Release,
    ReleaseContact,
    ReleaseEvent,
    ReleaseKind,
    Status,
    Topic,
)

CPH = ZoneInfo("Europe/Copenhagen")

LICENCES = [
    ("Free for editorial use with credit", "Fri til redaktionel brug med kreditering", ""),
    ("CC BY 4.0", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ("Restricted – no redistribution", "Begrænset – må ikke videregives", ""),
]

TOPICS = [
    ("security-policy", "sikkerhedspolitik", "Security policy", "Sikkerhedspolitik"),
    ("humanitarian-aid", "humanitaer-bistand", "Humanitarian aid", "Humanitær bistand"),
    ("ukraine", "ukraine", "Ukraine", "Ukraine"),
    ("middle-east", "mellemoesten", "Middle East", "Mellemøsten"),
]

# The seed names each press adviser by role, organisation and phone only; the
# names and addresses here are invented for the demo (reserved .example domain).
CONTACTS = [
    {
        "name_en": "Mette Holm",
        "name_da": "Mette Holm",
        "title_en": "Press adviser",
        "title_da": "Presserådgiver",
        "organisation_en": "Danish Ministry of Foreign Affairs",
        "organisation_da": "Udenrigsministeriet",
        "phone": "+45 61 97 92 47",
        "email": "mette.holm@um.example",
    },
    {
        "name_en": "Søren Lund",
        "name_da": "Søren Lund",
        "title_en": "Press adviser",
        "title_da": "Presserådgiver",
        "organisation_en": "Danish Ministry of Defence",
        "organisation_da": "Forsvarsministeriet",
        "phone": "+45 72 81 04 00",
        "email": "soeren.lund@fmn.example",
    },
]

NMI_BODY_EN = """\
Today, during a ceremony in Baghdad, the Danish force commander, Lieutenant General Michael \
Lollesgaard, handed over command of NMI to Italy. The Danish force commander, his close staff, \
and a close protection team as well as two Danish transport helicopters will return to Denmark \
in May. Denmark will continue to contribute substantially to NMI through force protection \
personnel, staff officers as well as civilian and military advisers."""

NMI_BODY_DA = """\
Ved en ceremoni i Bagdad overdrog den danske styrkechef, generalløjtnant Michael Lollesgaard, \
i dag kommandoen over NMI til Italien. Den danske styrkechef, hans nærmeste stab og et \
nærbeskyttelseshold samt to danske transporthelikoptere vender hjem til Danmark i maj. Danmark \
vil fortsat bidrage væsentligt til NMI med styrkebeskyttelse, stabsofficerer samt civile og \
militære rådgivere."""

NMI_QUOTES = [
    {
        "speaker": "Jeppe Kofod",
        "role_en": "Minister for Foreign Affairs",
        "role_da": "Udenrigsminister",
        "text_en": "The Danish leadership and our substantial contributions to NATO Mission "
        "Iraq is a testimony to Denmark’s strong commitment to support Iraq in its efforts to "
        "ensure the enduring defeat of ISIS. By supporting the development of a capable, "
        "accountable and sustainable Iraqi security sector, NMI provides an important "
        "contribution to the fight against violent extremism in the region and the long-term "
        "stabilization of Iraq. I am proud to say that today, Denmark hands over a "
        "well-functioning mission ready to continue its important work in accordance with "
        "Iraqi wishes and needs. Going forward, Denmark will remain active in the fight "
        "against terrorism and instability in the region and will continue to provide a "
        "substantial contribution to NMI.",
        "text_da": "Den danske ledelse og vores betydelige bidrag til NATO’s Mission Irak "
        "vidner om Danmarks stærke engagement i at støtte Irak i bestræbelserne på at sikre "
        "et varigt nederlag for ISIL. Ved at støtte udviklingen af en kompetent, ansvarlig og "
        "bæredygtig irakisk sikkerhedssektor yder NMI et vigtigt bidrag til kampen mod "
        "voldelig ekstremisme i regionen og til den langsigtede stabilisering af Irak. Jeg er "
        "stolt over, at Danmark i dag overdrager en velfungerende mission, der er klar til at "
        "fortsætte sit vigtige arbejde i overensstemmelse med irakiske ønsker og behov. "
        "Fremover vil Danmark fortsat være aktiv i kampen mod terrorisme og ustabilitet i "
        "regionen og fortsat yde et betydeligt bidrag til NMI.",
    },
    {
        "speaker": "Morten Bødskov",
        "role_en": "Minister of Defence",
        "role_da": "Forsvarsminister",
        "text_en": "As Minister of Defence, I am proud that Denmark has led NATO's mission in "
        "Iraq for the last 18 months and contributed to the mission's fulfilment and provided "
        "the requested advice and training to Iraqi security institutions. I had the "
        "opportunity to thank several of the Danish soldiers for their professional and "
        "dedicated effort, when I visited Iraq last month, and I am pleased that Denmark will "
        "continue to contribute to NMI and thus support Iraq in the long-term fight against "
        "ISIS.",
        "text_da": "Som forsvarsminister er jeg stolt over, at Danmark har ledet NATO’s "
        "mission i Irak de seneste 18 måneder og bidraget til missionens gennemførelse med "
        "den efterspurgte rådgivning og træning af irakiske sikkerhedsinstitutioner. Da jeg "
        "besøgte Irak i sidste måned, fik jeg lejlighed til at takke flere af de danske "
        "soldater for deres professionelle og engagerede indsats, og jeg er glad for, at "
        "Danmark fortsat vil bidrage til NMI og dermed støtte Irak i den langsigtede kamp mod "
        "ISIL.",
    },
]

RELEASES = [
    {
        "slug_en": "denmark-hands-over-command-of-nato-mission-iraq-to-italy",
        "slug_da": "danmark-overdrager-kommandoen-over-nato-mission-irak-til-italien",
        "kind": ReleaseKind.PRESS_RELEASE,
        "published_at": datetime.datetime(2022, 5, 17, 11, 0, 0, tzinfo=CPH),
        "title_en": "Denmark hands over command of NATO Mission Iraq to Italy",
        "title_da": "Danmark overdrager kommandoen over NATO’s Mission Irak til Italien",
        "lead_en": "Today, Denmark handed over command of NATO Mission Iraq (NMI) to Italy. "
        "Denmark has commanded the mission since November 2020.",
        "lead_da": "Danmark overdrog i dag kommandoen over NATO’s Mission Irak (NMI) til "
        "Italien. Danmark har haft kommandoen over missionen siden november 2020.",
        "body_en": NMI_BODY_EN,
        "body_da": NMI_BODY_DA,
        "dateline_en": "Baghdad",
        "dateline_da": "Bagdad",
        "topics": ["security-policy", "middle-east"],
        "quotes": NMI_QUOTES,
        "contacts": [0, 1],
        "missions": ["nato-mission-iraq"],
    },
    {
        "slug_en": "denmark-sends-new-humanitarian-aid-package-to-the-civilian-population-in-gaza",
        "slug_da": "danmark-sender-ny-humanitaer-hjaelpepakke-til-civilbefolkningen-i-gaza",
        "kind": ReleaseKind.NEWS,
        "published_at": datetime.datetime(2023, 11, 9, 17, 8, 2, tzinfo=CPH),
        "title_en": "Denmark sends new humanitarian aid package to the civilian population in Gaza",
        "title_da": "Danmark sender ny humanitær hjælpepakke til civilbefolkningen i Gaza",
        "lead_en": "The conflict between Israel and the terrorist organisation Hamas has led to "
        "a growing humanitarian catastrophe and protection crisis for civilians.",
        "lead_da": "Konflikten mellem Israel og terrororganisationen Hamas har ført til en "
        "voksende humanitær katastrofe og beskyttelseskrise for civile.",
        "body_en": "Particularly in Gaza, there is an acute shortage of basic necessities, such "
        "as food, water, medicine, electricity and fuel – and the impacts on children are "
        "especially severe. Denmark has therefore decided to increase its humanitarian aid to "
        "the Palestinian civilian population, particularly in Gaza, by 75 million Danish "
        "kroner (approx. 10 million euro).\n\nThis new aid focuses on the protection of "
        "children, emergency aid and food for the civilian population, the delivery of "
        "medicine and medical equipment, and medical treatment for the sick and injured.",
        "body_da": "Særligt i Gaza er der akut mangel på basale fornødenheder som mad, vand, "
        "medicin, elektricitet og brændstof – og konsekvenserne for børn er særligt alvorlige. "
        "Danmark har derfor besluttet at øge den humanitære bistand til den palæstinensiske "
        "civilbefolkning, særligt i Gaza, med 75 millioner kroner (ca. 10 millioner euro).\n\n"
        "Den nye bistand fokuserer på beskyttelse af børn, nødhjælp og fødevarer til "
        "civilbefolkningen, levering af medicin og medicinsk udstyr samt behandling af syge og "
        "sårede.",
        "topics": ["humanitarian-aid", "middle-east"],
        "contacts": [0],
    },
    {
        "slug_en": "new-reconstruction-package-ensuring-heat-for-ukrainians",
        "slug_da": "ny-genopbygningspakke-skal-sikre-varme-til-ukrainerne",
        "kind": ReleaseKind.PRESS_RELEASE,
        "published_at": datetime.datetime(2023, 11, 6, 14, 29, 40, tzinfo=CPH),
        "title_en": "New reconstruction package ensuring heat for Ukrainians",
        "title_da": "Ny genopbygningspakke skal sikre varme til ukrainerne",
        "lead_en": "With soon freezing temperatures in Ukraine, the challenge of providing heat "
        "to homes impacted by the war is increasingly urgent.",
        "lead_da": "Med frostgrader på vej i Ukraine bliver det stadig mere presserende at "
        "skaffe varme til de hjem, som krigen har ramt.",
        "body_en": "The population is preparing for a new Russian campaign of attacks targeting "
        "Ukraine’s energy infrastructure in the coming winter months. Therefore, Denmark is "
        "supporting the Ukrainians with a EURO 40.2 million reconstruction package that, among "
        "other things, will provide 20 mobile heating boilers for the city of Mykolaiv and "
        "fund repairs to Mykolaiv’s existing central heating system.",
        "body_da": "Befolkningen forbereder sig på en ny russisk kampagne af angreb på Ukraines "
        "energiinfrastruktur i de kommende vintermåneder. Derfor støtter Danmark ukrainerne "
        "med en genopbygningspakke på 40,2 millioner euro, der blandt andet skal levere 20 "
        "mobile varmekedler til byen Mykolajiv og finansiere reparationer af Mykolajivs "
        "eksisterende fjernvarmesystem.",
        "topics": ["ukraine"],
        "contacts": [0],
    },
]


def load():
    created = 0
    topics = {}
    for slug_en, slug_da, name_en, name_da in TOPICS:
        topic, made = Topic.objects.get_or_create(
            slug_en=slug_en, defaults={"slug_da": slug_da, "name_en": name_en, "name_da": name_da}
        )
        topics[slug_en] = topic
        created += made
    contacts = []
    for fields in CONTACTS:
        contact, made = PressContact.objects.get_or_create(
            name_en=fields["name_en"], phone=fields["phone"], defaults=fields
        )
        contacts.append(contact)
        created += made
    for name_en, name_da, url in LICENCES:
        created += Licence.objects.get_or_create(
            name_en=name_en, defaults={"name_da": name_da, "url": url}
        )[1]
    for spec in RELEASES:
        created += _load_release(spec, topics, contacts)
    created += _load_image()
    created += _load_journalists()
    search.refresh_words()
    return created


def _load_image():
    """A drawn picture for the handover release, so the media library has an image."""
    release = Release.objects.filter(slug_en=RELEASES[0]["slug_en"]).first()
    if release is None or release.images.exists():
        return 0
    picture = Image.new("RGB", (1200, 675), "#c8102e")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((330, 0, 450, 675), fill="white")
    draw.rectangle((0, 277, 1200, 397), fill="white")
    content = BytesIO()
    picture.save(content, "JPEG", quality=90)
    media.add_image(
        release,
        SimpleUploadedFile("dannebrog.jpg", content.getvalue(), content_type="image/jpeg"),
        alt_en="The Danish flag, a white cross on red",
        alt_da="Dannebrog, et hvidt kors på rødt",
        caption_en="The Danish flag at the ceremony in Baghdad.",
        caption_da="Dannebrog ved ceremonien i Bagdad.",
        credit_en="Photo: Ministry of Defence",
        credit_da="Foto: Forsvarsministeriet",
        is_lead=True,
        licence=Licence.objects.get(name_en=LICENCES[1][0]),
    )
    Release.objects.filter(pk=release.pk).update(updated_at=release.published_at)
    return 1


# Invented accredited journalists (reserved .example domain), for trying an embargo.
JOURNALISTS = [
    ("Sofie Lund", "Ritzau", "sofie.lund@ritzau.example", "da"),
    ("James Carter", "Reuters", "james.carter@reuters.example", "en"),
]


def _load_journalists():
    group, created = JournalistGroup.objects.get_or_create(name="Defence correspondents")
    for name, outlet, email, language in JOURNALISTS:
        journalist, made = Journalist.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "outlet": outlet,
                "language": language,
                "accredited_until": timezone.localdate() + datetime.timedelta(days=365),
            },
        )
        journalist.groups.add(group)
        created += made
    return created


def _load_release(spec, topics, contacts):
    if Release.objects.filter(slug_en=spec["slug_en"]).exists():
        return 0
    from missions.models import Mission

    fields = {
        k: v for k, v in spec.items() if k not in ("topics", "quotes", "contacts", "missions")
    }
    editor = get_user_model().objects.filter(username="editor").first()
    officer = get_user_model().objects.filter(username="officer").first()
    # Published long ago: gone live, nothing left for the worker to announce.
    release = Release.objects.create(
        status=Status.PUBLISHED,
        announced_at=spec["published_at"],
        created_by=officer,
        submitted_by=officer,
        **fields,
    )
    release.topics.set([topics[slug] for slug in spec.get("topics", [])])
    release.missions.set(Mission.objects.filter(slug__in=spec.get("missions", [])))
    for order, quote in enumerate(spec.get("quotes", [])):
        Quote.objects.create(release=release, order=order, **quote)
    for order, index in enumerate(spec.get("contacts", [])):
        ReleaseContact.objects.create(release=release, contact=contacts[index], order=order)
    # Written and published on its day: "updated" is its publication, not the demo load.
    Release.objects.filter(pk=release.pk).update(updated_at=release.published_at)
    ReleaseEvent.objects.bulk_create(
        [
            ReleaseEvent(
                release=release,
                action=ReleaseEvent.Action.SUBMITTED,
                by=officer,
                at=release.published_at,
            ),
            ReleaseEvent(
                release=release,
                action=ReleaseEvent.Action.PUBLISHED,
                by=editor,
                at=release.published_at,
            ),
        ]
    )
    return 1
