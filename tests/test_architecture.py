"""The arrows between the apps point one way (README, Layout).

    languages, library ← actors ← briefs ← editorial, publishing;  demo imports
    what it needs, nothing imports demo;  kernel and archive.search are
    imported by apps and import no project app, except that archive.search
    folds text with the rules of languages;  archive (settings, root URLs,
    home and search views) may import any app, and no app imports it.

Every module of every project package is parsed (ast), lazy imports inside
functions included, so a violation fails here before it becomes a cycle.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "actors",
    "archive",
    "briefs",
    "demo",
    "editorial",
    "kernel",
    "languages",
    "library",
    "publishing",
]
# Plumbing every app may import; languages (scripts, names) sits on kernel.
# library (the media library: images, upload checks) is the lowest content
# room: actors' emblems and briefs' covers, figures and photos both use it.
SHARED = {"kernel", "archive.search", "languages", "library"}

# Room → the rooms its modules may import (its own is always allowed).
ALLOWED = {
    "actors": SHARED,
    "briefs": SHARED | {"actors"},
    "editorial": SHARED | {"actors", "briefs"},
    "publishing": SHARED | {"actors", "briefs"},
    "demo": SHARED | {"actors", "briefs", "editorial", "publishing"},
    "kernel": set(),
    "languages": {"kernel"},
    "library": {"kernel"},
    # Search folds text with the transliteration rules (languages.transliteration).
    "archive.search": {"languages"},
    "archive": SHARED | {"actors", "briefs", "editorial", "publishing"},
}


def room(module: str) -> str | None:
    """The room of a dotted module name, or None outside the project."""
    parts = module.split(".")
    if parts[0] not in PACKAGES:
        return None
    if parts[:2] == ["archive", "search"]:
        return "archive.search"
    return parts[0]


def modules() -> list[tuple[str, Path]]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found.append((dotted.removesuffix(".__init__"), path))
    return found


def imported(path: Path) -> set[str]:
    """Every project module `path` imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                # `from archive import search` imports the module archive.search;
                # `from briefs.models import Brief` imports briefs.models.
                submodule = f"{node.module}.{alias.name}"
                names.add(submodule if _is_module(submodule) else node.module)
    return {name for name in names if room(name)}


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def violations() -> list[str]:
    wrong = []
    for module, path in modules():
        here = room(module)
        for name in sorted(imported(path)):
            there = room(name)
            if there == here or there in ALLOWED[here]:
                continue
            wrong.append(f"{module} imports {name} ({here} → {there})")
    return wrong


def test_every_package_has_a_room():
    assert {room(module) for module, _ in modules()} == set(ALLOWED)


def test_the_arrows_point_one_way():
    assert violations() == []


@pytest.mark.parametrize(
    ("module", "name", "allowed"),
    [
        ("actors.models", "briefs.models", False),
        ("briefs.services", "editorial.revisions", False),
        ("briefs.importers", "publishing.pages", False),
        ("editorial.admin", "publishing.views", False),
        ("publishing.views", "editorial.workflow", False),
        ("kernel.pagecache", "briefs.models", False),
        ("archive.search.indexes", "actors.models", False),
        ("publishing.api", "demo.loader", False),
        ("briefs.models", "archive.views", False),
        ("briefs.models", "archive.search", True),
        ("archive.search.text", "languages.transliteration", True),
        ("archive.search.indexes", "briefs.models", False),
        ("publishing.views", "briefs.models", True),
        ("archive.views", "publishing.pages", True),
        ("library.models", "briefs.models", False),
        ("actors.models", "library.models", True),
    ],
)
def test_the_rules_catch_a_wrong_arrow(module, name, allowed):
    here, there = room(module), room(name)
    assert (there == here or there in ALLOWED[here]) is allowed
