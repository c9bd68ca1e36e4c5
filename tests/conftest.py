"""Fixtures, personas, the make_* factories and the SMTP sink shared by every test."""

import asyncio
import contextlib
import datetime
import io
import itertools
import re
import socket
import threading
import time
from email import message_from_bytes, policy
from html.parser import HTMLParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.test import RequestFactory, override_settings
from django.test.utils import setup_databases, teardown_databases
from django.utils import timezone, translation
from django.utils.translation.reloader import translation_file_changed
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import ExifTags, Image
from procrastinate.contrib.django import app

from core import caching
from core.context_processors import forget_profile
from core.models import PressroomProfile
from missions.models import Figure, FigureKind, Mission, Organisation, Qualifier
from missions.views import forget_kept_pages
from pressroom import roles
from pressroom.views import forget_contact_parts
from releases.caching import forget_kept_for_version
from releases.filters import forget_choices
from releases.media_admin import ReleaseDocumentInline, ReleaseImageInline
from releases.models import Release, ReleaseKind, Status
from releases.templatetags.release_items import forget_rendered_items
from releases.views import forget_kept_ids, forget_kept_releases, forget_newest
from subscriptions.models import CONSENT_VERSION, Subscriber, SubscriberStatus
from subscriptions.templatetags.subscriptions import forget_rendered_forms

PASSWORD = "correct horse battery staple"

_counter = itertools.count(1)


# The session ------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    """Compile the Danish catalogue first, as `run.py test` does, so a bare pytest passes too."""
    call_command("compiletranslations", stdout=io.StringIO())
    # A language looked up before its catalogue existed stays cached without it;
    # Django's own reloader forgets the cached catalogues when a .mo file changes.
    translation_file_changed(sender=None, file_path=Path("django.mo"))


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    # PBKDF2 is slow on purpose; tests and the demo loader hash hundreds of passwords.
    # Session-wide, so the live server of the browser tests checks logins with it too.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb, django_db_createdb):
    """The test database, with the shared cache's table (login and sign-up counts live there).

    pytest-django makes it only when a collected test asks it for the database; the browser
    tests reach theirs through their own live server, so a run of them alone makes it here.
    """
    created = None
    with django_db_blocker.unblock():
        if not connection.settings_dict["NAME"].startswith(TEST_DATABASE_PREFIX):
            keepdb = django_db_keepdb and not django_db_createdb
            created = setup_databases(0, interactive=False, aliases={"default"}, keepdb=keepdb)
        call_command("createcachetable", verbosity=0)
    yield
    if created and not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(created, verbosity=0)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # The manifest storage needs collectstatic; tests read static files from the apps.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.SITE_URL = "http://testserver"
    caching.clear()
    forget_profile()
    forget_rendered_forms()
    forget_rendered_items()
    forget_kept_for_version()
    forget_kept_releases()
    forget_kept_ids()
    forget_newest()
    forget_kept_pages()
    forget_choices()
    forget_contact_parts()
    # A request to a /da/ page leaves Danish active in its thread; each test starts in English.
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def cache_table(db):
    """The shared cache, emptied: no rate-limit count is left over from another test."""
    cache.clear()


# Personas ---------------------------------------------------------------------------------


@pytest.fixture
def profile(db):
    return PressroomProfile.objects.create(
        pk=1,
        title_en="News from the Ministry of Foreign Affairs of Denmark",
        title_da="Nyheder fra Udenrigsministeriet",
        organisation_en="the Ministry of Foreign Affairs of Denmark",
        organisation_da="Udenrigsministeriet",
        about_en="In our pressroom you can read all our latest releases.",
        about_da="I vores presserum kan du læse alle vores seneste nyheder.",
        address="Asiatisk Plads 2\n1448 København K",
    )


def make_user(username, role=None, **fields):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=role is not None, **fields
    )
    if role:
        # The roles' groups and permissions come with the database (see pressroom.roles).
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor(db):
    return make_user("erika", roles.EDITOR)


@pytest.fixture
def second_editor(db):
    return make_user("edvard", roles.EDITOR)


@pytest.fixture
def press_officer(db):
    return make_user("olga", roles.PRESS_OFFICER)


@pytest.fixture
def outsider(db):
    return make_user("oscar")


