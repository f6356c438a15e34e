"""Google IAM grants as :class:`tfguard.rules.kit.iam.Grant` values.

Every ``google_<thing>_iam_member`` (one member, one role), ``_iam_binding`` (members, one
role) and ``_iam_policy`` (bindings of a ``data.google_iam_policy`` or of a ``jsonencode``d
literal) becomes one grant per role and instance: its principals are the members
(``user:``, ``serviceAccount:``, ``group:``, ``domain:``, ``allUsers``...), its permissions
the role, its scope ``project``, ``folder``, ``organization`` or ``resource``. Members or
roles that cannot be read make the grant incomplete: rules then report what is known and
never what is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tfguard.module import Entity, Module
from tfguard.rules.kit.iam import Grant
from tfguard.rules.kit.instances import (
    Anchor,
    RuleSet,
    expression_targets,
    nested_rule_sets,
    resource_rule_sets,
)
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, Value, as_string, known_strings

IAM_TYPE = re.compile(r"^google_(?P<thing>[a-z0-9_]+?)_iam_(?P<kind>member|binding|policy)$")
_NOT_TARGETS = frozenset(
    {"role", "member", "members", "policy_data", "condition", "etag", "count", "for_each"}
)
_MEMO_KEY = "google-iam-grants"


@dataclass(slots=True)
class GoogleGrant(Grant):
    """A grant with where it comes from: the IAM resource type
    (``google_storage_bucket_iam_member``), the resource it is on when the module defines
    it (the bucket), and the ``_iam_policy`` resource that applies a policy data source
    (``entity`` is then the data source, where the binding is written)."""

    resource_type: str = ""
    target: Entity | None = None
    via: Entity | None = None

    @property
    def thing(self) -> str:
        """``storage_bucket``, ``project``, ``cloud_run_service``..."""
        match = IAM_TYPE.match(self.resource_type)
        return match.group("thing") if match else ""


def _scope(thing: str) -> str:
    if thing in ("project", "folder", "organization"):
        return thing
    return "resource"


def _target(module: Module, entity: Entity) -> Entity | None:
    for name, attr in entity.block.attributes.items():
        if name in _NOT_TARGETS:
            continue
        for target in expression_targets(module, attr.value):
            if target.kind == "resource" and not IAM_TYPE.match(target.type):
                return target
    return None


def _members(value: Value) -> tuple[list[str], bool]:
    if isinstance(value, str):
        return [value], True
    return known_strings(value)


def _grant(
    entity: Entity,
    rule_set: RuleSet,
    resource_type: str,
    target: Entity | None,
    member_key: str,
    via: Entity | None = None,
) -> GoogleGrant:
    role = as_string(rule_set.get("role"))
    members, complete = _members(rule_set.get(member_key))
    thing = IAM_TYPE.match(resource_type)
    return GoogleGrant(
        entity=entity,
        principals=members,
        permissions=[] if role is UNKNOWN else [str(role)],
        scope=_scope(thing.group("thing") if thing else ""),
        anchor=rule_set.holder,
        permission_anchor=rule_set.anchor("role"),
        principal_anchor=rule_set.anchor(member_key),
        complete=complete and role is not UNKNOWN,
        resource_type=resource_type,
        target=target,
        via=via,
    )


def _policy_grants(module: Module, entity: Entity, target: Entity | None) -> list[GoogleGrant]:
    out: list[GoogleGrant] = []
    attr = entity.attr("policy_data")
    if attr is None:
        return out
    sources = [t for t in expression_targets(module, attr.value) if t.kind == "data"]
    policies = [t for t in sources if t.type == "google_iam_policy"]
    if policies:
        for policy in policies:
            for binding in nested_rule_sets(module, policy, "binding", [module.evaluator()]):
                out.append(_grant(policy, binding, entity.type, target, "members", via=entity))
        return out
    # policy_data = jsonencode({ bindings = [...] }) written in place
    value = module.cached_value(attr.value)
    if isinstance(value, str):
        return out
    if isinstance(value, dict):
        for binding in value.get("bindings", []) if isinstance(value.get("bindings"), list) else []:
            if isinstance(binding, dict):
                anchors: dict[str, Anchor] = {k: attr for k in binding}
                rule_set = RuleSet(entity, attr, dict(binding), anchors)
                out.append(_grant(entity, rule_set, entity.type, target, "members"))
    return out


def _compute(module: Module) -> list[GoogleGrant]:
    out: list[GoogleGrant] = []
    types = sorted(t for t in module.by_type if IAM_TYPE.match(t))
    for entity in live(module, *types):
        match = IAM_TYPE.match(entity.type)
        assert match is not None
        kind = match.group("kind")
        target = _target(module, entity)
        if kind == "policy":
            out.extend(_policy_grants(module, entity, target))
            continue
        key = "member" if kind == "member" else "members"
        for rule_set in resource_rule_sets(module, entity):
            out.append(_grant(entity, rule_set, entity.type, target, key))
    return out


def google_grants(module: Module) -> list[GoogleGrant]:
    """Every IAM grant of the module's live ``*_iam_member``, ``*_iam_binding`` and
    ``*_iam_policy`` resources (see the module docstring)."""
    if _MEMO_KEY not in module.memo:
        module.memo[_MEMO_KEY] = _compute(module)
    found: list[GoogleGrant] = module.memo[_MEMO_KEY]
    return found


def member_kind(member: str) -> str:
    """``user``, ``serviceAccount``, ``group``, ``domain``, ``allUsers``... (the prefix
    before ``:``, or the member itself)."""
    head, sep, _ = member.strip().partition(":")
    return head if sep else member.strip()


def is_primitive_role(role: str) -> bool:
    return role.strip() in ("roles/owner", "roles/editor")


# Google-managed service agents: grants to them are made by Google or required by services.
_SERVICE_AGENT_DOMAINS = (
    "@gcp-sa-",
    "@cloudservices.gserviceaccount.com",
    "@container-engine-robot.iam.gserviceaccount.com",
    "@compute-system.iam.gserviceaccount.com",
    "@cloudbuild.gserviceaccount.com",
    "@serverless-robot-prod.iam.gserviceaccount.com",
    "@dataflow-service-producer-prod.iam.gserviceaccount.com",
)
_DEFAULT_ACCOUNT_SUFFIXES = (
    "-compute@developer.gserviceaccount.com",
    "@appspot.gserviceaccount.com",
)


def is_service_agent(member: str) -> bool:
    lowered = member.lower()
    return lowered.startswith("serviceaccount:") and any(
        d in lowered for d in _SERVICE_AGENT_DOMAINS
    )


def is_default_account(member: str) -> bool:
    """The Compute Engine or App Engine default service account."""
    lowered = member.lower()
    return lowered.startswith("serviceaccount:") and lowered.endswith(_DEFAULT_ACCOUNT_SUFFIXES)


def is_identity(member: str) -> bool:
    """A user, service account, group or domain (not allUsers, not a service agent)."""
    return member_kind(member) in ("user", "serviceAccount", "group", "domain") and not (
        is_service_agent(member)
    )


def hierarchy_grants(module: Module) -> list[GoogleGrant]:
    """Grants at project, folder or organization level."""
    return [g for g in google_grants(module) if g.scope in ("project", "folder", "organization")]


def grant_related(grant: GoogleGrant) -> list[tuple[Entity, Anchor, str]]:
    """The ``_iam_policy`` resource that applies a policy data source's binding."""
    if grant.via is None:
        return []
    return [(grant.via, grant.via.block, f"applied by {grant.via.address}")]


