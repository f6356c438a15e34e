from __future__ import annotations

from collections.abc import Iterator

from tfguard.evaluate import UNKNOWN, Value
from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, attribute_at
from tfguard.module import Entity, Module
from tfguard.rules.aws._s3 import BUCKET, BucketLinks, link, linked_buckets, public_access
from tfguard.rules.base import Anchor, Context, Rule
from tfguard.rules.kit.resources import live
from tfguard.syntax import Block

PUBLIC_ACLS = {
    "public-read": Severity.HIGH,
    "public-read-write": Severity.CRITICAL,
    "authenticated-read": Severity.HIGH,
    "website": Severity.HIGH,
}
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
PUBLIC_GROUPS = {ALL_USERS: "anyone", AUTHENTICATED_USERS: "anyone with an AWS account"}
PERMISSIONS = {
    "READ": (Severity.HIGH, "list the objects of"),
    "READ_ACP": (Severity.MEDIUM, "read the ACL of"),
    "WRITE": (Severity.CRITICAL, "write and delete objects in"),
    "WRITE_ACP": (Severity.CRITICAL, "change the ACL of"),
    "FULL_CONTROL": (Severity.CRITICAL, "fully control"),
}


class S3NoPublicAcl(Rule):
    id = "aws-s3-no-public-acl"
    title = "S3 bucket grants public access through its ACL"
    severity = Severity.HIGH
    rationale = (
        "A public canned ACL (public-read, public-read-write, authenticated-read) or a grant "
        "to the AllUsers / AuthenticatedUsers groups lets anyone on the internet, or any AWS "
        "account, list or read the objects of the bucket, and with write permissions also "
        "overwrite them. Public buckets are the most common cause of data leaks on AWS."
    )
    remediation = (
        'Use the "private" ACL (or no ACL with object ownership "BucketOwnerEnforced"), and '
        "serve public content through CloudFront with an origin access control instead."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_acl",
    )
    aliases = (
        "CKV_AWS_20",
        "CKV_AWS_57",
        "AVD-AWS-0092",
        "AWS-0092",
        "aws-s3-no-public-access-with-acl",
    )
    bad_example = """
resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

resource "aws_s3_bucket_acl" "reports" {
  bucket = aws_s3_bucket.reports.id
  acl    = "public-read"
}
"""
    good_example = """
resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

resource "aws_s3_bucket_acl" "reports" {
  bucket = aws_s3_bucket.reports.id
  acl    = "private"
}
"""
    fix_description = 'Sets the ACL to "private".'

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        blocks = link(module, "aws_s3_bucket_public_access_block")
        ownership = link(module, "aws_s3_bucket_ownership_controls")
        for entity in live(ctx.module, BUCKET, "aws_s3_bucket_acl"):
            buckets = [entity] if entity.type == BUCKET else linked_buckets(module, entity) or []
            related: list[tuple[Entity, Anchor, str]] = [
                (b, b.block, f"the bucket {b.address}") for b in buckets if b is not entity
            ]
            blocked = _neutralised(ctx, buckets, blocks, ownership)
            attr = entity.attr("acl")
            acl = ctx.value(attr.value) if attr is not None else None
            if attr is not None and isinstance(acl, str) and acl in PUBLIC_ACLS:
                message = (
                    f'S3 bucket ACL "{acl}" makes the bucket readable by '
                    + ("anyone with an AWS account" if acl == "authenticated-read" else "anyone")
                    + (" and writable by anyone" if acl == "public-read-write" else "")
                )
                yield self._report(
                    ctx, entity, attr, message, PUBLIC_ACLS[acl], blocked, related, acl
                )
            for grant, grantee, permissions in _grants(ctx, entity):
                uri = _value(ctx, grantee, "uri")
                if not isinstance(uri, str) or uri not in PUBLIC_GROUPS:
                    continue
                for permission in permissions:
                    if not isinstance(permission, str) or permission not in PERMISSIONS:
                        continue
                    severity, verb = PERMISSIONS[permission]
                    message = (
                        f"{entity.address} grants {permission} to the "
                        f"{uri.rsplit('/', 1)[-1]} group: {PUBLIC_GROUPS[uri]} can {verb} "
                        "the bucket"
                    )
                    yield self._report(
                        ctx, entity, grant, message, severity, blocked, related, permission, "grant"
                    )

    def _report(
        self,
        ctx: Context,
        entity: Entity,
        at: Anchor,
        message: str,
        severity: Severity,
        blocked: str | None,
        related: list[tuple[Entity, Anchor, str]],
        value: str,
        attribute: str = "acl",
    ) -> Finding:
        if blocked is not None:
            message += (
                f" (ineffective today because {blocked}, but misleading and one setting away)"
            )
            severity = Severity.LOW
        return ctx.report(
            entity,
            at,
            message,
            severity=severity,
            related=related,
            data={"attribute": attribute, "value": value},
        )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        at = attribute_at(module, finding)
        if at is None or at[2].name != "acl":
            return []  # a grant: which access to keep is a decision
        entity, _, attr = at
        edit = Editor(module).replace_value(entity, attr, '"private"')
        return [Fix('Set the ACL to "private"', (edit,), preferred=True)]


def _value(ctx: Context, block: Block, name: str) -> Value:
    attr = block.attr(name)
    return ctx.value(attr.value) if attr is not None else UNKNOWN


def _grants(ctx: Context, entity: Entity) -> Iterator[tuple[Block, Block, list[Value]]]:
    """(grant block, block holding the grantee's uri, permissions) of an ACL resource
    (``access_control_policy { grant { grantee {...} permission } }``) or of a v3 bucket's
    inline ``grant { uri, permissions }`` blocks."""
    if entity.type == BUCKET:
        for grant in entity.block.blocks_of("grant"):
            permissions = _value(ctx, grant, "permissions")
            yield grant, grant, permissions if isinstance(permissions, list) else []
        return
    for policy in entity.block.blocks_of("access_control_policy"):
        for grant in policy.blocks_of("grant"):
            grantee = grant.block("grantee")
            if grantee is not None:
                yield grant, grantee, [_value(ctx, grant, "permission")]


def _neutralised(
    ctx: Context, buckets: list[Entity], blocks: BucketLinks, ownership: BucketLinks
) -> str | None:
    """Why a public ACL has no effect on these buckets, or None."""
    if not buckets:
        return None
    reasons: list[str] = []
    for bucket in buckets:
        flags = public_access(ctx.module, bucket, blocks)
        if flags["ignore_public_acls"] is True:
            reasons.append("ignore_public_acls is on")
            continue
        if flags["block_public_acls"] is True:
            reasons.append("block_public_acls rejects it")
            continue
        enforced = any(
            _value(ctx, rule, "object_ownership") == "BucketOwnerEnforced"
            for controls in ownership.of(bucket)
            for rule in controls.block.blocks_of("rule")
        )
        if not enforced:
            return None
        reasons.append("object ownership BucketOwnerEnforced disables ACLs")
    return reasons[0]
