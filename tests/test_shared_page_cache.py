"""The page cache is shared: a page rendered by one web process is served by another."""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import make_release

# Another web process: it may not render the home page, only serve it from the shared cache.
OTHER_PROCESS = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.test import Client
    from pressroom import views

    def refuse(*args, **kwargs):
        raise AssertionError("rendered")

    views.HomeView.get = refuse
    client = Client(raise_request_exception=False)
    page = client.get("/en/")
    again = client.get("/en/", HTTP_IF_NONE_MATCH=sys.argv[1])
    print(json.dumps({
        "status": page.status_code,
        "etag": page.get("ETag"),
        "body": page.content.decode(),
        "conditional": again.status_code,
    }))
    """
)


def _other_process(etag):
    # The same database, whether on a server's port or the embedded server's socket.
    params = connection.get_connection_params()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pressroom.settings",
        "DATABASE_URL": f"postgres:///{params['dbname']}",
        "PGHOST": str(params.get("host") or "127.0.0.1"),
        "PGPORT": str(params.get("port") or 5432),
        "PGUSER": params.get("user") or "postgres",
        "PGPASSWORD": params.get("password") or "",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, etag],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_a_page_rendered_in_one_process_is_served_by_another_without_rendering(client, profile):
    make_release("Rendered once")
    first = client.get("/en/")
    assert first.status_code == 200

    other = _other_process(first["ETag"])

    assert other["status"] == 200
    assert other["etag"] == first["ETag"]
    assert other["body"] == first.content.decode()
    assert other["conditional"] == 304
