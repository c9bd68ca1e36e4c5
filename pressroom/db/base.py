"""PostgreSQL backend that connects to the embedded server under ``var/``.

The server is started lazily, on the first connection, so that commands that
never touch the database (``ruff``, ``compilemessages``) do not start it.
"""

from pathlib import Path

from django.conf import settings
from django.db.backends.postgresql import base

from pressroom import embedded


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        info = embedded.server(Path(settings.VAR_DIR), settings.DATABASES["default"]["NAME"])
        params["host"] = str(info.socket_dir)
        params["port"] = info.port
        params.setdefault("user", "postgres")
        return params
