"""Shared S3 helpers (no rules here): which bucket a split resource belongs to, which buckets
hold Terraform state, which public access blocks cover a bucket, and what exposes a bucket to
the public (:func:`public_grants`, the S3 adapter of :mod:`tfguard.rules.kit.storage`).

A split resource (``aws_s3_bucket_versioning``, ``aws_s3_bucket_public_access_block``...) names
its bucket by reference (``bucket = aws_s3_bucket.x.id`` / ``.bucket`` / ``.arn``, also through
a ``local``), by the bucket's literal name, or through ``for_each`` over buckets. A link that
cannot be resolved is *unresolved*: rules that report a missing split resource stay silent
while one exists, because it may be the one that covers the bucket.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from tfguard.evaluate import UNKNOWN, Value, fully_known
from tfguard.module import Entity, Module
from tfguard.policy import (  # the readers behind policies(), applied to bucket policies
    Condition,
    Statement,
    _document_value,
    _from_document,
    _from_json,
)
from tfguard.rules.aws._provider import aws_constraint, locked_aws_version
from tfguard.rules.kit.fixing import unique_name
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.storage import PublicGrant
from tfguard.rules.kit.values import as_bool
from tfguard.syntax import Attribute, Block, Expr, FunctionCall, Literal, Reference, Template
from tfguard.versions import admits, allows

BUCKET = "aws_s3_bucket"
ARN_PREFIXES = ("arn:aws:s3:::", "arn:aws-cn:s3:::", "arn:aws-us-gov:s3:::")
PUBLIC_ACCESS_FLAGS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)
# Bucket names (or resource names) that say "this bucket holds Terraform/OpenTofu state":
# tfstate, tf-state, terraform-state, terraform_state, tofu-state, ...
STATE_NAME = re.compile(r"(tf|terraform|tofu)[-_.]?states?(?![a-z])|tfstate", re.I)
# ...unless the name says the bucket holds logs (the state bucket's access logs).
NOT_STATE = re.compile(r"logs?(?![a-z])|logging", re.I)


def bucket_name(module: Module, bucket: Entity) -> str | None:
    """The bucket's literal name, when it is known."""
    value = module.attr_value(bucket, "bucket", None)
    return value if isinstance(value, str) and fully_known(value) else None


def _strip_arn(name: str) -> str:
    for prefix in ARN_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :].split("/", 1)[0]
    return name


def _name_index(module: Module) -> dict[str, list[Entity]]:
    """Known bucket name → the module's buckets with that name (computed once a module)."""
    index: dict[str, list[Entity]] | None = module.memo.get(_name_index)
    if index is None:
        index = {}
        for bucket in module.of_type(BUCKET):
            name = bucket_name(module, bucket)
            if name is not None:
                index.setdefault(name, []).append(bucket)
        module.memo[_name_index] = index
    return index


def _text_index(module: Module) -> dict[str, list[Entity]]:
    """The source text of each bucket's ``bucket`` argument → those buckets."""
    index: dict[str, list[Entity]] | None = module.memo.get(_text_index)
    if index is None:
        index = {}
        for bucket in module.of_type(BUCKET):
            text = _name_text(bucket)
            if text is not None:
                index.setdefault(text, []).append(bucket)
        module.memo[_text_index] = index
    return index


def _buckets_named(module: Module, value: Value) -> list[Entity]:
    names = value if isinstance(value, list) else [value]
    if not all(isinstance(n, str) for n in names):
        return []
    index = _name_index(module)
    out: list[Entity] = []
    for name in names:
        for bucket in index.get(_strip_arn(name), []):
            if bucket not in out:
                out.append(bucket)
    return out


def _follow_locals(module: Module, expr: Expr, depth: int = 0) -> list[Expr]:
    """The expression, and the definitions of the locals it refers to (transitively)."""
    key = (_follow_locals, id(expr), depth)
    cached: list[Expr] | None = module.memo.get(key)
    if cached is not None:
        return cached
    out = [expr]
    module.memo[key] = out
    if depth > 5:
        return out
    for ref in expr.references():
        if ref.root == "local" and len(ref.steps) >= 2 and isinstance(ref.steps[1], str):
            local = module.locals.get(ref.steps[1])
            if local is not None:
                out.extend(_follow_locals(module, local.attribute.value, depth + 1))
    return out


