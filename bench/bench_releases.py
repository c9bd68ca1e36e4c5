"""Speed of the public release pages at 20,000 releases, measured under gunicorn.

    .venv/bin/python bench/bench_releases.py [--releases 20000] [--seconds 8]

Seeds a separate database (``pressroom_bench`` on the embedded server, or
``--database-url`` whose database name must contain "bench") with releases in
English and Danish, starts gunicorn on 127.0.0.1 with two workers, and drives
it from a load generator on the same machine: the trivial ``/healthz`` view,
home, list, filtered list, release pages, search and feeds, in both languages.
Then it publishes a release, and lets a scheduled one's time pass, while the
page cache is warm, and checks that the very next requests show them.
The table is printed and written into the "Releases" section of bench/README.md.

Every request goes to 127.0.0.1 only; each load run stops after a fixed number
of requests or seconds, whichever comes first.
"""

import argparse
import contextlib
import datetime
import http.client
import itertools
import os
import platform
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).resolve().parent / "README.md"
HOST = "127.0.0.1"

# Goals from the releases issue.
CACHED_RATIO_GOAL = 0.5
SEARCH_P95_GOAL_MS = 50.0

# ---------------------------------------------------------------------------
# Realistic, varied release text in both languages
# ---------------------------------------------------------------------------

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

# Searches readers make; each is run as its own request, never from the page cache.
SEARCHES = {
    "en": [
        "humanitarian aid",
        "Ukraine",
        "offshore wind",
        "minister visits Kenya",
        '"trade delegation"',
        "democracy Mali",
        "travel advice",
        "embassy Nuuk",
    ],
    "da": [
        "humanitær bistand",
        "Ukraine",
        "havvind",
        "udviklingsministeren Kenya",
        '"erhvervsdelegation"',
        "demokrati Mali",
        "rejsevejledning",
        "ambassade Nuuk",
    ],
}


def _fill(template, slots):
    text = template.format(**slots)
    return text[0].upper() + text[1:]


def _slots(rng, year):
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


def _slugify(text, suffix):
    from django.utils.text import slugify

    for letter, plain in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(letter, plain).replace(letter.upper(), plain.capitalize())
    return f"{slugify(text)[:200]}-{suffix}"


def _text(rng, slots):
    """A lead and an HTML body, in both languages, from the same slots."""
    paragraphs_en, paragraphs_da = [], []
    for _paragraph in range(rng.randint(3, 8)):
        chosen = rng.sample(SENTENCES, rng.randint(2, 4))
        paragraphs_en.append(" ".join(_fill(en, slots) for en, _da in chosen))
        paragraphs_da.append(" ".join(_fill(da, slots) for _en, da in chosen))
    lead_en, lead_da = (_fill(text, slots) for text in rng.choice(SENTENCES))
    body_en = "".join(f"<p>{text}</p>" for text in paragraphs_en)
    body_da = "".join(f"<p>{text}</p>" for text in paragraphs_da)
    return lead_en, lead_da, body_en, body_da


