from __future__ import annotations

from collections.abc import Iterator

from tfguard.evaluate import UNKNOWN, Value
from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, attribute_at
from tfguard.module import Entity, Module
from tfguard.rules.aws._s3 import AclGrant, BucketLinks, link, public_access, public_grants
from tfguard.rules.base import Anchor, Context, Rule
from tfguard.syntax import Block

PUBLIC_ACLS = {
    "public-read": Severity.HIGH,
    "public-read-write": Severity.CRITICAL,
    "authenticated-read": Severity.HIGH,
    "website": Severity.HIGH,
}
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
    fix_description = (
        'Sets the ACL to "private". Unsafe: a bucket that serves '
        "files to anonymous readers on purpose stops doing so."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        blocks = link(module, "aws_s3_bucket_public_access_block")
        ownership = link(module, "aws_s3_bucket_ownership_controls")
        blocked_of: dict[int, str | None] = {}
        for grant in public_grants(module):
            if not isinstance(grant, AclGrant):
                continue
            entity = grant.entity
            if id(entity) not in blocked_of:
                blocked_of[id(entity)] = _neutralised(ctx, list(grant.buckets), blocks, ownership)
            blocked = blocked_of[id(entity)]
            related: list[tuple[Entity, Anchor, str]] = [
                (b, b.block, f"the bucket {b.address}") for b in grant.buckets if b is not entity
            ]
            if grant.group is None:  # a canned ACL
                acl = grant.setting
                message = f'S3 bucket ACL "{acl}" makes the bucket readable by {grant.who}' + (
                    " and writable by anyone" if acl == "public-read-write" else ""
                )
                yield self._report(
                    ctx, entity, grant.anchor, message, PUBLIC_ACLS[acl], blocked, related, acl
                )
                continue
            permission = grant.setting
            severity, verb = PERMISSIONS[permission]
            message = (
                f"{entity.address} grants {permission} to the "
                f"{grant.group.rsplit('/', 1)[-1]} group: {grant.who} can {verb} the bucket"
            )
            yield self._report(
                ctx, entity, grant.anchor, message, severity, blocked, related, permission, "grant"
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
        return [
            Fix(
                'Set the ACL to "private"',
                (edit,),
                "unsafe",
                "anonymous readers of a bucket public on purpose lose access",
            )
        ]


def _value(ctx: Context, block: Block, name: str) -> Value:
    attr = block.attr(name)
    return ctx.value(attr.value) if attr is not None else UNKNOWN


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
