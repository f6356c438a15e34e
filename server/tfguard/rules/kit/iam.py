"""The IAM-grant family: who is given which permissions on what.

AWS policy statements, Azure role assignments and definitions, and GCP IAM members, bindings
and policies all grant permissions (actions or roles) to principals at a scope. A provider's
adapter turns them into :class:`Grant` values; the rules ask the same questions of each: is a
principal public, is a permission a wildcard or a primitive admin role, is the scope the
whole account / subscription / project.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tfguard.module import Entity
from tfguard.rules.kit.instances import Anchor
from tfguard.rules.kit.storage import is_public_member


def is_wildcard(text: str) -> bool:
    """``*`` or a permission that ends in one (``s3:*``, ``Microsoft.Storage/*``)."""
    stripped = text.strip()
    return stripped == "*" or stripped.endswith(":*") or stripped.endswith("/*")


@dataclass(slots=True)
class Grant:
    """``principals`` receive ``permissions`` on ``resources`` at ``scope`` (``project``,
    ``folder``, ``organization``, ``subscription``, ``management_group``, ``resource``,
    ``account``; empty when unknown). ``anchors`` says where each part was written."""

    entity: Entity
    principals: list[str]
    permissions: list[str]
    resources: list[str] = field(default_factory=list)
    scope: str = ""
    effect: str = "Allow"
    anchor: Anchor | None = None
    permission_anchor: Anchor | None = None
    principal_anchor: Anchor | None = None
    complete: bool = True  # every principal and permission was known

    @property
    def allows(self) -> bool:
        return self.effect.lower() == "allow"

    def public_principals(self) -> list[str]:
        return [p for p in self.principals if is_public_member(p)]

    def has_permission(self, *names: str) -> list[str]:
        """The granted permissions among ``names`` (case-insensitive)."""
        wanted = {n.lower() for n in names}
        return [p for p in self.permissions if p.lower() in wanted]

    def wildcard_permissions(self) -> list[str]:
        return [p for p in self.permissions if is_wildcard(p)]
