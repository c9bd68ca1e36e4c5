"""Bad input never crashes: every URL pattern, every page and every admin filter, fed junk.

The junk is what a scanner sends: a null byte (which PostgreSQL refuses in
text), bytes that are not UTF-8, numbers too big for any column and negative
numbers. It goes into every path segment of every URL pattern (found
by walking the resolver, in both languages), into every query parameter the
site reads or links to (the admin's change list filters included, found by
following the links of every page), and into every form field. No answer may
be a server error; a null byte is refused with 400 or 404.
"""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation
from procrastinate.contrib.django.models import ProcrastinateJob

from tests.conftest import sign_in

NUL = "%00"
JUNK = [NUL, "%FF%FE", "9" * 25, "-1"]
# Query parameters the views read, besides those found in links.
READ_PARAMETERS = ["kind", "topic", "year", "page", "q", "mission", "saved", "next", "p", "fmt"]
FORM_FIELDS = ["email", "language", "follow", "kinds", "topics", "missions", "frequency", "website"]
CONVERTER = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)")


@pytest.fixture
def site(transactional_db, cache_table, settings):
    # Every request in its own transaction, as in production: one refused query
    # must not make the following requests fail.
    settings.SUBSCRIBE_LIMIT_PER_CLIENT = settings.SUBSCRIBE_LIMIT_PER_ADDRESS = 10**6
    call_command("load_demo", verbosity=0)
    admin = Client(raise_request_exception=False)
    sign_in(admin, get_user_model().objects.create_superuser("root", "root@example.org"))
    return Client(raise_request_exception=False), admin


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.fields = set(), set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.add(attrs["href"])
        if tag in ("input", "select", "textarea") and attrs.get("name"):
            self.fields.add(attrs["name"])


def patterns(resolvers=None, prefix=""):
    """Every URL pattern as a path template, in the active language."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def concrete(template, value):
    path = CONVERTER.sub(value, template.replace("^", "").replace("$", ""))
    return "/" + path.replace("\\", "")


def crawl(client, start, limit):
    """The pages reachable from ``start``: their paths, query parameters and form fields."""
    seen, queue, parameters, fields = set(), list(start), set(), set()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc or parts.path in seen or not parts.path.startswith("/"):
            continue
        if "/logout/" in parts.path or "/delete/" in parts.path:
            continue
        seen.add(parts.path)
        response = client.get(parts.path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = Links()
        page.feed(response.content.decode())
        fields |= page.fields
        for link in page.links:
            parameters |= {name for name, _value in parse_qsl(urlsplit(link).query)}
            queue.append(link)
    return sorted(seen), parameters, fields


class Fuzzer:
    """Sends requests and keeps those answered with a server error (or a null byte let in)."""

    def __init__(self):
        self.failures = []
        self.sent = 0

    def check(self, client, method, path, data=None):
        self.sent += 1
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data, content_type="application/x-www-form-urlencoded")
        status = response.status_code
        if path.startswith("/healthz/workers") and status == 503:
            return  # no worker runs in this test: the truthful answer
        if status >= 500 or (NUL in path + (data or "") and status not in (400, 404)):
            self.failures.append(f"{method} {path} {data or ''} → {status}")

    def assert_no_failures(self):
        print(f"{self.sent} requests, {len(self.failures)} failures")
        print("\n".join(self.failures))
        assert self.failures == []


def test_junk_in_the_path_segments_and_form_fields_of_every_url_pattern_is_no_server_error(site):
    public, admin = site
    fuzzer = Fuzzer()
    form = "&".join(f"{name}={{value}}" for name in FORM_FIELDS)
    for language in ("en", "da"):
        with translation.override(language):
            templates = {t for t in patterns() if "logout" not in t}
        for template in sorted(templates):
            client = admin if template.startswith("admin/") else public
            for value in JUNK:
                fuzzer.check(client, "GET", concrete(template, value))
                fuzzer.check(client, "POST", concrete(template, value), form.format(value=value))
    fuzzer.assert_no_failures()


def test_junk_in_every_query_parameter_and_form_field_of_every_public_page_is_no_server_error(
    site,
):
    public, _admin = site
    fuzzer = Fuzzer()
    paths, parameters, fields = crawl(public, ["/en/", "/da/"], limit=200)
    names = sorted(parameters | set(READ_PARAMETERS))
    routes = set()
    for path in paths:
        with translation.override(translation.get_language_from_path(path)):
            route = resolve(path).route
        for value in JUNK:
            fuzzer.check(public, "GET", f"{path}?" + "&".join(f"{n}={value}" for n in names))
            form = "&".join(f"{name}={value}" for name in sorted(fields | set(FORM_FIELDS)))
            fuzzer.check(public, "POST", path, form)
            # One parameter at a time, so that none hides behind another's refusal,
            # on one page of each kind.
            if value != NUL and route not in routes:
                for name in names:
                    fuzzer.check(public, "GET", f"{path}?{name}={value}")
        routes.add(route)
    fuzzer.assert_no_failures()


def test_junk_in_the_admin_change_list_filters_is_no_server_error(site):
    _public, admin = site
    fuzzer = Fuzzer()
    paths, parameters, _fields = crawl(admin, ["/admin/"], limit=150)
    changelists = [path for path in paths if re.fullmatch(r"/admin/\w+/\w+/", path)]
    assert len(changelists) >= 10
    for path in changelists:
        for value in JUNK:
            query = "&".join(f"{name}={value}" for name in sorted(parameters))
            fuzzer.check(admin, "GET", f"{path}?{query}")
            if value != NUL:
                for name in sorted(parameters):
                    fuzzer.check(admin, "GET", f"{path}?{name}={value}")
    fuzzer.assert_no_failures()


def test_a_null_character_is_refused_with_a_page_that_says_why_in_the_readers_language(client, db):
    response = client.get("/da/nyheder/rss/?topic=%00")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<h1>Ugyldig forespørgsel</h1>" in page
    assert "Adressen eller formularen indeholdt et nul-tegn" in page

    response = client.post("/en/subscriptions/send-my-link/", {"email": "reader\x00@example.org"})
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()
    assert not ProcrastinateJob.objects.exists()  # nothing was queued
