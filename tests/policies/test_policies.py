"""Project policies in .tfguard.hcl: found by the scanner like built-in rules, suppressible,
in SARIF, with every operator and group, and a bad policy is one located error."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from tfguard.cli import main
from tfguard.config import ConfigError, parse_config
from tfguard.engine import Engine

OWNER_TAG = """
policy "acme-s3-owner-tag" {
  title          = "S3 buckets carry an owner tag"
  severity       = "medium"
  resource_types = ["aws_s3_bucket"]
  attribute      = "tags.owner"
  operator       = "exists"
}
"""

BUCKETS = """resource "aws_s3_bucket" "tagged" {
  bucket = "tagged"
  tags = {
    owner = "data"
  }
}

resource "aws_s3_bucket" "untagged" {
  bucket = "untagged"
}

resource "aws_s3_bucket" "other_tags" {
  bucket = "other"
  tags = {
    team = "web"
  }
}

resource "aws_s3_bucket" "off" {
  count  = 0
  bucket = "off"
}
"""


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def project(tmp_path: Path, config: str, main_tf: str) -> Path:
    (tmp_path / ".tfguard.hcl").write_text(config, encoding="utf-8")
    (tmp_path / "main.tf").write_text(main_tf, encoding="utf-8")
    return tmp_path


def policy_findings(root: Path, rule: str) -> list[tuple[int, str]]:
    result = Engine().analyze_module(str(root))
    return [(f.range.start.line + 1, f.message) for f in result.all_findings() if f.rule_id == rule]


def test_a_policy_reports_like_a_rule_in_json_and_sarif(tmp_path: Path) -> None:
    root = project(tmp_path, OWNER_TAG, BUCKETS)
    code, out, _ = run(["scan", str(root), "--format", "json"])
    assert code == 1
    report = json.loads(out)
    found = [
        (f["rule"], f["range"]["start"]["line"])
        for f in report["findings"]
        if f["rule"] == "acme-s3-owner-tag"
    ]
    # the untagged bucket on its header, the bucket with other tags on its tags; count = 0 off
    assert found == [("acme-s3-owner-tag", 8), ("acme-s3-owner-tag", 14)]
    code, out, _ = run(["scan", str(root), "--format", "sarif"])
    sarif = json.loads(out)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["acme-s3-owner-tag"]["shortDescription"]["text"] == "S3 buckets carry an owner tag"
    assert rules["acme-s3-owner-tag"]["properties"]["severity"] == "medium"
    assert rules["acme-s3-owner-tag"]["helpUri"].endswith(".tfguard.hcl#L2")
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "acme-s3-owner-tag"]
    assert len(results) == 2


def test_a_policy_finding_can_be_suppressed_and_configured(tmp_path: Path) -> None:
    suppressed = BUCKETS.replace(
        'resource "aws_s3_bucket" "untagged" {',
        "# tfguard:ignore:acme-s3-owner-tag legacy bucket, tagged by the account baseline\n"
        'resource "aws_s3_bucket" "untagged" {',
    )
    root = project(tmp_path, OWNER_TAG, suppressed)
    result = Engine().analyze_module(str(root))
    mine = [f for f in result.all_findings() if f.rule_id == "acme-s3-owner-tag"]
    assert [f.range.start.line + 1 for f in mine] == [15]
    assert not [f for f in result.all_findings() if f.rule_id == "suppression"]
    raised = OWNER_TAG + '\nrule "acme-s3-owner-tag" {\n  severity = "high"\n}\n'
    with pytest.raises(ConfigError, match="unknown rule 'acme-s3-owner-tag'"):
        # a rule block configures built-in rules; the policy sets its own severity
        parse_config(str(tmp_path / ".tfguard.hcl"), raised)


@pytest.mark.parametrize(
    ("condition", "lines"),
    [
        ('attribute = "bucket"\n  operator = "equals"\n  value = "tagged"', [9, 13]),
        ('attribute = "bucket"\n  operator = "not_equals"\n  value = "tagged"', [2]),
        ('attribute = "bucket"\n  operator = "one_of"\n  value = ["tagged", "other"]', [9]),
        ('attribute = "bucket"\n  operator = "not_one_of"\n  value = ["untagged"]', [9]),
        ('attribute = "bucket"\n  operator = "regex_match"\n  value = "^(tag|oth)"', [9]),
        ('attribute = "bucket"\n  operator = "not_regex_match"\n  value = "^un"', [9]),
        ('attribute = "tags"\n  operator = "not_exists"', [3, 14]),
        ('attribute = "tags"\n  operator = "contains"\n  value = "owner"', [8, 14]),
        ('attribute = "tags"\n  operator = "not_contains"\n  value = "team"', [14]),
        ('attribute = "force_destroy"\n  operator = "equals"\n  value = true', [1, 8, 12]),
    ],
)
def test_operators(tmp_path: Path, condition: str, lines: list[int]) -> None:
    config = (
        'policy "acme-probe" {\n  title = "probe"\n  resource_types = ["aws_s3_bucket"]\n'
        f"  {condition}\n}}\n"
    )
    root = project(tmp_path, config, BUCKETS)
    assert [line for line, _ in policy_findings(root, "acme-probe")] == lines


DATABASES = """resource "aws_db_instance" "good" {
  backup_retention_period = 7
  publicly_accessible     = false
}