def linked_buckets(
    module: Module, source: Entity, attr_name: str = "bucket"
) -> list[Entity] | None:
    """The module's buckets that ``source.<attr_name>`` names; ``[]`` when it names a bucket
    this module does not declare (a data source, a module output, another name); ``None``
    when it cannot be told."""
    key = (linked_buckets, id(source), attr_name)
    if key in module.memo:
        cached: list[Entity] | None = module.memo[key]
        return cached
    attr = source.attr(attr_name)
    found = [] if attr is None else buckets_in(module, attr.value, source)
    module.memo[key] = found
    return found


def buckets_in(module: Module, expr: Expr, owner: Entity) -> list[Entity] | None:
    """The module's buckets an expression of ``owner`` names (see :func:`linked_buckets`)."""
    found: list[Entity] = []
    other_target = False
    uses_each = False
    for part in _follow_locals(module, expr):
        for ref in part.references():
            if ref.root == "each":
                uses_each = True
            target = module.resolve(ref)
            if target is None:
                continue
            if target.kind == "resource" and target.type == BUCKET:
                if target not in found:
                    found.append(target)
            elif target.kind == "data" and target.type == BUCKET:
                by_name = _buckets_named(module, module.attr_value(target, "bucket"))
                found.extend(b for b in by_name if b not in found)
                other_target = other_target or not by_name
            elif target.kind in ("resource", "data", "module"):
                other_target = True
    if found:
        return found
    value = module.cached_value(expr)
    if isinstance(value, str) and fully_known(value):
        return _buckets_named(module, value)
    if uses_each:
        return _for_each_buckets(module, owner)
    # The same expression as a bucket's name (both ``var.bucket_name``) links them.
    same_text = _text_index(module).get(expr.text)
    if same_text:
        return list(same_text)
    if other_target:
        return []
    return None


def _name_text(bucket: Entity) -> str | None:
    attr = bucket.attr("bucket")
    return attr.value.text if attr is not None else None


def _for_each_buckets(module: Module, source: Entity) -> list[Entity] | None:
    attr = source.attr("for_each")
    if attr is None:
        return None
    buckets = [t for t in module.targets(attr.value) if t.kind == "resource" and t.type == BUCKET]
    if buckets:
        return buckets
    value = module.cached_value(attr.value)
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list) and fully_known(value):
        return _buckets_named(module, value)
    return None


@dataclass(slots=True)
class BucketLinks:
    """The resources of some types, grouped by the bucket they configure."""

    by_bucket: dict[str, list[Entity]] = field(default_factory=dict)
    unresolved: list[Entity] = field(default_factory=list)
    buckets_of: dict[str, list[Entity]] = field(default_factory=dict)  # source → buckets

    def of(self, bucket: Entity) -> list[Entity]:
        return self.by_bucket.get(bucket.address, [])

    def all(self) -> Iterator[Entity]:
        seen: set[int] = set()
        for sources in self.by_bucket.values():
            for s in sources:
                if id(s) not in seen:
                    seen.add(id(s))
                    yield s


def link(module: Module, *source_types: str, attr_name: str = "bucket") -> BucketLinks:
    """Resources of ``source_types`` grouped by bucket (built once per analysis; read-only)."""
    key = (link, source_types, attr_name)
    cached: BucketLinks | None = module.memo.get(key)
    if cached is not None:
        return cached
    links = BucketLinks()
    module.memo[key] = links
    for source in live(module, *source_types):
        buckets = linked_buckets(module, source, attr_name)
        if buckets is None:
            links.unresolved.append(source)
            continue
        links.buckets_of[source.address] = buckets
        for b in buckets:
            links.by_bucket.setdefault(b.address, []).append(source)
    return links


# -- nested blocks ---------------------------------------------------------------------------


def flag(module: Module, entity: Entity, name: str) -> Value:
    """A boolean argument: True/False, the string forms too, UNKNOWN otherwise; ``False``
    when the argument is not set (the provider default for every flag used here)."""
    value = module.attr_value(entity, name, None)
    return False if value is None else as_bool(value)


# -- state buckets ---------------------------------------------------------------------------


