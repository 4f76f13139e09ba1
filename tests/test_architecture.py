"""The layout README's "Architecture" section promises, checked on the source itself."""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The floor each app stands on (README "Architecture"): an app imports only apps on lower floors.
FLOORS = {
    "thai": 0,
    "base": 1,
    "backup": 2,
    "knowledge": 3,
    "cop": 4,
    "review": 5,
    "imports": 5,
    "experts": 5,
    "search": 6,
    "readership": 6,
    "plan": 7,
    "home": 8,
    "demo": 9,
    "khlang": 10,
}
NOT_PROJECT_CODE = {"tests", "bench", "migrations", "engine"}
LONG_MODULE_LINES = 500
# Imported only when an administrator chooses that engine (KHLANG_SEARCH_ENGINE=opensearch).
OPTIONAL_IMPORTS = {"opensearchpy"}


def project_modules():
    for app in FLOORS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if not NOT_PROJECT_CODE & set(path.relative_to(ROOT).parts):
                yield app, path


def imported_modules(path):
    """Every module a file imports, at module level or inside functions."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_every_app_has_a_floor():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"khlang"}
    assert apps == set(FLOORS)


def test_no_app_imports_an_app_on_its_floor_or_above():
    wrong = []
    for app, path in project_modules():
        for module in imported_modules(path):
            other = module.split(".")[0]
            if other in FLOORS and other != app and FLOORS[other] >= FLOORS[app]:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_long_modules_say_why():
    unexplained = []
    for _app, path in project_modules():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > LONG_MODULE_LINES and not re.search(r"^Over 500 lines because", text, re.MULTILINE):
            unexplained.append(str(path.relative_to(ROOT)))
    assert not unexplained


def normalized(name):
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def pinned_distributions():
    names = set()
    for requirements in (ROOT / "requirements").glob("*.txt"):
        for line in requirements.read_text().splitlines():
            if "==" in line and not line.startswith("#"):
                names.add(normalized(line.split("==")[0]))
    return names


def test_every_imported_package_is_pinned():
    local = set(FLOORS) | {"tests", "bench", "benchlib", "bench_settings", "load_settings", "load_staff", "search_latency"}
    distributions = packages_distributions()
    pinned = pinned_distributions()
    unpinned = set()
    for path in sorted(ROOT.rglob("*.py")):
        if {".venv", "test-output", "engine"} & set(path.relative_to(ROOT).parts):
            continue
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in local or top in OPTIONAL_IMPORTS or top in sys.stdlib_module_names:
                continue
            names = {normalized(name) for name in distributions.get(top, [top])}
            if not names & pinned:
                unpinned.add(f"{top} ({path.relative_to(ROOT)})")
    assert not unpinned, sorted(unpinned)


@pytest.mark.parametrize("line", ["Django==", "wagtail==", "ruff=="])
def test_requirements_are_pinned_exactly(line):
    text = "".join(p.read_text() for p in (ROOT / "requirements").glob("*.txt"))
    assert line in text
    assert not re.search(r"^[A-Za-z][\w.-]*\s*(>=|~=|<|>|$)", text, re.MULTILINE)