def seed(count, *, rng_seed=2026, batch_size=1000, now=None):
    """Replace all releases and topics with ``count`` generated ones; return the topics."""
    from django.db import connection, transaction

    from releases.models import PressContact, Release, ReleaseKind, Status, Topic

    rng = random.Random(rng_seed)
    now = now or datetime.datetime.now(datetime.UTC)
    first = now - datetime.timedelta(days=12 * 365)
    span = (now - first - datetime.timedelta(hours=1)).total_seconds()
    through = Release.topics.through
    tables = [Release._meta.db_table, Topic._meta.db_table, PressContact._meta.db_table]
    with transaction.atomic():
        with connection.cursor() as cursor:
            # CASCADE empties what points at releases: topics links, events, quotes, deliveries.
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        topics = Topic.objects.bulk_create(
            Topic(slug_en=en, slug_da=da, name_en=name_en, name_da=name_da)
            for en, da, name_en, name_da, _weight in TOPICS
        )
        weights = [weight for *_rest, weight in TOPICS]
        kinds, kind_weights = zip(*KIND_WEIGHTS, strict=True)
        assert set(kinds) == set(ReleaseKind.values)
        for start in range(0, count, batch_size):
            releases, chosen_topics = [], []
            for n in range(start, min(start + batch_size, count)):
                published_at = first + datetime.timedelta(seconds=rng.random() * span)
                slots = _slots(rng, published_at.year)
                title_en, title_da = (_fill(text, slots) for text in rng.choice(TITLES))
                lead_en, lead_da, body_en, body_da = _text(rng, slots)
                languages = rng.choices(["both", "en", "da"], weights=[80, 12, 8])[0]
                # A language a release is not written in stays empty, as the admin leaves it.
                values = {
                    f"{field}_{code}": ""
                    for field in ("title", "slug", "lead", "body")
                    for code in ("en", "da")
                }
                if languages != "da":
                    values.update(
                        title_en=title_en,
                        slug_en=_slugify(title_en, n),
                        lead_en=lead_en,
                        body_en=body_en,
                    )
                if languages != "en":
                    values.update(
                        title_da=title_da,
                        slug_da=_slugify(title_da, n),
                        lead_da=lead_da,
                        body_da=body_da,
                    )
                status = rng.choices(
                    [Status.PUBLISHED, Status.WITHDRAWN, Status.DRAFT], weights=[96, 1, 3]
                )[0]
                kind = rng.choices(kinds, weights=kind_weights)[0]
                if kind == ReleaseKind.PRESS_INVITATION:
                    values.update(
                        event_start=published_at + datetime.timedelta(days=rng.randint(1, 10)),
                        event_location_en=f"Asiatisk Plads 2, {slots['city']}",
                        event_location_da=f"Asiatisk Plads 2, {slots['city_da']}",
                    )
                if status == Status.WITHDRAWN:
                    values.update(
                        withdrawn_reason_en="Published by mistake.",
                        withdrawn_reason_da="Offentliggjort ved en fejl.",
                    )
                releases.append(
                    Release(
                        kind=kind,
                        status=status,
                        published_at=None if status == Status.DRAFT else published_at,
                        dateline_en=slots["city"],
                        dateline_da=slots["city_da"],
                        notify_subscribers=False,
                        **values,
                    )
                )
                picked = {id(t): t for t in rng.choices(topics, weights, k=rng.randint(1, 3))}
                chosen_topics.append(picked.values())
            Release.objects.bulk_create(releases)
            through.objects.bulk_create(
                through(release_id=release.pk, topic_id=topic.pk)
                for release, picked in zip(releases, chosen_topics, strict=True)
                for topic in picked
            )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Release._meta.db_table}, {through._meta.db_table}")
    return topics


# ---------------------------------------------------------------------------
# The load generator: processes of threads, each thread one HTTP connection
# ---------------------------------------------------------------------------


def _load(port, paths, first, threads, connections, deadline, max_requests):
    """One client process: ``threads`` connections, each walking ``paths`` from its own start."""
    latencies, failures, lock = [], [], threading.Lock()
    sent = itertools.count()
    received = [0]

    def run(thread_no):
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        own, size = [], 0
        position = (first + thread_no) * len(paths) // connections
        try:
            while time.monotonic() < deadline and next(sent) < max_requests:
                path = paths[position % len(paths)]
                position += 1
                began = time.perf_counter()
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    size += len(response.read())
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    with lock:
                        failures.append(f"{path}: {error!r}")
                    continue
                elapsed = time.perf_counter() - began
                if response.status != 200:
                    with lock:
                        failures.append(f"{path}: HTTP {response.status}")
                    continue
                own.append(elapsed)
        finally:
            connection.close()
        with lock:
            latencies.extend(own)
            received[0] += size

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies, failures, received[0]


