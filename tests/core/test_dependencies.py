"""Every package the code imports is declared, so that `make install` on a fresh machine installs it."""

import ast
import sys
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.helpers import ROOT

SKIP_DIRS = {".venv", "node_modules", "staticfiles", "var", "migrations"}
# Imported only where an optional extra is installed ([load]: locust, its own command;
# [carte]: shapely and numpy, for scripts/derive_carte_france.py only).
OPTIONAL = {"locust", "shapely", "numpy"}


def _closure(requirements: list[str], extras: set[str]) -> set[str]:
    """Names of the distributions these requirements install, transitively."""
    seen: set[str] = set()
    queue = [(req, extras) for req in requirements]
    while queue:
        text, active = queue.pop()
        req = Requirement(text)
        if req.marker and not any(req.marker.evaluate({"extra": extra}) for extra in (active or {""})):
            continue
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(req.name) or []
        except metadata.PackageNotFoundError:
            continue
        queue.extend((child, set(req.extras)) for child in requires)
    return seen


def _imported_top_modules() -> set[str]:
    modules = set()
    for path in ROOT.rglob("*.py"):
        if SKIP_DIRS & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module.split(".")[0])
    return modules


def test_every_imported_package_is_declared_in_pyproject():
    """A module the code imports comes from the standard library, the project, or a declared dependency."""
    project = metadata.distribution("reseau-acv")
    declared = _closure(project.requires or [], {"dev", "s3"})
    local = {path.name for path in ROOT.iterdir() if path.is_dir()} | {path.stem for path in ROOT.glob("*.py")}
    providers = metadata.packages_distributions()
    missing = {}
    for module in sorted(_imported_top_modules() - set(sys.stdlib_module_names) - local - OPTIONAL):
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        if not dists & declared:
            missing[module] = sorted(dists) or ["not installed"]
    assert missing == {}
