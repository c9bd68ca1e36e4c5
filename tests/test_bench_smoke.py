"""The releases benchmark still fits the models: its seeding, run tiny, without a server."""

import importlib.util
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.html import escape

from releases.models import Release, Status

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "bench_releases.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_releases", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def seeded(bench, db, profile):
    bench.seed(60, batch_size=25)
    return Release.objects.published()


def test_seeding_makes_releases_in_both_languages_and_in_one_only(seeded):
    assert Release.objects.count() == 60
    assert seeded.exclude(title_en="").exclude(title_da="").exists()
    assert seeded.filter(title_da="").exclude(title_en="").exists()
    assert seeded.filter(title_en="").exclude(title_da="").exists()
    assert Release.objects.filter(status=Status.DRAFT, published_at__isnull=True).exists()
    assert not Release.objects.filter(topics__isnull=True).exists()


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


def test_percentiles_are_read_from_the_sorted_latencies(bench):
    result = bench.Result([i / 1000 for i in range(1, 101)], [], wall=2.0)
    assert (result.count, result.rps) == (100, 50.0)
    assert (result.p50, result.p95, result.p99) == pytest.approx((51.0, 96.0, 100.0))
