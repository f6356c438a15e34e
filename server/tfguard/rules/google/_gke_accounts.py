"""Node pools that run as the Compute Engine default service account, split by whether the
pool also asks for the cloud-platform scope (two rules, one finding per pool)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from tfguard.module import Entity, Module
from tfguard.rules.google._gke import NodeCheck
from tfguard.rules.google._support import (
    has_full_scope,
    is_default_compute_email,
    refers_to_default_sa,
)
from tfguard.rules.kit.conditions import Satisfies
from tfguard.rules.kit.paths import ABSENT, Hit
from tfguard.rules.kit.values import UNKNOWN, Value


def _custom(value: Value) -> Value:
    verdict = is_default_compute_email(value)
    return UNKNOWN if verdict is UNKNOWN else not verdict


class DefaultAccountCheck(NodeCheck):
    attribute = "node_config.service_account"
    condition = Satisfies(_custom, "must not be the Compute Engine default service account")
    default = "default"  # google provider, all majors: the Compute Engine default account
    full_scope: ClassVar[bool]
    fix_description = (
        "No automatic fix: the node pool needs a service account of its own, with the roles "
        "its nodes use."
    )

    def failures(self, module: Module, entity: Entity) -> Iterator[tuple[Hit, Value]]:
        for hit in self.hits(module, entity):
            if hit.present and hit.attribute is not None:
                if refers_to_default_sa(module, hit.attribute.value):
                    value: Value = "default"
                else:
                    value = hit.value
            elif hit.present:
                value = hit.value
            else:
                value = self.default_for(module, entity)
            if value is UNKNOWN or self.condition.test(value) is not False:
                continue
            full = _scopes_full(module, hit)
            if (full is True) == self.full_scope and (full is not UNKNOWN or not self.full_scope):
                yield hit, value


def _scopes_full(module: Module, hit: Hit) -> Value:
    """Whether the node_config holding ``hit`` asks for the cloud-platform scope (GKE's
    default scopes when oauth_scopes is left out: logging, monitoring, read-only storage)."""
    if hit.holder.type != "node_config":
        return False
    attr = hit.holder.attr("oauth_scopes")
    if attr is None:
        return False
    value = module.cached_value(attr.value)
    return has_full_scope(ABSENT if value is None else value)
