"""Fixes a reviewer can trust: the five reported problems, end to end.

1. fixes that would declare the same variable twice;
2. an unattended fix closing a port that is public on purpose;
3. fixes that leave the "=" of their neighbours unaligned;
4. the hover naming the rule's default severity first;
5. evaluated findings that do not say where their value came from.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import write_files

from tfguard.engine import Engine, ModuleResult, fixes_for
from tfguard.findings import Finding, Severity
from tfguard.fixer import fix_module


@pytest.fixture
def in_dir(tmp_path: Path) -> Iterator[Path]:
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def analyze(folder: Path) -> ModuleResult:
    return Engine().analyze_module(str(folder))


def of_rule(result: ModuleResult, rule: str) -> list[Finding]:
    return [f for f in result.all_findings() if f.rule_id == rule]


def invalid(result: ModuleResult) -> list[Finding]:
    return [f for f in result.all_findings() if f.rule_id in ("syntax", "validation")]


def unformatted_lines(text: str) -> list[int]:
    from tfguard.fmtmodel import unformatted

    return unformatted(text)


# -- 1. one variable, declared once ------------------------------------------------------------

WEB = """\
resource "aws_security_group" "web" {
  name        = "web"
  description = "public web site"

  ingress {
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "http"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""


def test_two_open_rules_of_one_group_get_one_variable(in_dir: Path) -> None:
    from tfguard.cli import main

    write_files(in_dir, {"main.tf": WEB})
    main(["fix", "--unsafe-fixes"])
    declared = (in_dir / "variables.tf").read_text()
    assert declared.count('variable "web_allowed_cidrs"') == 1
    assert (in_dir / "main.tf").read_text().count("cidr_blocks = var.web_allowed_cidrs") == 2
    assert invalid(analyze(in_dir)) == []


# A log group and a bucket both named "app": each rule's fix declares var.app_kms_key_arn
# (both safe), one in each of two findings fixed in the same round.
SAME_NAME = """\
resource "aws_cloudwatch_log_group" "app" {
  name              = "app"
  retention_in_days = 365
}

resource "aws_s3_bucket" "app" {
  bucket = "app"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "app" {
  bucket = aws_s3_bucket.app.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
"""
REGION = 'variable "region" {\n  type = string\n}\n'


@pytest.mark.parametrize("variables", [None, REGION], ids=["new file", "existing file"])
def test_safe_fixes_of_one_round_never_declare_a_variable_twice(
    tmp_path: Path, variables: str | None
) -> None:
    files: dict[str, str | bytes] = {"main.tf": SAME_NAME}
    if variables:
        files["variables.tf"] = variables
    write_files(tmp_path, files)
    engine = Engine()
    rules = {"aws-cloudwatch-log-group-customer-key", "aws-s3-encryption-customer-key"}
    outcome = fix_module(engine, str(tmp_path), rules=rules)
    assert len(outcome.fixed) == 2 and not outcome.rejected
    declared = outcome.after[str(tmp_path / "variables.tf")]
    assert declared.count('variable "app_kms_key_arn"') == 1
    assert "}\nvariable" not in declared  # blocks are separated by a blank line
    outcome.apply_to(engine)
    after = engine.analyze_module(str(tmp_path))
    assert invalid(after) == [] and not [f for f in after.all_findings() if f.rule_id in rules]


def test_the_rescan_notices_a_variable_declared_twice(tmp_path: Path) -> None:
    text = 'variable "app_kms_key_arn" {\n  type = string\n}\n'
    write_files(tmp_path, {"main.tf": text, "variables.tf": text})
    (finding,) = [f for f in analyze(tmp_path).all_findings() if f.rule_id == "validation"]
    assert finding.severity == Severity.HIGH and "app_kms_key_arn" in finding.message


# -- 2. a port that is usually public is never closed unattended -------------------------------


def test_an_open_web_port_is_not_narrowed_by_tfguard_fix(
    in_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tfguard.cli import main

    write_files(in_dir, {"main.tf": WEB})
    result = analyze(in_dir)
    found = of_rule(result, "aws-ec2-no-public-ingress")
    assert len(found) == 2
    for finding in found:
        assert finding.severity == Severity.LOW
        assert "if this is meant to be public" in finding.message
        assert "suppress it with a reason" in finding.message
        fixes = fixes_for(result, finding)
        assert fixes and all(f.applicability == "unsafe" and not f.preferred for f in fixes)
        assert all("unsafe" in f.shown_title for f in fixes)
    assert main(["fix"]) == 1  # findings remain
    assert (in_dir / "main.tf").read_text() == WEB and not (in_dir / "variables.tf").exists()
    assert "only unsafe fixes" in capsys.readouterr().err


def test_fix_all_leaves_an_unsafe_fix_alone(tmp_path: Path) -> None:
    write_files(tmp_path, {"main.tf": WEB})
    outcome = fix_module(Engine(), str(tmp_path), only_files={str(tmp_path / "main.tf")})
    assert outcome.after == {} and len(outcome.unsafe_only) == 2


# -- 3. every fix is terraform fmt clean ------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "text", "expected"),
    [
        pytest.param(
            "terraform-output-secret-not-sensitive",
            'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n\n'
            'output "password" {\n  value = var.db_password\n}\n',
            ["  value     = var.db_password", "  sensitive = true"],
            id="sensitive-output",
        ),
        pytest.param(
            "terraform-output-secret-not-sensitive",
            'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n\n'
            'output "password" {\n  value = var.db_password\n  description   = "the password"\n}\n',
            ["  value       = var.db_password", '  description = "the password"'],
            id="sensitive-output-misaligned-run",
        ),
        pytest.param(
            "aws-kms-key-rotation",
            'resource "aws_kms_key" "k" {\n  description = "k"\n}\n',
            ['  description         = "k"', "  enable_key_rotation = true"],
            id="key-rotation",
        ),
        pytest.param(
            "aws-kms-key-rotation",
            'resource "aws_kms_key" "k" {\n  description = "k"\n  enable_key_rotation = false\n}\n',
            ['  description         = "k"', "  enable_key_rotation = true"],
            id="key-rotation-misaligned-run",
        ),
        pytest.param(
            "aws-secret-argument-write-only",
            'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n\n'
            'resource "aws_db_instance" "app" {\n  engine   = "postgres"\n  username = "app"\n'
            "  password = var.db_password\n  storage_encrypted = true\n}\n",
            [
                "  password_wo         = var.db_password",
                "  password_wo_version = 1",
                "  storage_encrypted   = true",
            ],
            id="password-write-only",
        ),
    ],
)
def test_a_fix_realigns_the_attributes_around_it(
    tmp_path: Path, rule: str, text: str, expected: list[str]
) -> None:
    from tfguard.fixes import apply_edits

    write_files(tmp_path, {"main.tf": text})
    result = analyze(tmp_path)
    (finding,) = of_rule(result, rule)
    fix = fixes_for(result, finding)[0]
    fixed = apply_edits(text, [e for e in fix.edits if e.path == str(tmp_path / "main.tf")])
    for line in expected:
        assert line in fixed.split("\n"), fixed
    assert unformatted_lines(fixed) == []


# -- 4. the hover names the severity that applies first ---------------------------------------


def test_the_hover_shows_the_project_severity_first(tmp_path: Path) -> None:
    from tfguard.lsp.hover import finding_markdown

    write_files(tmp_path, {"main.tf": WEB})
    (finding, _) = of_rule(analyze(tmp_path), "aws-ec2-no-public-ingress")
    text = finding_markdown(finding)
    assert "severity **low**" in text and "critical" in text  # the rule's default
    assert text.index("**low**") < text.index("critical")
    head = text.split("\n\n")[1]
    assert head.startswith("`aws-ec2-no-public-ingress` · severity **low**")


def test_the_hover_names_no_default_when_the_severity_is_the_rule_s(tmp_path: Path) -> None:
    from tfguard.lsp.hover import finding_markdown

    write_files(tmp_path, {"main.tf": 'resource "aws_kms_key" "k" {}\n'})
    (finding,) = of_rule(analyze(tmp_path), "aws-kms-key-rotation")
    assert "default" not in finding_markdown(finding).split("\n\n")[1]


# -- 5. where an evaluated value came from -----------------------------------------------------

PROVENANCE: dict[str, str | bytes] = {
    "main.tf": """\
variable "admin_cidrs" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}

variable "environment" {
  type = string
}

locals {
  public = var.environment == "prod"
}

resource "aws_security_group" "admin" {
  name        = "admin"
  description = "administration"

  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.admin_cidrs
  }
}

resource "aws_s3_bucket_acl" "site" {
  bucket = "site"
  acl    = var.environment == "prod" ? "public-read" : "private"
}

resource "aws_s3_bucket_acl" "docs" {
  bucket = "docs"
  acl    = local.public ? "public-read" : "private"
}
""",
    "terraform.tfvars": 'environment = "prod"\n',
}


def _steps(finding: Finding) -> list[tuple[str, int, str, str]]:
    return [
        (os.path.basename(r.path), r.range.start.line + 1, r.kind, r.message)
        for r in finding.related
        if r.kind
    ]


def test_a_finding_says_which_default_tfvars_entry_local_and_condition_made_it(
    tmp_path: Path,
) -> None:
    write_files(tmp_path, PROVENANCE)
    result = analyze(tmp_path)
    (ingress,) = of_rule(result, "aws-ec2-no-public-ingress")
    assert _steps(ingress) == [
        ("main.tf", 3, "provenance", 'var.admin_cidrs is ["0.0.0.0/0"] (its default)')
    ]
    site, docs = sorted(of_rule(result, "aws-s3-no-public-acl"), key=lambda f: f.range.start)
    assert _steps(site) == [
        ("main.tf", 29, "condition", 'the condition var.environment == "prod" is true'),
        ("terraform.tfvars", 1, "provenance", 'var.environment is "prod"'),
    ]
    assert _steps(docs) == [
        ("main.tf", 34, "condition", "the condition local.public is true"),
        ("main.tf", 11, "provenance", "local.public is true"),
        ("terraform.tfvars", 1, "provenance", 'var.environment is "prod"'),
    ]


def test_a_literal_value_has_no_provenance(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"main.tf": 'resource "aws_s3_bucket_acl" "a" {\n  acl = "public-read"\n}\n'}
    )
    (finding,) = of_rule(analyze(tmp_path), "aws-s3-no-public-acl")
    assert finding.related == ()


def test_the_text_report_sarif_and_the_editor_show_the_chain(
    in_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tfguard.cli import main

    write_files(in_dir, PROVENANCE)
    main(["scan", "."])
    out = capsys.readouterr().out
    assert '= note: var.environment is "prod" from terraform.tfvars:1' in out
    assert '= note: the condition var.environment == "prod" is true at main.tf:29' in out
    main(["scan", "--format", "sarif", "."])
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    (site,) = [
        r for r in results if r["locations"][0]["physicalLocation"]["region"]["startLine"] == 29
    ]
    related = site["relatedLocations"]
    assert related[1]["physicalLocation"]["artifactLocation"]["uri"] == "terraform.tfvars"
    assert related[1]["properties"] == {"kind": "provenance"}

    from tfguard.lsp.convert import DEFAULT_SEVERITY_MAP, Lines, finding_to_diagnostic
    from tfguard.lsp.hover import finding_markdown

    result = analyze(in_dir)
    finding = next(f for f in of_rule(result, "aws-s3-no-public-acl") if f.range.start.line == 28)
    texts = {p: Path(p).read_text() for p in {r.path for r in finding.related} | {finding.path}}
    diagnostic = finding_to_diagnostic(
        finding,
        Lines.of(texts[finding.path]),
        "utf-16",
        severity_map=DEFAULT_SEVERITY_MAP,
        doc_url=None,
        uri_for=lambda p: Path(p).as_uri(),
        lines_for=lambda p: Lines.of(texts[p]),
    )
    assert diagnostic.related_information is not None
    assert [i.message for i in diagnostic.related_information] == [
        r.message for r in finding.related
    ]
    hover = finding_markdown(finding)
    assert "**Where the value comes from:**" in hover
    assert '- var.environment is "prod" \N{EM DASH} from `terraform.tfvars:1`' in hover