def _backend_bucket_names(module: Module) -> dict[str, str]:
    """bucket name → why it holds state (computed once a module)."""
    cached: dict[str, str] | None = module.memo.get(_backend_bucket_names)
    if cached is not None:
        return cached
    names: dict[str, str] = {}
    for tf in module.terraform_blocks:
        for backend in tf.block.blocks_of("backend"):
            if backend.labels != ("s3",):
                continue
            attr = backend.attr("bucket")
            value = module.cached_value(attr.value) if attr else UNKNOWN
            if isinstance(value, str) and fully_known(value):
                reason = f'the backend "s3" of this configuration stores state in "{value}"'
                names.setdefault(value, reason)
    for data in module.of_type("data.terraform_remote_state"):
        if module.attr_value(data, "backend") != "s3":
            continue
        config = module.attr_value(data, "config")
        bucket = config.get("bucket") if isinstance(config, dict) else None
        if isinstance(bucket, str):
            names.setdefault(bucket, f'{data.address} reads Terraform state from "{bucket}"')
    module.memo[_backend_bucket_names] = names
    return names


def _literal_text(expr: Expr) -> str:
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, Template):
        return "".join(p for p in expr.parts if isinstance(p, str))
    return ""


def _names(module: Module, bucket: Entity) -> Iterator[tuple[str, str, str]]:
    """(text to match, how a message quotes it, what it is) for the bucket's ``bucket`` and
    ``bucket_prefix`` (the known value, else the literal parts of a template like
    ``"${var.project}-tfstate"``) and then its resource name."""
    for attr_name in ("bucket", "bucket_prefix"):
        attr = bucket.attr(attr_name)
        if attr is not None:
            value = module.cached_value(attr.value)
            if isinstance(value, str):
                yield value, f'"{value}"', "name"
            else:
                yield _literal_text(attr.value), attr.value.text, "name"
    yield bucket.name, f'"{bucket.name}"', "resource name"


def state_bucket_reason(module: Module, bucket: Entity) -> str | None:
    """Why a bucket is taken to hold Terraform state, or None. The one test of "state
    bucket" for every rule that asks.

    A bucket holds state when an S3 backend of the module or a ``terraform_remote_state``
    data source names it. Otherwise its names decide, in this order: ``bucket`` (or
    ``bucket_prefix``), then the resource name. The first of them that says "log"
    (:data:`NOT_STATE`: the state bucket's access logs) makes it no state bucket; the first
    that matches :data:`STATE_NAME` (tfstate, tf-state, terraform-state, terraform_state,
    tofu-state...) makes it one.
    """
    key = (state_bucket_reason, id(bucket))
    if key not in module.memo:
        module.memo[key] = _state_bucket_reason(module, bucket)
    reason: str | None = module.memo[key]
    return reason


def _state_bucket_reason(module: Module, bucket: Entity) -> str | None:
    name = bucket_name(module, bucket)
    if name is not None:
        reason = _backend_bucket_names(module).get(name)
        if reason is not None:
            return reason
    for text, quoted, what in _names(module, bucket):
        if NOT_STATE.search(text):
            return None
        if STATE_NAME.search(text):
            return f"its {what} {quoted} says it holds state"
    return None


# -- public access blocks ----------------------------------------------------------------------


def public_access(
    module: Module, bucket: Entity, blocks: BucketLinks | None = None
) -> dict[str, Value]:
    """The effective value of each public-access flag for a bucket: True when the bucket's own
    ``aws_s3_bucket_public_access_block`` or an ``aws_s3_account_public_access_block`` sets it,
    False when none does, UNKNOWN when a block's value or link cannot be read."""
    if blocks is None:
        blocks = link(module, "aws_s3_bucket_public_access_block")
    sources = blocks.of(bucket) + live(module, "aws_s3_account_public_access_block")
    out: dict[str, Value] = {}
    for name in PUBLIC_ACCESS_FLAGS:
        values = [flag(module, s, name) for s in sources]
        if True in values:
            out[name] = True
        elif any(v is UNKNOWN for v in values) or (blocks.unresolved and not blocks.of(bucket)):
            out[name] = UNKNOWN
        else:
            out[name] = False
    return out


# -- bucket policies -------------------------------------------------------------------------


