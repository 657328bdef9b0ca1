"""What the app imports when it runs is pinned in requirements.txt, the file a
deployment (and `python3 dev.py serve`) installs, not only in requirements-dev.txt,
which the tests install: a package missing there works in every test and fails
in production (the admin's XLSX imports once did, without openpyxl)."""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Code that never runs in production: the tests, the developer's and CI's scripts.
NOT_RUNTIME = {"tests", "scripts", ".venv", "staticfiles", "node_modules"}
# Packages the app needs without importing them by name: django-import-export's
# tablib reads and writes XLSX through openpyxl.
ENGINES = {"openpyxl"}


def _pins(name):
    pins = set()
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==", line.strip())
        if match:
            pins.add(match.group(1).lower().replace("_", "-"))
    return pins


def _runtime_files():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in NOT_RUNTIME or parts == ("dev.py",):
            continue
        yield path


def _imported_top_level_modules():
    modules = {}
    for path in _runtime_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                modules.setdefault(name.split(".")[0], path.relative_to(ROOT))
    return modules


def test_every_package_the_running_app_imports_is_pinned_in_requirements_txt():
    local = {path.name for path in ROOT.iterdir() if path.is_dir()} | {path.stem for path in ROOT.glob("*.py")}
    distributions = packages_distributions()
    runtime = _pins("requirements.txt")
    missing = []
    for module, where in sorted(_imported_top_level_modules().items()):
        if module in sys.stdlib_module_names or module in local:
            continue
        names = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        if not names & runtime:
            missing.append(f"{module} (imported by {where}; distribution {', '.join(sorted(names))})")
    for module in ENGINES:
        if module.lower() not in runtime:
            missing.append(f"{module} (an engine the app uses without importing it)")
    assert missing == []


def test_the_dev_requirements_build_on_the_runtime_ones_without_repeating_them():
    text = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    assert "-r requirements.txt" in text
    assert _pins("requirements.txt").isdisjoint(_pins("requirements-dev.txt"))
