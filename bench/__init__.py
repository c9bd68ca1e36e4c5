"""Benchmarks of the pressroom: each module measures one promise and records its result."""

import argparse
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def var_dir():
    """Runtime files, as the run command keeps them: ``VAR_DIR`` or ``./var``."""
    return Path(os.environ.get("VAR_DIR") or ROOT / "var")


def argument_parser(description):
    """A benchmark's options, starting with the two that every benchmark has."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--database-url",
        default="",
        help="a database whose name says 'bench' (default: pressroom_bench, embedded)",
    )
    parser.add_argument(
        "--output",
        default="",
        help="where to write the section (default: bench/README.md after a full run, "
        "var/bench/README.md after a smaller one)",
    )
    return parser


def is_full_run(parser, args, sizing):
    """Whether every option in ``sizing`` has its default: only such runs are recorded."""
    return all(getattr(args, name) == parser.get_default(name) for name in sizing)
