from __future__ import annotations

import re
from collections.abc import Iterator

from tfguard.evaluate import UNKNOWN
from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, TextEdit, entity_for
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.editing import line_after, name_column, on_own_lines, quoted, rename_padded
from tfguard.rules.terraform._fixhelp import same_registry_module
from tfguard.rules.terraform._modules import module_sources

_VERSION = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$")


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

# file: .terraform/modules/modules.json
{"Modules": [
  {"Key": "", "Source": "", "Dir": "."},
  {"Key": "vpc", "Source": "terraform-aws-modules/vpc/aws", "Version": "5.8.1",
   "Dir": ".terraform/modules/vpc"}
]}
"""
    good_example = """
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"

  name = "main"
  cidr = "10.0.0.0/16"
}
"""
    fix_description = (
        "Pins the exact version that terraform init installed, as recorded in "
        ".terraform/modules/modules.json: nothing changes until you raise it. Without that "
        "record (init has not run here, or ran with another source) there is no fix: a "
        "placeholder would not be a valid constraint and would break every plan, and the "
        "latest release needs the registry."
    )

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

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        call = entity_for(module, finding)
        if call is None or call.kind != "module":
            return []
        installed = module.project.installed_modules().get(call.name)
        if installed is None or installed.version is None or not _VERSION.match(installed.version):
            return []
        source = call.attr("source")
        if source is None or not same_registry_module(
            str(finding.data.get("source")), installed.source
        ):
            return []  # modules.json describes another source: init has not run since
        editor = Editor(module)
        value = quoted(installed.version)
        version = call.attr("version")
        edits: list[TextEdit]
        if version is not None:
            edits = [editor.replace_value(call, version, value)]
        else:
            if not on_own_lines(editor, call, source):
                return []
            column = name_column(editor, call, source.name_range) or len("source")
            width = max(column, len("version"))
            edits = [line_after(editor, call, source, f"{'version'.ljust(width)} = {value}")]
            if column < width:
                edits.append(rename_padded(editor, call, source.name_range, "source", width))
        return [
            Fix(
                f"Pin {call.address} to version {installed.version} (the release terraform "
                "init installed)",
                tuple(edits),
                applicability="safe",
            )
        ]
