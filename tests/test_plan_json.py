"""Plans in JSON (terraform show -json): the planned values of every resource instance are
scanned, and findings go to the configuration next to the plan, else to the plan itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import write_files

from tfguard.cli import main
from tfguard.engine import Engine

PROVIDER = "registry.terraform.io/hashicorp/aws"
EXPECTED = {
    "aws-s3-no-public-acl": "aws_s3_bucket_acl.reports",
    "aws-ec2-no-public-ingress": "aws_security_group.web",
    "aws-rds-storage-encrypted": "module.db[0].aws_db_instance.this",
}
CONFIGURATION = {
    "main.tf": """resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

resource "aws_s3_bucket_acl" "reports" {
  bucket = aws_s3_bucket.reports.id
  acl    = var.acl
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "web"

  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.admin_ranges
  }
}

variable "acl" {}
variable "admin_ranges" {}

module "db" {
  source = "./modules/db"
  count  = 1
}
""",
    "modules/db/main.tf": """resource "aws_db_instance" "this" {
  identifier     = "orders"
  engine         = "postgres"
  instance_class = "db.t4g.micro"
}
""",
}


def resource(address: str, values: dict[str, Any], index: int | None = None) -> dict[str, Any]:
    kind, name = address.split(".")[-2:]
    out: dict[str, Any] = {
        "address": address,
        "mode": "managed",
        "type": kind,
        "name": name,
        "provider_name": PROVIDER,
        "schema_version": 0,
        "values": values,
        "sensitive_values": {},
    }
    if index is not None:
        out["index"] = index
    return out


def change(planned: dict[str, Any], unknown: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": planned["address"],
        "mode": "managed",
        "type": planned["type"],
        "name": planned["name"],
        "provider_name": PROVIDER,
        "change": {
            "actions": ["create"],
            "before": None,
            "after": planned["values"],
            "after_unknown": unknown,
        },
    }


def build_plan(ranges: Any = None, encrypted: Any = False) -> dict[str, Any]:
    """A plan in the documented format (format 1.2): a bucket with a public ACL and an open
    security group in the root module, an unencrypted database in module.db[0]."""
    bucket = resource("aws_s3_bucket.reports", {"bucket": "acme-reports", "tags": None})
    acl = resource(
        "aws_s3_bucket_acl.reports",
        {"acl": "public-read", "bucket": "acme-reports", "expected_bucket_owner": None},
    )
    rule = {
        "cidr_blocks": ["0.0.0.0/0"] if ranges is None else ranges,
        "description": "ssh",
        "from_port": 22,
        "to_port": 22,
        "protocol": "tcp",
        "ipv6_cidr_blocks": [],
        "prefix_list_ids": [],
        "security_groups": [],
        "self": False,
    }
    group = resource(
        "aws_security_group.web", {"name": "web", "description": "web", "ingress": [rule]}
    )
    db_values = {
        "identifier": "orders",
        "engine": "postgres",
        "instance_class": "db.t4g.micro",
        "publicly_accessible": False,
    }
    if encrypted is not None:
        db_values["storage_encrypted"] = encrypted
    database = resource("module.db[0].aws_db_instance.this", db_values)
    db_unknown: dict[str, Any] = {"id": True, "endpoint": True}
    if encrypted is None:
        db_unknown["storage_encrypted"] = True
    group_unknown: dict[str, Any] = {"id": True}
    if ranges is not None:
        group_unknown["ingress"] = [{"cidr_blocks": [True]}]
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "planned_values": {
            "root_module": {
                "resources": [bucket, acl, group],
                "child_modules": [{"address": "module.db[0]", "resources": [database]}],
            }
        },
        "resource_changes": [
            change(bucket, {"id": True, "arn": True}),
            change(acl, {"id": True}),
            change(group, group_unknown),
            {**change(database, db_unknown), "module_address": "module.db[0]", "index": None},
        ],
        "configuration": {
            "root_module": {
                "resources": [],
                "module_calls": {
                    "db": {
                        "source": "./modules/db",
                        "count_expression": {"constant_value": 1},
                        "module": {"resources": []},
                    }
                },
            }
        },
    }


def found(result: Any) -> dict[str, tuple[str, str, int]]:
    """rule id -> (file name, the address in the message, 0-based line) for EXPECTED rules."""
    out: dict[str, tuple[str, str, int]] = {}
    for finding in result.all_findings():
        if finding.rule_id in EXPECTED:
            assert finding.rule_id not in out, finding
            address = EXPECTED[finding.rule_id]
            assert address in finding.message or finding.rule_id == "aws-s3-no-public-acl"
            out[finding.rule_id] = (
                Path(finding.path).name,
                str(finding.data["address"]),
                finding.range.start.line,
            )
    return out


def test_a_plan_alone_is_reported_on_its_planned_values(tmp_path: Path) -> None:
    text = json.dumps(build_plan(), indent=2)
    write_files(tmp_path, {"plan.json": text})
    result = Engine().analyze_plan(str(tmp_path / "plan.json"))
    assert not result.file_errors and not result.rule_errors
    lines = text.split("\n")
    located = found(result)
    assert set(located) == set(EXPECTED)
    for rule_id, (name, address, _) in located.items():
        assert name == "plan.json" and address == EXPECTED[rule_id]
    assert lines[located["aws-s3-no-public-acl"][2]].strip() == '"acl": "public-read",'
    assert lines[located["aws-ec2-no-public-ingress"][2]].strip() == '"cidr_blocks": ['
    assert lines[located["aws-rds-storage-encrypted"][2]].strip() == '"storage_encrypted": false'


def test_findings_go_to_the_configuration_next_to_the_plan(tmp_path: Path) -> None:
    write_files(tmp_path, {**CONFIGURATION, "plan.json": json.dumps(build_plan(), indent=2)})
    result = Engine().analyze_plan(str(tmp_path / "plan.json"))
    assert found(result) == {
        "aws-s3-no-public-acl": ("main.tf", "aws_s3_bucket_acl.reports", 6),  # acl = var.acl
        "aws-ec2-no-public-ingress": ("main.tf", "aws_security_group.web", 18),
        # storage_encrypted is not written: the resource's header
        "aws-rds-storage-encrypted": ("main.tf", "module.db[0].aws_db_instance.this", 0),
    }
    (database,) = [f for f in result.all_findings() if f.rule_id == "aws-rds-storage-encrypted"]
    assert database.path == str(tmp_path / "modules" / "db" / "main.tf")
    assert database.related[0].path == str(tmp_path / "plan.json")
    # An inline suppression in the configuration applies.
    write_files(
        tmp_path,
        {
            "main.tf": CONFIGURATION["main.tf"].replace(
                "  acl    = var.acl", "  # tfguard:ignore:aws-s3-no-public-acl\n  acl    = var.acl"
            )
        },
    )
    assert "aws-s3-no-public-acl" not in found(Engine().analyze_plan(str(tmp_path / "plan.json")))


def test_values_known_only_after_apply_are_unknown(tmp_path: Path) -> None:
    plan = build_plan(ranges=[None], encrypted=None)
    write_files(tmp_path, {"plan.json": json.dumps(plan, indent=2)})
    result = Engine().analyze_plan(str(tmp_path / "plan.json"))
    assert set(found(result)) == {"aws-s3-no-public-acl"}


def test_scan_takes_a_plan_and_writes_sarif(tmp_path: Path, capsys, monkeypatch) -> None:
    write_files(tmp_path, {**CONFIGURATION, "tfplan.json": json.dumps(build_plan())})
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "tfplan.json", "--format", "sarif", "--no-progress"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] in EXPECTED]
    places = sorted(
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
    )
    assert places == [
        ("aws-ec2-no-public-ingress", "main.tf", 19),
        ("aws-rds-storage-encrypted", "modules/db/main.tf", 1),
        ("aws-s3-no-public-acl", "main.tf", 7),
    ]


def test_a_broken_plan_is_an_error_with_its_location(tmp_path: Path, capsys, monkeypatch) -> None:
    text = json.dumps(build_plan(), indent=2)
    write_files(tmp_path, {"plan.json": text[:200] + "\n}, ]"})
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "plan.json", "--no-progress", "--no-color"]) == 2
    captured = capsys.readouterr()
    # line and column of the problem: a string cut short at the end of line 9
    assert "plan.json:9:20: invalid JSON: invalid control character" in captured.out
    result = Engine().analyze_plan(str(tmp_path / "plan.json"))
    (error,) = result.file_errors.values()
    assert ": invalid JSON: " in error and error.startswith(str(tmp_path / "plan.json") + ":")
    plan = build_plan()
    plan["format_version"] = "2.0"
    write_files(tmp_path, {"plan.json": json.dumps(plan)})
    (error,) = Engine().analyze_plan(str(tmp_path / "plan.json")).file_errors.values()
    assert "format_version '2.0' is not supported" in error


def test_a_plan_in_a_scanned_folder_is_named_not_scanned(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    write_files(tmp_path, {"plans/plan.json": json.dumps(build_plan())})
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "plans", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "found 1 Terraform plan in JSON (plans/plan.json)" in err
    assert "named on the command line" in err
