"""Helpers shared by the IAM rules: which statements are trust, identity or resource policy
statements, and how actions and principals are compared (no rule lives here)."""

from __future__ import annotations

from collections.abc import Iterator
from weakref import WeakKeyDictionary

from tfguard.evaluate import Value
from tfguard.module import Entity, Module
from tfguard.policy import Statement, policies, trust_documents
from tfguard.syntax import Block

# The statements of a module, read once for all IAM rules of one analysis.
_read: WeakKeyDictionary[Module, tuple[list[Statement], list[Statement]]] = WeakKeyDictionary()


def _statements(module: Module) -> tuple[list[Statement], list[Statement]]:
    cached = _read.get(module)
    if cached is None:
        used = trust_documents(module)
        trust: list[Statement] = []
        permissions: list[Statement] = []
        for policy in policies(module):
            is_trust = policy.is_trust or id(policy.entity) in used
            (trust if is_trust else permissions).extend(policy.statements)
        cached = (trust, permissions)
        _read[module] = cached
    return cached


def trust_statements(module: Module) -> Iterator[Statement]:
    """Statements of role trust policies: ``assume_role_policy`` written inline and policy
    documents a role uses as its ``assume_role_policy``."""
    yield from _statements(module)[0]


def permission_statements(module: Module) -> Iterator[Statement]:
    """Statements of every policy that is not a trust policy."""
    yield from _statements(module)[1]


def action_text(value: Value) -> str | None:
    return value.strip().lower() if isinstance(value, str) else None


def is_all_actions(value: Value) -> bool:
    return action_text(value) in ("*", "*:*")


def service_wildcard(value: Value) -> str | None:
    """``s3:*`` → ``s3``; None for anything narrower or for all actions."""
    text = action_text(value)
    if text is None or not text.endswith(":*"):
        return None
    service = text[:-2]
    if not service or "*" in service or "?" in service:
        return None
    return service


def is_any_resource(value: Value) -> bool:
    return isinstance(value, str) and value.strip() == "*"


def is_any_aws_principal(value: Value) -> bool:
    """``*`` or an ARN with a wildcard account: ``arn:aws:iam::*:root``."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    if text == "*":
        return True
    parts = text.split(":")
    return len(parts) >= 6 and parts[0] == "arn" and parts[2] == "iam" and parts[4] == "*"


def roles_trusting(module: Module, statement: Statement) -> list[Entity]:
    """The roles whose trust policy holds the statement (the role itself, or the roles that
    use its policy document as ``assume_role_policy``)."""
    entity = statement.entity
    if entity.kind == "resource":
        return [entity]
    out: list[Entity] = []
    for role in module.of_type("aws_iam_role"):
        attr = role.attr("assume_role_policy")
        if attr is not None and any(t is entity for t in module.targets(attr.value)):
            out.append(role)
    return out


def trust_related(module: Module, statement: Statement) -> list[tuple[Entity, Block, str]]:
    if statement.entity.kind == "resource":
        return []
    return [
        (role, role.block, f"{role.address} uses this trust policy")
        for role in roles_trusting(module, statement)
    ]