@dataclass(slots=True)
class BucketPolicy:
    """A policy attached to a bucket: an ``aws_s3_bucket_policy`` or a bucket's inline
    ``policy`` argument. ``complete`` is False when part of the document cannot be read
    (``statements`` then holds what could)."""

    owner: Entity
    attribute: Attribute
    statements: list[Statement]
    complete: bool


@dataclass(slots=True)
class BucketPolicies:
    by_bucket: dict[str, list[BucketPolicy]] = field(default_factory=dict)
    unresolved: list[Entity] = field(default_factory=list)
    # Policies of buckets this module does not declare, or whose bucket cannot be told.
    elsewhere: list[BucketPolicy] = field(default_factory=list)

    def of(self, bucket: Entity) -> list[BucketPolicy]:
        return self.by_bucket.get(bucket.address, [])


def _document_statements(
    module: Module, doc: Entity, depth: int = 0
) -> tuple[list[Statement], bool]:
    statements = list(_from_document(module, doc))
    complete = doc.attr("source_json") is None and doc.attr("override_json") is None
    for name in ("source_policy_documents", "override_policy_documents"):
        attr = doc.attr(name)
        if attr is None:
            continue
        parts = _referenced_documents(module, attr.value)
        if parts is None or depth > 3:
            complete = False
            continue
        for part in parts:
            more, whole = _document_statements(module, part, depth + 1)
            statements.extend(more)
            complete = complete and whole
    return statements, complete


def _referenced_documents(module: Module, expr: Expr) -> list[Entity] | None:
    """The policy documents an expression is made of, or None when it holds anything else."""
    refs = list(expr.references())
    docs = [module.resolve(r) for r in refs]
    if not refs or any(d is None or d.type != "aws_iam_policy_document" for d in docs):
        return None
    out: list[Entity] = []
    for d in docs:
        if d is not None and d not in out:
            out.append(d)
    return out


def policy_statements(
    module: Module, owner: Entity, attr: Attribute
) -> tuple[list[Statement], bool]:
    """The statements of a policy argument in any of its three forms, and whether the whole
    document could be read."""
    docs = _referenced_documents(module, attr.value)
    if docs is not None:
        statements: list[Statement] = []
        complete = isinstance(attr.value, Reference)  # not a document combined with more
        for doc in docs:
            more, whole = _document_statements(module, doc)
            statements.extend(more)
            complete = complete and whole
        return statements, complete
    expr = attr.value
    if isinstance(expr, FunctionCall) and expr.name == "jsonencode" and len(expr.args) == 1:
        # jsonencode() of an object with one unknown leaf (a bucket ARN) is unknown as a
        # whole; read the object itself, unknown leaves and all.
        document = module.value(expr.args[0])
    else:
        document = _document_value(module, expr)
    if not isinstance(document, dict):
        return [], False
    statements = _from_json(owner, attr, document)
    return statements, bool(statements) and fully_known(document.get("Statement", UNKNOWN))


def bucket_policies(module: Module) -> BucketPolicies:
    out = BucketPolicies()
    for bucket in live(module, BUCKET):
        attr = bucket.attr("policy")
        if attr is not None:
            policy = BucketPolicy(bucket, attr, *policy_statements(module, bucket, attr))
            out.by_bucket.setdefault(bucket.address, []).append(policy)
    for resource in live(module, "aws_s3_bucket_policy"):
        attr = resource.attr("policy")
        if attr is None:
            continue
        buckets = linked_buckets(module, resource)
        policy = BucketPolicy(resource, attr, *policy_statements(module, resource, attr))
        if buckets is None:
            out.unresolved.append(resource)
        if not buckets:
            out.elsewhere.append(policy)
            continue
        for b in buckets:
            out.by_bucket.setdefault(b.address, []).append(policy)
    return out


def is_public_principal(st: Statement) -> bool | None:
    """Whether the statement's principal is everyone ("*" or AWS "*"); None when unknown."""
    if not st.has_principal:
        return False
    for kind, identifiers in st.principals.items():
        if kind == "?":
            return None
        if kind in ("*", "AWS") and "*" in identifiers:
            return True
        if kind in ("*", "AWS") and any(not isinstance(i, str) for i in identifiers):
            return None
    return False


# -- public exposure -------------------------------------------------------------------------

