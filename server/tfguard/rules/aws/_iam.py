"""Helpers shared by the IAM rules: which statements are trust, identity or resource policy
statements, and how actions and principals are compared (no rule lives here)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tfguard.evaluate import Value
from tfguard.module import Entity, Module
from tfguard.policy import POLICY_ATTRIBUTES, Condition, Statement, policies, trust_documents
from tfguard.rules.kit.iam import Grant
from tfguard.syntax import Block


def _statements(module: Module) -> tuple[list[Statement], list[Statement]]:
    """The statements of a module, read once for all IAM rules of one analysis (in
    ``module.memo``, where what rules share is followed: see tfguard.incremental)."""
    cached: tuple[list[Statement], list[Statement]] | None = module.memo.get(_statements)
    if cached is None:
        used = trust_documents(module)
        trust: list[Statement] = []
        permissions: list[Statement] = []
        for policy in policies(module):
            is_trust = policy.is_trust or id(policy.entity) in used
            (trust if is_trust else permissions).extend(policy.statements)
        cached = (trust, permissions)
        module.memo[_statements] = cached
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


# -- statements as grants --------------------------------------------------------------------


@dataclass(slots=True)
class StatementGrant:
    """One policy statement as a :class:`~tfguard.rules.kit.iam.Grant`, with what the grant
    family does not model: the statement itself (its conditions, where it is written)."""

    grant: Grant
    statement: Statement

    @property
    def conditioned(self) -> bool:
        """The statement has a Condition (read or not): its grant may be narrower than written."""
        return bool(self.statement.conditions)

    @property
    def on_any_resource(self) -> bool:
        return "*" in self.grant.resources

    @property
    def unconstrained(self) -> bool:
        """Allowed on every resource ("*") without any condition."""
        return self.grant.allows and self.on_any_resource and not self.conditioned

    def broad_actions(self) -> list[str]:
        """The actions written as every action (``*``) or a whole service (``s3:*``): on every
        resource they are aws-iam-no-wildcard-admin's and aws-iam-no-service-wildcard's
        findings."""
        return [a for a in self.grant.permissions if is_all_actions(a) or service_wildcard(a)]

    def specific_actions(self) -> list[str]:
        """The actions that are neither every action nor a whole service."""
        broad = set(self.broad_actions())
        return [a for a in self.grant.permissions if a not in broad]


def _known(values: list[Value]) -> tuple[list[str], bool]:
    out = [v.strip() for v in values if isinstance(v, str)]
    return out, len(out) == len(values)


def statement_grant(statement: Statement) -> StatementGrant:
    """A statement as a grant: its actions are the permissions, its resources the resources;
    the scope is the account when a resource is ``"*"``."""
    actions, actions_known = _known(statement.actions)
    resources, resources_known = _known(statement.resources)
    principals: list[str] = []
    principals_known = True
    for identifiers in statement.principals.values():
        found, complete = _known(identifiers)
        principals.extend(found)
        principals_known = principals_known and complete
    effect = statement.effect if isinstance(statement.effect, str) else "Unknown"
    grant = Grant(
        statement.entity,
        principals,
        actions,
        resources,
        scope="account" if "*" in resources else ("resource" if resources else ""),
        effect=effect,
        anchor=statement.anchor,
        permission_anchor=statement.anchor,
        complete=actions_known and resources_known and principals_known,
    )
    return StatementGrant(grant, statement)


def identity_grants(module: Module) -> Iterator[StatementGrant]:
    """The Allow statements of identity policies (policies attached to users, groups and roles,
    and policy documents that name no principal): in a resource policy (a bucket, key or queue
    policy, whose statements name principals) ``Resource = "*"`` means the resource the policy
    is attached to, so resource policies are not identity grants."""
    for statement in permission_statements(module):
        if statement.has_principal or statement.not_actions:
            continue  # NotAction is aws-iam-no-allow-not-action's
        found = statement_grant(statement)
        if found.grant.allows:
            yield found


def grants_by_policy(module: Module) -> dict[int, list[StatementGrant]]:
    """Identity grants grouped by the block that holds them (a policy, a role's inline
    policies, a policy document): the permissions one attachment gives together."""
    out: dict[int, list[StatementGrant]] = {}
    for found in identity_grants(module):
        out.setdefault(id(found.statement.entity), []).append(found)
    return out


# -- resource policies open to everyone --------------------------------------------------------

# Condition keys that pin the caller (or the resource acting for it) to known accounts,
# organisations, sources or networks.
CALLER_KEYS = frozenset(
    {
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceowner",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceip",
        "aws:userid",
        "aws:calledvia",
        "sts:externalid",
    }
)


def restricts_caller(condition: Condition) -> bool | None:
    """True when a condition pins who may call (an account, organisation, source ARN, VPC or
    address range), False when it does not, None when it cannot be read."""
    if not isinstance(condition.variable, str) or not isinstance(condition.test, str):
        return None
    if condition.variable.lower() not in CALLER_KEYS:
        return False
    test = condition.test.lower().split(":")[-1]
    if test.startswith(("stringnot", "arnnot", "null", "notipaddress")):
        return False
    if any(not isinstance(v, str) for v in condition.values):
        return None
    return bool(condition.values) and all(
        v.strip() not in ("*", "", "0.0.0.0/0", "::/0") for v in condition.values
    )


def any_principal(statement: Statement) -> bool | None:
    """Whether a statement names every principal (``*``, ``AWS = "*"``); None when a
    principal cannot be read."""
    for kind, identifiers in statement.principals.items():
        if kind == "*" or (kind == "AWS" and any(is_any_aws_principal(i) for i in identifiers)):
            return True
    return None if "?" in statement.principals else False


def open_to_everyone(statement: Statement) -> bool:
    """An Allow statement for every principal whose conditions (if any) are known not to pin
    the caller."""
    if not statement.allows or any_principal(statement) is not True:
        return False
    return all(restricts_caller(c) is False for c in statement.conditions)


def attached_statements(module: Module, *holder_types: str) -> list[tuple[Statement, Entity]]:
    """The statements of the resource policies held by ``holder_types`` (a queue's ``policy``, a
    topic policy, a domain's ``access_policies``), written in place or in a policy document the
    holder refers to, each with its holder."""
    by_entity: dict[int, list[Statement]] = {}
    for statement in permission_statements(module):
        by_entity.setdefault(id(statement.entity), []).append(statement)
    out: list[tuple[Statement, Entity]] = []
    for holder in module.of_type(*holder_types):
        out.extend((st, holder) for st in by_entity.get(id(holder), []))
        for name in POLICY_ATTRIBUTES.get(holder.type, ()):
            attr = holder.attr(name)
            if attr is None:
                continue
            for target in module.targets(attr.value):
                if target.kind == "data" and target.type == "aws_iam_policy_document":
                    out.extend((st, holder) for st in by_entity.get(id(target), []))
    return out
