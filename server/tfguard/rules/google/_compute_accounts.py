"""Instances that run as the Compute Engine default service account, split by whether they
also ask for the cloud-platform scope (two rules, one finding per instance)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from tfguard.findings import Finding
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._compute import INSTANCES
from tfguard.rules.google._support import (
    has_full_scope,
    is_default_compute_email,
    refers_to_default_sa,
)
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN


class DefaultAccountRule(Rule):
    """An instance whose ``service_account`` block names no email (the default account),
    ``default``, the ``-compute@developer`` account or the
    ``google_compute_default_service_account`` data source. Without a ``service_account``
    block an instance has no service account at all."""

    full_scope: ClassVar[bool]
    fix_description = (
        "No automatic fix: the instance needs a service account of its own with the roles it uses."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for entity in live(module, *INSTANCES):
            for block in entity.block.blocks_of("service_account"):
                email = block.attr("email")
                if email is None or refers_to_default_sa(module, email.value):
                    default = True
                else:
                    default = is_default_compute_email(module.cached_value(email.value)) is True
                if not default:
                    continue
                scopes = block.attr("scopes")
                full = (
                    False if scopes is None else has_full_scope(module.cached_value(scopes.value))
                )
                if self.full_scope and full is not True:
                    continue
                if not self.full_scope and full is True:
                    continue
                anchor = scopes if self.full_scope and scopes is not None else (email or block)
                yield ctx.report(entity, anchor, self.describe(entity.address, full))

    def describe(self, address: str, full: object) -> str:
        if self.full_scope:
            return (
                f"{address} runs as the Compute Engine default service account with the "
                "cloud-platform scope"
            )
        unknown = " (its scopes could not be read)" if full is UNKNOWN else ""
        return f"{address} runs as the Compute Engine default service account{unknown}"