# Canned ACLs that open a bucket: (what they let the public do, who).
PUBLIC_CANNED_ACLS = {
    "public-read": ("list", "anyone"),
    "public-read-write": ("write", "anyone"),
    "authenticated-read": ("list", "anyone with an AWS account"),
    "website": ("read", "anyone"),
}
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
PUBLIC_GROUPS = {ALL_USERS: "anyone", AUTHENTICATED_USERS: "anyone with an AWS account"}
# ACL permissions, by what they let a grantee do (READ lists the bucket, READ_ACP reads its ACL,
# WRITE_ACP rewrites the ACL and so grants anything).
ACL_PERMISSIONS = {
    "READ": "list",
    "READ_ACP": "read",
    "WRITE": "write",
    "WRITE_ACP": "write",
    "FULL_CONTROL": "write",
}
# Condition keys that pin a statement to known callers or networks: with a fixed value they
# make a "*" principal non-public (the list AWS uses to decide what "public" means).
RESTRICTING_KEYS = frozenset(
    {
        "aws:sourceip",
        "aws:sourcearn",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceowner",
        "aws:sourceaccount",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalservicename",
        "aws:userid",
        "s3:dataaccesspointaccount",
        "s3:dataaccesspointarn",
    }
)
# Operators that only let matching requests through (negated and IfExists forms do not).
RESTRICTING_OPERATORS = frozenset(
    {
        "stringequals",
        "stringequalsignorecase",
        "stringlike",
        "arnequals",
        "arnlike",
        "ipaddress",
    }
)
# Actions that change or destroy data: a public grant of any of them is critical.
WRITE_ACTIONS = (
    "s3:putobject",
    "s3:putobjectacl",
    "s3:deleteobject",
    "s3:deleteobjectversion",
    "s3:putbucketpolicy",
    "s3:putbucketacl",
    "s3:deletebucket",
)


@dataclass(frozen=True, slots=True, eq=False)
class AclGrant(PublicGrant):
    """A public ACL of a bucket or an ``aws_s3_bucket_acl``: a canned ``acl`` (``setting`` is
    its name, ``group`` None) or a grant to the AllUsers / AuthenticatedUsers group
    (``setting`` is the permission, ``group`` the grantee's URI). ``buckets`` are the
    module's buckets it applies to (``target`` is the first)."""

    buckets: tuple[Entity, ...]
    setting: str
    group: str | None


@dataclass(frozen=True, slots=True, eq=False)
class PolicyGrant(PublicGrant):
    """A statement of a bucket policy that allows everyone (Principal "*") without a condition
    that pins the caller. ``buckets`` are the module's live buckets the policy is attached to
    (none: a bucket declared elsewhere, or one that cannot be told); a statement shared by
    several policies is one grant, on the first."""

    buckets: tuple[Entity, ...]
    policy: BucketPolicy
    statement: Statement


def public_grants(module: Module) -> tuple[PublicGrant, ...]:
    """What exposes the module's buckets to the public: public ACLs (:class:`AclGrant`) and
    public policy statements (:class:`PolicyGrant`), whether or not a public access block
    neutralises them (the rules say so). Computed once a module."""
    cached: tuple[PublicGrant, ...] | None = module.memo.get(public_grants)
    if cached is None:
        cached = (*_acl_grants(module), *_policy_grants(module))
        module.memo[public_grants] = cached
    return cached


def _block_value(module: Module, block: Block, name: str) -> Value:
    attr = block.attr(name)
    return module.value(attr.value) if attr is not None else UNKNOWN


def acl_grant_blocks(module: Module, entity: Entity) -> Iterator[tuple[Block, Block, list[Value]]]:
    """(grant block, block holding the grantee's uri, permissions) of an ACL resource
    (``access_control_policy { grant { grantee {...} permission } }``) or of a v3 bucket's
    inline ``grant { uri, permissions }`` blocks."""
    if entity.type == BUCKET:
        for grant in entity.block.blocks_of("grant"):
            permissions = _block_value(module, grant, "permissions")
            yield grant, grant, permissions if isinstance(permissions, list) else []
        return
    for policy in entity.block.blocks_of("access_control_policy"):
        for grant in policy.blocks_of("grant"):
            grantee = grant.block("grantee")
            if grantee is not None:
                yield grant, grantee, [_block_value(module, grant, "permission")]