resource "aws_db_instance" "short" {
  backup_retention_period = "3"
}

resource "aws_db_instance" "public" {
  backup_retention_period = 14
  publicly_accessible     = true
}

resource "aws_db_instance" "unknown" {
  backup_retention_period = var.retention
}
"""


def test_all_and_any_groups_nest_and_unknowns_stay_silent(tmp_path: Path) -> None:
    config = """
policy "acme-db" {
  title          = "Databases keep a week of backups and are private"
  severity       = "high"
  resource_types = ["aws_db_instance"]
  message        = "{address} breaks the database policy"
  all {
    attribute = "backup_retention_period"
    operator  = "greater_than_or_equal"
    value     = 7
  }
  any {
    all {
      attribute = "publicly_accessible"
      operator  = "not_exists"
    }
    all {
      attribute = "publicly_accessible"
      operator  = "equals"
      value     = false
    }
  }
}
"""
    root = project(tmp_path, config, DATABASES)
    assert policy_findings(root, "acme-db") == [
        (7, "aws_db_instance.short breaks the database policy"),
        (12, "aws_db_instance.public breaks the database policy"),
    ]
    result = Engine().analyze_module(str(root))
    [short] = [f for f in result.all_findings() if f.rule_id == "acme-db" and "short" in f.message]
    assert short.severity.label == "high"


@pytest.mark.parametrize(
    ("body", "line", "column", "message"),
    [
        (
            '  title = "t"\n  resource_types = ["x"]\n  attribute = "a"\n  operator = "bigger"\n',
            5,
            14,
            "unknown operator 'bigger'",
        ),
        (
            '  title = "t"\n  resource_types = ["x"]\n  attribute = "a"\n  operator = "equals"\n',
            5,
            3,
            "operator equals needs value",
        ),
        ('  title = "t"\n  resource_types = ["x"]\n', 1, 1, "a policy needs a condition"),
        (
            '  resource_types = ["x"]\n  attribute = "a"\n  operator = "exists"\n',
            1,
            1,
            "a policy needs a title",
        ),
        (
            '  title = "t"\n  resource_types = []\n  attribute = "a"\n  operator = "exists"\n',
            3,
            20,
            "resource_types must be a non-empty list",
        ),
        (
            '  title = "t"\n  resource_types = ["x"]\n  attribute = "a"\n'
            '  operator = "regex_match"\n  value = "("\n',
            6,
            11,
            "operator regex_match",
        ),
        (
            '  title = "t"\n  resource_types = ["x"]\n  attribute = "a"\n  operator = "less_than"\n'
            '  value = "ten"\n',
            6,
            11,
            "needs a number",
        ),
        (
            '  title = "t"\n  severity = "urgent"\n  resource_types = ["x"]\n  attribute = "a"\n'
            '  operator = "exists"\n',
            3,
            14,
            "unknown severity",
        ),
        ('  title = "t"\n  resource_types = ["x"]\n  nope { }\n', 4, 3, "unexpected block 'nope'"),
        (
            '  title = "t"\n  resource_types = ["x"]\n  attribute = "a"\n  operator = "exists"\n'
            '  colour = "red"\n',
            6,
            3,
            "unknown policy setting 'colour'",
        ),
    ],
)
def test_a_bad_policy_is_one_error_with_its_place(
    tmp_path: Path, body: str, line: int, column: int, message: str
) -> None:
    config = f'policy "acme-bad" {{\n{body}}}\n'
    root = project(tmp_path, config, BUCKETS)
    code, _, err = run(["scan", str(root)])
    assert code == 2
    assert f".tfguard.hcl:{line}:{column}: " in err, err
    assert message in err
    assert "Traceback" not in err


def test_a_policy_may_not_take_a_built_in_id(tmp_path: Path) -> None:
    config = OWNER_TAG.replace("acme-s3-owner-tag", "aws-s3-versioning")
    with pytest.raises(ConfigError, match="already used by another rule"):
        parse_config(str(tmp_path / ".tfguard.hcl"), config)
