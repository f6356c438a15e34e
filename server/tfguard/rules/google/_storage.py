"""Cloud Storage buckets exposed to ``allUsers`` / ``allAuthenticatedUsers``, as
:class:`tfguard.rules.kit.storage.PublicGrant` values.

Two families: IAM (``google_storage_bucket_iam_member`` / ``_binding`` / ``_policy``, read
through :mod:`tfguard.rules.google._iam`) and ACLs (``google_storage_bucket_acl``,
``google_storage_default_object_acl``, ``google_storage_object_acl`` with ``predefined_acl``
or ``role_entity``, and the ``*_access_control`` resources with ``entity``). Each public
grant says what the public may do: ``read`` objects, ``list`` them, or ``write``.
"""

from __future__ import annotations

from collections.abc import Iterator

from tfguard.module import Entity, Module
from tfguard.rules.google._iam import google_grants
from tfguard.rules.kit.instances import expression_targets
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.storage import PublicGrant, is_public_member
from tfguard.rules.kit.values import UNKNOWN, as_string, known_strings

BUCKET = "google_storage_bucket"
_BUCKET_IAM = (
    "google_storage_bucket_iam_member",
    "google_storage_bucket_iam_binding",
    "google_storage_bucket_iam_policy",
)

_WRITE_ROLES = frozenset(
    {
        "roles/storage.admin",
        "roles/storage.objectadmin",
        "roles/storage.objectcreator",
        "roles/storage.objectuser",
        "roles/storage.legacybucketowner",
        "roles/storage.legacybucketwriter",
        "roles/storage.legacyobjectowner",
    }
)
_LIST_ROLES = frozenset({"roles/storage.objectviewer", "roles/storage.legacybucketreader"})


def role_access(role: str) -> str:
    """``write``, ``list`` (read and list objects) or ``read`` for a storage role (any other
    role counts as ``read``: it still hands something to the public)."""
    name = role.strip().lower()
    if name in _WRITE_ROLES:
        return "write"
    if name in _LIST_ROLES:
        return "list"
    return "read"


def _acl_access(role: str, scope: str) -> str:
    """An ACL role on a bucket (``scope = "bucket"``) or on objects."""
    name = role.strip().upper()
    if name in ("WRITER", "OWNER", "FULL_CONTROL"):
        return "write"
    return "list" if scope == "bucket" else "read"


def bucket_of(module: Module, entity: Entity) -> Entity | None:
    targets = [t for t in expression_targets(module, entity.expr("bucket")) if t.type == BUCKET]
    return targets[0] if len(targets) == 1 else None


def iam_public_grants(module: Module) -> Iterator[PublicGrant]:
    for grant in google_grants(module):
        if grant.resource_type not in _BUCKET_IAM:
            continue
        public = grant.public_principals()
        if not public or not grant.permissions:
            continue
        anchor = grant.principal_anchor or grant.anchor or grant.entity.block
        bucket = grant.target if grant.target is not None and grant.target.type == BUCKET else None
        yield PublicGrant(
            grant.entity,
            anchor,
            bucket,
            role_access(grant.permissions[0]),
            " and ".join(public),
        )


_PREDEFINED = {
    # bucket ACL and object ACL canned names that involve the public
    "publicread": "read",
    "publicreadwrite": "write",
}


def acl_public_grants(module: Module) -> Iterator[PublicGrant]:
    for entity in live(
        module,
        "google_storage_bucket_acl",
        "google_storage_default_object_acl",
        "google_storage_object_acl",
    ):
        scope = "bucket" if entity.type == "google_storage_bucket_acl" else "object"
        bucket = bucket_of(module, entity)
        predefined = entity.attr("predefined_acl")
        if predefined is not None:
            name = as_string(module.cached_value(predefined.value))
            access = _PREDEFINED.get(str(name).lower()) if name is not UNKNOWN else None
            if access is not None:
                if scope == "bucket" and access == "read":
                    access = "list"
                yield PublicGrant(entity, predefined, bucket, access, "allUsers")
        default_acl = entity.attr("default_acl")
        if default_acl is not None:
            name = as_string(module.cached_value(default_acl.value))
            access = _PREDEFINED.get(str(name).lower()) if name is not UNKNOWN else None
            if access is not None:
                yield PublicGrant(entity, default_acl, bucket, access, "allUsers")
        role_entity = entity.attr("role_entity")
        if role_entity is None:
            continue
        items, _ = known_strings(module.cached_value(role_entity.value))
        public = [i for i in items if is_public_member(i.partition(":")[2])]
        if public:
            access = max(
                (_acl_access(i.partition(":")[0], scope) for i in public),
                key=("read", "list", "write").index,
            )
            who = " and ".join(dict.fromkeys(i.partition(":")[2] for i in public))
            yield PublicGrant(entity, role_entity, bucket, access, who)
    for entity in live(
        module,
        "google_storage_bucket_access_control",
        "google_storage_default_object_access_control",
        "google_storage_object_access_control",
    ):
        who = as_string(module.attr_value(entity, "entity"))
        if who is UNKNOWN or not is_public_member(who):
            continue
        role = as_string(module.attr_value(entity, "role"))
        scope = "bucket" if entity.type == "google_storage_bucket_access_control" else "object"
        access = _acl_access(str(role), scope) if role is not UNKNOWN else "read"
        anchor = entity.attr("entity") or entity.block
        yield PublicGrant(entity, anchor, bucket_of(module, entity), access, str(who))


def backend_bucket_names(module: Module) -> set[str]:
    """The buckets named by ``terraform { backend "gcs" { bucket = ... } }``."""
    names: set[str] = set()
    for block in module.terraform_blocks:
        for backend in block.block.blocks_of("backend"):
            if backend.labels != ("gcs",):
                continue
            attr = backend.attr("bucket")
            if attr is None:
                continue
            value = as_string(module.cached_value(attr.value))
            if value is not UNKNOWN:
                names.add(str(value))
    return names


def holds_state(module: Module, bucket: Entity) -> bool:
    """The bucket is the gcs backend's (by its literal name)."""
    names = backend_bucket_names(module)
    if not names:
        return False
    name = as_string(module.attr_value(bucket, "name"))
    return name is not UNKNOWN and str(name) in names


def log_buckets(module: Module) -> set[int]:
    """ids of the buckets that other buckets send their access logs to."""
    out: set[int] = set()
    names: set[str] = set()
    for bucket in live(module, BUCKET):
        for log in bucket.block.blocks_of("logging"):
            attr = log.attr("log_bucket")
            if attr is None:
                continue
            for target in expression_targets(module, attr.value):
                if target.type == BUCKET:
                    out.add(id(target))
            value = as_string(module.cached_value(attr.value))
            if value is not UNKNOWN:
                names.add(str(value))
    for bucket in live(module, BUCKET):
        name = as_string(module.attr_value(bucket, "name"))
        if name is not UNKNOWN and str(name) in names:
            out.add(id(bucket))
    return out