def _acl_grants(module: Module) -> Iterator[AclGrant]:
    for entity in live(module, BUCKET, "aws_s3_bucket_acl"):
        linked = [entity] if entity.type == BUCKET else linked_buckets(module, entity) or []
        buckets = tuple(linked)
        target = buckets[0] if buckets else None
        attr = entity.attr("acl")
        acl = module.value(attr.value) if attr is not None else None
        if attr is not None and isinstance(acl, str) and acl in PUBLIC_CANNED_ACLS:
            access, who = PUBLIC_CANNED_ACLS[acl]
            yield AclGrant(entity, attr, target, access, who, buckets, acl, None)
        for grant, grantee, permissions in acl_grant_blocks(module, entity):
            uri = _block_value(module, grantee, "uri")
            if not isinstance(uri, str) or uri not in PUBLIC_GROUPS:
                continue
            for permission in permissions:
                if isinstance(permission, str) and permission in ACL_PERMISSIONS:
                    access = ACL_PERMISSIONS[permission]
                    who = PUBLIC_GROUPS[uri]
                    yield AclGrant(entity, grant, target, access, who, buckets, permission, uri)


def _policy_grants(module: Module) -> Iterator[PolicyGrant]:
    policies = bucket_policies(module)
    attached: dict[int, tuple[BucketPolicy, list[Entity]]] = {}
    for bucket in live(module, BUCKET):
        for policy in policies.of(bucket):
            attached.setdefault(id(policy), (policy, []))[1].append(bucket)
    groups = [(policy, tuple(buckets)) for policy, buckets in attached.values()]
    groups.extend((policy, ()) for policy in policies.elsewhere)
    reported: set[int] = set()
    for policy, buckets in groups:
        for st in policy.statements:
            if id(st.anchor) in reported or not is_public_statement(st):
                continue
            reported.add(id(st.anchor))
            target = buckets[0] if buckets else None
            yield PolicyGrant(
                st.entity, st.anchor, target, policy_access(st), "anyone", buckets, policy, st
            )


def is_public_statement(st: Statement) -> bool:
    """An Allow for everyone with no condition that restricts (or may restrict) the caller."""
    if not st.allows or is_public_principal(st) is not True:
        return False
    return not any(restricts(c) is not False for c in st.conditions)


def grants_writes(actions: list[Value]) -> bool:
    """Whether the actions (patterns) include one that changes or destroys data (an unknown
    action may)."""
    for action in actions:
        if not isinstance(action, str):
            return True
        pattern = action.lower()
        if any(fnmatch.fnmatchcase(write, pattern) for write in WRITE_ACTIONS):
            return True
    return False


def policy_access(st: Statement) -> str:
    """``write``, ``list`` or ``read``: the widest access a statement's actions give."""
    if grants_writes(st.actions):
        return "write"
    patterns = [a.lower() for a in st.actions if isinstance(a, str)]
    return "list" if any(fnmatch.fnmatchcase("s3:listbucket", p) for p in patterns) else "read"


def restricts(condition: Condition) -> bool | None:
    """Whether a condition limits who can use the statement; None when it cannot be told."""
    test, variable = condition.test, condition.variable
    if test is UNKNOWN or variable is UNKNOWN:
        return None
    if not isinstance(test, str) or not isinstance(variable, str):
        return None
    operator = test.lower().split(":")[-1]
    if variable.lower() not in RESTRICTING_KEYS or operator not in RESTRICTING_OPERATORS:
        return False
    if not condition.values:
        return False
    for value in condition.values:
        if value is UNKNOWN:
            return None
        if not isinstance(value, str) or value in ("*", ""):
            return False
        if operator == "ipaddress" and _is_open_network(value):
            return False
    return True


def _is_open_network(value: str) -> bool:
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return network.prefixlen == 0


