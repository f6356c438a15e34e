from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, block_at
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.values import as_bool
from tfguard.rules.terraform._common import s3_backends, setting_at
from tfguard.syntax import Attribute


class BackendS3Encryption(Rule):
    id = "terraform-backend-s3-encryption"
    title = "S3 state backend does not request server-side encryption"
    severity = Severity.HIGH
    rationale = (
        "The state file holds every secret the configuration touches (database passwords, "
        "private keys, tokens) in plain text. Without encrypt = true the S3 backend does not "
        "ask for server-side encryption of the state object, so its protection depends on a "
        "bucket default someone may change."
    )
    remediation = (
        "Set encrypt = true in the backend block, preferably with a customer-managed "
        "kms_key_id, and keep the state bucket private and versioned. A backend block "
        "without bucket is completed by -backend-config at init and is not checked."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/backend/s3",
        "https://developer.hashicorp.com/terraform/language/state/sensitive-data",
    )
    aliases = ()
    bad_example = """
terraform {
  backend "s3" {
    bucket       = "acme-terraform-state"
    key          = "network/terraform.tfstate"
    region       = "eu-west-1"
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
    use_lockfile = true
  }
}
"""
    fix_description = "Adds or sets encrypt = true in the backend block."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for store, block in s3_backends(ctx.module):
            attr = block.attr("encrypt")
            if attr is None:
                yield ctx.report(
                    store.entity,
                    block,
                    "the S3 backend does not set encrypt = true",
                    data={"missing": True},
                )
                continue
            value = ctx.value(attr.value)
            if as_bool(value) is False:
                yield ctx.report(
                    store.entity,
                    attr,
                    "the S3 backend disables state encryption (encrypt = false)",
                    data={"missing": False},
                )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        editor = Editor(module)
        found = block_at(module, finding)
        if found is not None and found[1].type == "backend":
            edit = editor.set_attribute(found[0], found[1], "encrypt", "true")
            return [Fix("Set encrypt = true in the S3 backend", (edit,), applicability="safe")]
        at = setting_at(module, finding)
        if at is not None and isinstance(at[1].anchor, Attribute):
            edit = editor.replace_value(at[0].entity, at[1].anchor, "true")
            return [Fix("Set encrypt = true in the S3 backend", (edit,), applicability="safe")]
        return []
