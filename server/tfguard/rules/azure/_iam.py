"""Azure role assignments and custom role definitions as :class:`tfguard.rules.kit.iam.Grant`
values: who (principal_id) receives which role or actions, at which scope (a subscription,
a management group, a resource group or a resource)."""

from __future__ import annotations

import re

from tfguard.module import Entity, Module
from tfguard.rules.kit.iam import Grant
from tfguard.rules.kit.instances import expression_targets
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_string, known_strings

# Built-in roles that can change anything (Owner, Contributor) or grant access to anything
# (User Access Administrator, Role Based Access Control Administrator), by name and by the
# GUID of their role definition.
PRIVILEGED_ROLES = {
    "owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "user access administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "role based access control administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
}
_ROLE_BY_GUID = {guid: name for name, guid in PRIVILEGED_ROLES.items()}
_SUBSCRIPTION = re.compile(r"^/subscriptions/[^/]+/?$", re.IGNORECASE)
_MANAGEMENT_GROUP = re.compile(
    r"^/providers/microsoft\.management/managementgroups/[^/]+/?$", re.IGNORECASE
)
_SCOPE_TYPES = {
    "azurerm_subscription": "subscription",
    "data.azurerm_subscription": "subscription",
    "azurerm_management_group": "management_group",
    "data.azurerm_management_group": "management_group",
}


def scope_kind(module: Module, entity: Entity, argument: str = "scope") -> str:
    """``subscription``, ``management_group``, ``resource`` (a resource group or below), or
    "" when the scope cannot be read."""
    attr = entity.attr(argument)
    if attr is None:
        return ""
    text = as_string(module.cached_value(attr.value))
    if isinstance(text, str):
        if _SUBSCRIPTION.match(text):
            return "subscription"
        if _MANAGEMENT_GROUP.match(text):
            return "management_group"
        if text.lower().startswith("/subscriptions/"):
            return "resource"
    for target in expression_targets(module, attr.value):
        kind = target.type if target.kind == "resource" else f"data.{target.type}"
        if kind in _SCOPE_TYPES:
            return _SCOPE_TYPES[kind]
        return "resource"
    return ""


def role_name(module: Module, entity: Entity) -> str | None:
    """The built-in role a role assignment names, lower case (by name or by a definition id
    ending in a known GUID); None when it is not known."""
    name = as_string(module.attr_value(entity, "role_definition_name"))
    if isinstance(name, str):
        return name.strip().lower()
    definition = as_string(module.attr_value(entity, "role_definition_id"))
    if isinstance(definition, str):
        guid = definition.rstrip("/").rsplit("/", 1)[-1].lower()
        return _ROLE_BY_GUID.get(guid)
    return None


def role_assignment_grants(module: Module) -> list[Grant]:
    """One grant per role assignment whose role is known."""
    out: list[Grant] = []
    for entity in live(module, "azurerm_role_assignment"):
        role = role_name(module, entity)
        if role is None:
            continue
        principal = as_string(module.attr_value(entity, "principal_id"))
        anchor = entity.attr("role_definition_name") or entity.attr("role_definition_id")
        out.append(
            Grant(
                entity,
                [principal] if isinstance(principal, str) else [],
                [role],
                scope=scope_kind(module, entity),
                anchor=entity.attr("scope"),
                permission_anchor=anchor,
                principal_anchor=entity.attr("principal_id"),
                complete=isinstance(principal, str),
            )
        )
    return out


def role_definition_grants(module: Module) -> list[Grant]:
    """One grant per permissions block of a custom role definition (its actions, at the
    definition's scope); the principals are whoever is later assigned the role."""
    out: list[Grant] = []
    for entity in live(module, "azurerm_role_definition"):
        scope = scope_kind(module, entity)
        for hit in lookup(module, entity, "permissions.actions"):
            if not hit.present:
                continue
            actions, complete = known_strings(hit.value)
            out.append(
                Grant(
                    entity,
                    [],
                    actions,
                    scope=scope,
                    anchor=entity.attr("scope"),
                    permission_anchor=hit.anchor,
                    complete=complete,
                )
            )
    return out
