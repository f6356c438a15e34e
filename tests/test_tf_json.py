"""Terraform's JSON syntax (.tf.json) read into the syntax model: the same findings as the HCL
twin, at the JSON keys; "//" suppressions; templates; errors with a location."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from tests.conftest import write_files

from tfguard import jsontree
from tfguard.cli import main
from tfguard.engine import Engine, ModuleResult, fixes_for
from tfguard.findings import Finding
from tfguard.tfjson import TfJsonFile

NOT_RULES = {"syntax", "validation"}

HCL = """resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

resource "aws_s3_bucket_acl" "reports" {
  bucket = aws_s3_bucket.reports.id
  acl    = "public-read"
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "web"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "orders" {
  identifier     = "orders"
  engine         = "postgres"
  instance_class = "db.t4g.micro"
}
"""

JSON = """{
  "resource": {
    "aws_s3_bucket": {
      "reports": {
        "bucket": "acme-reports"
      }
    },
    "aws_s3_bucket_acl": {
      "reports": {
        "bucket": "${aws_s3_bucket.reports.id}",
        "acl": "public-read"
      }
    },
    "aws_security_group": {
      "web": {
        "name": "web",
        "description": "web",
        "ingress": [
          {
            "from_port": 22,
            "to_port": 22,
            "protocol": "tcp",
            "cidr_blocks": ["0.0.0.0/0"]
          }
        ]
      }
    },
    "aws_db_instance": {
      "orders": {
        "identifier": "orders",
        "engine": "postgres",
        "instance_class": "db.t4g.micro"
      }
    }
  }
}
"""


def analyse(root: Path, files: dict[str, str]) -> ModuleResult:
    write_files(root, files)
    return Engine().analyze_module(str(root))


def rules(result: ModuleResult) -> list[Finding]:
    return [f for f in result.all_findings() if f.rule_id not in NOT_RULES]


def where(text: str, finding: Finding) -> str:
    """The text a finding's range covers (one line)."""
    r = finding.range
    assert r.start.line == r.end.line
    return text.split("\n")[r.start.line][r.start.character : r.end.character]


def test_the_json_twin_has_the_same_findings_at_its_keys(tmp_path: Path) -> None:
    hcl = rules(analyse(tmp_path / "hcl", {"main.tf": HCL}))
    found = rules(analyse(tmp_path / "json", {"main.tf.json": JSON}))
    same = Counter((f.rule_id, f.severity, f.message) for f in hcl)
    assert Counter((f.rule_id, f.severity, f.message) for f in found) == same
    assert len(hcl) > 3
    places = {f.rule_id: where(JSON, f) for f in found}
    assert places["aws-s3-no-public-acl"] == '"acl": "public-read"'
    assert places["aws-ec2-no-public-ingress"] == '"cidr_blocks": ["0.0.0.0/0"]'
    assert places["aws-rds-storage-encrypted"] == '"orders"'
    (acl,) = [f for f in found if f.rule_id == "aws-s3-no-public-acl"]
    (bucket,) = acl.related
    assert bucket.range.start.line == 3  # the bucket's "reports" key
    json_result = Engine().analyze_module(str(tmp_path / "json"))
    for finding in json_result.all_findings():
        assert fixes_for(json_result, finding) == []  # fixes write HCL: none in JSON


def test_a_comment_key_suppresses_like_a_comment_line(tmp_path: Path) -> None:
    text = JSON.replace(
        '        "acl": "public-read"',
        '        "//": "tfguard:ignore:aws-s3-no-public-acl the reports are public",\n'
        '        "acl": "public-read"',
    )
    result = analyse(tmp_path, {"main.tf.json": text})
    assert "aws-s3-no-public-acl" not in {f.rule_id for f in result.all_findings()}
    (suppression,) = result.suppressions[str(tmp_path / "main.tf.json")]
    assert suppression.used and suppression.reason == "the reports are public"
    assert suppression.range.start.line == 10


def test_templates_variables_and_module_calls(tmp_path: Path) -> None:
    files = {
        "main.tf.json": json.dumps(
            {
                "variable": {
                    "open": {"type": "list(string)", "default": ["0.0.0.0/0"]},
                    "env": {"default": "prod"},
                },
                "locals": {"name": "web-${var.env}"},
                "module": {"sg": {"source": "./modules/sg", "cidrs": "${var.open}"}},
            },
            indent=2,
        ),
        "modules/sg/main.tf": (
            'variable "cidrs" {}\n'
            'resource "aws_security_group" "this" {\n'
            "  ingress {\n    from_port   = 22\n    to_port     = 22\n"
            '    protocol    = "tcp"\n    cidr_blocks = var.cidrs\n  }\n}\n'
        ),
    }
    result = analyse(tmp_path, files)
    assert result.module is not None
    assert result.module.var_value("open") == ["0.0.0.0/0"]  # "${x}" is x itself
    assert result.module.local_value("name") == "web-prod"
    (finding,) = [f for f in result.all_findings() if f.rule_id == "aws-ec2-no-public-ingress"]
    assert where(files["main.tf.json"], finding) == '"cidrs": "${var.open}"'
    assert finding.message.startswith("module.sg: ")


def test_syntax_errors_have_a_location_and_other_files_keep_their_findings(
    tmp_path: Path,
) -> None:
    files = {
        "broken.tf.json": '{\n  "resource": {\n    "aws_s3_bucket": {\n      "x": {,}\n',
        "shape.tf.json": '{"resource": ["not", "labels"]}\n',
        "main.tf": HCL,
    }
    result = analyse(tmp_path, files)
    syntax = {Path(f.path).name: f for f in result.all_findings() if f.rule_id == "syntax"}
    assert syntax["broken.tf.json"].range.start.line == 3
    assert syntax["broken.tf.json"].message.startswith("invalid JSON: ")
    assert "JSON object keys" in syntax["shape.tf.json"].message
    assert "aws-s3-no-public-acl" in {f.rule_id for f in result.all_findings()}


def test_tofu_json_shadows_tf_json_and_scan_reads_json(tmp_path: Path, capsys, monkeypatch) -> None:
    private = JSON.replace("public-read", "private")
    write_files(tmp_path, {"main.tf.json": JSON, "main.tofu.json": private})
    engine = Engine()
    assert [Path(p).name for p in engine.module_files(str(tmp_path))] == ["main.tofu.json"]
    (tmp_path / "main.tofu.json").unlink()
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "main.tf.json", "--format", "json", "--no-progress"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert "aws-s3-no-public-acl" in {f["rule"] for f in report["findings"]}


def test_ranges_of_keys_values_and_interpolations() -> None:
    text = '{"resource": {"aws_s3_bucket": {"b": {"bucket": "a-\\u0041-${var.x}", "tags": {}}}}}'
    parsed = TfJsonFile("/x/main.tf.json", text)
    assert not parsed.problems
    (placed,) = parsed.items
    block = placed.node
    assert block.type == "resource" and block.labels == ("aws_s3_bucket", "b")  # type: ignore[union-attr]
    attr = block.attributes["bucket"]  # type: ignore[union-attr]
    assert text[attr.name_range.start.character : attr.name_range.end.character] == '"bucket"'
    (interpolation,) = [p for p in attr.value.parts if not isinstance(p, str)]  # type: ignore[attr-defined]
    r = interpolation.range
    assert text[r.start.character : r.end.character] == "var.x"  # after an escape
    assert "tags" in block.attributes and not block.blocks  # type: ignore[union-attr]


def test_json_tree_offsets_and_errors() -> None:
    text = '{"a": [1, 2.5e3, true, null], "\\ud83d\\ude00k": "x\\ty"}'
    root = jsontree.parse(text)
    assert root.plain() == json.loads(text)
    (first, second) = root.members
    assert text[first.value.start : first.value.end] == "[1, 2.5e3, true, null]"
    assert text[second.key_start : second.key_end] == '"\\ud83d\\ude00k"'
    offsets = jsontree.raw_offsets(text, second.value)
    assert [text[o] for o in offsets] == ["x", "\\", "y", '"']  # one offset per character
    for bad, offset in [
        ('{"a": }', 6),
        ('{"a": 1,}', 8),
        ("[1 2]", 3),
        ('{"a": "b', 6),
        ("[]x", 2),
    ]:
        with pytest.raises(jsontree.JsonError) as caught:
            jsontree.parse(bad)
        assert caught.value.offset == offset, bad
    with pytest.raises(jsontree.JsonError, match="nested more than"):
        jsontree.parse("[" * 300 + "]" * 300)
