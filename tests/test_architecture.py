"""The layering of our apps: no app imports one above it, and no two apps import each other."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

# Bottom to top. An app may import the apps below it, never one above it.
LAYERS = [
    "core",
    "signin",
    "missions",
    "releases",
    "opendata",
    "verification",
    "subscriptions",
    "pressroom",
]


def imports_between_apps(base=None):
    """[(importing app, imported app, "path:line: statement")] for every import of ours.

    Function-level imports count as much as those at the top of a module.
    """
    base = Path(base or settings.BASE_DIR)
    found = []
    for app in LAYERS:
        for path in sorted((base / app).rglob("*.py")):
            source = path.read_text()
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    imported = name.split(".")[0]
                    if imported in LAYERS and imported != app:
                        line = ast.get_source_segment(source, node).splitlines()[0]
                        where = f"{path.relative_to(base)}:{node.lineno}: {line}"
                        found.append((app, imported, where))
    return found


def test_every_app_of_ours_has_its_place_in_the_layers():
    ours = {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if Path(config.path).parent == Path(settings.BASE_DIR)
    }
    assert sorted(ours - set(LAYERS)) == []


def test_no_app_imports_an_app_above_it():
    upward = [
        where
        for app, imported, where in imports_between_apps()
        if LAYERS.index(imported) > LAYERS.index(app)
    ]
    assert upward == [], "imports of a higher app:\n" + "\n".join(upward)


def test_no_circle_between_apps():
    edges = {}
    for app, imported, where in imports_between_apps():
        edges.setdefault(app, {}).setdefault(imported, []).append(where)

    def circle_from(start, path):
        for imported in edges.get(path[-1], {}):
            if imported == start:
                return path
            if imported not in path:
                found = circle_from(start, [*path, imported])
                if found:
                    return found
        return None

    circles = []
    for app in LAYERS:
        circle = circle_from(app, [app])
        if circle:
            pairs = zip(circle, [*circle[1:], app], strict=True)
            circles.append(
                " -> ".join([*circle, app])
                + "\n"
                + "\n".join(line for a, b in pairs for line in edges[a][b])
            )
    assert circles == [], "circles between apps:\n" + "\n\n".join(circles)


def test_the_guard_reports_a_function_level_import_of_a_higher_app(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "caching.py").write_text(
        "def version():\n    from releases.models import Release\n"
    )
    assert imports_between_apps(tmp_path) == [
        ("core", "releases", "core/caching.py:2: from releases.models import Release")
    ]
