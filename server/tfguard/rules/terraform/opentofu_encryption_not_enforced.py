from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, attribute_at, block_at
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.values import as_bool
from tfguard.rules.terraform._common import ENCRYPTION_TARGETS, encryption_blocks, method_uses

TARGET_SEVERITY = {"state": Severity.MEDIUM, "plan": Severity.LOW}


class OpenTofuEncryptionNotEnforced(Rule):
    id = "opentofu-encryption-not-enforced"
    title = "OpenTofu state or plan encryption is not enforced"
    severity = Severity.MEDIUM
    rationale = (
        "Without enforced = true OpenTofu silently writes unencrypted state or plan files "
        "whenever the encryption settings go missing: a run without the TF_ENCRYPTION "
        "variable, a method removed by mistake. Plan files hold the same secrets as state. "
        "enforced = true turns that into an error instead of a plain-text state in the backend."
    )
    remediation = (
        "Add state { method = method.<type>.<name>  enforced = true } and the same plan { } "
        "block inside terraform { encryption { } } (the method may also come from "
        "TF_ENCRYPTION, but keep enforced = true in the code)."
    )
    links = (
        "https://opentofu.org/docs/language/state/encryption/#configuration",
        "https://opentofu.org/docs/language/state/encryption/#initial-setup",
    )
    aliases = ()
    bad_example = """
terraform {
  encryption {
    key_provider "aws_kms" "state" {
      kms_key_id = "alias/tofu-state"
      region     = "eu-west-1"
      key_spec   = "AES_256"
    }
    method "aes_gcm" "state" {
      keys = key_provider.aws_kms.state
    }

    state {
      method = method.aes_gcm.state
    }
  }
}
"""
    bad_example_findings = 2
    good_example = """
terraform {
  encryption {
    key_provider "aws_kms" "state" {
      kms_key_id = "alias/tofu-state"
      region     = "eu-west-1"
      key_spec   = "AES_256"
    }
    method "aes_gcm" "state" {
      keys = key_provider.aws_kms.state
    }

    state {
      method   = method.aes_gcm.state
      enforced = true
    }
    plan {
      method   = method.aes_gcm.state
      enforced = true
    }
  }
}
"""
    fix_description = (
        "Sets enforced = true in the state or plan block; a missing plan (or state) block is "
        "added with the method of the other one and enforced = true."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        # One module has one encryption configuration, even if it is split across files.
        found = list(encryption_blocks(ctx.module))
        if not found:
            return
        for target in ENCRYPTION_TARGETS:
            severity = TARGET_SEVERITY[target]
            blocks = [(tf, b) for tf, enc in found for b in enc.blocks_of(target)]
            if not blocks:
                tf, encryption = found[0]
                yield ctx.report(
                    tf,
                    encryption,
                    f"the encryption block has no {target} block: {target} files are "
                    f"written unencrypted unless TF_ENCRYPTION supplies one; add {target} "
                    "{ method = ..., enforced = true }",
                    severity=severity,
                    data={"target": target, "missing": "block"},
                )
                continue
            for tf, block in blocks:
                attr = block.attr("enforced")
                if attr is None:
                    yield ctx.report(
                        tf,
                        block,
                        f"{target} encryption is not enforced: without enforced = true "
                        f"OpenTofu writes plain-text {target} files when the method is "
                        "missing",
                        severity=severity,
                        data={"target": target, "missing": "attribute"},
                    )
                    continue
                value = ctx.value(attr.value)
                if as_bool(value) is False:
                    yield ctx.report(
                        tf,
                        attr,
                        f"{target} encryption sets enforced = false: OpenTofu may write "
                        f"plain-text {target} files",
                        severity=severity,
                        data={"target": target, "missing": "false"},
                    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        target = finding.data.get("target")
        if target not in ENCRYPTION_TARGETS:
            return []
        editor = Editor(module)
        title = f"Enforce {target} encryption"
        if finding.data.get("missing") == "block":
            return self._add_block(module, finding, str(target), editor)
        found = block_at(module, finding)
        if found is not None and found[1].type == target:
            edit = editor.set_attribute(found[0], found[1], "enforced", "true")
            return [Fix(title, (edit,), applicability="safe")]
        at = attribute_at(module, finding)
        if at is not None and at[1].type == target and at[2].name == "enforced":
            entity, _, attr = at
            return [Fix(title, (editor.replace_value(entity, attr, "true"),), applicability="safe")]
        return []

    @staticmethod
    def _add_block(module: Module, finding: Finding, target: str, editor: Editor) -> list[Fix]:
        found = block_at(module, finding)
        if found is None or found[1].type != "encryption":
            return []
        entity, _ = found
        other = "plan" if target == "state" else "state"
        for use in method_uses(module):
            if use.target != other or use.in_fallback:
                continue
            method = use.attribute.value.text
            text = f"{target} {{\n  method   = {method}\n  enforced = true\n}}"
            edit = editor.insert_block(entity, found[1], text)
            title = f"Add {target} {{ }} with the {other} method, enforced"
            return [Fix(title, (edit,), applicability="safe")]
        return []
