"""Declarative checks and relations: findings, anchors, defaults, silence on unknowns, fixes."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Finding, Severity
from tfguard.fixes import apply_edits
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.conditions import Equals, OneOf
from tfguard.rules.kit.declarative import AddCompanion, Check, Relation, SetValue, When


class TlsCheck(Check):
    id = "test-tls"
    title = "t"
    severity = Severity.HIGH
    rationale = "r"
    remediation = "m"
    bad_example = good_example = ""
    resource_types = ("azurerm_linux_web_app",)
    attribute = "site_config.minimum_tls_version"
    condition = OneOf("1.2", "1.3")
    default = "1.2"
    only_if = (When("enabled", Equals(True), True),)
    message = "{address}: {attribute} is {value}, {requirement}"
    fix = SetValue('"1.2"')


class RotationCheck(Check):
    id = "test-rotation"
    title = "t"
    severity = Severity.LOW
    rationale = "r"
    remediation = "m"
    bad_example = good_example = ""
    resource_types = ("aws_kms_key",)
    attribute = "rotation.enabled"
    condition = Equals(True)
    default = False
    message = "{address} disables rotation"
    missing_message = "{address} does not rotate"
    fix = SetValue("true")


class VersioningRelation(Relation):
    id = "test-versioning"
    title = "t"
    severity = Severity.MEDIUM
    rationale = "r"
    remediation = "m"
    bad_example = good_example = ""
    resource_types = ("aws_s3_bucket",)
    companion_types = ("aws_s3_bucket_versioning",)
    link = "bucket"
    name_attribute = "bucket"
    companion_when = (When("versioning_configuration.status", Equals("Enabled")),)
    message = "{address} has no versioning"
    fix = AddCompanion(
        """
resource "aws_s3_bucket_versioning" "{name}" {
  bucket = {subject}.id
  versioning_configuration {
    status = "Enabled"
  }
}
""",
        "Add versioning",
    )


def run(tmp_path: Path, rule: Rule, text: str) -> tuple[ModuleResult, list[Finding]]:
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    result = Engine().analyze_module(str(tmp_path))
    assert result.module is not None
    ctx = Context(result.module, rule)
    list(rule.check(ctx))
    return result, ctx.findings


def lines(findings: list[Finding]) -> list[tuple[int, str]]:
    return [(f.range.start.line + 1, f.message) for f in findings]


def test_check_reports_written_and_default_values(tmp_path: Path) -> None:
    text = """resource "azurerm_linux_web_app" "old" {
  site_config {
    minimum_tls_version = "1.0"
  }
}

resource "azurerm_linux_web_app" "default" {
  site_config {}
}

resource "azurerm_linux_web_app" "unknown" {
  site_config {
    minimum_tls_version = var.tls
  }
}

resource "azurerm_linux_web_app" "off" {
  enabled = false
  site_config {
    minimum_tls_version = "1.0"
  }
}
"""
    _, findings = run(tmp_path, TlsCheck(), text)
    assert lines(findings) == [
        (
            3,
            'azurerm_linux_web_app.old: site_config.minimum_tls_version is "1.0", '
            'must be one of "1.2", "1.3"',
        )
    ]


def test_missing_attribute_is_reported_on_the_deepest_block_and_fixed(tmp_path: Path) -> None:
    text = """resource "aws_kms_key" "a" {
  description = "a"
}

resource "aws_kms_key" "b" {
  rotation {
    enabled = false
  }
}
"""
    result, findings = run(tmp_path, RotationCheck(), text)
    assert lines(findings) == [
        (1, "aws_kms_key.a does not rotate"),
        (7, "aws_kms_key.b disables rotation"),
    ]
    assert result.module is not None
    [add] = RotationCheck().fixes(findings[0], result.module)
    fixed = apply_edits(text, add.edits)
    assert fixed.startswith(
        'resource "aws_kms_key" "a" {\n  description = "a"\n\n  rotation {\n'
        "    enabled = true\n  }\n}\n"
    )
    [replace] = RotationCheck().fixes(findings[1], result.module)
    assert "    enabled = true\n" in apply_edits(text, replace.edits)


def test_relation_links_by_reference_and_name_and_checks_the_companion(tmp_path: Path) -> None:
    text = """resource "aws_s3_bucket" "ref" {
  bucket = "ref"
}

resource "aws_s3_bucket_versioning" "ref" {
  bucket = aws_s3_bucket.ref.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "named" {
  bucket = "named-bucket"
}

resource "aws_s3_bucket_versioning" "named" {
  bucket = "named-bucket"
  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_s3_bucket" "alone" {
  bucket = "alone"
}
"""
    result, findings = run(tmp_path, VersioningRelation(), text)
    assert lines(findings) == [
        (12, "aws_s3_bucket.named has no versioning"),
        (23, "aws_s3_bucket.alone has no versioning"),
    ]
    assert [r.range.start.line + 1 for r in findings[0].related] == [16]
    assert result.module is not None
    [fix] = VersioningRelation().fixes(findings[1], result.module)
    fixed = apply_edits(text, fix.edits)
    assert fixed.endswith(
        'resource "aws_s3_bucket_versioning" "alone" {\n  bucket = aws_s3_bucket.alone.id\n'
        '  versioning_configuration {\n    status = "Enabled"\n  }\n}\n'
    )


def test_relation_is_silent_when_a_companion_cannot_be_linked(tmp_path: Path) -> None:
    text = """resource "aws_s3_bucket" "a" {
  bucket = "a"
}

resource "aws_s3_bucket_versioning" "unknown" {
  bucket = var.bucket_id
  versioning_configuration {
    status = "Enabled"
  }
}
"""
    _, findings = run(tmp_path, VersioningRelation(), text)
    assert findings == []


class _Probe(Check):
    """Checks the class-level fix description is derived from the fix."""

    id = "test-probe"
    title = "t"
    severity = Severity.LOW
    rationale = "r"
    remediation = "m"
    bad_example = good_example = ""
    resource_types: ClassVar[tuple[str, ...]] = ("x",)
    attribute = "a"
    condition = Equals(True)
    message = "m"
    fix = SetValue("true")


def test_fix_description_follows_the_fix() -> None:
    assert _Probe.fix_description == "Sets a = true."
