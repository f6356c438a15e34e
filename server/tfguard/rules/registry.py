"""Every rule, found by importing the modules of the ``tfguard.rules`` sub-packages."""

from __future__ import annotations

import importlib
import pkgutil
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


@cache
def _by_name() -> dict[str, Rule]:
    index: dict[str, Rule] = {}
    for rule in all_rules():
        for alias in rule.aliases:
            index.setdefault(alias.lower(), rule)
    for rule in all_rules():
        index[rule.id.lower()] = rule
    return index


def get(name: str) -> Rule | None:
    """A rule by id or by an alias (``CKV_AWS_20``, ``AVD-AWS-0092``, ``aws-s3-...``)."""
    return _by_name().get(name.strip().lower())


def ids() -> frozenset[str]:
    return frozenset(r.id for r in all_rules())