class LoadGenerator:
    def __init__(self, port, processes, threads):
        self.port, self.processes, self.threads = port, processes, threads
        self.pool = ProcessPoolExecutor(max_workers=processes)

    def run(self, paths, seconds, max_requests, concurrency=None):
        """Send GETs to ``paths`` for ``seconds`` or ``max_requests``; return the results."""
        processes = self.processes if concurrency is None else 1
        threads = self.threads if concurrency is None else concurrency
        began = time.monotonic()
        deadline = began + seconds
        per_process = -(-max_requests // processes)
        futures = [
            self.pool.submit(
                _load,
                self.port,
                paths,
                n * threads,
                threads,
                processes * threads,
                deadline,
                per_process,
            )
            for n in range(processes)
        ]
        latencies, failures, size = [], [], 0
        for future in futures:
            own, failed, received = future.result()
            latencies += own
            failures += failed
            size += received
        wall = time.monotonic() - began
        return Result(latencies, failures, wall, size)

    def close(self):
        self.pool.shutdown()


class Result:
    def __init__(self, latencies, failures, wall, size=0):
        self.count = len(latencies)
        self.failures = failures
        self.kilobytes = size / 1024 / len(latencies) if latencies else 0.0
        self.rps = self.count / wall if wall else 0.0
        ordered = sorted(latencies)
        self.p50, self.p95, self.p99 = (self._pick(ordered, q) for q in (0.50, 0.95, 0.99))
        self.mean = statistics.fmean(ordered) * 1000 if ordered else float("nan")

    @staticmethod
    def _pick(ordered, quantile):
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] * 1000


# ---------------------------------------------------------------------------
# Database and server
# ---------------------------------------------------------------------------


def prepare_environment(database_url):
    """Point this process (and gunicorn, which inherits it) at the benchmark database."""
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    var_dir = Path(os.environ.get("VAR_DIR") or ROOT / "var")
    os.environ["STATIC_ROOT"] = str(var_dir / "bench" / "static")
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["CONN_MAX_AGE"] = "600"
    if database_url:
        name = urlsplit(database_url).path.lstrip("/")
        if "bench" not in name:
            sys.exit(f"Refusing to seed {name!r}: the benchmark database's name must say 'bench'.")
    else:
        sys.path.insert(0, str(ROOT))
        from pressroom import embedded

        # This process holds the embedded server for the whole run; gunicorn only connects.
        info = embedded.server(var_dir, "pressroom_bench")
        query = urlencode({"host": str(info.socket_dir), "port": info.port})
        database_url = f"postgres://postgres@/pressroom_bench?{query}"
    os.environ["DATABASE_URL"] = database_url


def start_gunicorn(port, workers, site_url):
    env = dict(os.environ, SITE_URL=site_url)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "pressroom.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn stopped while starting; see its messages above.")
        try:
            status, _body = get(port, "/healthz")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    stop(process)
    sys.exit(f"gunicorn did not answer on {HOST}:{port} within a minute.")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get(port, path):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


# ---------------------------------------------------------------------------
# The measurements
# ---------------------------------------------------------------------------


def page_paths(topics, sample_size, rng, unvisited=60):
    """The addresses each scenario cycles through, per language, and pages left unvisited."""
    from django.urls import reverse
    from django.utils import translation

    from releases.models import Release

    public = Release.objects.published()
    ids = rng.sample(sorted(public.values_list("pk", flat=True)), sample_size + unvisited)
    by_id = public.in_bulk(ids)
    sample = [by_id[pk] for pk in ids[:sample_size]]
    spare = [by_id[pk] for pk in ids[sample_size:]]
    busy_topic = next(t for t in topics if t.slug_en == "ukraine")
    paths = {}
    for language in ("en", "da"):
        with translation.override(language):
            releases_url = reverse("releases:list")
            topic_slug = getattr(busy_topic, f"slug_{language}")
            paths[language] = {
                "home": [reverse("home")],
                "list": [releases_url],
                "filtered list": [
                    f"{releases_url}?{urlencode({'kind': 'news', 'topic': topic_slug})}"
                ],
                "release page": [release.get_absolute_url() for release in sample],
                "search": [
                    f"{reverse('releases:search')}?{urlencode({'q': words})}"
                    for words in SEARCHES[language]
                ],
                "RSS feed": [reverse("releases:rss")],
                "Atom feed": [reverse("releases:atom")],
            }
            paths[language]["unvisited"] = [release.get_absolute_url() for release in spare]
    return paths


CACHED = ("home", "list", "filtered list", "release page", "RSS feed", "Atom feed")