def authenticator(user):
    """The user's authenticator app: a TOTP device, made if the user has none."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="default")
    return device


def totp_code(device):
    """The code the device's authenticator app shows now, one it still accepts.

    A code is accepted once; if this time step's was used, the next step's (within the
    device's tolerance) is given, waiting for the clock if even that was used.
    """
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while True:
        totp.time = time.time()
        now = totp.t()
        while totp.t() <= device.last_t:
            totp.time += device.step
        if totp.t() - now <= device.tolerance:
            return f"{totp.token():0{device.digits}d}"
        time.sleep(1)


def sign_in(client, user):
    """Log ``user`` in on the test client as the sign-in pages do, second factor given."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()


# Releases and their media -----------------------------------------------------------------


def make_release(
    title="Denmark hands over command",
    *,
    title_da=None,
    status=Status.PUBLISHED,
    published_at=None,
    kind=ReleaseKind.PRESS_RELEASE,
    **fields,
):
    n = next(_counter)
    if status in (Status.PUBLISHED, Status.SCHEDULED, Status.WITHDRAWN) and published_at is None:
        published_at = timezone.now() - datetime.timedelta(hours=n)
    values = {
        "title_en": title,
        "slug_en": f"{n}-release-en" if title else "",
        "lead_en": f"Lead of {title}" if title else "",
        "body_en": f"Body of {title}" if title else "",
    }
    if title_da:
        values.update(
            title_da=title_da,
            slug_da=f"{n}-release-da",
            lead_da=f"Indledning {n}",
            body_da=f"Brødtekst {n}",
        )
    if status in (Status.PUBLISHED, Status.WITHDRAWN):
        values["announced_at"] = published_at  # gone live already, unless a test says otherwise
    values.update(fields)
    return Release.objects.create(status=status, published_at=published_at, kind=kind, **values)


CAMERA = "Exact Camera Model 9000"

# Copenhagen, as a camera writes it: degrees, minutes, seconds.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (55.0, 40.0, 34.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (12.0, 34.0, 6.0),
}
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
    b'02/22-rdf-syntax-ns#"><rdf:Description exif:GPSLatitude="55,40.5N" xmlns:exif='
    b'"http://ns.adobe.com/exif/1.0/"/></rdf:RDF></x:xmpmeta>'
)


