"""A benchmark's result as its own section of bench/README.md, with the machine it ran on."""

import datetime
import os
import platform
import re
from pathlib import Path

from bench import var_dir

README = Path(__file__).resolve().parent / "README.md"


def destination(full, output=""):
    """bench/README.md for a full run; a smaller run goes to var/bench/, beside no record."""
    if output:
        return Path(output)
    return README if full else var_dir() / "bench" / "README.md"


def write_section(path, heading, section):
    """Put ``section`` in place of the one under ``heading`` in ``path``, or at its end."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}\b.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section.rstrip("\n") + "\n\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n")


def finished_at():
    return f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC"


def machine_table(load_before, *more):
    """The facts that shift every number: cores, load, versions; ``more`` rows at the end."""
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = found.group(1).strip() if found else ""
    facts = [
        ("CPU", f"{os.cpu_count()} cores{f', {model}' if model else ''}"),
        (
            "load average",
            f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
            "(other work on the machine shifts every number)",
        ),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("PostgreSQL", postgres),
        *more,
    ]
    return ["| machine | |", "|---|---|", *[f"| {key} | {value} |" for key, value in facts]]