def measure(load, paths, seconds, max_requests, rounds):
    """Every scenario in turn, ``rounds`` times; each keeps its least disturbed round."""
    best = {}

    def run(key, name, language, urls, cached):
        if cached:
            # Every address several times, so each gunicorn worker's page cache holds it.
            load.run(urls, seconds=30, max_requests=len(urls) * 8)
        else:
            load.run(urls, seconds=2, max_requests=len(urls) * 2)
        result = load.run(urls, seconds, max_requests)
        print(
            f"  {name:<14} {language:<3} {result.rps:8.0f} req/s  p50 {result.p50:6.1f} ms  "
            f"p95 {result.p95:6.1f} ms  p99 {result.p99:6.1f} ms"
            + (
                f"  {len(result.failures)} failed, such as {result.failures[0]}"
                if result.failures
                else ""
            ),
            flush=True,
        )
        if key not in best or result.rps > best[key][3].rps:
            best[key] = (name, language, cached, result)

    for round_no in range(1, rounds + 1):
        print(f" round {round_no} of {rounds}", flush=True)
        # The trivial view first, in the middle and last: other work on the machine
        # shifts every number, and the median of three is the fairest reference.
        run("trivial 1", "trivial view", "", ["/healthz"], cached=False)
        for name in ("home", "list", "filtered list", "release page"):
            for language in ("en", "da"):
                run((name, language), name, language, paths[language][name], cached=True)
        run("trivial 2", "trivial view", "", ["/healthz"], cached=False)
        for name in ("search", "RSS feed", "Atom feed"):
            for language in ("en", "da"):
                cached = name in CACHED
                run((name, language), name, language, paths[language][name], cached)
        run("trivial 3", "trivial view", "", ["/healthz"], cached=False)
    return list(best.values())


def search_latency(load, paths, rounds):
    """Search as one reader sees it: one request at a time, every query in turn."""
    results = {}
    for language in ("en", "da"):
        urls = paths[language]["search"]
        results[language] = load.run(
            urls, seconds=60, max_requests=len(urls) * rounds, concurrency=1
        )
        result = results[language]
        print(
            f"  search one at a time {language}: p50 {result.p50:.1f} ms, "
            f"p95 {result.p95:.1f} ms, p99 {result.p99:.1f} ms ({result.count} requests)",
            flush=True,
        )
    return results


def first_views(port, paths):
    """Release pages nobody has asked for yet: the cost of a page cache miss."""
    latencies = []
    for path in paths["en"]["unvisited"] + paths["da"]["unvisited"]:
        began = time.perf_counter()
        status, _body = get(port, path)
        if status == 200:
            latencies.append(time.perf_counter() - began)
    return Result(latencies, [], sum(latencies))


def query_profile(paths):
    """One uncached request per page in this process: its whole time and each query's time."""
    from django.db import connection
    from django.test import Client

    from pressroom import caching

    client = Client(HTTP_HOST=HOST)
    queries = []

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((time.perf_counter() - began) * 1000, sql % _quoted(params)))

    profile = []
    for name, path in (
        ("list", paths["en"]["list"][0]),
        ("release page", paths["en"]["unvisited"][-1]),
        ("search", paths["en"]["search"][0]),
        ("search", paths["da"]["search"][0]),
    ):
        client.get(path)  # the first request in a process pays for imports and templates
        caching.clear()
        queries.clear()
        with connection.execute_wrapper(timed):
            began = time.perf_counter()
            client.get(path)
            total = (time.perf_counter() - began) * 1000
        profile.append((name, path, total, list(queries)))
    caching.clear()
    return profile


def _quoted(params):
    if not params:
        return ()
    return tuple(value if isinstance(value, int | float) else f"'{value}'" for value in params)


def cached_hit_costs(paths, repeat=200):
    """What a page cache hit costs in one process: the stamp query, the cache read, all of it."""
    from django.test import Client

    from releases.models import Release

    client = Client(HTTP_HOST=HOST)
    path = paths["en"]["list"][0]
    client.get(path)
    costs = {}
    for label, action in (
        ("trivial view (test client)", lambda: client.get("/healthz")),
        ("release stamp query alone", Release.objects.stamp),
        ("cached list page (test client)", lambda: client.get(path)),
    ):
        began = time.perf_counter()
        for _n in range(repeat):
            action()
        costs[label] = (time.perf_counter() - began) * 1000 / repeat
    return costs


