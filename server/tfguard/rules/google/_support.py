"""Shared reading for the Google Cloud rules: the google provider's major version (several
defaults changed between majors; read by :mod:`tfguard.rules.kit.providers`), the Compute
Engine default service account, and the small value helpers the rules have in common."""

from __future__ import annotations

from tfguard.module import Entity, Module
from tfguard.rules.kit import providers
from tfguard.rules.kit.instances import expression_targets
from tfguard.rules.kit.paths import ABSENT, lookup
from tfguard.rules.kit.values import UNKNOWN, Value, as_bool, as_string
from tfguard.syntax import Expr

# The provider addresses whose resources these rules read (google and google-beta share
# their resource schemas and defaults).
PROVIDER_NAMES = ("google", "google-beta")


def provider_majors(module: Module) -> frozenset[int] | None:
    """The google (and google-beta) provider major versions the module may run; None when
    that cannot be told."""
    found: set[int] = set()
    for name in PROVIDER_NAMES:
        found |= providers.majors(module, name) or set()
    return frozenset(found) or None


def since_major(module: Module, major: int, before: Value, since: Value) -> Value:
    """A default that changed in provider ``major``: ``since`` when every version that may
    run is at least that major, ``before`` when every one is older, UNKNOWN otherwise (no
    constraint, or one that admits both)."""
    return providers.since_major(module, PROVIDER_NAMES, major, before, since)


# -- the Compute Engine default service account --------------------------------------------

DEFAULT_SA_DATA = "google_compute_default_service_account"


def is_default_compute_email(value: Value) -> Value:
    """True for ``default`` and ``<number>-compute@developer.gserviceaccount.com``; False for
    another known email; UNKNOWN when the value cannot be read."""
    text = as_string(value)
    if text is UNKNOWN:
        return UNKNOWN
    email = str(text).strip().lower().removeprefix("serviceaccount:")
    # Only the Compute Engine default account lives in developer.gserviceaccount.com; an
    # empty email means the default as well.
    return email in ("", "default") or email.endswith("@developer.gserviceaccount.com")


def refers_to_default_sa(module: Module, expr: Expr | None) -> bool:
    """The expression names ``data.google_compute_default_service_account`` (directly or
    through locals)."""
    return any(
        t.kind == "data" and t.type == DEFAULT_SA_DATA for t in expression_targets(module, expr)
    )


def flag(module: Module, entity: Entity, path: str, default: Value) -> Value:
    """A boolean at ``path`` (the first place it reaches), ``default`` when not written."""
    hits = lookup(module, entity, path)
    if not hits:
        return default
    hit = hits[0]
    if not hit.present:
        return default
    return as_bool(hit.value)


# OAuth scopes that give a service account's full IAM rights to the workload.
FULL_SCOPES = frozenset(
    {
        "cloud-platform",
        "https://www.googleapis.com/auth/cloud-platform",
    }
)


def has_full_scope(value: Value) -> Value:
    """Whether a scopes list holds ``cloud-platform``; UNKNOWN when any element is unknown
    and none is that scope."""
    if value is ABSENT or value is None:
        return False
    if not isinstance(value, list):
        return UNKNOWN
    complete = True
    for item in value:
        text = as_string(item)
        if text is UNKNOWN:
            complete = False
        elif str(text).strip().lower() in FULL_SCOPES:
            return True
    return False if complete else UNKNOWN