def scope_name(grant: GoogleGrant) -> str:
    if grant.scope in ("project", "folder", "organization"):
        return f"{grant.scope} level"
    return grant.thing.replace("_", " ")


# Roles that let the grantee act as service accounts (use, mint tokens, manage keys).
IMPERSONATION_ROLES = frozenset(
    {
        "roles/iam.serviceaccountuser",
        "roles/iam.serviceaccounttokencreator",
        "roles/iam.serviceaccountkeyadmin",
        "roles/iam.serviceaccountadmin",
        "roles/iam.workloadidentityuser",
    }
)


def is_impersonation_role(role: str) -> bool:
    return role.strip().lower() in IMPERSONATION_ROLES


# IAM resource kinds ("things") that have a public-access rule of their own.
STORAGE_THINGS = frozenset({"storage_bucket"})
KMS_THINGS = frozenset({"kms_crypto_key", "kms_key_ring"})
RUN_THINGS = frozenset({"cloud_run_service", "cloud_run_v2_service", "cloud_run_v2_job"})
FUNCTION_THINGS = frozenset({"cloudfunctions_function", "cloudfunctions2_function"})
PUBSUB_THINGS = frozenset({"pubsub_topic", "pubsub_subscription"})
BIGQUERY_THINGS = frozenset({"bigquery_dataset", "bigquery_table"})
ARTIFACT_THINGS = frozenset({"artifact_registry_repository"})
OWNED_THINGS = (
    STORAGE_THINGS
    | KMS_THINGS
    | RUN_THINGS
    | FUNCTION_THINGS
    | PUBSUB_THINGS
    | BIGQUERY_THINGS
    | ARTIFACT_THINGS
)


def public_grants(module: Module, things: frozenset[str] | None) -> list[GoogleGrant]:
    """Grants to allUsers / allAuthenticatedUsers on IAM resources of ``things`` (None:
    every kind without a rule of its own), one per place they are written."""
    out: list[GoogleGrant] = []
    seen: set[int] = set()
    for grant in google_grants(module):
        inside = grant.thing not in OWNED_THINGS if things is None else grant.thing in things
        if not inside or not grant.public_principals():
            continue
        anchor = grant.principal_anchor or grant.entity.block
        if id(anchor) in seen:
            continue
        seen.add(id(anchor))
        out.append(grant)
    return out


def describe_public(grant: GoogleGrant, what: str) -> str:
    """``Cloud Run service google_cloud_run_service.api grants roles/run.invoker to
    allUsers``."""
    target = f" {grant.target.address}" if grant.target is not None else ""
    role = grant.permissions[0] if grant.permissions else "a role that cannot be read"
    return f"{what}{target} grants {role} to {' and '.join(grant.public_principals())}"
