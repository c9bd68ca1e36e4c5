"""How long the public pages take to render afresh, in process, with their queries counted."""

import argparse
import statistics
import time

from bench.seed import seed_releases, use_database
from bench.server import HOST


def forget_fragments():
    """Empty what the pages keep in process besides whole pages (see ``--cold``)."""
    from core.context_processors import forget_profile
    from missions.views import forget_kept_pages
    from pressroom.views import forget_contact_parts
    from releases.caching import forget_kept_for_version
    from releases.filters import forget_choices
    from releases.templatetags.release_items import forget_rendered_items
    from releases.views import forget_kept_ids, forget_kept_releases, forget_newest
    from subscriptions.templatetags.subscriptions import forget_rendered_forms

    for forget in (
        forget_profile,
        forget_kept_pages,
        forget_kept_for_version,
        forget_choices,
        forget_rendered_items,
        forget_kept_releases,
        forget_kept_ids,
        forget_newest,
        forget_rendered_forms,
        forget_contact_parts,
    ):
        forget()


def render_times(paths, repeat, cold=False):
    """Median milliseconds and query count of each page rendered with every cache emptied.

    The parts pages keep in process (list entries, a release's parts, the sign-up form, what
    a release version says) stay unless ``cold``: as after a publication or a page's expiry.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core import caching

    client = Client(HTTP_HOST=HOST)
    rows = []
    for name, path in paths:
        client.get(path)  # the first request in a process pays for imports and templates
        times = []
        for _n in range(repeat):
            caching.clear()
            caching.store().clear()
            if cold:
                forget_fragments()
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        page_queries = [q for q in queries.captured_queries if "pressroom_pages" not in q["sql"]]
        rows.append((name, path, statistics.median(times), len(page_queries)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--releases", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep-data", action="store_true", help="reuse an earlier seeding")
    parser.add_argument(
        "--cold", action="store_true", help="also forget the parts pages keep in process"
    )
    args = parser.parse_args()
    use_database(args.database_url)

    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import translation

    from missions import demo as missions_demo
    from missions.models import Mission
    from releases.models import Release

    if not (args.keep_data and Release.objects.count() >= args.releases):
        seed_releases(args.releases)
    missions_demo.load()
    call_command("collectstatic", interactive=False, verbosity=0)
    mission = Mission.objects.first()
    release = Release.objects.published().order_by("-published_at")[5]
    with translation.override("en"):
        paths = [
            ("trivial view", "/healthz"),
            ("home", reverse("home")),
            ("release page", release.get_absolute_url()),
            ("list", reverse("releases:list")),
        ]
        if mission is not None:
            paths.append(("mission", mission.get_absolute_url()))
    print(f"{Release.objects.count():,} releases")
    print("| page | median ms | queries |")
    print("|---|---:|---:|")
    for name, _path, median, queries in render_times(paths, args.repeat, cold=args.cold):
        print(f"| {name} | {median:.1f} | {queries} |")


if __name__ == "__main__":
    main()
