from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.terraform._modules import module_sources
from tfguard.rules.terraform._sources import ref_kind

# ref kind → (severity, what the message says about it)
REF_SEVERITY: dict[str, tuple[Severity, str]] = {
    "branch": (Severity.HIGH, "a branch, which moves with every push"),
    "name": (Severity.MEDIUM, "a branch or tag name, which can be moved to other code"),
    "tag": (Severity.MEDIUM, "a tag, which its owner can move to other code"),
    "short-sha": (Severity.LOW, "an abbreviated commit id, which may become ambiguous"),
}


class ModuleGitRef(Rule):
    id = "terraform-module-git-ref"
    title = "Git module source is not pinned to a commit"
    severity = Severity.HIGH
    rationale = (
        "A git module source without ?ref= follows the default branch, and a branch or tag "
        "ref can be moved to other code by anyone who can push to that repository. Whatever "
        "is there at the next terraform init runs with your credentials and shapes your "
        "infrastructure. Only a full commit SHA names fixed content."
    )
    remediation = (
        "Pin the source to a full 40-character commit SHA (?ref=<sha>), noting the release "
        "in a comment, and update it deliberately (Renovate and Dependabot can bump SHA "
        "pins). A version tag is better than a branch but can still be re-pointed."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/modules/sources#selecting-a-revision",
        "https://developer.hashicorp.com/terraform/language/modules/sources#generic-git-repository",
    )
    aliases = ("CKV_TF_1", "CKV_TF_2")
    bad_example = """
module "network" {
  source = "git::https://github.com/acme/terraform-network.git?ref=main"
}
"""
    good_example = """
module "network" {
  # v2.4.0
  source = "git::https://github.com/acme/terraform-network.git?ref=5d4a3f0c9b8e7d6c5b4a39281706f5e4d3c2b1a0"
}
"""
    fix_description = "No automatic fix: resolving a branch or tag to a commit needs git."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call in module_sources(ctx.module):
            if call.source.kind != "git":
                continue
            ref = call.source.param("ref")
            if not ref:
                yield ctx.report(
                    call.entity,
                    call.attribute,
                    f"{call.entity.address} takes its source from git without ?ref=: it "
                    "follows the default branch",
                    data={"source": call.source.text, "ref": None, "refKind": "missing"},
                )
                continue
            kind = ref_kind(ref)
            if kind == "sha":
                continue
            severity, what = REF_SEVERITY[kind]
            yield ctx.report(
                call.entity,
                call.attribute,
                f'{call.entity.address} pins its git source to ref "{ref}", {what}; pin a '
                "full commit SHA",
                severity=severity,
                data={"source": call.source.text, "ref": ref, "refKind": kind},
            )
