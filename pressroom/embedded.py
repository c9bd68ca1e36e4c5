"""The embedded PostgreSQL server used when no DATABASE_URL is set.

One server lives under ``var/pgdata``. Every process that connects (the web
workers, the task worker, ``manage.py``, the tests) takes a handle on it;
pgserver starts it for the first handle and stops it when the last process
holding one exits.
"""

import logging
import re
import subprocess
import threading
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_server = None


def pgdata_dir(var_dir: Path) -> Path:
    return var_dir / "pgdata"


def server(var_dir: Path, database: str):
    """Start (or join) the embedded server and make sure ``database`` exists."""
    global _server
    with _lock:
        if _server is None:
            with warnings.catch_warnings():
                # platformdirs warns when XDG_RUNTIME_DIR is unset; its /tmp fallback is fine.
                warnings.simplefilter("ignore")
                import pgserver

            var_dir.mkdir(parents=True, exist_ok=True)
            _set_aside_older_data(pgdata_dir(var_dir))
            instance = pgserver.get_server(pgdata_dir(var_dir), cleanup_mode="stop")
            _create_database(instance, database)
            _server = instance
    return _server.get_postmaster_info()


def _create_database(instance, database: str) -> None:
    import psycopg
    from psycopg import sql

    info = instance.get_postmaster_info()
    with psycopg.connect(
        host=str(info.socket_dir),
        port=info.port,
        user="postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def _set_aside_older_data(pgdata: Path) -> None:
    """Move a data directory of another PostgreSQL major version out of the way.

    A server cannot open another major version's files; the embedded server holds
    only demo and test data, so a fresh one is made and the old one kept beside it.
    """
    version_file = pgdata / "PG_VERSION"
    if not version_file.exists():
        return
    from pgserver._commands import POSTGRES_BIN_PATH

    stored = version_file.read_text().strip()
    printed = subprocess.run(
        [str(POSTGRES_BIN_PATH / "postgres"), "--version"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    bundled = re.search(r"(\d+)\.", printed).group(1)
    if stored != bundled:
        aside = pgdata.with_name(f"{pgdata.name}-{stored}")
        logger.warning(
            "The embedded PostgreSQL is version %s; its data of version %s moved to %s.",
            bundled,
            stored,
            aside,
        )
        pgdata.rename(aside)
