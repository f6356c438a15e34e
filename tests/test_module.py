"""The module index: cross-file references, tfvars/locals evaluation, unknown values."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import rule_ids, write_files

from tfguard.engine import Engine
from tfguard.evaluate import UNKNOWN
from tfguard.policy import policies


def module_of(tmp_path: Path, files: dict[str, str | bytes]):
    write_files(tmp_path, files)
    result = Engine().analyze_module(str(tmp_path))
    assert result.module is not None
    return result, result.module


def test_variables_take_tfvars_and_auto_tfvars_over_defaults(tmp_path: Path) -> None:
    _, m = module_of(
        tmp_path,
        {
            "variables.tf": (
                'variable "acl" { default = "private" }\n'
                'variable "region" { default = "us-east-1" }\n'
                'variable "required" {}\n'
                'variable "ports" { default = [22, 443] }\n'
            ),
            "terraform.tfvars": 'acl = "public-read"\nregion = "eu-west-1"\n',
            "b.auto.tfvars": 'region = "eu-central-1"\n',
            "prod.tfvars": 'acl = "authenticated-read"\n',  # not auto-loaded
        },
    )
    assert m.var_value("acl") == "public-read"
    assert m.var_value("region") == "eu-central-1"
    assert m.var_value("required") is UNKNOWN
    assert m.var_value("ports") == [22, 443]


def test_locals_conditionals_and_functions_evaluate(tmp_path: Path) -> None:
    _, m = module_of(
        tmp_path,
        {
            "main.tf": (
                'variable "env" { default = "prod" }\n'
                "locals {\n"
                '  is_prod = var.env == "prod"\n'
                '  acl     = local.is_prod ? "private" : "public-read"\n'
                '  name    = "${var.env}-${lower("LOGS")}"\n'
                '  cidrs   = concat(["10.0.0.0/8"], [for c in ["0.0.0.0/0"] : c])\n'
                '  doc     = jsonencode({ a = [1, true], b = lookup({ x = "y" }, "x", "z") })\n'
                "  unknown = aws_vpc.main.id\n"
                '  partial = var.env == "dev" && aws_vpc.main.id != ""\n'
                '  joined  = join(",", [local.name, "x"])\n'
                "  loop    = local.loop\n"
                "}\n"
            )
        },
    )
    assert m.local_value("is_prod") is True
    assert m.local_value("acl") == "private"
    assert m.local_value("name") == "prod-logs"
    assert m.local_value("cidrs") == ["10.0.0.0/8", "0.0.0.0/0"]
    assert m.local_value("doc") == '{"a":[1,true],"b":"y"}'
    assert m.local_value("unknown") is UNKNOWN
    assert m.local_value("partial") is False  # false && unknown is known
    assert m.local_value("joined") == "prod-logs,x"
    assert m.local_value("loop") is UNKNOWN  # a cycle is unknown, not a crash


def test_cross_file_links_by_reference_and_by_literal_name(tmp_path: Path) -> None:
    _, m = module_of(
        tmp_path,
        {
            "buckets.tf": (
                'resource "aws_s3_bucket" "logs" { bucket = "acme-logs" }\n'
                'resource "aws_s3_bucket" "data" { bucket = "acme-data" }\n'
                'resource "aws_s3_bucket" "other" { bucket = var.name }\n'
            ),
            "controls.tf": (
                'resource "aws_s3_bucket_public_access_block" "logs" {\n'
                "  bucket = aws_s3_bucket.logs.id\n"
                "}\n"
                'resource "aws_s3_bucket_public_access_block" "data" {\n'
                '  bucket = "acme-data"\n'
                "}\n"
            ),
        },
    )
    logs, data, other = (m.resources[f"aws_s3_bucket.{n}"] for n in ("logs", "data", "other"))
    pab = ("aws_s3_bucket_public_access_block",)
    assert [e.address for e in m.linked(pab, "bucket", logs, "bucket")] == [
        "aws_s3_bucket_public_access_block.logs"
    ]
    assert [e.address for e in m.linked(pab, "bucket", data, "bucket")] == [
        "aws_s3_bucket_public_access_block.data"
    ]
    assert m.linked(pab, "bucket", other, "bucket") == []
    assert logs.path.endswith("buckets.tf")
    assert [e.address for e, _ in m.referrers["aws_s3_bucket.logs"]] == [
        "aws_s3_bucket_public_access_block.logs"
    ]


def test_policies_are_read_in_all_three_forms(tmp_path: Path) -> None:
    result, m = module_of(
        tmp_path,
        {
            "iam.tf": (
                'resource "aws_iam_policy" "encoded" {\n'
                "  policy = jsonencode({\n"
                '    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]\n'
                "  })\n"
                "}\n"
                'resource "aws_iam_policy" "heredoc" {\n'
                "  policy = <<EOF\n"
                '{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},\n'
                '  {"Effect": "Allow", "Action": "s3:GetObject",\n'
                '   "Resource": "${aws_s3_bucket.b.arn}"}]}\n'
                "EOF\n"
                "}\n"
                'data "aws_iam_policy_document" "doc" {\n'
                "  statement {\n"
                '    actions   = ["*"]\n'
                '    resources = ["*"]\n'
                "  }\n"
                "}\n"
                'resource "aws_iam_policy" "from_doc" {\n'
                "  policy = data.aws_iam_policy_document.doc.json\n"
                "}\n"
            )
        },
    )
    found = {p.entity.address: p for p in policies(m)}
    assert set(found) == {
        "aws_iam_policy.encoded",
        "aws_iam_policy.heredoc",
        "data.aws_iam_policy_document.doc",
    }  # the resource that references the document is not read twice
    heredoc = found["aws_iam_policy.heredoc"].statements
    assert heredoc[1].resources == [UNKNOWN]
    assert rule_ids(result).count("aws-iam-no-wildcard-admin") == 3


def test_unknown_values_stay_silent(scan_files) -> None:
    result = scan_files(
        {
            "main.tf": (
                'variable "cidr" {}\n'
                'variable "acl" { default = null }\n'
                'variable "bucket" {}\n'
                'variable "rotate" {}\n'
                'data "x" "y" {}\n'
                'resource "aws_security_group_rule" "r" {\n'
                '  type        = "ingress"\n'
                "  from_port   = 22\n"
                "  to_port     = 22\n"
                '  protocol    = "tcp"\n'
                "  cidr_blocks = [var.cidr, data.x.y.cidr]\n"
                '  description = "SSH for the operators"\n'
                "}\n"
                'resource "aws_s3_bucket_acl" "b" {\n'
                "  bucket = var.bucket\n"
                "  acl    = var.acl\n"
                "}\n"
                'resource "aws_kms_key" "k" { enable_key_rotation = var.rotate }\n'
            )
        }
    )
    assert rule_ids(result) == []


def test_tofu_file_shadows_tf_file_of_the_same_name(scan_files) -> None:
    result = scan_files(
        {
            "main.tf": 'resource "aws_kms_key" "k" {}\n',
            "main.tofu": 'resource "aws_kms_key" "k" { enable_key_rotation = true }\n',
        }
    )
    assert [p.rsplit("/", 1)[-1] for p in result.files] == ["main.tofu"]
    assert rule_ids(result) == []
