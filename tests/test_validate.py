"""Module validity (tfguard.validate): what terraform validate rejects without providers, the
references that are legal, and the guard every fix goes through."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.conftest import write_files

from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Finding, Position, Range, Severity
from tfguard.fixes import Fix, TextEdit
from tfguard.validate import fix_harm


def scan(
    tmp_path: Path, files: dict[str, str | bytes], engine: Engine | None = None
) -> ModuleResult:
    write_files(tmp_path, files)
    return (engine or Engine()).analyze_module(str(tmp_path))


def problems(result: ModuleResult) -> list[Finding]:
    return [f for f in result.all_findings() if f.rule_id == "validation"]


def keys(result: ModuleResult) -> list[str]:
    return [str(f.data["problem"]) for f in problems(result)]


@pytest.mark.parametrize(
    ("first", "second", "key"),
    [
        ('variable "x" {}', 'variable "x" {\n  type = string\n}', "duplicate:var.x"),
        ('output "o" {\n  value = 1\n}', 'output "o" {\n  value = 2\n}', "duplicate:output.o"),
        ("locals {\n  l = 1\n}", "locals {\n  l = 2\n}", "duplicate:local.l"),
        ('resource "a_b" "c" {}', 'resource "a_b" "c" {}', "duplicate:a_b.c"),
        ('data "a_b" "c" {}', 'data "a_b" "c" {}', "duplicate:data.a_b.c"),
        (
            'module "m" {\n  source = "./m"\n}',
            'module "m" {\n  source = "./n"\n}',
            "duplicate:module.m",
        ),
        ('provider "aws" {}', 'provider "aws" {\n  region = "x"\n}', "duplicate:provider.aws"),
        (
            'provider "aws" {\n  alias = "west"\n}',
            'provider "aws" {\n  alias = "west"\n}',
            "duplicate:provider.aws.west",
        ),
    ],
)
def test_a_name_declared_twice_is_invalid(
    tmp_path: Path, first: str, second: str, key: str
) -> None:
    result = scan(tmp_path, {"main.tf": first + "\n", "other.tf": second + "\n"})
    (finding,) = problems(result)
    assert finding.data["problem"] == key and finding.severity == Severity.HIGH
    assert finding.path.endswith("other.tf")  # the second declaration, files in name order
    (first_declared,) = finding.related
    assert (
        first_declared.path.endswith("main.tf") and "first declared here" in first_declared.message
    )
    assert "must be unique" in finding.message


def test_providers_with_different_aliases_and_override_files_are_not_duplicates(
    tmp_path: Path,
) -> None:
    result = scan(
        tmp_path,
        {
            "main.tf": 'provider "aws" {}\nprovider "aws" {\n  alias = "west"\n}\n'
            'variable "x" {}\n',
            "override.tf": 'variable "x" {\n  default = 1\n}\n',
            "b_override.tf": 'provider "aws" {\n  region = "y"\n}\n',
        },
    )
    assert problems(result) == []


def test_an_argument_set_twice_in_one_block_is_invalid(tmp_path: Path) -> None:
    text = (
        'resource "aws_kms_key" "k" {\n'
        '  description = "a"\n'
        "  lifecycle {\n"
        "    prevent_destroy = true\n"
        "    prevent_destroy = false\n"
        "  }\n"
        '  description = "b"\n'
        "}\n"
    )
    result = scan(tmp_path, {"main.tf": text})
    found = sorted(problems(result), key=lambda f: f.range.start)
    assert [f.range.start.line for f in found] == [4, 6]
    assert all("Attribute redefined" in f.message for f in found)
    assert found[1].related[0].range.start == Position(1, 2)  # the first description


def test_a_variable_set_twice_in_a_tfvars_file_is_invalid(tmp_path: Path) -> None:
    result = scan(
        tmp_path, {"main.tf": 'variable "env" {}\n', "terraform.tfvars": 'env = "a"\nenv = "b"\n'}
    )
    (finding,) = problems(result)
    assert finding.path.endswith("terraform.tfvars") and finding.range.start.line == 1


def test_count_and_for_each_together_are_invalid(tmp_path: Path) -> None:
    text = 'resource "a_b" "c" {\n  count    = 2\n  for_each = toset(["x"])\n}\n'
    (finding,) = problems(scan(tmp_path, {"main.tf": text}))
    assert '"count" and "for_each"' in finding.message and finding.range.start.line == 2


@pytest.mark.parametrize(
    ("expression", "key"),
    [
        ("var.missing", "undeclared:var.missing"),
        ("local.missing", "undeclared:local.missing"),
        ("module.missing.out", "undeclared:module.missing"),
        ("data.aws_vpc.missing.id", "undeclared:data.aws_vpc.missing"),
        ("aws_vpc.missing.id", "undeclared:aws_vpc.missing"),
        ('"${var.missing}-x"', "undeclared:var.missing"),
        ("[for x in var.missing : x]", "undeclared:var.missing"),
    ],
)
def test_a_reference_to_something_not_declared_is_invalid(
    tmp_path: Path, expression: str, key: str
) -> None:
    text = f'resource "aws_kms_key" "k" {{\n  description = {expression}\n}}\n'
    result = scan(tmp_path, {"main.tf": text})
    assert keys(result) == [key]
    (finding,) = problems(result)
    assert "undeclared" in finding.message and finding.range.start.line == 1


LEGAL = """\
variable "names" {
  type = list(object({ name = string }))
  validation {
    condition     = length(var.names) > 0
    error_message = "at least one"
  }
}

locals {
  upper = { for k, v in var.names : k => upper(v.name) if v.name != null }
  doc   = <<EOT
%{ for n in var.names ~}
${n.name}
%{ endfor ~}
EOT
}

