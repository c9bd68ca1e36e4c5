"""Search latency at 20,000 releases under gunicorn: one reader at a time, and 4 at once.

    .venv/bin/python -m bench.search [--releases 20000] [--keep-data]

Seeds the benchmark database as ``bench.release_pages`` does (or reuses it with
``--keep-data``), rebuilds the typo-suggestion vocabulary, starts gunicorn with two
workers on 127.0.0.1 and sends search requests: the readers' searches of the releases
benchmark (every word found), and searches that take the slower paths (most words,
typo suggestions, prefixes, a minus), in both languages. Each set runs one request
at a time, then over 4 connections, with the trivial ``/healthz`` view measured the
same way as the reference. A full run writes the "Search" section of bench/README.md.
"""

import contextlib
import os
import sys
import time
from urllib.parse import urlencode

from bench import argument_parser, is_full_run, report
from bench.release_pages import SEARCHES
from bench.seed import seed_releases, use_database
from bench.server import HOST, LoadGenerator, start_gunicorn, stop

# Goals from the readers issue: p95 one at a time, and over 4 connections.
ONE_AT_A_TIME_GOAL_MS = 50.0
FOUR_AT_ONCE_GOAL_MS = 80.0

# Searches that find no release with every word, misspell one, or end mid-word.
HARDER = {
    "en": [
        "handover of humanitarian aid to Kenya",
        "humanitarain aid",
        "minister visits Keyna",
        "Ukraine -Kyiv",
        "green energ",
        "embassy offic",
    ],
    "da": [
        "overdragelse af humanitær bistand til Kenya",
        "humanitær bistnd",
        "ministeren besøger Kenia",
        "Ukraine -Kyiv",
        "grøn energ",
        "ambassadekonto",
    ],
}

SIZING = ["releases", "rounds", "seconds"]


def arguments():
    parser = argument_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=16, help="of every query, one at a time")
    parser.add_argument("--seconds", type=float, default=8.0, help="per run over 4 connections")
    parser.add_argument("--port", type=int, default=8105)
    parser.add_argument("--keep-data", action="store_true", help="reuse an earlier seeding")
    return parser


def search_paths():
    from django.urls import reverse
    from django.utils import translation

    paths = {}
    for language in ("en", "da"):
        with translation.override(language):
            url = reverse("releases:search")
        for name, queries in (("every word", SEARCHES), ("slower paths", HARDER)):
            paths[(name, language)] = [f"{url}?{urlencode({'q': q})}" for q in queries[language]]
    return paths


def measure(load, paths, rounds, seconds):
    rows = []
    for (name, language), urls in [(("trivial view", ""), ["/healthz"]), *paths.items()]:
        load.run(urls, seconds=5, max_requests=len(urls) * 2, concurrency=1)
        serial = load.run(urls, seconds=120, max_requests=len(urls) * rounds, concurrency=1)
        parallel = load.run(urls, seconds, max_requests=40_000)
        rows.append((name, language, len(urls), serial, parallel))
        print(
            f"  {name:<13} {language:<3} one at a time p95 {serial.p95:6.1f} ms, "
            f"4 at once p95 {parallel.p95:6.1f} ms ({parallel.rps:.0f} req/s)",
            flush=True,
        )
    return rows


def section(args, machine, seeded, words_ms, rows):
    lines = [
        "## Search",
        "",
        f"`bench/search.py` searches the releases of `bench/release_pages.py` "
        f"({args.releases:,}; {seeded}) under gunicorn with two workers: the readers' "
        "searches of that benchmark, where every word is found, and searches that take the "
        "slower paths (no release has every word, a misspelt word with its suggestion, a last "
        "word typed halfway, a minus). Each set runs one request at a time "
        f"({args.rounds} rounds of every query), then over 4 connections for "
        f"{args.seconds:g} s; the trivial view `/healthz` is measured the same way. Run it "
        "with `.venv/bin/python -m bench.search` (add `--keep-data` after the releases "
        "benchmark). Rebuilding the typo-suggestion vocabulary from every public release "
        f"took {words_ms:.0f} ms (the worker does it within a minute of a change).",
        "",
        f"Last run: {report.finished_at()}.",
        "",
        *machine,
        "",
        "| searches | lang | queries | one at a time p50 ms | p95 ms | 4 at once p50 ms | "
        "p95 ms | req/s |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, language, count, serial, parallel in rows:
        lines.append(
            f"| {name} | {language} | {count} | {serial.p50:.1f} | {serial.p95:.1f} | "
            f"{parallel.p50:.1f} | {parallel.p95:.1f} | {parallel.rps:,.0f} |"
        )
    goals = []
    for name, language, _count, serial, parallel in rows:
        if name == "trivial view":
            continue
        goals.append(
            (
                f"{name} ({language}), one at a time: p95 < {ONE_AT_A_TIME_GOAL_MS:g} ms",
                f"{serial.p95:.1f} ms",
                serial.p95 < ONE_AT_A_TIME_GOAL_MS,
            )
        )
        goals.append(
            (
                f"{name} ({language}), 4 connections: p95 < {FOUR_AT_ONCE_GOAL_MS:g} ms",
                f"{parallel.p95:.1f} ms",
                parallel.p95 < FOUR_AT_ONCE_GOAL_MS,
            )
        )
    lines += ["", "### Goals", "", "| goal | result | |", "|---|---|---|"]
    lines += [f"| {label} | {value} | {'PASS' if ok else 'FAIL'} |" for label, value, ok in goals]
    return "\n".join(lines) + "\n", goals


def main():
    parser = arguments()
    args = parser.parse_args()
    full = is_full_run(parser, args, SIZING)
    load_before = os.getloadavg()[0]
    print("Preparing the benchmark database …", flush=True)
    use_database(args.database_url)
    from django.core.management import call_command
    from django.db import DatabaseError, connection

    from releases import search
    from releases.models import Release

    call_command("collectstatic", interactive=False, verbosity=0)
    began = time.monotonic()
    if args.keep_data and Release.objects.count() >= args.releases:
        seeded = "the releases of an earlier run were reused"
    else:
        print(f"Seeding {args.releases:,} releases …", flush=True)
        seed_releases(args.releases)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {Release._meta.db_table}")
            with contextlib.suppress(DatabaseError):
                cursor.execute("CHECKPOINT")
        seeded = f"seeding took {time.monotonic() - began:.0f} s"
    began = time.monotonic()
    search.refresh_words()
    words_ms = (time.monotonic() - began) * 1000
    paths = search_paths()
    connection.close()

    load = LoadGenerator(args.port, 2, 2)
    server = start_gunicorn(args.port, 2)
    try:
        rows = measure(load, paths, args.rounds, args.seconds)
    finally:
        load.close()
        stop(server)
    import gunicorn

    machine = report.machine_table(
        load_before,
        ("gunicorn", f"{gunicorn.__version__}, 2 sync workers, on {HOST}"),
        ("load generator", "2 processes × 2 threads (4 connections), on the same machine"),
    )
    text, goals = section(args, machine, seeded, words_ms, rows)
    print()
    print(text)
    destination = report.destination(full, args.output)
    report.write_section(destination, "## Search", text)
    print(f"Written to {destination}{'' if full else ' (not a full run)'}.")
    return 0 if all(ok for _label, _value, ok in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
