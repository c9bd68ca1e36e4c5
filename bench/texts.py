"""Realistic, varied release text in English and Danish, from word lists and templates."""

TOPICS = [
    # slug_en, slug_da, name_en, name_da, weight (how often releases carry it)
    ("security-policy", "sikkerhedspolitik", "Security policy", "Sikkerhedspolitik", 9),
    ("humanitarian-aid", "humanitaer-bistand", "Humanitarian aid", "Humanitær bistand", 8),
    ("ukraine", "ukraine", "Ukraine", "Ukraine", 7),
    ("middle-east", "mellemoesten", "Middle East", "Mellemøsten", 5),
    ("climate-energy", "klima-og-energi", "Climate and energy", "Klima og energi", 6),
    (
        "trade-investment",
        "handel-og-investeringer",
        "Trade and investment",
        "Handel og investeringer",
        6,
    ),
    ("development", "udviklingssamarbejde", "Development cooperation", "Udviklingssamarbejde", 7),
    ("human-rights", "menneskerettigheder", "Human rights", "Menneskerettigheder", 4),
    ("arctic", "arktis", "The Arctic", "Arktis", 3),
    ("european-union", "eu", "The European Union", "EU", 6),
    ("consular-affairs", "borgerservice", "Consular affairs", "Borgerservice", 2),
    ("nato", "nato", "NATO", "NATO", 5),
    ("migration", "migration", "Migration", "Migration", 3),
    ("africa", "afrika", "Africa", "Afrika", 4),
    ("export-control", "eksportkontrol", "Export control", "Eksportkontrol", 1),
    ("cyber", "cyber", "Cyber and technology", "Cyber og teknologi", 2),
]

COUNTRIES = [
    ("Ukraine", "Ukraine"),
    ("Iraq", "Irak"),
    ("Mali", "Mali"),
    ("Ghana", "Ghana"),
    ("Kenya", "Kenya"),
    ("Indonesia", "Indonesien"),
    ("Brazil", "Brasilien"),
    ("Greenland", "Grønland"),
    ("the Faroe Islands", "Færøerne"),
    ("Poland", "Polen"),
    ("Lithuania", "Litauen"),
    ("Latvia", "Letland"),
    ("Estonia", "Estland"),
    ("Egypt", "Egypten"),
    ("Jordan", "Jordan"),
    ("Lebanon", "Libanon"),
    ("Syria", "Syrien"),
    ("Afghanistan", "Afghanistan"),
    ("Somalia", "Somalia"),
    ("Ethiopia", "Etiopien"),
    ("Tanzania", "Tanzania"),
    ("Uganda", "Uganda"),
    ("Bangladesh", "Bangladesh"),
    ("Vietnam", "Vietnam"),
    ("India", "Indien"),
    ("China", "Kina"),
    ("Japan", "Japan"),
    ("South Korea", "Sydkorea"),
    ("the United States", "USA"),
    ("Canada", "Canada"),
    ("Mexico", "Mexico"),
    ("Colombia", "Colombia"),
    ("Germany", "Tyskland"),
    ("France", "Frankrig"),
    ("Norway", "Norge"),
    ("Sweden", "Sverige"),
    ("Finland", "Finland"),
    ("Iceland", "Island"),
    ("Moldova", "Moldova"),
    ("Georgia", "Georgien"),
    ("Niger", "Niger"),
    ("Burkina Faso", "Burkina Faso"),
    ("Morocco", "Marokko"),
    ("Tunisia", "Tunesien"),
]

CITIES = [
    ("Copenhagen", "København"),
    ("Brussels", "Bruxelles"),
    ("Kyiv", "Kyiv"),
    ("Baghdad", "Bagdad"),
    ("Nairobi", "Nairobi"),
    ("New York", "New York"),
    ("Geneva", "Genève"),
    ("Nuuk", "Nuuk"),
    ("Addis Ababa", "Addis Abeba"),
    ("Jakarta", "Jakarta"),
    ("Bamako", "Bamako"),
    ("Warsaw", "Warszawa"),
    ("Vilnius", "Vilnius"),
    ("Beijing", "Beijing"),
    ("Washington", "Washington"),
    ("Strasbourg", "Strasbourg"),
    ("Vienna", "Wien"),
    ("Tórshavn", "Tórshavn"),
]

