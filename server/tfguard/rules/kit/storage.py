"""The public-storage family: who outside the account can read or list stored objects.

S3 buckets (ACLs, policies, public-access blocks), Azure storage accounts and blob containers,
and GCS buckets (IAM members, ACLs, public access prevention) each grant the public access in
their own words. A provider's adapter turns them into :class:`PublicGrant` values: the
resource that is exposed, the argument or member that exposes it, and what kind of access.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tfguard.module import Entity
from tfguard.rules.kit.instances import Anchor

# Principals that mean "anyone": GCP's special members, AWS's "*" principal.
PUBLIC_MEMBERS = frozenset({"allusers", "allauthenticatedusers", "*"})


def is_public_member(member: Any) -> bool:
    """``allUsers``, ``allAuthenticatedUsers`` (GCP) or ``*`` (AWS / any wildcard principal);
    a GCP member may carry a ``type:`` prefix only for identities, never for these two."""
    if not isinstance(member, str):
        return False
    return member.strip().lower() in PUBLIC_MEMBERS


@dataclass(frozen=True, slots=True)
class PublicGrant:
    """``target`` (the bucket, container or account) is exposed by ``entity``'s argument at
    ``anchor``: ``access`` is ``read``, ``list`` or ``write``; ``who`` names the audience
    (``allUsers``, ``anonymous``...)."""

    entity: Entity
    anchor: Anchor
    target: Entity | None
    access: str
    who: str

    def describe(self) -> str:
        return f"{self.who} can {self.access}"
