#!/usr/bin/env python3
"""One entry point for newcomers, developers and CI. Needs only Python 3.11+.

    python3 run.py          install, migrate, load the demo and run the pressroom
    python3 run.py test     lint, migration check and every test (pytest arguments may follow)
    python3 run.py lock     re-resolve pyproject.toml into the two lock files

It keeps a virtual environment in .venv/ and reinstalls only when a lock file
changed. Without DATABASE_URL, everything uses the embedded PostgreSQL under var/.
"""

import hashlib
import os
import secrets
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"


def main(argv):
    if sys.version_info < (3, 11):  # noqa: UP036 (run.py may be started by an older Python)
        sys.exit("The pressroom needs Python 3.11 or newer; this is " + sys.version.split()[0])
    command, rest = (argv[0], argv[1:]) if argv else ("start", [])
    if command == "start":
        return start(rest)
    if command == "test":
        return test(rest)
    if command == "lock":
        return lock()
    sys.exit(__doc__)


def start(args):
    ensure_environment("requirements.lock")
    ensure_dotenv()
    os.chdir(ROOT)
    os.execv(PYTHON, [str(PYTHON), "manage.py", "serve", *args])


def test(args):
    ensure_environment("requirements-dev.lock")
    env = dict(os.environ)
    # Tests never depend on a developer's secret; a local .env may still set DATABASE_URL.
    env.setdefault("SECRET_KEY", "tests-only-" + "k" * 20 + secrets.token_hex(16))
    steps = [
        ("ruff check", [BIN / "ruff", "check", "."]),
        ("ruff format --check", [BIN / "ruff", "format", "--check", "."]),
        ("compile translations", [PYTHON, "manage.py", "compiletranslations"]),
        ("makemigrations --check", [PYTHON, "manage.py", "makemigrations", "--check", "--dry-run"]),
        ("pytest", [PYTHON, "-m", "pytest", *args]),
    ]
    for title, command in steps:
        print(f"\n== {title}", flush=True)
        result = subprocess.run([str(part) for part in command], cwd=ROOT, env=env)
        if result.returncode != 0:
            print(f"\n{title} failed.", flush=True)
            return result.returncode
    return 0


def lock():
    """Resolve pyproject.toml afresh and write name==version lines into both lock files."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = project["dependencies"]
    dev = project["optional-dependencies"]["dev"]
    with tempfile.TemporaryDirectory() as tmp:
        python = Path(tmp) / "bin" / "python"
        venv.create(tmp, with_pip=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, *runtime], check=True)
        _write_lock(python, "requirements.lock", "Runtime dependencies")
        subprocess.run([*pip, *runtime, *dev], check=True)
        _write_lock(python, "requirements-dev.lock", "Runtime and development dependencies")
    return 0


def _write_lock(python, name, title):
    frozen = subprocess.run(
        [str(python), "-m", "pip", "freeze", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = sorted((line for line in frozen.splitlines() if "==" in line), key=str.lower)
    header = f"# {title}, locked. Regenerate with: python3 run.py lock\n"
    (ROOT / name).write_text(header + "\n".join(lines) + "\n")


def ensure_environment(lock_name):
    """Create .venv and install the lock file, unless it is installed already."""
    lock_file = ROOT / lock_name
    digest = hashlib.sha256(lock_file.read_bytes()).hexdigest()
    stamp = VENV / f".installed-{lock_name}"
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv/ …", flush=True)
        venv.create(VENV, with_pip=True)
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"Installing the locked dependencies from {lock_name} …", flush=True)
    subprocess.run(
        [
            str(PYTHON),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "-r",
            str(lock_file),
        ],
        check=True,
    )
    stamp.write_text(digest)


def ensure_dotenv():
    """Give a new checkout a .env with its own secret key, from .env.example."""
    dotenv = ROOT / ".env"
    if dotenv.exists():
        return
    template = (ROOT / ".env.example").read_text()
    key = secrets.token_urlsafe(50)
    dotenv.write_text(template.replace("SECRET_KEY=change-me", f"SECRET_KEY={key}", 1))
    print("Wrote .env with a new SECRET_KEY (edit it to configure the pressroom).", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) or 0)
