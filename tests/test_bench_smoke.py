"""The benchmarks still fit the code: seeding, the sink, the figures and the report, run tiny."""

import pytest
from django.utils import translation
from django.utils.html import escape

from bench import email_delivery, is_full_run, release_pages, report, var_dir
from bench.seed import published_release, seed_releases, seed_subscribers
from bench.server import Result
from bench.sink import Sink, trivial_sender_rate
from releases.models import Release, Status
from subscriptions.models import Subscriber, SubscriberStatus


@pytest.fixture
def seeded(db, profile):
    seed_releases(60, batch_size=25)
    return Release.objects.published()


def test_seeding_makes_releases_in_both_languages_and_in_one_only(seeded):
    assert Release.objects.count() == 60
    assert seeded.exclude(title_en="").exclude(title_da="").exists()
    assert seeded.filter(title_da="").exclude(title_en="").exists()
    assert seeded.filter(title_en="").exclude(title_da="").exists()
    assert Release.objects.filter(status=Status.DRAFT, published_at__isnull=True).exists()
    assert not Release.objects.filter(topics__isnull=True).exists()
    assert not Release.objects.filter(notify_subscribers=True).exists()


def test_seeded_releases_show_on_the_danish_list_and_their_own_page(seeded, client):
    newest = seeded.for_listing().first()
    with translation.override("da"):
        title, url = newest.title, newest.get_absolute_url()
    assert f">{escape(title)}</a>" in client.get("/da/nyheder/").content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert f"<h1>{escape(title)}</h1>" in page.content.decode()


def test_seeded_releases_are_found_by_search_in_each_language(seeded):
    english = seeded.exclude(title_en="").first()
    danish = seeded.exclude(title_da="").first()
    assert english in seeded.search(english.title_en)
    assert danish in seeded.search(danish.title_da)


def test_seeded_subscribers_replace_the_old_ones_and_earlier_releases_mail_nobody(db, profile):
    earlier = published_release("earlier")
    seed_subscribers(5)
    seed_subscribers(30)
    assert Subscriber.objects.count() == 30
    assert Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED).count() == 30
    assert Subscriber.objects.filter(language="da").count() == 10
    earlier.refresh_from_db()
    assert not earlier.notify_subscribers
    assert published_release("new").notify_subscribers


def test_percentiles_are_read_from_the_sorted_latencies():
    result = Result([i / 1000 for i in range(1, 101)], [], wall=2.0)
    assert (result.count, result.rps) == (100, 50.0)
    assert (result.p50, result.p95, result.p99) == pytest.approx((51.0, 96.0, 100.0))


def test_the_sink_counts_every_message_the_trivial_sender_sends():
    sink = Sink()
    try:
        assert trivial_sender_rate(sink, 25, lines=3) > 0
        assert sink.count == 25
    finally:
        sink.stop()


def test_a_section_replaces_only_its_own_and_keeps_the_others(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(
        "# Benchmarks\n\nIntro.\n\n## Releases\n\nold releases\n\n### Goals\n\nold goals\n\n"
        "## Subscriptions: one release to 9 subscribers\n\nold delivery\n"
    )
    report.write_section(readme, "## Releases", "## Releases\n\nnew releases\n")
    report.write_section(
        readme, "## Subscriptions", "## Subscriptions: one release to 7 subscribers\n\nnew\n"
    )
    assert readme.read_text() == (
        "# Benchmarks\n\nIntro.\n\n## Releases\n\nnew releases\n\n"
        "## Subscriptions: one release to 7 subscribers\n\nnew\n"
    )
    report.write_section(tmp_path / "new" / "README.md", "## Releases", "## Releases\n\nfirst\n")
    assert (tmp_path / "new" / "README.md").read_text() == "# Benchmarks\n\n## Releases\n\nfirst\n"


@pytest.mark.parametrize(
    ("benchmark", "smaller"),
    [(release_pages, ["--releases", "500"]), (email_delivery, ["--subscribers", "300"])],
)
def test_only_a_full_run_is_recorded_in_the_bench_readme(benchmark, smaller):
    parser = benchmark.arguments()
    full = is_full_run(parser, parser.parse_args(["--output", ""]), benchmark.SIZING)
    tiny = is_full_run(parser, parser.parse_args(smaller), benchmark.SIZING)
    assert (full, tiny) == (True, False)
    assert report.destination(full) == report.README
    assert report.destination(tiny) == var_dir() / "bench" / "README.md"
    assert report.destination(tiny, "elsewhere.md").name == "elsewhere.md"