data "aws_vpc" "main" {}

module "net" {
  source    = "./net"
  providers = { aws = aws.west }
  vpc_id    = data.aws_vpc.main.id
}

provider "aws" {
  alias  = "west"
  region = var.names[0].name
}

resource "aws_security_group" "sg" {
  provider = aws.west
  for_each = local.upper
  name     = "${each.key}-${each.value}-${path.module}-${terraform.workspace}"
  vpc_id   = module.net.vpc_id

  dynamic "ingress" {
    for_each = var.names
    iterator = rule
    content {
      description = rule.value.name
      cidr_blocks = [for c in [rule.key] : c]
    }
  }

  dynamic "egress" {
    for_each = var.names
    content {
      description = egress.value.name
    }
  }

  lifecycle {
    ignore_changes       = [tags, description]
    replace_triggered_by = [data.aws_vpc.main.id]
  }

  provisioner "local-exec" {
    command = "echo ${self.id} ${count.index}"
    when    = destroy
  }
}

check "health" {
  data "http" "site" {
    url = "https://example.com"
  }
  assert {
    condition     = data.http.site.status_code == 200
    error_message = "down"
  }
}

moved {
  from = aws_security_group.old
  to   = aws_security_group.sg
}

output "ids" {
  value      = { for k, g in aws_security_group.sg : k => g.id }
  depends_on = [module.net]
}
"""


def test_references_terraform_accepts_are_not_reported(tmp_path: Path) -> None:
    result = scan(tmp_path, {"main.tf": LEGAL})
    assert [f for f in result.all_findings() if f.rule_id == "syntax"] == []
    assert problems(result) == []
    # The same module with one reference to nothing: that one is reported (so the module was
    # checked in full above).
    result = scan(tmp_path, {"main.tf": LEGAL.replace("rule.value.name", "rules.value.name")})
    assert keys(result) == ["undeclared:rules.value"]


def test_references_are_not_checked_when_the_module_is_not_read_in_full(tmp_path: Path) -> None:
    text = 'resource "aws_kms_key" "k" {\n  description = var.elsewhere\n}\n'
    broken = 'variable "elsewhere" {\n  type = string\n'  # never closed
    result = scan(tmp_path, {"main.tf": text, "vars.tf": broken})
    assert [f.rule_id for f in result.all_findings() if f.rule_id in ("syntax", "validation")] == [
        "syntax"
    ]


def test_json_configuration_declarations_count(tmp_path: Path) -> None:
    text = 'resource "aws_kms_key" "k" {\n  description = var.from_json\n}\n'
    declared = json.dumps({"variable": {"from_json": {"type": "string"}}})
    result = scan(tmp_path, {"main.tf": text, "vars.tf.json": declared})
    assert problems(result) == []


def test_validation_is_never_suppressed_nor_below_the_minimum_severity(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "main.tf": '# tfguard:ignore:validation\nvariable "x" {}\n# tfguard:ignore:*\n'
        'variable "x" {}\nresource "aws_kms_key" "k" {}\n',
        ".tfguard.hcl": 'minimum_severity = "critical"\n',
    }
    result = scan(tmp_path, files)
    assert keys(result) == ["duplicate:var.x"]
    assert [f.rule_id for f in result.all_findings()] == ["validation"]  # the key's is medium
    # Naming the id in a suppression is not an unknown rule either.
    assert [f for f in result.all_findings() if f.rule_id == "tfguard-suppression"] == []


def test_sarif_describes_validation_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tfguard.cli import main

    write_files(tmp_path, {"main.tf": 'variable "x" {}\nvariable "x" {}\n'})
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        main(["scan", "--format", "sarif", "."])
    finally:
        os.chdir(old)
    run = json.loads(capsys.readouterr().out)["runs"][0]
    (descriptor,) = [r for r in run["tool"]["driver"]["rules"] if r["id"] == "validation"]
    assert descriptor["defaultConfiguration"]["level"] == "error"
    (result,) = [r for r in run["results"] if r["ruleId"] == "validation"]
    assert result["level"] == "error" and result["relatedLocations"]


def _append(path: str, text: str) -> Fix:
    at = Position(0, 0)
    return Fix("declare", (TextEdit(path, Range(at, at), text),), "safe")


def test_a_fix_that_would_make_the_module_invalid_is_harmful(tmp_path: Path) -> None:
    result = scan(tmp_path, {"main.tf": 'variable "x" {}\n'})
    assert result.module is not None
    path = str(tmp_path / "variables.tf")
    harm = fix_harm(result.module, _append(path, 'variable "x" {}\n'))
    assert harm is not None and "var.x declared twice" in harm
    assert fix_harm(result.module, _append(path, 'variable "y" {}\n')) is None
    broken = fix_harm(result.module, _append(str(tmp_path / "main.tf"), "}}\n"))
    assert broken is not None and "no longer parse" in broken
    # A problem the module has already is not the fix's doing.
    result = scan(tmp_path, {"main.tf": 'variable "x" {}\nvariable "x" {}\n'})
    assert result.module is not None
    assert fix_harm(result.module, _append(str(tmp_path / "other.tf"), 'variable "z" {}\n')) is None


def test_a_fix_that_drops_a_declaration_still_in_use_is_harmful(tmp_path: Path) -> None:
    text = 'variable "x" {}\nresource "aws_kms_key" "k" {\n  description = var.x\n}\n'
    result = scan(tmp_path, {"main.tf": text})
    assert result.module is not None
    removal = Fix(
        "drop x",
        (TextEdit(str(tmp_path / "main.tf"), Range.of(0, 0, 1, 0), ""),),
        "unsafe",
    )
    harm = fix_harm(result.module, removal)
    assert harm is not None and "var.x not declared" in harm