def stamp_plan():
    """How PostgreSQL runs the release stamp query that every cached page hit makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from releases.models import Release

    with CaptureQueriesContext(connection) as queries:
        Release.objects.stamp()
    sql = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql)
        plans = [(sql, [row[0] for row in cursor.fetchall()])]
    return plans


def check_publication(port):
    """Publish while the cache is warm, then a scheduled release's time passes; ask at once."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import reverse
    from django.utils import timezone, translation

    from pressroom import roles
    from releases.models import Release, ReleaseKind, Status

    roles.sync_role_permissions()
    User = get_user_model()
    editor, _made = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
    officer, _made = User.objects.get_or_create(
        username="bench-officer", defaults={"is_staff": True}
    )
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    officer.groups.add(Group.objects.get(name=roles.PRESS_OFFICER))

    pages = {}
    for language in ("en", "da"):
        with translation.override(language):
            pages[language] = [reverse("home"), reverse("releases:list")]
    checks = []

    def submitted(label):
        token = secrets.token_hex(4)
        return Release.objects.create(
            kind=ReleaseKind.NEWS,
            status=Status.SUBMITTED,
            submitted_by=officer,
            title_en=f"Benchmark {label} release {token}",
            slug_en=f"benchmark-{label}-{token}",
            lead_en="A release published while the page cache is warm.",
            title_da=f"Benchmark {label} nyhed {token}",
            slug_da=f"benchmark-{label}-{token}-da",
            lead_da="En nyhed offentliggjort, mens sidecachen er varm.",
        )

    def warm_and_confirm_absent(release):
        for language, urls in pages.items():
            title = getattr(release, f"title_{language}")
            for path in urls:
                for _attempt in range(8):
                    status, body = get(port, path)
                    if status != 200 or title in body:
                        return False
        return True

    def shown_everywhere(release):
        outcomes = []
        for language, urls in pages.items():
            title = getattr(release, f"title_{language}")
            with translation.override(language):
                detail = release.get_absolute_url()
            for path in [*urls, detail]:
                for _attempt in range(4):  # more than one request, to reach both workers
                    status, body = get(port, path)
                    outcomes.append(status == 200 and title in body)
        return sum(outcomes), len(outcomes)

    release = submitted("published")
    absent = warm_and_confirm_absent(release)
    release.publish(by=editor)
    shown, asked = shown_everywhere(release)
    checks.append(("published now (Release.publish)", absent, shown, asked))

    release = submitted("scheduled")
    at = timezone.now() + datetime.timedelta(seconds=4)
    release.publish(by=editor, at=at)
    absent = warm_and_confirm_absent(release)
    time.sleep(max(0.0, (at - timezone.now()).total_seconds()) + 0.05)
    shown, asked = shown_everywhere(release)
    checks.append(("scheduled, its time passed", absent, shown, asked))
    for label, was_absent, shown, asked in checks:
        print(f"  {label}: hidden before: {was_absent}; shown right after: {shown}/{asked}")
    return checks


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------


def machine_facts(workers, load, load_before):
    import django
    import gunicorn
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = found.group(1).strip() if found else ""
    return [
        ("CPU", f"{os.cpu_count()} cores{f', {model}' if model else ''}"),
        (
            "load average",
            f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
            "(other work on the machine shifts every number)",
        ),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("PostgreSQL", postgres),
        ("gunicorn", f"{gunicorn.__version__}, {workers} sync workers, on {HOST}"),
        (
            "load generator",
            f"this script: {load.processes} processes × {load.threads} threads "
            f"({load.processes * load.threads} connections), on the same machine",
        ),
    ]


