"""The benchmark database, and the releases and subscribers seeded into it."""

import datetime
import os
import random
import secrets
import sys
from urllib.parse import urlencode, urlsplit

from bench import texts, var_dir

EMBEDDED_DATABASE = "pressroom_bench"


def use_database(database_url=""):
    """Point this process, and every server and worker it starts, at the benchmark database.

    ``database_url`` must name a database whose name says "bench", since seeding empties
    tables; without one, the embedded server holds ``pressroom_bench`` for the whole run.
    Then Django is set up and the database migrated.
    """
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["CONN_MAX_AGE"] = "600"
    os.environ["STATIC_ROOT"] = str(var_dir() / "bench" / "static")
    if database_url:
        name = urlsplit(database_url).path.lstrip("/")
        if "bench" not in name:
            sys.exit(f"Refusing to seed {name!r}: the benchmark database's name must say 'bench'.")
    else:
        from pressroom import embedded

        # This process holds the embedded server for the whole run; servers and workers connect.
        info = embedded.server(var_dir(), EMBEDDED_DATABASE)
        query = urlencode({"host": str(info.socket_dir), "port": info.port})
        database_url = f"postgres://postgres@/{EMBEDDED_DATABASE}?{query}"
    os.environ["DATABASE_URL"] = database_url

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("compiletranslations", verbosity=0)


def seed_releases(count, *, rng_seed=2026, batch_size=1000, now=None):
    """Replace all releases and topics with ``count`` generated ones; return the topics.

    80 % in English and Danish, 12 % in English only, 8 % in Danish only; 96 % published,
    1 % withdrawn, 3 % drafts; one to three topics each; spread over twelve years.
    """
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
            for en, da, name_en, name_da, _weight in texts.TOPICS
        )
        weights = [weight for *_rest, weight in texts.TOPICS]
        kinds, kind_weights = zip(*texts.KIND_WEIGHTS, strict=True)
        assert set(kinds) == set(ReleaseKind.values)
        for start in range(0, count, batch_size):
            releases, chosen_topics = [], []
            for n in range(start, min(start + batch_size, count)):
                published_at = first + datetime.timedelta(seconds=rng.random() * span)
                slots = texts.random_slots(rng, published_at.year)
                titles = texts.title(rng, slots)
                lead_en, lead_da, body_en, body_da = texts.lead_and_body(rng, slots)
                written = {
                    "en": {"title": titles[0], "lead": lead_en, "body": body_en},
                    "da": {"title": titles[1], "lead": lead_da, "body": body_da},
                }
                languages = rng.choices(["both", "en", "da"], weights=[80, 12, 8])[0]
                # A language a release is not written in stays empty, as the admin leaves it.
                values = {}
                for code, text in written.items():
                    if languages not in ("both", code):
                        text = dict.fromkeys(text, "")
                    values.update({f"{field}_{code}": value for field, value in text.items()})
                    values[f"slug_{code}"] = texts.slug(text["title"], n) if text["title"] else ""
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
    # As autovacuum leaves a table that has stood a while: statistics, and a visibility map
    # that lets counts of public releases read the index alone.
    # (Only ANALYZE inside a transaction, such as a test's: VACUUM cannot run there.)
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {Release._meta.db_table}, {through._meta.db_table}")
    return topics


def seed_subscribers(count):
    """Replace all subscribers with ``count`` confirmed ones, a third of them Danish.

    Every one follows every release. Deliveries and queued jobs go too, and releases
    already in the database are kept from mailing anyone, so that a run sends only
    its own release.
    """
    from django.db import connection

    from releases.models import Release
    from subscriptions.models import CONSENT_VERSION, Delivery, Subscriber

    Delivery.objects.all().delete()
    Subscriber.objects.all().delete()
    Release.objects.update(notify_subscribers=False)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")
        cursor.execute(
            f"""
            INSERT INTO {Subscriber._meta.db_table}
                (email, language, all_releases, kinds, frequency, status, key,
                 consent_version, consented_at, created_at, confirmed_at, hard_bounces)
            SELECT 'reader' || n || '@example.org', CASE WHEN n %% 3 = 0 THEN 'da' ELSE 'en' END,
                   true, '{{}}', 'immediately', 'confirmed', md5(n::text), %s, now(), now(),
                   now(), 0
            FROM generate_series(1, %s) AS n
            """,
            [CONSENT_VERSION, count],
        )


def published_release(label):
    """A new release in both languages, published now, that mails its subscribers."""
    from django.utils import timezone

    from core.models import PressroomProfile
    from releases.models import Release, Status

    PressroomProfile.objects.get_or_create(
        pk=1, defaults={"title_en": "Pressroom", "organisation_en": "Pressroom"}
    )
    token = secrets.token_hex(4)
    return Release.objects.create(
        status=Status.PUBLISHED,
        published_at=timezone.now(),
        title_en=f"Benchmark {label} release {token}",
        title_da=f"Benchmark {label} nyhed {token}",
        slug_en=f"benchmark-{label}-{token}",
        slug_da=f"benchmark-{label}-{token}-da",
        lead_en="One or two sentences that sum up the release.",
        lead_da="En eller to sætninger, der opsummerer nyheden.",
    )


def seed_for_spike(args, name):
    """The releases and the two staff people a publication-spike benchmark works with.

    Seeds ``args.releases`` releases (unless ``--keep-data`` finds them), makes an editor and
    a press officer named after the benchmark, and returns them with the newest
    ``args.pages`` public releases.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from pressroom import roles
    from releases.models import Release

    call_command("collectstatic", interactive=False, verbosity=0)
    if not (args.keep_data and Release.objects.count() >= args.releases):
        seed_releases(args.releases)
    roles.sync_role_permissions()
    users = get_user_model().objects
    editor, _made = users.get_or_create(
        username=f"bench-{name}-editor", defaults={"is_staff": True}
    )
    officer, _made = users.get_or_create(
        username=f"bench-{name}-officer", defaults={"is_staff": True}
    )
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    officer.groups.add(Group.objects.get(name=roles.PRESS_OFFICER))
    newest = Release.objects.published().order_by("-published_at")[: args.pages]
    return editor, officer, list(newest)


def empty_page_store():
    """Empty the shared page store, and vacuum its table when it is the database's.

    A real site's autovacuum reclaims the rows of pages deleted from the store. This machine's
    PostgreSQL runs with autovacuum off: the thousands of pages each run stored, emptied by the
    next, stayed as dead rows, and a run's writes of the same addresses stepped over every
    earlier run's copies (the store's table grew by about 22 MB a run, 245 MB over a day).
    """
    from django.db import connection

    from core import caching
    from core.cache_backends import DatabaseCache

    store = caching.store()
    store.clear()
    if isinstance(store, DatabaseCache) and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {connection.ops.quote_name(store._table)}")
