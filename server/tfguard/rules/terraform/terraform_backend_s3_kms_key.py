from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.values import as_bool
from tfguard.rules.terraform._common import s3_backends


class BackendS3KmsKey(Rule):
    id = "terraform-backend-s3-kms-key"
    title = "S3 state backend does not use a customer-managed KMS key"
    severity = Severity.LOW
    rationale = (
        "Without kms_key_id the state object is encrypted with the S3-managed key, which every "
        "principal allowed to read the bucket can decrypt. A customer-managed KMS key adds a "
        "second, separately audited permission (kms:Decrypt) between a leaked bucket policy "
        "and the secrets in the state, and its use shows up in CloudTrail."
    )
    remediation = (
        "Create a KMS key with rotation enabled for state, grant kms:Encrypt/Decrypt/"
        "GenerateDataKey only to the roles that run Terraform, and set kms_key_id (with "
        "encrypt = true) in the backend block."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/backend/s3#kms_key_id",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
    )
    aliases = ()
    bad_example = """
terraform {
  backend "s3" {
    bucket       = "acme-terraform-state"
    key          = "network/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
"""
    good_example = """
terraform {
  backend "s3" {
    bucket       = "acme-terraform-state"
    key          = "network/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    kms_key_id   = "arn:aws:kms:eu-west-1:111122223333:alias/terraform-state"
    use_lockfile = true
  }
}
"""
    fix_description = (
        "No automatic fix: the KMS key must exist and its policy must let the Terraform roles "
        "use it."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for store, block in s3_backends(ctx.module):
            encrypt_attr = block.attr("encrypt")
            encrypt = ctx.value(encrypt_attr.value) if encrypt_attr is not None else None
            if as_bool(encrypt) is False:
                continue  # terraform-backend-s3-encryption reports the bigger problem
            if store.get("sse_customer_key") is not None:
                continue  # SSE-C: a customer-provided key, not the S3-managed one
            kms = store.get("kms_key_id")
            if kms is not None:
                value = ctx.value(kms.expr)
                if value != "" and value is not None:
                    continue
                yield ctx.report(
                    store.entity,
                    kms.anchor,
                    "the S3 backend sets an empty kms_key_id: the state is encrypted with the "
                    "S3-managed key",
                    data={"missing": False},
                )
                continue
            yield ctx.report(
                store.entity,
                block,
                "the S3 backend sets no kms_key_id: the state is encrypted with the S3-managed "
                "key that every reader of the bucket can use",
                data={"missing": True},
            )
