"""Every rule, found by importing the modules of the ``tfguard.rules`` sub-packages.

Looking one rule up by id or alias (a report naming the rules of its findings, a suppression,
hover) does not import all of them: the catalogue ``data/rule-index.json`` says which module
holds which rule, and only that module is imported (what it holds is checked, so a stale
catalogue costs the full import, never a wrong rule). tests/test_startup.py writes the
catalogue again when it is stale.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import pkgutil
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from tfguard.rules.base import Rule

INDEX = Path(__file__).resolve().parent.parent / "data" / "rule-index.json"

_PACKAGES = (
    "tfguard.rules.aws",
    "tfguard.rules.azure",
    "tfguard.rules.google",
    "tfguard.rules.terraform",
)


# Rules made so far, by (module, class): one instance of each rule, however it was found.
_made: dict[tuple[str, str], Rule] = {}


def _rules_of(module_name: str) -> list[Rule]:
    module = importlib.import_module(module_name)
    out: list[Rule] = []
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, Rule)
            and value is not Rule
            and value.__module__ == module.__name__
            and "id" in vars(value)
        ):
            key = (module_name, value.__qualname__)
            if key not in _made:
                _made[key] = value()
            out.append(_made[key])
    return out


@cache
def all_rules() -> tuple[Rule, ...]:
    found: dict[str, Rule] = {}
    for package_name in _PACKAGES:
        package = importlib.import_module(package_name)
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            for rule in _rules_of(f"{package_name}.{info.name}"):
                if rule.id in found:
                    raise RuntimeError(f"duplicate rule id {rule.id}")
                found[rule.id] = rule
    return tuple(sorted(found.values(), key=lambda r: r.id))


_ALL_RULES = all_rules  # replaced by tests and plugins that add rules: then lookups use it


def _everything_known() -> bool:
    """Whether the full map of names is the one to ask: all rules are loaded already, or
    ``all_rules`` was replaced (by a test or a plugin adding rules)."""
    return all_rules is not _ALL_RULES or bool(_ALL_RULES.cache_info().currsize)


def index_entries() -> list[dict[str, Any]]:
    """The catalogue of the rules as they are now (for ``data/rule-index.json``)."""
    return [
        {
            "id": rule.id,
            "module": type(rule).__module__,
            "class": type(rule).__qualname__,
            "aliases": sorted(rule.aliases),
        }
        for rule in all_rules()
    ]


def write_index(path: Path = INDEX) -> None:
    catalogue = {"sources": sources_digest(), "rules": index_entries()}
    path.write_text(json.dumps(catalogue, indent=1) + "\n", encoding="utf-8")


def sources_digest() -> str:
    """The SHA-256 of the rule packages' files (names and contents): what the catalogue is
    of."""
    digest = hashlib.sha256()
    for package_name in _PACKAGES:
        spec = importlib.util.find_spec(package_name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for folder in spec.submodule_search_locations:
            for name in sorted(os.listdir(folder)):
                if name.endswith(".py"):
                    digest.update(f"{package_name}/{name}\n".encode())
                    digest.update(Path(folder, name).read_bytes())
    return digest.hexdigest()


@cache
def _catalogue() -> tuple[str, list[dict[str, Any]]]:
    try:
        data = json.loads(INDEX.read_text(encoding="utf-8"))
        return str(data["sources"]), list(data["rules"])
    except (OSError, ValueError, KeyError, TypeError):
        return "", []


@cache
def _index_is_current() -> bool:
    """Whether the catalogue is of the rule files as they are (then a name it does not know
    is no rule's, without importing them all)."""
    recorded, entries = _catalogue()
    try:
        return bool(entries) and recorded == sources_digest()
    except OSError:
        return False


@cache
def _index() -> dict[str, tuple[str, str]]:
    """id or alias (lower case) → (module, class) of the rule, as the catalogue says."""
    entries = _catalogue()[1]
    out: dict[str, tuple[str, str]] = {}
    try:
        for entry in entries:
            place = (str(entry["module"]), str(entry["class"]))
            for alias in entry["aliases"]:
                out.setdefault(str(alias).lower(), place)
        for entry in entries:
            out[str(entry["id"]).lower()] = (str(entry["module"]), str(entry["class"]))
    except (KeyError, TypeError):
        return {}
    return out


def _indexed(key: str) -> Rule | None:
    """The rule the catalogue names for ``key`` (None: not there, or the catalogue is stale:
    the module does not hold such a rule)."""
    place = _index().get(key)
    if place is None or _everything_known():
        return None
    try:
        rules = _rules_of(place[0])
    except ImportError:
        return None
    for rule in rules:
        if type(rule).__qualname__ == place[1] and (
            rule.id.lower() == key or key in {a.lower() for a in rule.aliases}
        ):
            return rule
    return None


# Project policies (``policy`` blocks of .tfguard.hcl files), by the configuration file that
# declares them; registered when the file is read, replaced when it is read again.
_policies: dict[str, tuple[Rule, ...]] = {}


def register_policies(config_path: str, policies: Sequence[Rule]) -> None:
    """Make a configuration file's policies known by id (to suppressions, reports, hover)."""
    _policies[config_path] = tuple(policies)


def policies() -> list[Rule]:
    """Every registered project policy (the latest definition of each id)."""
    found: dict[str, Rule] = {}
    for group in _policies.values():
        for rule in group:
            found[rule.id] = rule
    return list(found.values())


def known_rules() -> list[Rule]:
    """Built-in rules and registered project policies."""
    return [*all_rules(), *policies()]


@cache
def _by_name() -> dict[str, Rule]:
    index: dict[str, Rule] = {}
    for rule in all_rules():
        for alias in rule.aliases:
            index.setdefault(alias.lower(), rule)
    for rule in all_rules():
        index[rule.id.lower()] = rule
    return index


def builtin(name: str) -> Rule | None:
    """A built-in rule by id or alias (project policies excluded)."""
    key = name.strip().lower()
    found = _indexed(key)
    if found is not None:
        return found
    if key not in _index() and not _everything_known() and _index_is_current():
        return None
    return _by_name().get(key)


def get(name: str) -> Rule | None:
    """A rule by id or by an alias (``CKV_AWS_20``, ``AVD-AWS-0092``, ``aws-s3-...``), or a
    registered project policy by id."""
    key = name.strip().lower()
    found = builtin(key)
    if found is not None:
        return found
    for rule in policies():
        if rule.id == key:
            return rule
    return None


def ids() -> frozenset[str]:
    return frozenset(r.id for r in all_rules())
