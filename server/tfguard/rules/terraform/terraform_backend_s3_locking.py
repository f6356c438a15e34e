from __future__ import annotations

from collections.abc import Iterator

from tfguard.evaluate import UNKNOWN
from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, block_at
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.values import as_bool
from tfguard.rules.terraform._common import s3_backends, setting_at
from tfguard.syntax import Attribute
from tfguard.versions import admits

LOCKFILE_SINCE = "1.10.0"


def lock_advice(constraint: object) -> tuple[str, str, bool]:
    """(suggestion, wording, certain) for the locking to add, read from ``required_version``;
    ``certain`` when every release the constraint admits knows use_lockfile."""
    if not isinstance(constraint, str):
        return (
            "use_lockfile",
            "set use_lockfile = true (Terraform/OpenTofu 1.10 or later; required_version "
            "does not say which release runs this) or a dynamodb_table",
            False,
        )
    new = admits(constraint, at_least=LOCKFILE_SINCE)
    old = admits(constraint, below=LOCKFILE_SINCE)
    if new is None or old is None:
        return (
            "use_lockfile",
            "set use_lockfile = true (Terraform/OpenTofu 1.10 or later) or a dynamodb_table",
            False,
        )
    if not new:
        return (
            "dynamodb_table",
            f'set dynamodb_table: required_version "{constraint}" excludes 1.10, the first '
            "release with use_lockfile",
            False,
        )
    if old:
        return (
            "use_lockfile",
            f'set use_lockfile = true, after raising required_version "{constraint}" to '
            '">= 1.10" (older releases do not know it), or set a dynamodb_table',
            False,
        )
    return "use_lockfile", "set use_lockfile = true", True


class BackendS3Locking(Rule):
    id = "terraform-backend-s3-locking"
    title = "S3 state backend has no state locking"
    severity = Severity.MEDIUM
    rationale = (
        "Without a lock two runs (two engineers, or a pipeline and a person) can write the "
        "same state at the same time; the last write wins and resources disappear from "
        "state, which leads to drift, orphaned infrastructure and destructive re-creates. "
        "A lock also makes an unexpected concurrent run visible."
    )
    remediation = (
        "On Terraform or OpenTofu 1.10 and later set use_lockfile = true (a lock object next "
        "to the state, no extra table). On older releases set dynamodb_table to a table with "
        'a "LockID" string hash key.'
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/backend/s3#state-locking",
        "https://developer.hashicorp.com/terraform/language/state/locking",
    )
    aliases = ("CKV_TF_3",)
    bad_example = """
terraform {
  required_version = ">= 1.10"

  backend "s3" {
    bucket  = "acme-terraform-state"
    key     = "network/terraform.tfstate"
    region  = "eu-west-1"
    encrypt = true
  }
}
"""
    good_example = """
terraform {
  required_version = ">= 1.10"

  backend "s3" {
    bucket       = "acme-terraform-state"
    key          = "network/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
"""
    fix_description = (
        "Adds use_lockfile = true when required_version only admits 1.10 or later; otherwise "
        "none, because a DynamoDB table must exist first."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for store, block in s3_backends(ctx.module):
            lockfile = store.get("use_lockfile")
            table = store.get("dynamodb_table")
            lock_value = ctx.value(lockfile.expr) if lockfile is not None else False
            table_value = ctx.value(table.expr) if table is not None else None
            if lock_value is UNKNOWN or table_value is UNKNOWN:
                continue
            if as_bool(lock_value) is True:
                continue
            if isinstance(table_value, str) and table_value:
                continue
            suggestion, advice, certain = lock_advice(ctx.module.required_version())
            if lockfile is not None:
                yield ctx.report(
                    store.entity,
                    lockfile.anchor,
                    f"the S3 backend turns state locking off (use_lockfile = false) and has no "
                    f"dynamodb_table: {advice}",
                    data={"suggest": suggestion, "missing": False, "fixable": certain},
                )
                continue
            yield ctx.report(
                store.entity,
                block,
                f"the S3 backend does not lock the state: {advice}",
                data={"suggest": suggestion, "missing": True, "fixable": certain},
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        if finding.data.get("fixable") is not True:
            return []
        editor = Editor(module)
        title = "Lock the state with use_lockfile = true"
        found = block_at(module, finding)
        if found is not None and found[1].type == "backend":
            edit = editor.set_attribute(found[0], found[1], "use_lockfile", "true")
            return [Fix(title, (edit,), applicability="safe")]
        at = setting_at(module, finding)
        if at is not None and isinstance(at[1].anchor, Attribute):
            edit = editor.replace_value(at[0].entity, at[1].anchor, "true")
            return [Fix(title, (edit,), applicability="safe")]
        return []
