"""Backups: the database with ``pg_dump`` and a copy of the uploaded files, and their restore.

A backup is a directory holding ``database.dump`` (``pg_dump``'s custom format,
without owners or privileges, so it restores under any role), ``media/`` (the
uploaded files) and ``backup.json`` (when, and which PostgreSQL wrote it). The
cache tables' rows are left out: they are rebuilt on use.

``pg_dump`` and ``pg_restore`` must be of the server's major version: a newer
``pg_restore`` writes commands an older server refuses, and an older one cannot
read a newer archive. ``client_programs`` finds them: ``PG_BIN_DIR`` if set,
else the binaries the embedded server ships (when that is the database), else
those ``pg_config`` names, the usual distribution folders and ``PATH``, keeping
the first whose major version is the server's.
"""

import datetime
import glob
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import environ
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection

DUMP = "database.dump"
MEDIA = "media"
MANIFEST = "backup.json"

# Where distributions install the programs of each PostgreSQL version side by side.
_DISTRIBUTION_FOLDERS = (
    "/usr/lib/postgresql/*/bin",  # Debian, Ubuntu
    "/usr/pgsql-*/bin",  # the PostgreSQL project's RPMs
    "/opt/homebrew/opt/postgresql@*/bin",  # Homebrew
)


class BackupError(Exception):
    pass


class Target:
    """A PostgreSQL database to dump or restore into, as libpq environment variables."""

    def __init__(self, host, port, user, password, name):
        self.env = {
            "PGHOST": str(host or ""),
            "PGPORT": str(port or ""),
            "PGUSER": str(user or ""),
            "PGPASSWORD": str(password or ""),
            "PGDATABASE": str(name),
        }
        self.name = name

    @classmethod
    def from_url(cls, url):
        """The database a ``postgres://`` address names."""
        config = environ.Env.db_url_config(url)
        return cls(
            config.get("HOST"),
            config.get("PORT"),
            config.get("USER"),
            config.get("PASSWORD"),
            config["NAME"],
        )

    @classmethod
    def default(cls):
        """The site's own database, wherever it is (the embedded server included)."""
        params = connection.get_connection_params()
        return cls(
            params.get("host"),
            params.get("port"),
            params.get("user"),
            params.get("password"),
            params.get("dbname") or connection.settings_dict["NAME"],
        )

    def run(self, command, **kwargs):
        env = {**os.environ, **{k: v for k, v in self.env.items() if v}}
        result = subprocess.run(command, env=env, capture_output=True, text=True, **kwargs)
        if result.returncode != 0:
            raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
        return result.stdout

    def server_major(self, programs):
        out = self.run([str(programs / "psql"), "-XAtc", "SHOW server_version_num"])
        return int(out.strip()) // 10000

    def table_count(self, programs):
        out = self.run(
            [
                str(programs / "psql"),
                "-XAtc",
                "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN "
                "('pg_catalog', 'information_schema')",
            ]
        )
        return int(out.strip())


def _major(program):
    try:
        printed = subprocess.run(
            [str(program), "--version"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    found = re.search(r"(\d+)(?:\.\d+)?", printed)
    return int(found.group(1)) if found else None


def _candidate_folders():
    if settings.PG_BIN_DIR:
        yield Path(settings.PG_BIN_DIR)
        return
    if connection.settings_dict["ENGINE"] == "pressroom.db":
        from pgserver._commands import POSTGRES_BIN_PATH

        yield POSTGRES_BIN_PATH
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            printed = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True
            ).stdout
            yield Path(printed.strip())
        except (OSError, subprocess.CalledProcessError):
            pass
    for pattern in _DISTRIBUTION_FOLDERS:
        yield from sorted((Path(p) for p in glob.glob(pattern)), reverse=True)
    on_path = shutil.which("pg_dump")
    if on_path:
        yield Path(on_path).parent


def client_programs(target=None):
    """(folder, major version): where ``pg_dump``, ``pg_restore`` and ``psql`` match the server."""
    target = target or Target.default()
    seen = {}
    server = None
    for folder in _candidate_folders():
        if folder in seen or not all(
            (folder / p).exists() for p in ("pg_dump", "pg_restore", "psql")
        ):
            continue
        major = _major(folder / "pg_dump")
        seen[folder] = major
        if major is None:
            continue
        if server is None:
            # Any psql can ask the server its version.
            server = target.server_major(folder)
        if major == server or settings.PG_BIN_DIR:
            return folder, major
    found = ", ".join(f"{folder} ({major})" for folder, major in seen.items()) or "none"
    raise BackupError(
        f"No pg_dump and pg_restore of PostgreSQL {server or '?'} found (found: {found}); "
        "install them or set PG_BIN_DIR to their folder."
    )


def _cache_tables():
    return [
        cache["LOCATION"]
        for cache in settings.CACHES.values()
        if cache["BACKEND"].endswith("DatabaseCache")
    ]


def _media_root():
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.location)
    return None


def backup(destination):
    """Write a backup of the database and the uploaded files into the new folder ``destination``."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=False)
    target = Target.default()
    programs, major = client_programs(target)
    command = [
        str(programs / "pg_dump"),
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--file={destination / DUMP}",
    ]
    command += [f"--exclude-table-data={table}" for table in _cache_tables()]
    target.run(command)
    media = _media_root()
    copied = 0
    if media is not None and media.exists():
        shutil.copytree(media, destination / MEDIA)
        copied = sum(1 for p in (destination / MEDIA).rglob("*") if p.is_file())
    else:
        (destination / MEDIA).mkdir()
    manifest = {
        "made_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "postgresql": major,
        "database": target.name,
        "media_files": copied if media is not None else None,
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def restore(source, target=None):
    """Restore the backup in ``source`` into an empty database and the media folder."""
    source = Path(source)
    if not (source / DUMP).is_file():
        raise BackupError(f"{source} holds no {DUMP}")
    target = target or Target.default()
    programs, _major = client_programs(target)
    if target.table_count(programs):
        raise BackupError(f"The database {target.name} is not empty; restore into an empty one.")
    target.run(
        [
            str(programs / "pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={target.name}",
            str(source / DUMP),
        ]
    )
    media = _media_root()
    restored = 0
    if media is not None and (source / MEDIA).is_dir():
        shutil.copytree(source / MEDIA, media, dirs_exist_ok=True)
        restored = sum(1 for p in (source / MEDIA).rglob("*") if p.is_file())
    return restored
