"""Benchmarks of the pressroom: each module measures one promise and records its result."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def var_dir():
    """Runtime files, as the run command keeps them: ``VAR_DIR`` or ``./var``."""
    return Path(os.environ.get("VAR_DIR") or ROOT / "var")
