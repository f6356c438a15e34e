"""The shared check of the rules about IAM grants to allUsers / allAuthenticatedUsers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from tfguard.findings import Finding
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._iam import describe_public, grant_related, public_grants


class PublicIamRule(Rule):
    """Reports every public grant on the IAM resources of ``things`` (None: the kinds no
    other rule owns), described as ``what``."""

    things: ClassVar[frozenset[str] | None]
    what: ClassVar[str]
    fix_description = (
        "No automatic fix: the resource may be public on purpose; remove the member once "
        "callers authenticate."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for grant in public_grants(ctx.module, self.things):
            yield ctx.report(
                grant.entity,
                grant.principal_anchor or grant.entity.block,
                describe_public(grant, self.what),
                related=grant_related(grant),
            )