def log_delivery_buckets(module: Module, policies: BucketPolicies | None = None) -> set[str]:
    """Addresses of buckets set up to receive S3 server access logs: a log-delivery-write
    ACL or a policy that lets logging.s3.amazonaws.com put objects."""
    out: set[str] = set()
    for bucket in module.of_type(BUCKET):
        if module.attr_value(bucket, "acl") == "log-delivery-write":
            out.add(bucket.address)
    for acl in module.of_type("aws_s3_bucket_acl"):
        if module.attr_value(acl, "acl") == "log-delivery-write":
            out.update(b.address for b in linked_buckets(module, acl) or [])
    policies = policies or bucket_policies(module)
    for address, attached in policies.by_bucket.items():
        for policy in attached:
            for st in policy.statements:
                services = st.principals.get("Service", [])
                if st.allows and "logging.s3.amazonaws.com" in services:
                    out.add(address)
    return out


def log_targets(module: Module) -> tuple[set[str], bool]:
    """Addresses of buckets named as an access-logging target, and whether some target
    could not be resolved."""
    out: set[str] = set()
    unresolved = False
    sources: list[tuple[Entity, Expr]] = []
    for entity in live(module, "aws_s3_bucket_logging"):
        attr = entity.attr("target_bucket")
        if attr is not None:
            sources.append((entity, attr.value))
    for bucket in module.of_type(BUCKET):
        for block in bucket.block.blocks_of("logging"):
            attr = block.attr("target_bucket")
            if attr is not None:
                sources.append((bucket, attr.value))
    for owner, expr in sources:
        buckets = buckets_in(module, expr, owner)
        if buckets is None:
            unresolved = True
        else:
            out.update(b.address for b in buckets)
    return out, unresolved


def new_bucket_resource(
    module: Module, bucket: Entity, resource_type: str, body: list[str]
) -> str | None:
    """The text of a new split resource for ``bucket`` (None for a bucket with count or
    for_each, whose instances a single resource cannot name)."""
    if bucket.attr("count") is not None or bucket.attr("for_each") is not None:
        return None
    name = unique_name(module, resource_type, bucket.name)
    lines = [f'resource "{resource_type}" "{name}" {{', f"  bucket = {bucket.address}.id"]
    flat = [ln for ln in body if "=" in ln and not ln.startswith(" ") and "{" not in ln]
    width = max([len("bucket"), *(len(ln.split("=", 1)[0].strip()) for ln in flat)])
    lines[1] = f"  {'bucket'.ljust(width)} = {bucket.address}.id"
    for ln in body:
        if ln in flat:
            key, value = (part.strip() for part in ln.split("=", 1))
            lines.append(f"  {key.ljust(width)} = {value}")
        else:
            lines.append(f"  {ln}")
    lines.append("}")
    return "\n".join(lines)


# -- provider v3 (inline blocks) or v4+ (split resources) ------------------------------------

# The resources the AWS provider 4.0 split out of aws_s3_bucket (policy, public access block,
# ownership controls and notifications existed before and say nothing about the release).
V4_SPLIT = (
    "aws_s3_bucket_accelerate_configuration",
    "aws_s3_bucket_acl",
    "aws_s3_bucket_cors_configuration",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_logging",
    "aws_s3_bucket_object_lock_configuration",
    "aws_s3_bucket_replication_configuration",
    "aws_s3_bucket_request_payment_configuration",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_website_configuration",
)
# Inline configuration of a provider v3 bucket.
V3_INLINE = (
    "versioning",
    "logging",
    "server_side_encryption_configuration",
    "lifecycle_rule",
    "website",
    "cors_rule",
    "replication_configuration",
    "object_lock_configuration",
    "grant",
)


def split_style(module: Module, bucket: Entity) -> bool:
    """Whether a new bucket setting belongs in a split resource (AWS provider >= 4) rather than
    a nested block of the bucket (provider 3). The release in the dependency lock file
    decides, else the required_providers constraint when it admits only one side of 4.0;
    else split resources elsewhere in the module (which prove >= 4), then inline blocks on
    this bucket (v3 style); else the current style, split resources."""
    locked = locked_aws_version(module)
    if locked is not None:
        return allows(">= 4.0.0", locked) is not False
    constraint = aws_constraint(module)
    if constraint is not None:
        old = admits(constraint, below="4.0.0")
        new = admits(constraint, at_least="4.0.0")
        if old is True and new is False:
            return False
        if new is True and old is False:
            return True
    if module.of_type(*V4_SPLIT):
        return True
    return not any(bucket.block.blocks_of(name) for name in V3_INLINE)
