"""Storage accounts and containers as the public-storage family sees them: which container
lets anonymous readers in, and which account each container and companion resource belongs
to (``storage_account_id`` in azurerm 4.x, ``storage_account_name`` in 3.x)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from tfguard.module import Entity, Module
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.instances import expression_targets, instance_evaluators
from tfguard.rules.kit.paths import ABSENT, Hit, lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.storage import PublicGrant
from tfguard.rules.kit.values import UNKNOWN, Value, as_bool, as_string

ACCOUNT = "azurerm_storage_account"
# container_access_type values and what an anonymous caller may do.
PUBLIC_ACCESS = {"blob": "read blobs", "container": "list and read blobs"}


def account_of(module: Module, entity: Entity) -> tuple[Entity | None, bool]:
    """The storage account a container or companion resource (network rules, queue
    properties) belongs to, and whether the link could be read at all."""
    for name in ("storage_account_id", "storage_account_name"):
        attr = entity.attr(name)
        if attr is None:
            continue
        for target in expression_targets(module, attr.value):
            if target.type == ACCOUNT:
                return target, True
        value = as_string(module.cached_value(attr.value))
        if value is UNKNOWN:
            return None, False
        if name == "storage_account_name":
            for account in live(module, ACCOUNT):
                if module.attr_value(account, "name") == value:
                    return account, True
        return None, True
    return None, True


def nested_public(module: Module, account: Entity) -> Value:
    """Whether the account lets containers be made public: allow_nested_items_to_be_public
    (azurerm 3.x and 4.x: defaults to true) or allow_blob_public_access (2.x: false)."""
    for name, default in (
        ("allow_nested_items_to_be_public", True),
        ("allow_blob_public_access", False),
    ):
        hits = lookup(module, account, name)
        if hits and hits[0].present:
            return as_bool(hits[0].value)
        if name == "allow_nested_items_to_be_public" and not any(
            h.present for h in lookup(module, account, "allow_blob_public_access")
        ):
            return default
    return UNKNOWN


def container_grants(module: Module) -> list[PublicGrant]:
    """The containers whose container_access_type lets anonymous callers in (any instance of
    a ``for_each`` / ``count`` container: ``who`` then names the instances)."""
    out: list[PublicGrant] = []
    for container in live(module, "azurerm_storage_container"):
        attr = container.attr("container_access_type")
        if attr is None:
            continue  # azurerm 3.x and 4.x: "private"
        found: dict[str, list[str]] = {}
        for evaluator in instance_evaluators(module, container):
            value = as_string(evaluator.eval(attr.value))
            if not isinstance(value, str) or value.lower() not in PUBLIC_ACCESS:
                continue
            keys = found.setdefault(value.lower(), [])
            for frame in evaluator.bindings:
                each = frame.get("each")
                if isinstance(each, dict) and isinstance(each.get("key"), str):
                    keys.append(each["key"])
        if not found:
            continue
        level = "container" if "container" in found else "blob"
        account, _ = account_of(module, container)
        who = "anonymous callers"
        if found[level]:
            who += " (instances " + ", ".join(f'"{k}"' for k in found[level]) + ")"
        out.append(PublicGrant(container, attr, account, PUBLIC_ACCESS[level], who))
    return out


class RetentionCheck(Check):
    """A retention policy block that must exist (``blob_properties.delete_retention_policy``):
    a missing block fails, a block without ``days`` takes ``block_default_days``."""

    block_default_days: ClassVar[int] = 7

    def failures(self, module: Module, entity: Entity) -> Iterator[tuple[Hit, Value]]:
        kind = as_string(module.attr_value(entity, "account_kind", "StorageV2"))
        if kind == "FileStorage" or kind is UNKNOWN:
            return
        for hit in lookup(module, entity, self.attribute):
            if hit.present:
                value: Value = hit.value
            elif len(hit.missing) == 1:
                value = self.block_default_days
            else:
                value = ABSENT
            if value is UNKNOWN or hit.dynamic:
                continue
            if self.condition.test(value) is False:
                yield hit, value