def report(args, facts, seeded, rows, serial, first, checks, extras):
    trivial_runs = [r for name, _l, _c, r in rows if name == "trivial view"]
    trivial = statistics.median(r.rps for r in trivial_runs)
    lines = [
        "## Releases",
        "",
        "`bench/bench_releases.py` seeds "
        f"{args.releases:,} releases into a database of its own (80 % in English and Danish, "
        "12 % in English only, 8 % in Danish only; 96 % published, 1 % withdrawn, 3 % drafts; "
        "five types; one to three of 16 topics each; spread over twelve years; bodies of three "
        "to eight paragraphs), starts gunicorn on 127.0.0.1 and loads it from the same machine. "
        f"Every scenario ran {args.rounds} times, {args.seconds:g} s each (at most "
        f"{args.max_requests:,} requests), and each row is its run with the most requests per "
        "second, the one least disturbed by other work on the machine. Before each run, "
        "cached pages were requested until each worker's page cache "
        f"held them. Release pages cycle through {args.pages} different releases; search "
        f"through {len(SEARCHES['en'])} different queries per language, never cached. "
        "Run it with `.venv/bin/python bench/bench_releases.py` (about five minutes).",
        "",
        f"Last run: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; {seeded}.",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in facts],
        "",
        "### Requests per second and latency",
        "",
        "| page | lang | cached | req/s | × trivial | p50 ms | p95 ms | p99 ms | kB | failed |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    goals = []
    for name, language, cached, result in rows:
        ratio = result.rps / trivial if trivial else 0.0
        lines.append(
            f"| {name} | {language} | {'yes' if cached else 'no'} | {result.rps:,.0f} | "
            f"{ratio:.2f} | {result.p50:.1f} | {result.p95:.1f} | {result.p99:.1f} | "
            f"{result.kilobytes:.1f} | {len(result.failures)} |"
        )
        if name in ("home", "list", "filtered list", "release page"):
            ok = ratio >= CACHED_RATIO_GOAL and not result.failures
            goals.append(
                (
                    f"{name} ({language}), cached: ≥ {CACHED_RATIO_GOAL} × trivial",
                    f"{ratio:.2f} ×",
                    ok,
                )
            )
    lines += [
        "",
        "The trivial view (`/healthz`, no database) ran first, in the middle and last of "
        f"each round ({', '.join(f'{r.rps:,.0f}' for r in trivial_runs)} req/s); the ratios "
        f"use the median, {trivial:,.0f} req/s. The load generator shares the cores with gunicorn "
        "and PostgreSQL, so absolute numbers are lower than with a separate client machine.",
        "",
        "### Search as one reader sees it",
        "",
        "One request at a time, every query in turn, no other load:",
        "",
        "| lang | requests | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for language, result in serial.items():
        lines.append(
            f"| {language} | {result.count} | {result.p50:.1f} | {result.p95:.1f} | "
            f"{result.p99:.1f} |"
        )
        ok = result.p95 < SEARCH_P95_GOAL_MS and not result.failures
        goals.append(
            (f"search p95 ({language}) < {SEARCH_P95_GOAL_MS:g} ms", f"{result.p95:.1f} ms", ok)
        )
    lines += [
        "",
        f"A release page nobody has asked for yet (a page cache miss), {first.count} pages one "
        f"at a time: p50 {first.p50:.1f} ms, p95 {first.p95:.1f} ms.",
        "",
        "### Correct the moment something is published",
        "",
        "With the page caches warm, a release is published; then home, list and the release "
        "page are asked for in both languages, four times each so that both workers answer:",
        "",
    ]
    for label, absent, shown, asked in checks:
        ok = absent and shown == asked
        lines.append(
            f"- {label}: hidden before: {'yes' if absent else 'NO'}; shown on "
            f"{shown} of {asked} requests right after."
        )
        goals.append((f"correct at once: {label}", f"{shown}/{asked}", ok))
    lines += ["", "### Goals", "", "| goal | result | |", "|---|---|---|"]
    for label, value, ok in goals:
        lines.append(f"| {label} | {value} | {'PASS' if ok else 'FAIL'} |")
    lines += [
        "",
        "### Where the time goes",
        "",
        "One uncached request per page, in the benchmark process (Django test client), with "
        "the time of each SQL query:",
        "",
    ]
    for name, path, total, queries in extras["profile"]:
        sql_total = sum(ms for ms, _sql in queries)
        lines.append(
            f"- {name} `{path}`: {total:.1f} ms in all, of which {sql_total:.1f} ms in "
            f"{len(queries)} queries; the slowest:"
        )
        for ms, sql in sorted(queries, reverse=True)[:2]:
            lines.append(f"  - {ms:.1f} ms: `{_shorten(sql)}`")
    lines += ["", "A page cache hit in one process, mean of 200:", ""]
    for label, ms in extras["hit"].items():
        lines.append(f"- {label}: {ms:.2f} ms")
    ((stamp_sql, plan),) = extras["stamp"]
    lines += [
        "",
        "The release stamp query, which every cached page hit makes, as PostgreSQL runs it:",
        "",
        "```",
        _shorten(stamp_sql, 400),
        *plan,
        "```",
    ]
    return "\n".join(lines), goals


def _shorten(sql, limit=160):
    sql = " ".join(sql.split())
    return sql if len(sql) <= limit else sql[: limit - 1] + "…"


def write_readme(section):
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Releases\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    README.write_text(text.rstrip("\n") + "\n")


# ---------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=5.0, help="per load run")
    parser.add_argument("--rounds", type=int, default=2, help="runs of every scenario")
    parser.add_argument("--max-requests", type=int, default=40_000, help="per load run")
    parser.add_argument("--pages", type=int, default=200, help="different release pages")
    parser.add_argument("--processes", type=int, default=2, help="load generator processes")
    parser.add_argument("--threads", type=int, default=2, help="connections per process")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8104)
    parser.add_argument("--database-url", default="", help="default: embedded pressroom_bench")
    parser.add_argument("--keep-data", action="store_true", help="reuse an earlier seeding")
    parser.add_argument("--no-readme", action="store_true", help="do not write bench/README.md")
    args = parser.parse_args()

    began = time.monotonic()
    load_before = os.getloadavg()[0]
    prepare_environment(args.database_url)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import DatabaseError, connection

    from releases.models import Release, Topic

    print("Preparing the benchmark database …", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("compiletranslations", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seed_began = time.monotonic()
    if args.keep_data and Release.objects.count() >= args.releases:
        topics = list(Topic.objects.all())
        seeded = "the releases of an earlier run were reused"
        print("Reusing the releases already seeded.", flush=True)
    else:
        print(f"Seeding {args.releases:,} releases …", flush=True)
        topics = seed(args.releases)
        # What autovacuum would have done on a real site: set hint bits, the visibility map
        # and statistics, so that the first requests do not pay for the bulk load.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {Release._meta.db_table}")
            # Write the bulk load out now rather than in a checkpoint during the measurements.
            with contextlib.suppress(DatabaseError):
                cursor.execute("CHECKPOINT")
        seeded = f"seeding took {time.monotonic() - seed_began:.0f} s"
    seed_seconds = time.monotonic() - seed_began
    print(f"  {Release.objects.count():,} releases in {seed_seconds:.0f} s", flush=True)
    rng = random.Random(7)
    paths = page_paths(topics, args.pages, rng)
    extras = {
        "profile": query_profile(paths),
        "hit": cached_hit_costs(paths),
        "stamp": stamp_plan(),
    }
    # The load generator forks below; its processes must not share this connection.
    connection.close()

    load = LoadGenerator(args.port, args.processes, args.threads)
    server = start_gunicorn(args.port, args.workers, f"http://{HOST}:{args.port}")
    try:
        print(f"Load on {HOST}:{args.port} ({args.seconds:g} s per run):", flush=True)
        rows = measure(load, paths, args.seconds, args.max_requests, args.rounds)
        serial = search_latency(load, paths, rounds=16)
        first = first_views(args.port, paths)
        print("Publishing while the cache is warm:", flush=True)
        checks = check_publication(args.port)
    finally:
        load.close()
        stop(server)
    facts = machine_facts(args.workers, load, load_before)
    section, goals = report(args, facts, seeded, rows, serial, first, checks, extras)
    print()
    print(section)
    if not args.no_readme:
        write_readme(section)
        print(f"Written to {README.relative_to(ROOT)}.")
    print(f"Whole run: {time.monotonic() - began:.0f} s")
    return 0 if all(ok for _label, _value, ok in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
