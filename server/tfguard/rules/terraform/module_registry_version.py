from __future__ import annotations

from collections.abc import Iterator

from tfguard.evaluate import UNKNOWN
from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.terraform._modules import module_sources


class ModuleRegistryVersion(Rule):
    id = "terraform-module-registry-version"
    title = "Registry module is used without a version constraint"
    severity = Severity.MEDIUM
    rationale = (
        "Without version, every terraform init installs the newest release of a registry "
        "module, and module versions are not recorded in the dependency lock file. A "
        "compromised or careless publisher can change what your next apply creates, including "
        "IAM policies and network rules, with no change in your repository."
    )
    remediation = (
        'Set version to an exact release ("5.8.1") or a narrow range ("~> 5.8.0") and review '
        "the module's changes before raising it. For the strongest pinning, vendor the module "
        "or use its git source at a commit SHA."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/modules/syntax#version",
        "https://developer.hashicorp.com/terraform/language/modules/sources#terraform-registry",
    )
    aliases = ()
    bad_example = """
module "vpc" {
  source = "terraform-aws-modules/vpc/aws"

  name = "main"
  cidr = "10.0.0.0/16"
}
"""
    good_example = """
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"

  name = "main"
  cidr = "10.0.0.0/16"
}
"""
    fix_description = "No automatic fix: the version to pin needs a look at the registry."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for call in module_sources(ctx.module):
            if call.source.kind != "registry":
                continue
            version = call.entity.attr("version")
            if version is not None:
                value = ctx.value(version.value)
                if value is UNKNOWN or (isinstance(value, str) and value.strip()):
                    continue
                yield ctx.report(
                    call.entity,
                    version,
                    f"{call.entity.address} sets an empty version: every init installs the "
                    f'newest release of "{call.source.text}"',
                    data={"source": call.source.text, "missing": False},
                )
                continue
            yield ctx.report(
                call.entity,
                call.attribute,
                f'{call.entity.address} uses the registry module "{call.source.text}" without '
                "a version: every init installs its newest release",
                data={"source": call.source.text, "missing": True},
            )