MINISTERS = [
    ("the Minister for Foreign Affairs", "udenrigsministeren"),
    ("the Minister for Development Cooperation", "udviklingsministeren"),
    ("the Minister of Defence", "forsvarsministeren"),
    ("the Minister for Trade", "handelsministeren"),
    ("the Prime Minister", "statsministeren"),
    ("the Minister for Climate", "klimaministeren"),
    ("the Minister for Nordic Cooperation", "ministeren for nordisk samarbejde"),
]

AREAS = [
    ("green energy", "grøn energi"),
    ("water supply", "vandforsyning"),
    ("cyber security", "cybersikkerhed"),
    ("free trade", "frihandel"),
    ("maritime security", "maritim sikkerhed"),
    ("food security", "fødevaresikkerhed"),
    ("gender equality", "ligestilling"),
    ("democracy", "demokrati"),
    ("offshore wind", "havvind"),
    ("demining", "minerydning"),
    ("refugees", "flygtninge"),
    ("anti-corruption", "antikorruption"),
    ("health", "sundhed"),
    ("education", "uddannelse"),
    ("climate adaptation", "klimatilpasning"),
    ("press freedom", "pressefrihed"),
    ("export controls", "eksportkontrol"),
    ("reconstruction", "genopbygning"),
]

TITLES = [
    (
        "Denmark gives DKK {amount} million in humanitarian aid to {country}",
        "Danmark giver {amount} mio. kr. i humanitær bistand til {country_da}",
    ),
    ("{Minister} visits {country}", "{Minister_da} besøger {country_da}"),
    ("New agreement with {country} on {area}", "Ny aftale med {country_da} om {area_da}"),
    (
        "Denmark strengthens cooperation with {country} on {area}",
        "Danmark styrker samarbejdet med {country_da} om {area_da}",
    ),
    ("Statement on the situation in {country}", "Udtalelse om situationen i {country_da}"),
    (
        "Danish contribution to the international mission in {country}",
        "Dansk bidrag til den internationale mission i {country_da}",
    ),
    (
        "{Minister} speaks at conference on {area} in {city}",
        "{Minister_da} taler ved konference om {area_da} i {city_da}",
    ),
    (
        "{Minister} meets counterpart from {country}",
        "{Minister_da} mødes med sin kollega fra {country_da}",
    ),
    ("Denmark opens new embassy office in {city}", "Danmark åbner nyt ambassadekontor i {city_da}"),
    (
        "DKK {amount} million for {area} in {country}",
        "{amount} mio. kr. til {area_da} i {country_da}",
    ),
    (
        "Danish companies join trade delegation to {country}",
        "Danske virksomheder med i erhvervsdelegation til {country_da}",
    ),
    ("Travel advice for {country} updated", "Rejsevejledningen for {country_da} er opdateret"),
    ("Joint Nordic statement on {area}", "Fælles nordisk udtalelse om {area_da}"),
    ("Speech by {minister} on {area}", "Tale af {minister_da} om {area_da}"),
]

