from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Position, Range, Severity
from tfguard.fixes import Editor, Fix, TextEdit, entity_for
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.editing import block_before, pessimistic, quoted
from tfguard.rules.terraform._common import anchor_entity, backend_stores
from tfguard.rules.terraform._fixhelp import pinned_cli_version
from tfguard.syntax import Block

LOCK_FILE = ".terraform.lock.hcl"


def root_module_signs(module: Module) -> list[str]:
    """Why the directory looks like a root module (where terraform init and apply run).
    Child modules have none of these: no backend, no provider configuration, no lock file."""
    signs: list[str] = []
    stores = list(backend_stores(module))
    if stores:
        signs.append("a backend" if stores[0].kind == "backend" else "a cloud block")
    if module.providers:
        signs.append(f'a provider "{module.providers[0].name}" block')
    if module.project.is_file(LOCK_FILE):
        signs.append(LOCK_FILE)
    return signs


class RequiredVersion(Rule):
    id = "terraform-required-version"
    title = "Root module does not constrain the Terraform/OpenTofu version"
    severity = Severity.LOW
    rationale = (
        "Without required_version any release can plan and apply the configuration: an old "
        "one that lacks security features the code relies on (write-only arguments, S3 "
        "lockfiles, state encryption) or a new one that upgrades the state format so the "
        "rest of the team and the pipeline can no longer read it."
    )
    remediation = (
        'Add terraform { required_version = "~> 1.10" } (or the range you test with) to the '
        "root module. Only directories with a backend, a provider block or a dependency lock "
        "file are treated as root modules; shared child modules are not reported."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/terraform#terraform-required_version",
        "https://developer.hashicorp.com/terraform/language/expressions/version-constraints",
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

# file: .terraform-version
1.10.5
"""
    good_example = """
terraform {
  required_version = "~> 1.10"

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
        'Sets required_version = "~> X.Y" from the release the team pins for the directory '
        "(or a parent up to the repository root) in .terraform-version, .opentofu-version or "
        "the terraform/opentofu line of .tool-versions; the dependency lock file records "
        "provider versions only. No fix when nothing pins a plain X.Y.Z release: the range "
        "should match the release the team runs."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for tf in module.terraform_blocks:
            attr = tf.attr("required_version")
            if attr is None:
                continue
            value = ctx.value(attr.value)
            if isinstance(value, str) and not value.strip():
                yield ctx.report(
                    tf, attr, "required_version is empty: any release can apply this module"
                )
            return
        signs = root_module_signs(module)
        if not signs:
            return
        at: Block | Range
        if not module.terraform_blocks and module.providers:
            provider = module.providers[0]
            entity, at = provider, provider.block
        else:
            anchor = anchor_entity(module)
            if anchor is None:
                return
            entity, at = anchor
        yield ctx.report(
            entity,
            at,
            "this root module (it has " + " and ".join(signs) + ") sets no required_version: "
            "any Terraform or OpenTofu release can apply it",
            data={"signs": signs},
        )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        pinned = pinned_cli_version(module.project)
        entity = entity_for(module, finding)
        if pinned is None or entity is None:
            return []
        where, version = pinned
        constraint = quoted(pessimistic(version))
        editor = Editor(module)
        edit: TextEdit
        if entity.kind != "terraform":
            edit = block_before(
                editor, entity, f"terraform {{\n  required_version = {constraint}\n}}"
            )
        elif (attr := entity.attr("required_version")) is not None:
            edit = editor.replace_value(entity, attr, constraint)
        elif entity.block.attributes:
            edit = editor.insert_attribute(entity, entity.block, "required_version", constraint)
        else:
            lbrace = entity.abs(Range(entity.block.lbrace, entity.block.lbrace)).start
            rbrace = entity.abs(Range(entity.block.rbrace, entity.block.rbrace)).start
            if lbrace.line == rbrace.line:
                edit = editor.insert_attribute(entity, entity.block, "required_version", constraint)
            else:
                eol = editor.eol(entity)
                indent = editor.indent_of(entity, lbrace.line) + "  "
                at = Position(lbrace.line, len(editor.line(entity, lbrace.line)))
                blank = eol if entity.block.blocks else ""
                edit = TextEdit(
                    entity.path,
                    Range(at, at),
                    f"{eol}{indent}required_version = {constraint}{blank}",
                )
        release = ".".join(map(str, version))
        return [
            Fix(
                f"Require Terraform/OpenTofu {constraint} ({where} pins {release})",
                (edit,),
                applicability="safe",
            )
        ]
