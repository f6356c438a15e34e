"""The audit-trail rules (CloudTrail, GuardDuty) on a multi-file project with the usual
mistakes, on a hardened one, and on the cases where one trail covers another."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import ScanFiles
from tests.rules.fixture_helpers import RuleFamily, analyze_clean

from tfguard.engine import Engine, ModuleResult, fixes_for
from tfguard.findings import Severity
from tfguard.fixes import apply_edits

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "aws-cloudtrail-multi-region",
        "aws-cloudtrail-log-validation",
        "aws-cloudtrail-customer-key",
        "aws-guardduty-detector-enabled",
    }
)


FAMILY = RuleFamily(RULES, INSECURE)
at, mine, triples = FAMILY.at, FAMILY.mine, FAMILY.triples


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    management = at("cloudtrail.tf", '"aws_cloudtrail" "management"')
    expected = [
        # multi_region = false comes from terraform.tfvars (the default is true).
        ("aws-cloudtrail-multi-region", *at("cloudtrail.tf", "= var.multi_region")),
        # No trail covers all regions, so the data-events trail is reported too.
        ("aws-cloudtrail-multi-region", *at("cloudtrail.tf", '"aws_cloudtrail" "data_events"')),
        ("aws-cloudtrail-log-validation", *management),
        ("aws-cloudtrail-customer-key", *management),
        # local.guardduty_enabled is var.env != "prod", and env is "prod" in terraform.tfvars.
        ("aws-guardduty-detector-enabled", *at("guardduty.tf", "local.guardduty_enabled")),
    ]
    assert triples(insecure) == sorted(expected)
    severities = {f.rule_id: f.severity for f in mine(insecure)}
    assert severities == {
        "aws-cloudtrail-multi-region": Severity.MEDIUM,
        "aws-cloudtrail-log-validation": Severity.MEDIUM,
        "aws-cloudtrail-customer-key": Severity.LOW,
        "aws-guardduty-detector-enabled": Severity.MEDIUM,
    }


def test_unknown_values_stay_silent(insecure: ModuleResult) -> None:
    # enable_log_file_validation and kms_key_id of the data-events trail come from variables
    # without a value.
    reported = {(f.rule_id, f.data["address"]) for f in mine(insecure)}
    assert ("aws-cloudtrail-log-validation", "aws_cloudtrail.data_events") not in reported
    assert ("aws-cloudtrail-customer-key", "aws_cloudtrail.data_events") not in reported


def test_without_tfvars_the_defaults_apply(tmp_path: Path) -> None:
    project = tmp_path / "insecure"
    shutil.copytree(INSECURE, project)
    (project / "terraform.tfvars").unlink()
    result = Engine().analyze_module(str(project))
    # multi_region defaults to true, which covers the regional data-events trail too; in
    # "dev" GuardDuty stays on.
    assert {f.rule_id for f in mine(result)} == {
        "aws-cloudtrail-log-validation",
        "aws-cloudtrail-customer-key",
    }


def test_fixes_switch_the_flags_on(insecure: ModuleResult) -> None:
    region = next(
        f
        for f in mine(insecure)
        if f.rule_id == "aws-cloudtrail-multi-region"
        and f.data["address"] == "aws_cloudtrail.management"
    )
    fixes = fixes_for(insecure, region)
    assert fixes and fixes[0].preferred
    text = (INSECURE / "cloudtrail.tf").read_text(encoding="utf-8")
    fixed = apply_edits(text, fixes[0].edits)
    assert "is_multi_region_trail = true" in fixed
    detector = next(f for f in mine(insecure) if f.rule_id == "aws-guardduty-detector-enabled")
    text = (INSECURE / "guardduty.tf").read_text(encoding="utf-8")
    assert "enable = true" in apply_edits(text, fixes_for(insecure, detector)[0].edits)
    # Without a key in the module, the key fix asks for one through a new variable.
    key = next(f for f in mine(insecure) if f.rule_id == "aws-cloudtrail-customer-key")
    [key_fix] = fixes_for(insecure, key)
    assert key_fix.preferred and key_fix.paths == {
        str(INSECURE / "cloudtrail.tf"),
        str(INSECURE / "variables.tf"),
    }
    variables = (INSECURE / "variables.tf").read_text(encoding="utf-8")
    new_text = apply_edits(variables, [e for e in key_fix.edits if e.path.endswith("variables.tf")])
    assert new_text.startswith(variables)
    assert 'variable "management_trail_kms_key_arn" {' in new_text


def test_hardened_project_has_no_audit_findings() -> None:
    result = analyze_clean(HARDENED)
    assert triples(result) == []
    assert result.module is not None and len(result.module.of_type("aws_cloudtrail")) == 2


def test_an_unknown_multi_region_flag_silences_the_regional_trails(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": 'variable "multi" {\n  type = bool\n}\n'
        'resource "aws_cloudtrail" "a" {\n  name = "a"\n  s3_bucket_name = "l"\n'
        "  is_multi_region_trail = var.multi\n}\n",
        "regional.tf": 'resource "aws_cloudtrail" "b" {\n  name = "b"\n  s3_bucket_name = "l"\n}\n',
    }
    result = scan_files(files)
    assert [f for f in mine(result) if f.rule_id == "aws-cloudtrail-multi-region"] == []


def test_a_detector_left_at_its_default_is_enabled(scan_files: ScanFiles) -> None:
    detector = (
        'resource "aws_guardduty_detector" "d" {\n  finding_publishing_frequency = "SIX_HOURS"\n}\n'
    )
    files = {"main.tf": detector}
    assert mine(scan_files(files)) == []


def test_an_empty_trail_key_is_reported_on_the_argument(scan_files: ScanFiles) -> None:
    trail = 'resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "l"\n'
    files = {"main.tf": trail + '  kms_key_id = ""\n}\n'}
    [found] = [f for f in mine(scan_files(files)) if f.rule_id == "aws-cloudtrail-customer-key"]
    assert (found.range.start.line + 1, found.data["missing"]) == (4, False)
    assert "sets an empty kms_key_id" in found.message
