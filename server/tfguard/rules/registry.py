"""Every rule, found by importing the modules of the ``tfguard.rules`` sub-packages."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from functools import cache

from tfguard.rules.base import Rule

_PACKAGES = (
    "tfguard.rules.aws",
    "tfguard.rules.azure",
    "tfguard.rules.google",
    "tfguard.rules.terraform",
)


@cache
def all_rules() -> tuple[Rule, ...]:
    found: dict[str, Rule] = {}
    for package_name in _PACKAGES:
        package = importlib.import_module(package_name)
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            module = importlib.import_module(f"{package_name}.{info.name}")
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, Rule)
                    and value is not Rule
                    and value.__module__ == module.__name__
                    and "id" in vars(value)
                ):
                    rule = value()
                    if rule.id in found:
                        raise RuntimeError(f"duplicate rule id {rule.id}")
                    found[rule.id] = rule
    return tuple(sorted(found.values(), key=lambda r: r.id))


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
    return _by_name().get(name.strip().lower())


def get(name: str) -> Rule | None:
    """A rule by id or by an alias (``CKV_AWS_20``, ``AVD-AWS-0092``, ``aws-s3-...``), or a
    registered project policy by id."""
    key = name.strip().lower()
    found = _by_name().get(key)
    if found is not None:
        return found
    for rule in policies():
        if rule.id == key:
            return rule
    return None


def ids() -> frozenset[str]:
    return frozenset(r.id for r in all_rules())
