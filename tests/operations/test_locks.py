"""Reproducible images (ADR 0024): the hashed locks cover every dependency pyproject.toml pins,
at the pinned version, and package-lock.json every package of package.json, so neither can
drift from its source silently. `make lock` regenerates them."""

import json
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
ENTRY = re.compile(
    r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\\n((?:\s+--hash=sha256:[0-9a-f]{64}.*\n)+)", re.M
)


def locked(name: str) -> dict[str, tuple[str, int]]:
    """{package: (version, number of hashes)} of a pip-compile lock."""
    text = (ROOT / name).read_text(encoding="utf-8")
    return {
        canonicalize_name(match[1]): (match[2], match[3].count("--hash=sha256:"))
        for match in ENTRY.finditer(text)
    }


def pins(requirements: list[str]) -> dict[str, str]:
    found = {}
    for line in requirements:
        requirement = Requirement(line)
        [spec] = requirement.specifier
        assert spec.operator == "==", f"{line}: pyproject.toml pins exact versions"
        found[canonicalize_name(requirement.name)] = spec.version
    return found


@pytest.mark.parametrize(
    ("lock", "groups"),
    [("requirements.lock", ["main"]), ("requirements-dev.lock", ["main", "dev"])],
)
def test_the_python_lock_pins_every_pyproject_dependency_at_its_version(lock, groups):
    project = PYPROJECT["project"]
    wanted = {}
    for group in groups:
        wanted |= pins(
            project["dependencies"] if group == "main" else project["optional-dependencies"][group]
        )
    entries = locked(lock)

    assert {name: entries.get(name, ("missing", 0))[0] for name in wanted} == wanted
    assert all(hashes >= 1 for _, hashes in entries.values())


def test_the_production_lock_holds_no_test_tool_and_agrees_with_the_dev_pins():
    dev = pins(PYPROJECT["project"]["optional-dependencies"]["dev"])
    production = locked("requirements.lock")

    assert {"pytest", "playwright", "ruff", "moto", "hypothesis"} & set(production) == set()
    # A dev pin that production needs anyway (jsonschema, via drf-spectacular) is one version.
    shared = set(dev) & set(production)
    assert {name: production[name][0] for name in shared} == {name: dev[name] for name in shared}


def test_the_npm_lock_matches_package_json_with_integrity_hashes():
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    root = lock["packages"][""]

    assert root.get("dependencies") == manifest["dependencies"]
    assert root.get("devDependencies") == manifest["devDependencies"]
    installed = {path: entry for path, entry in lock["packages"].items() if path}
    for name, version in {**manifest["dependencies"], **manifest["devDependencies"]}.items():
        assert installed[f"node_modules/{name}"]["version"] == version
    assert all(path.startswith("node_modules/") for path in installed)
    assert all(entry.get("integrity", "").startswith("sha512-") for entry in installed.values())
