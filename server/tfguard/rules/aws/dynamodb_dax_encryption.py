from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, block_at
from tfguard.module import Module
from tfguard.rules.aws._support import check_flag, live, set_attributes_fix
from tfguard.rules.base import Context, Rule


class DynamodbDaxEncryption(Rule):
    id = "aws-dynamodb-dax-encryption"
    title = "DynamoDB Accelerator (DAX) cluster does not encrypt data at rest"
    severity = Severity.MEDIUM
    rationale = (
        "Unlike DynamoDB tables, a DAX cluster is not encrypted at rest unless "
        "server_side_encryption { enabled = true } is set when it is created. Its nodes cache "
        "copies of table items, so the cache and its on-disk logs hold the same data as the "
        "encrypted table in plain form."
    )
    remediation = (
        "Add server_side_encryption { enabled = true } to the aws_dax_cluster. Encryption can "
        "only be chosen at creation: the cluster is replaced, which empties the cache."
    )
    links = (
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionAtRest.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dax_cluster#server_side_encryption",
    )
    aliases = ("CKV_AWS_47", "AVD-AWS-0023", "AWS-0023", "aws-dynamodb-enable-at-rest-encryption")
    bad_example = """
resource "aws_dax_cluster" "cache" {
  cluster_name       = "orders-cache"
  iam_role_arn       = aws_iam_role.dax.arn
  node_type          = "dax.r5.large"
  replication_factor = 3
}
"""
    good_example = """
resource "aws_dax_cluster" "cache" {
  cluster_name       = "orders-cache"
  iam_role_arn       = aws_iam_role.dax.arn
  node_type          = "dax.r5.large"
  replication_factor = 3

  server_side_encryption {
    enabled = true
  }
}
"""
    fix_description = (
        "Adds server_side_encryption { enabled = true } or sets enabled = true when the value "
        "is written in place. Terraform replaces the cluster: a DAX cluster only caches "
        "table items, so nothing is lost but the cache starts cold."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for cluster in live(ctx.module, "aws_dax_cluster"):
            sse = cluster.block.block("server_side_encryption")
            if sse is None:
                yield ctx.report(
                    cluster,
                    cluster.block,
                    f"DAX cluster {cluster.address} has no server_side_encryption block: its "
                    "cached items are not encrypted at rest",
                    data={"missing": True},
                )
                continue
            yield from check_flag(
                ctx,
                cluster,
                "enabled",
                block=sse,
                missing=f"DAX cluster {cluster.address} does not enable server-side encryption",
                disabled=f"DAX cluster {cluster.address} disables server-side encryption",
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        title = "Encrypt the cluster at rest (Terraform replaces it; the cache starts empty)"
        header = block_at(module, finding)
        if header is not None and header[1] is header[0].block:
            text = "server_side_encryption {\n  enabled = true\n}"
            edit = Editor(module).insert_block(header[0], header[1], text)
            return [Fix(title, (edit,), preferred=True)]
        return set_attributes_fix(module, finding, title, {"enabled": "true"}, literal_only=True)