SENTENCES = [
    (
        "Denmark will contribute DKK {amount} million over the next {years} years.",
        "Danmark bidrager med {amount} mio. kr. over de næste {years} år.",
    ),
    (
        "The support goes to {area} in {country}, where the need is greatest.",
        "Støtten går til {area_da} i {country_da}, hvor behovet er størst.",
    ),
    (
        "{Minister} met representatives of civil society in {city} on {weekday}.",
        "{Minister_da} mødtes {weekday_da} med repræsentanter for civilsamfundet i {city_da}.",
    ),
    (
        "The agreement was signed in {city} by the two governments.",
        "Aftalen blev underskrevet i {city_da} af de to regeringer.",
    ),
    (
        "Danish experts will advise the authorities in {country} on {area}.",
        "Danske eksperter skal rådgive myndighederne i {country_da} om {area_da}.",
    ),
    (
        "The funds are channelled through the United Nations and Danish organisations.",
        "Midlerne kanaliseres gennem FN og danske organisationer.",
    ),
    (
        "Since {year}, Denmark has been among the largest donors to {country}.",
        "Siden {year} har Danmark været blandt de største donorer til {country_da}.",
    ),
    (
        "The situation in {country} remains serious, and the humanitarian needs are rising.",
        "Situationen i {country_da} er fortsat alvorlig, og de humanitære behov stiger.",
    ),
    (
        "Denmark calls on all parties to respect international humanitarian law.",
        "Danmark opfordrer alle parter til at respektere den humanitære folkeret.",
    ),
    (
        "The cooperation on {area} builds on many years of partnership with {country}.",
        "Samarbejdet om {area_da} bygger på mange års partnerskab med {country_da}.",
    ),
    (
        "Danish businesses see great opportunities in {area} in the region.",
        "Danske virksomheder ser store muligheder inden for {area_da} i regionen.",
    ),
    (
        "The visit also included talks on {area} and regional stability.",
        "Besøget omfattede også drøftelser om {area_da} og regional stabilitet.",
    ),
    (
        "The embassy in {city} follows developments closely.",
        "Ambassaden i {city_da} følger udviklingen tæt.",
    ),
    (
        "Danes in {country} are encouraged to register with the embassy.",
        "Danskere i {country_da} opfordres til at registrere sig hos ambassaden.",
    ),
    (
        "The contribution consists of {people} staff officers and advisers.",
        "Bidraget består af {people} stabsofficerer og rådgivere.",
    ),
    (
        "The decision was taken after consultation with the Foreign Policy Committee.",
        "Beslutningen er truffet efter drøftelse i Udenrigspolitisk Nævn.",
    ),
    (
        "The partners will meet again in {city} next year to follow up.",
        "Parterne mødes igen i {city_da} næste år for at følge op.",
    ),
    (
        "According to {minister}, the effort is a clear priority for the government.",
        "Ifølge {minister_da} er indsatsen en klar prioritet for regeringen.",
    ),
    (
        "The programme runs until {end_year} and will be evaluated along the way.",
        "Programmet løber frem til {end_year} og evalueres undervejs.",
    ),
    (
        "Women and young people are a particular focus of the support.",
        "Kvinder og unge er et særligt fokus for støtten.",
    ),
    (
        "The European Union coordinates the effort with its member states.",
        "EU koordinerer indsatsen med medlemslandene.",
    ),
    (
        "More information is available from the ministry's press office.",
        "Yderligere oplysninger fås hos ministeriets presseafdeling.",
    ),
]

WEEKDAYS = [
    ("Monday", "mandag"),
    ("Tuesday", "tirsdag"),
    ("Wednesday", "onsdag"),
    ("Thursday", "torsdag"),
    ("Friday", "fredag"),
]

KIND_WEIGHTS = [
    ("press-release", 40),
    ("news", 30),
    ("statement", 12),
    ("speech", 8),
    ("press-invitation", 10),
]


def fill(template, slots):
    text = template.format(**slots)
    return text[0].upper() + text[1:]


def random_slots(rng, year):
    """The words one release is made of: a country, a city, a minister, amounts, years."""
    country, country_da = rng.choice(COUNTRIES)
    city, city_da = rng.choice(CITIES)
    minister, minister_da = rng.choice(MINISTERS)
    area, area_da = rng.choice(AREAS)
    weekday, weekday_da = rng.choice(WEEKDAYS)
    return {
        "country": country,
        "country_da": country_da,
        "city": city,
        "city_da": city_da,
        "minister": minister,
        "minister_da": minister_da,
        "Minister": minister[0].upper() + minister[1:],
        "Minister_da": minister_da[0].upper() + minister_da[1:],
        "area": area,
        "area_da": area_da,
        "weekday": weekday,
        "weekday_da": weekday_da,
        "amount": rng.choice([5, 10, 15, 20, 25, 40, 50, 75, 100, 150, 200, 350]),
        "years": rng.randint(2, 5),
        "year": year - rng.randint(3, 20),
        "end_year": year + rng.randint(1, 5),
        "people": rng.randint(3, 60),
    }


def slug(text, suffix):
    """A web address part as an editor would make it, made unique by ``suffix``."""
    from django.utils.text import slugify

    for letter, plain in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(letter, plain).replace(letter.upper(), plain.capitalize())
    return f"{slugify(text)[:200]}-{suffix}"


def title(rng, slots):
    """A title in English and in Danish."""
    return tuple(fill(text, slots) for text in rng.choice(TITLES))


def lead_and_body(rng, slots):
    """A lead and an HTML body, in both languages, from the same slots."""
    paragraphs_en, paragraphs_da = [], []
    for _paragraph in range(rng.randint(3, 8)):
        chosen = rng.sample(SENTENCES, rng.randint(2, 4))
        paragraphs_en.append(" ".join(fill(en, slots) for en, _da in chosen))
        paragraphs_da.append(" ".join(fill(da, slots) for _en, da in chosen))
    lead_en, lead_da = (fill(text, slots) for text in rng.choice(SENTENCES))
    body_en = "".join(f"<p>{text}</p>" for text in paragraphs_en)
    body_da = "".join(f"<p>{text}</p>" for text in paragraphs_da)
    return lead_en, lead_da, body_en, body_da
