"""Which release of a provider a module runs: the version constraints ``required_providers``
writes for it, and the release the dependency lock file selects (``module.project``).

A provider is named by its type (``aws``, ``azurerm``, ``google``, ``random``) and found by its
source ``hashicorp/<type>`` (any registry host; ``source = "<type>"`` implies the hashicorp
namespace), or by its local name when no source is written. Both forms of an entry are read:
``aws = { source = "hashicorp/aws", version = "~> 5.0" }`` and the legacy ``aws = "~> 5.0"``.
Constraint logic is :mod:`tfguard.versions`'.

- :func:`provider_versions`: what the module says (constraints, lock file);
- :func:`admits_release`: whether the release in use may be at least a given one (for fixes
  that need a provider feature);
- :func:`majors`: the major versions that may be in use (for defaults that changed between
  majors); :func:`since_major` picks such a default.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tfguard.module import Module
from tfguard.rules.kit.editing import release
from tfguard.rules.kit.paths import ABSENT
from tfguard.rules.kit.values import UNKNOWN, Value, as_string
from tfguard.versions import admits, allows

# The majors :func:`majors` considers by default (every current provider's are in it).
MAJORS = range(1, 13)


@dataclass(frozen=True, slots=True)
class ProviderVersions:
    """What a module says about the release of provider ``name``. ``constraints`` holds every
    readable constraint written for it (Terraform requires them all); ``readable`` is False
    when an entry that may be this provider cannot be read (an unknown source or version, a
    constraint in no known syntax). ``locked`` is the lock file's release, if any."""

    name: str
    constraints: tuple[str, ...]
    readable: bool
    locked: str | None

    @property
    def constraint(self) -> str | None:
        """The constraints as one (``>= 5.0, < 6.0``), None when none is written."""
        return ", ".join(self.constraints) if self.constraints else None

    @property
    def locked_release(self) -> tuple[int, int, int] | None:
        """The locked release as numbers (None without a lock entry, or for a pre-release)."""
        return release(self.locked) if self.locked is not None else None


def _source_matches(source: str, name: str) -> bool:
    parts = source.strip().lower().split("/")
    if len(parts) == 1:
        parts = ["hashicorp", *parts]  # source = "aws": the hashicorp namespace is implied
    return parts[-2:] == ["hashicorp", name] and len(parts) <= 3


def _entries(module: Module, name: str) -> tuple[list[str], bool]:
    constraints: list[str] = []
    readable = True
    for tf in module.terraform_blocks:
        for block in tf.block.blocks_of("required_providers"):
            for local, attr in block.attributes.items():
                value = module.cached_value(attr.value)
                source: Value
                version: Value
                if isinstance(value, str):  # the legacy form: aws = "~> 5.0"
                    source, version = local, value
                elif isinstance(value, dict):
                    source = value.get("source", local)
                    version = value.get("version", ABSENT)
                else:
                    readable = readable and local != name
                    continue
                source = as_string(source)
                if source is UNKNOWN:
                    readable = readable and local != name
                    continue
                if not _source_matches(str(source), name) or version is ABSENT:
                    continue
                if not isinstance(version, str) or allows(version, "0.0.0") is None:
                    readable = False
                    continue
                constraints.append(version)
    return constraints, readable


def provider_versions(module: Module, name: str) -> ProviderVersions:
    """The constraints and the locked release of ``hashicorp/<name>`` (read once a module)."""
    key = (provider_versions, name)
    cached: ProviderVersions | None = module.memo.get(key)
    if cached is None:
        constraints, readable = _entries(module, name)
        locked = module.project.locked_version(f"hashicorp/{name}")
        cached = ProviderVersions(name, tuple(constraints), readable, locked)
        module.memo[key] = cached
    return cached


def admits_release(module: Module, name: str, since: str) -> bool:
    """Whether the module may run a release of ``hashicorp/<name>`` at or after ``since``:
    the constraints admit one and the lock file (when it has the provider) selects one. What
    cannot be read counts as yes; a locked pre-release counts as no."""
    versions = provider_versions(module, name)
    constraint = versions.constraint
    if constraint is not None and admits(constraint, at_least=since) is False:
        return False
    if versions.locked is not None:
        locked = versions.locked_release
        wanted = release(since)
        if locked is None or wanted is None or locked < wanted:
            return False
    return True


def majors(module: Module, name: str, candidates: Iterable[int] = MAJORS) -> frozenset[int] | None:
    """The major versions of ``hashicorp/<name>`` the module may run: the locked release's
    when the constraints admit it (a stale lock is replaced by ``terraform init -upgrade``),
    else those of ``candidates`` the constraints admit. None when nothing can be told: no
    lock entry and no constraint, an unreadable entry, or constraints no release meets."""
    wanted = tuple(candidates)
    key = (majors, name, wanted)
    if key not in module.memo:
        module.memo[key] = _majors(module, name, wanted)
    found: frozenset[int] | None = module.memo[key]
    return found


def _majors(module: Module, name: str, candidates: tuple[int, ...]) -> frozenset[int] | None:
    versions = provider_versions(module, name)
    constraint = versions.constraint
    locked = versions.locked_release
    if locked is not None and (
        constraint is None or allows(constraint, ".".join(map(str, locked))) is not False
    ):
        return frozenset({locked[0]})
    if constraint is None or not versions.readable:
        return None
    found: set[int] = set()
    for major in candidates:
        verdict = admits(constraint, at_least=f"{major}.0.0", below=f"{major + 1}.0.0")
        if verdict is None:
            return None
        if verdict:
            found.add(major)
    return frozenset(found) or None


def since_major(
    module: Module, names: Iterable[str], major: int, before: Value, since: Value
) -> Value:
    """A default that changed in ``major`` of the providers ``names`` (``google`` and
    ``google-beta`` share their defaults): ``since`` when every major that may run is at least
    ``major``, ``before`` when every one is older, UNKNOWN otherwise (nothing known, or both
    sides possible)."""
    admitted: set[int] = set()
    for name in names:
        found = majors(module, name)
        if found is not None:
            admitted |= found
    if not admitted:
        return UNKNOWN
    if all(m >= major for m in admitted):
        return since
    if all(m < major for m in admitted):
        return before
    return UNKNOWN
