"""Inline suppressions in every form, expiry, unknown ids."""

from __future__ import annotations

import pytest
from tests.conftest import rule_ids

OPEN_SG = """resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]%s
    description = "SSH from anywhere"
  }
  description = "Web servers"
}
"""


def sg(trailing: str = "", above_attr: str = "", above_block: str = "") -> str:
    text = OPEN_SG % trailing
    if above_attr:
        text = text.replace("    cidr_blocks", f"    {above_attr}\n    cidr_blocks")
    return (above_block + "\n" if above_block else "") + text


@pytest.mark.parametrize(
    "text",
    [
        sg(trailing="  # tfguard:ignore:aws-ec2-no-public-ingress bastion is temporary"),
        sg(trailing="  // tfguard:ignore:aws-ec2-no-public-ingress"),
        sg(above_attr="# tfguard:ignore:aws-ec2-no-public-ingress"),
        sg(above_block="# tfguard:ignore:aws-kms-key-rotation,aws-ec2-no-public-ingress"),
        sg(above_block="# tfguard:ignore:aws-ec2-no-public-ingress:exp:2999-01-01 until Q3"),
        sg(above_block="# first comment\n# tfguard:ignore:aws-ec2-no-public-ingress\n# more"),
        sg(above_block="#tfsec:ignore:aws-ec2-no-public-ingress-sgr"),
        sg(above_attr="#tfsec:ignore:AWS-0107"),
        sg(above_block="#trivy:ignore:AVD-AWS-0107:exp:2999-12-31"),
        sg(trailing="  #checkov:skip=CKV_AWS_24:bastion"),
    ],
)
def test_suppressed(text: str, scan_files) -> None:
    result = scan_files({"main.tf": text})
    assert rule_ids(result) == []
    used = [s for ss in result.suppressions.values() for s in ss if s.used]
    assert len(used) == 1


def test_checkov_skip_anywhere_inside_the_block(scan_files) -> None:
    text = sg().replace("  ingress {", "  #checkov:skip=CKV_AWS_24: reviewed\n  ingress {")
    assert rule_ids(scan_files({"main.tf": text})) == []


def test_suppression_of_another_rule_does_not_suppress(scan_files) -> None:
    result = scan_files({"main.tf": sg(trailing="  # tfguard:ignore:aws-kms-key-rotation")})
    assert rule_ids(result) == ["aws-ec2-no-public-ingress"]
    assert not any(s.used for ss in result.suppressions.values() for s in ss)


def test_suppression_two_lines_away_does_not_apply(scan_files) -> None:
    text = "# tfguard:ignore:aws-ec2-no-public-ingress\n\n" + sg()
    assert rule_ids(scan_files({"main.tf": text})) == ["aws-ec2-no-public-ingress"]


def test_expired_suppression_is_reported_and_no_longer_suppresses(scan_files) -> None:
    text = sg(above_block="# tfguard:ignore:aws-ec2-no-public-ingress:exp:2020-01-31")
    result = scan_files({"main.tf": text})
    findings = result.all_findings()
    assert sorted(f.rule_id for f in findings) == [
        "aws-ec2-no-public-ingress",
        "tfguard-suppression",
    ]
    expired = next(f for f in findings if f.rule_id == "tfguard-suppression")
    assert "expired on 2020-01-31" in expired.message
    assert expired.range.start.line == 0


def test_unknown_rule_and_bad_date_are_reported(scan_files) -> None:
    text = (
        "# tfguard:ignore:aws-no-such-rule\n"
        'resource "aws_kms_key" "a" { enable_key_rotation = true }\n'
        "# tfguard:ignore:aws-kms-key-rotation:exp:2024-13-45\n"
        'resource "aws_kms_key" "b" {}\n'
    )
    findings = scan_files({"main.tf": text}).all_findings()
    messages = sorted((f.rule_id, f.range.start.line, f.message) for f in findings)
    assert messages == [
        ("aws-kms-key-rotation", 3, "KMS key aws_kms_key.b does not enable automatic key rotation"),
        ("tfguard-suppression", 0, "suppression names an unknown rule: aws-no-such-rule"),
        ("tfguard-suppression", 2, "suppression has an invalid expiry date: use :exp:YYYY-MM-DD"),
    ]


def test_foreign_unknown_ids_are_ignored_silently(scan_files) -> None:
    text = "#tfsec:ignore:aws-something-we-lack\n" + sg()
    assert rule_ids(scan_files({"main.tf": text})) == ["aws-ec2-no-public-ingress"]