def make_photo(width=2000, height=1000, image_format="JPEG", orientation=None, gps=True):
    """A photo as a phone makes it: left half red, right half blue, with camera and GPS data."""
    image = Image.new("RGB", (width, height), "blue")
    image.paste(Image.new("RGB", (width // 2, height), "red"), (0, 0))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone maker"
    exif[ExifTags.Base.Model] = CAMERA
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    buffer = io.BytesIO()
    options = {"exif": exif}
    if image_format == "JPEG":
        options["xmp"] = XMP
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def inline_formset(inline_class, user, release, rows, files=None, initial=0):
    """The admin's own inline formset for ``release``, bound to ``rows`` of field values."""
    request = RequestFactory().post("/")
    request.user = user
    formset_class = inline_class(Release, admin.site).get_formset(request, release)
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            if value is not False:
                data[f"{prefix}-{index}-{name}"] = "on" if value is True else value
    uploads = {f"{prefix}-{index}-{name}": value for index, name, value in files or []}
    return formset_class(data, uploads, instance=release, prefix=prefix)


def inline_management(prefix, total, initial=0):
    """The management form of an admin inline: how many rows are posted, how many were saved."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def add_image(user, release, content=None, name="photo.jpg", **fields):
    """Upload an image to ``release`` through the admin's inline, as ``user``.

    Without ``content``, a small photo: one rendition width, since making the larger
    ones is what costs time, and only the tests about renditions need them.
    """
    row = {"alt_en": "Soldiers at the ceremony", "alt_da": "Soldater ved ceremonien", "order": "0"}
    row.update(fields)
    formset = inline_formset(
        ReleaseImageInline,
        user,
        release,
        [row],
        files=[(0, "image", upload(content or make_photo(640, 320), name))],
    )
    assert formset.is_valid(), formset.errors
    formset.save()
    return release.images.order_by("-pk").first()


def add_document(user, release, content, name, title="Fact sheet"):
    """Upload a document to ``release`` through the admin's inline, as ``user``."""
    formset = inline_formset(
        ReleaseDocumentInline,
        user,
        release,
        [{"title_en": title, "title_da": "Faktaark", "order": "0"}],
        files=[(0, "file", upload(content, name, "application/octet-stream"))],
    )
    assert formset.is_valid(), formset.errors
    formset.save()
    return release.documents.order_by("-pk").first()


# Missions ---------------------------------------------------------------------------------


def make_mission(slug="nmi", *, organisation=None, **fields):
    organisation = (
        organisation
        or Organisation.objects.get_or_create(
            acronym="NATO", defaults={"name_en": "North Atlantic Treaty Organization"}
        )[0]
    )
    values = {
        "acronym": "NMI",
        "name_en": "NATO Mission Iraq",
        "name_da": "NATO’s Mission Irak",
        "summary_en": "A non-combat mission.",
        "summary_da": "En ikke-kampmission.",
        "host_countries": ["IQ"],
    }
    values.update(fields)
    return Mission.objects.create(slug=slug, organisation=organisation, **values)


def make_figure(contribution, value, kind=FigureKind.ACTUAL, qualifier=Qualifier.EXACT, **fields):
    return Figure.objects.create(
        contribution=contribution, value=value, kind=kind, qualifier=qualifier, **fields
    )


# Subscribers and their email --------------------------------------------------------------


def make_subscriber(email="reader@example.org", **fields):
    topics = fields.pop("topics", [])
    missions = fields.pop("missions", [])
    values = {
        "language": "en",
        "status": SubscriberStatus.CONFIRMED,
        "consent_version": CONSENT_VERSION,
        "consented_at": "2026-01-01T00:00Z",
        **fields,
    }
    subscriber = Subscriber.objects.create(email=email, **values)
    subscriber.topics.set(topics)
    subscriber.missions.set(missions)
    return subscriber


class Sink:
    """An aiosmtpd handler that keeps every message; some addresses bounce."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bounce"):
            return "550 5.1.1 No such user"
        if address.startswith("later"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        message.recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted"

    def to(self, address):
        return [m for m in self.messages if address in m.recipients]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_smtp(settings):
    """A real SMTP server on 127.0.0.1 that the pressroom sends to."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    controller.stop()


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 that the mail backend sends to; yields its sink."""
    with running_smtp(settings) as sink:
        yield sink


@pytest.fixture
def assert_page_queries():
    """Like django_assert_num_queries, leaving out the page cache's own reads and writes."""
    import contextlib

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    table = settings_pages_table()

    @contextlib.contextmanager
    def check(expected):
        with CaptureQueriesContext(connection) as captured:
            yield
        page_queries = [
            q["sql"]
            for q in captured.captured_queries
            if table not in q["sql"] and "SAVEPOINT" not in q["sql"]
        ]
        assert len(page_queries) == expected, "\n".join(page_queries)

    return check


def settings_pages_table():
    from django.conf import settings

    return settings.CACHES[settings.PAGE_CACHE_ALIAS].get("LOCATION", "pressroom_pages")


def database_environment(name=None):
    """Variables that point another process at the test database (or ``name`` on its server).

    The server may be the embedded one, on a socket directory: it comes as libpq variables.
    """
    params = connection.get_connection_params()
    return {
        "DATABASE_URL": f"postgres:///{name or connection.settings_dict['NAME']}",
        "PGHOST": str(params.get("host") or "127.0.0.1"),
        "PGPORT": str(params.get("port") or 5432),
        "PGUSER": params.get("user") or "postgres",
        "PGPASSWORD": params.get("password") or "",
    }


def wait_for(condition, timeout=10):
    """Poll ``condition`` until it holds (True) or ``timeout`` seconds have passed (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def text_part(message):
    return next(p for p in message.walk() if p.get_content_type() == "text/plain").get_content()


def html_part(message):
    return next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()


def link_in(text, name):
    """The first pressroom link of the kind ``name`` (confirm, manage, ...) in a text."""
    pattern = {
        "confirm": r"https?://\S+/(?:confirm|bekraeft)/\S+/",
        "manage": r"https?://\S+/(?:manage|administrer)/\S+/",
        "unsubscribe": r"https?://\S+/(?:unsubscribe|afmeld)/\S+/",
    }[name]
    return re.search(pattern, text).group(0)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


# The worker -------------------------------------------------------------------------------


def _backends():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return {pid for (pid,) in cursor.fetchall()}


def run_worker(queues=None):
    """Run a real Procrastinate worker against the test database until no job is due.

    In a thread of its own: Playwright keeps an event loop running in the main thread
    once a browser test has started.
    """

    def work():
        worker_app = app.with_connector(app.connector.get_worker_connector())
        worker_app.run_worker(
            queues=queues, wait=False, install_signal_handlers=False, listen_notify=False
        )
        # The tasks ran in asgiref's shared thread; close its connection there.
        asyncio.run(sync_to_async(connections.close_all)())

    before = _backends()
    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=120)
    # Sync tasks may also have run in executor threads that are gone now; their
    # connections would outlive the test and block dropping the test database.
    with connection.cursor() as cursor:
        for pid in _backends() - before:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def run_queued_jobs():
    """Run the jobs requests have queued, here and now, as a worker would; their number.

    Emails they send land in ``mail.outbox``. Jobs are deleted once run.
    """
    from procrastinate.contrib.django.models import ProcrastinateJob

    jobs = list(ProcrastinateJob.objects.filter(status="todo").order_by("id"))
    for job in jobs:
        app.tasks[job.task_name](**job.args)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE id = ANY(%s)", [[j.id for j in jobs]])
    return len(jobs)


# Pages ------------------------------------------------------------------------------------


class _Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        if tag == "h1":
            self.h1 += 1
        if tag == "html":
            self.html_lang = dict(attrs).get("lang")


def outline(response):
    """How many <h1> a page has, and the language its <html> declares."""
    parser = _Outline()
    parser.feed(response.content.decode())
    return parser


class _FormFields(HTMLParser):
    """The values a browser would submit from the page's main form."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_data(response):
    """The fields a browser would submit from the page's form, without the CSRF token."""
    parser = _FormFields()
    parser.feed(response.content.decode())
    return {k: v for k, v in parser.data.items() if not k.startswith("csrf")}
