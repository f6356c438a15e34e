"""The shared check of the two public-bucket rules (IAM grants and ACLs)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from tfguard.findings import Finding, Severity
from tfguard.module import Entity, Module
from tfguard.rules.base import Anchor, Context
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.storage import PublicGrant
from tfguard.rules.kit.values import as_string

_SEVERITY = {"write": Severity.CRITICAL, "list": Severity.HIGH, "read": Severity.HIGH}
_RANK = ("read", "list", "write")
_VERBS = {"write": "write (upload, overwrite, delete)", "list": "list and read", "read": "read"}


def prevention_enforced(module: Module, bucket: Entity | None) -> bool:
    if bucket is None:
        return False
    for hit in lookup(module, bucket, "public_access_prevention"):
        if hit.present and as_string(hit.value) == "enforced":
            return True
    return False


def report_grants(ctx: Context, grants: Iterable[PublicGrant], what: str) -> Iterator[Finding]:
    # One finding per place: instances of a for_each that grant several roles there are
    # reported once, with the widest access.
    strongest: dict[tuple[int, int], PublicGrant] = {}
    for grant in grants:
        key = (id(grant.entity), id(grant.anchor))
        known = strongest.get(key)
        if known is None or _RANK.index(grant.access) > _RANK.index(known.access):
            strongest[key] = grant
    for grant in strongest.values():
        severity = _SEVERITY[grant.access]
        target = f" bucket {grant.target.address}" if grant.target is not None else " the bucket"
        message = f"{what} lets {grant.who} {_VERBS[grant.access]} the objects of{target}"
        related: list[tuple[Entity, Anchor, str]] = []
        if grant.target is not None:
            related.append((grant.target, grant.target.block, "the bucket"))
        if prevention_enforced(ctx.module, grant.target):
            severity = Severity.LOW
            message += " (public access prevention is enforced, so Cloud Storage refuses it)"
        yield ctx.report(
            grant.entity,
            grant.anchor,
            message,
            severity=severity,
            related=related,
            data={"access": grant.access, "who": grant.who},
        )
