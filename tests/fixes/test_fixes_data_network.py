"""The data-protection, logging and network quick fixes, text for text: what each fix writes
(main.tf and, for a placeholder variable, variables.tf), in CRLF and tab-indented files, and
where no fix is offered because the change would not be deterministic or safe."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import write_files

from tfguard.engine import Engine, fixes_for
from tfguard.findings import Finding
from tfguard.fixer import fix_module
from tfguard.fixes import Fix, apply_edits
from tfguard.rules import registry


@dataclass
class Offered:
    title: str
    preferred: bool
    files: dict[str, str]  # file name -> text after the fix (only the files it changes)


def offered(folder: Path, files: dict[str, str], rule_id: str) -> list[list[Offered]]:
    """For each finding of ``rule_id`` (in order), the fixes offered and what they write."""
    write_files(folder, files)
    result = Engine().analyze_module(str(folder))
    assert not [f for f in result.all_findings() if f.rule_id == "syntax"]
    out: list[list[Offered]] = []
    for finding in [f for f in result.all_findings() if f.rule_id == rule_id]:
        out.append([_render(folder, fix) for fix in fixes_for(result, finding)])
    return out


def _render(folder: Path, fix: Fix) -> Offered:
    texts: dict[str, str] = {}
    for path in sorted(fix.paths):
        source = Path(path)
        original = source.read_bytes().decode("utf-8") if source.exists() else ""
        texts[source.relative_to(folder).as_posix()] = apply_edits(
            original, [e for e in fix.edits if e.path == path]
        )
    return Offered(fix.title, fix.preferred, texts)


def only(folder: Path, files: dict[str, str], rule_id: str) -> list[Offered]:
    [fixes] = offered(folder, files, rule_id)
    return fixes


def findings(folder: Path, rule_id: str) -> list[Finding]:
    result = Engine().analyze_module(str(folder))
    return [f for f in result.all_findings() if f.rule_id == rule_id]


# -- S3: add encryption ------------------------------------------------------------------------

S3 = "aws-s3-encryption-customer-key"

BUCKET = 'resource "aws_s3_bucket" "invoices" {\n  bucket = "acme-invoices"\n}\n'
KEY = 'resource "aws_kms_key" "data" {\n  enable_key_rotation = true\n}\n'


def test_s3_split_style_adds_the_resource_right_after_the_bucket(tmp_path: Path) -> None:
    files = {
        "main.tf": KEY + "\n" + BUCKET + "\n"
        'resource "aws_s3_bucket_versioning" "invoices" {\n'
        "  bucket = aws_s3_bucket.invoices.id\n"
        "  versioning_configuration {\n"
        '    status = "Enabled"\n'
        "  }\n"
        "}\n"
    }
    key_fix, variable_fix = only(tmp_path, files, S3)
    assert key_fix.title == ("Encrypt aws_s3_bucket.invoices with SSE-KMS using aws_kms_key.data")
    # Both are safe; tools apply the first, the module's only key.
    assert key_fix.preferred and variable_fix.preferred
    assert key_fix.files == {
        "main.tf": KEY
        + "\n"
        + 'resource "aws_s3_bucket" "invoices" {\n  bucket = "acme-invoices"\n}\n'
        "\n"
        'resource "aws_s3_bucket_server_side_encryption_configuration" "invoices" {\n'
        "  bucket = aws_s3_bucket.invoices.id\n"
        "  rule {\n"
        "    apply_server_side_encryption_by_default {\n"
        '      sse_algorithm     = "aws:kms"\n'
        "      kms_master_key_id = aws_kms_key.data.arn\n"
        "    }\n"
        "    bucket_key_enabled = true\n"
        "  }\n"
        "}\n"
        "\n"
        'resource "aws_s3_bucket_versioning" "invoices" {\n'
        "  bucket = aws_s3_bucket.invoices.id\n"
        "  versioning_configuration {\n"
        '    status = "Enabled"\n'
        "  }\n"
        "}\n"
    }
    # The alternative asks for a key through a new variable, declared in a new variables.tf.
    assert variable_fix.title == (
        "Encrypt aws_s3_bucket.invoices with SSE-KMS using a new variable var.invoices_kms_key_arn"
    )
    assert "kms_master_key_id = var.invoices_kms_key_arn\n" in variable_fix.files["main.tf"]
    assert variable_fix.files["variables.tf"] == (
        'variable "invoices_kms_key_arn" {\n'
        '  description = "ARN of the customer-managed KMS key that encrypts the objects of '
        'aws_s3_bucket.invoices"\n'
        "  type        = string\n"
        "}\n"
    )


def test_s3_aes256_becomes_kms_with_a_new_variable_in_an_existing_crlf_file(
    tmp_path: Path,
) -> None:
    main = (
        BUCKET + "\n"
        'resource "aws_s3_bucket_server_side_encryption_configuration" "invoices" {\n'
        "  bucket = aws_s3_bucket.invoices.id\n"
        "  rule {\n"
        "    apply_server_side_encryption_by_default {\n"
        '      sse_algorithm = "AES256" # the default until we had a key\n'
        "    }\n"
        "  }\n"
        "}\n"
    )
    variables = 'variable "env" {\n  type = string\n}\n'
    files = {"main.tf": main.replace("\n", "\r\n"), "variables.tf": variables.replace("\n", "\r\n")}
    [fix] = only(tmp_path, files, S3)
    assert fix.preferred
    assert fix.files["main.tf"] == (
        BUCKET + "\n"
        'resource "aws_s3_bucket_server_side_encryption_configuration" "invoices" {\n'
        "  bucket = aws_s3_bucket.invoices.id\n"
        "  rule {\n"
        "    bucket_key_enabled = true\n"
        "    apply_server_side_encryption_by_default {\n"
        '      sse_algorithm     = "aws:kms" # the default until we had a key\n'
        "      kms_master_key_id = var.invoices_kms_key_arn\n"
        "    }\n"
        "  }\n"
        "}\n"
    ).replace("\n", "\r\n")
    assert fix.files["variables.tf"] == (
        variables + "\n"
        'variable "invoices_kms_key_arn" {\n'
        '  description = "ARN of the customer-managed KMS key that encrypts the objects of '
        'aws_s3_bucket.invoices"\n'
        "  type        = string\n"
        "}\n"
    ).replace("\n", "\r\n")


def test_s3_new_variables_file_takes_the_modules_line_endings(tmp_path: Path) -> None:
    [fix] = only(tmp_path, {"main.tf": BUCKET.replace("\n", "\r\n")}, S3)
    assert fix.files["variables.tf"].count("\r\n") == 4
    assert "\n" not in fix.files["variables.tf"].replace("\r\n", "")


def test_s3_inline_style_with_tabs(tmp_path: Path) -> None:
    """A bucket configured with inline v3 blocks gets the nested block, in its own tabs."""
    main = (
        'resource "aws_s3_bucket" "legacy" {\n'
        '\tbucket = "acme-legacy"\n'
        "\tversioning {\n"
        "\t\tenabled = true\n"
        "\t}\n"
        "}\n"
    )
    key_fix, _ = only(tmp_path, {"main.tf": main, "kms.tf": KEY}, S3)
    assert key_fix.files == {
        "main.tf": 'resource "aws_s3_bucket" "legacy" {\n'
        '\tbucket = "acme-legacy"\n'
        "\tversioning {\n"
        "\t\tenabled = true\n"
        "\t}\n"
        "\n"
        "\tserver_side_encryption_configuration {\n"
        "\t\trule {\n"
        "\t\t\tapply_server_side_encryption_by_default {\n"
        '\t\t\t\tsse_algorithm     = "aws:kms"\n'
        "\t\t\t\tkms_master_key_id = aws_kms_key.data.arn\n"
        "\t\t\t}\n"
        "\t\t\tbucket_key_enabled = true\n"
        "\t\t}\n"
        "\t}\n"
        "}\n"
    }


@pytest.mark.parametrize(
    ("constraint", "inline_block", "split"),
    [
        ("~> 3.70", False, False),  # provider 3 only: nested block even on a bare bucket
        ("~> 5.0", True, True),  # provider >= 4 only: split resource even beside inline blocks
        (">= 3.0", False, True),  # both admitted, nothing inline: the current style
        (">= 3.0", True, False),  # both admitted, the bucket is written the v3 way
    ],
)
def test_s3_style_follows_the_provider_constraint(
    tmp_path: Path, constraint: str, inline_block: bool, split: bool
) -> None:
    versions = (
        "terraform {\n  required_providers {\n    aws = {\n"
        f'      source  = "hashicorp/aws"\n      version = "{constraint}"\n'
        "    }\n  }\n}\n"
    )
    bucket = BUCKET
    if inline_block:
        bucket = bucket.replace("\n}\n", '\n  logging {\n    target_bucket = "logs"\n  }\n}\n')
    [fix] = only(tmp_path, {"main.tf": bucket, "versions.tf": versions}, S3)
    added_resource = 'resource "aws_s3_bucket_server_side_encryption_configuration"'
    assert (added_resource in fix.files["main.tf"]) is split
    assert ("  server_side_encryption_configuration {" in fix.files["main.tf"]) is not split


def test_s3_kms_without_key_gets_the_key_and_realigned_neighbours(tmp_path: Path) -> None:
    main = (
        'resource "aws_s3_bucket" "b" {\n'
        '  bucket = "b"\n'
        "  server_side_encryption_configuration {\n"
        "    rule {\n"
        "      apply_server_side_encryption_by_default {\n"
        '        sse_algorithm = "aws:kms"\n'
        "      }\n"
        "      bucket_key_enabled = false\n"
        "    }\n"
        "  }\n"
        "}\n"
    )
    key_fix, _ = only(tmp_path, {"main.tf": main, "kms.tf": KEY}, S3)
    # bucket_key_enabled = false is the author's choice and stays.
    assert key_fix.files == {
        "main.tf": main.replace(
            '        sse_algorithm = "aws:kms"\n',
            '        sse_algorithm     = "aws:kms"\n'
            "        kms_master_key_id = aws_kms_key.data.arn\n",
        )
    }


def test_s3_aws_managed_key_is_replaced_only_where_written(tmp_path: Path) -> None:
    config = (
        'resource "aws_s3_bucket_server_side_encryption_configuration" "b" {\n'
        "  bucket = aws_s3_bucket.b.id\n"
        "  rule {\n"
        "    apply_server_side_encryption_by_default {\n"
        '      sse_algorithm     = "aws:kms"\n'
        "      kms_master_key_id = KEY\n"
        "    }\n"
        "    bucket_key_enabled = true\n"
        "  }\n"
        "}\n"
    )
    bucket = 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'
    literal = bucket + config.replace("KEY", '"alias/aws/s3"')
    [fix] = only(tmp_path, {"main.tf": literal}, S3)
    assert fix.files["main.tf"] == bucket + config.replace("KEY", "var.b_kms_key_arn")
    # The same key from a variable's default: the place to change is not this file.
    from_variable = (
        bucket
        + config.replace("KEY", "var.key")
        + ('variable "key" {\n  default = "alias/aws/s3"\n}\n')
    )
    assert offered(tmp_path / "v", {"main.tf": from_variable}, S3) == [[]]


def test_s3_no_fix_for_a_counted_bucket_in_the_split_style(tmp_path: Path) -> None:
    files = {
        "main.tf": 'resource "aws_s3_bucket" "b" {\n  count  = 2\n'
        '  bucket = "b-${count.index}"\n}\n'
        'resource "aws_s3_bucket_versioning" "other" {\n  bucket = "elsewhere"\n'
        '  versioning_configuration {\n    status = "Enabled"\n  }\n}\n'
    }
    assert offered(tmp_path, files, S3) == [[]]


def test_s3_no_fix_for_a_configuration_shared_through_for_each(tmp_path: Path) -> None:
    files = {
        "main.tf": 'resource "aws_s3_bucket" "a" {\n  bucket = "a"\n}\n'
        'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'
        'resource "aws_s3_bucket_server_side_encryption_configuration" "all" {\n'
        '  for_each = toset(["a", "b"])\n'
        "  bucket   = each.key\n"
        "  rule {\n"
        "    apply_server_side_encryption_by_default {\n"
        '      sse_algorithm = "AES256"\n'
        "    }\n"
        "  }\n"
        "}\n"
    }
    assert offered(tmp_path, files, S3) == [[], []]


def test_s3_lock_file_decides_the_style(tmp_path: Path) -> None:
    lock = (
        'provider "registry.terraform.io/hashicorp/aws" {\n'
        '  version     = "3.76.1"\n'
        '  constraints = ">= 3.0.0"\n'
        "}\n"
    )
    files = {"main.tf": BUCKET, ".terraform.lock.hcl": lock}
    [fix] = only(tmp_path, files, S3)
    assert fix.files["main.tf"].startswith(
        BUCKET[:-2] + "\n  server_side_encryption_configuration {"
    )


def test_s3_key_choice_with_several_keys_and_an_existing_variable(tmp_path: Path) -> None:
    keys = KEY + 'resource "aws_kms_key" "other" {\n  enable_key_rotation = true\n}\n'
    signing = (
        'resource "aws_kms_key" "signing" {\n'
        '  customer_master_key_spec = "ECC_NIST_P256"\n  key_usage = "SIGN_VERIFY"\n}\n'
    )
    fixes = only(tmp_path, {"main.tf": BUCKET, "kms.tf": keys + signing}, S3)
    # Two keys could serve: the variable first (the one tools apply), each key as a (safe)
    # alternative (not the signing key).
    assert [(f.title.rsplit(" using ", 1)[1], f.preferred) for f in fixes] == [
        ("a new variable var.invoices_kms_key_arn", True),
        ("aws_kms_key.data", True),
        ("aws_kms_key.other", True),
    ]
    # A variable of that name already declared is used, not declared again.
    declared = 'variable "invoices_kms_key_arn" {\n  type = string\n}\n'
    fixes = only(tmp_path / "d", {"main.tf": BUCKET, "variables.tf": declared}, S3)
    assert [f.title for f in fixes] == [
        "Encrypt aws_s3_bucket.invoices with SSE-KMS using var.invoices_kms_key_arn"
    ]
    assert set(fixes[0].files) == {"main.tf"}


# -- CloudTrail, SNS, DynamoDB, DAX ------------------------------------------------------------


def test_cloudtrail_kms_key_id(tmp_path: Path) -> None:
    trail = (
        'resource "aws_cloudtrail" "main" {\n'
        '  name                  = "main"\n'
        '  s3_bucket_name        = "logs"\n'
        "  is_multi_region_trail = true\n"
        "}\n"
    )
    key_fix, variable_fix = only(
        tmp_path, {"main.tf": trail, "kms.tf": KEY}, "aws-cloudtrail-customer-key"
    )
    assert key_fix.title == (
        "Encrypt the trail's logs with aws_kms_key.data (its key policy must allow CloudTrail)"
    )
    assert key_fix.files == {
        "main.tf": trail.replace(
            "  is_multi_region_trail = true\n",
            "  is_multi_region_trail = true\n  kms_key_id            = aws_kms_key.data.arn\n",
        )
    }
    assert 'variable "main_trail_kms_key_arn" {' in variable_fix.files["variables.tf"]
    # An empty literal is replaced; an empty value from a variable is left to its owner.
    empty = trail.replace("  is_multi_region_trail = true\n", '  kms_key_id = ""\n')
    [fix, _] = only(
        tmp_path / "e", {"main.tf": empty, "kms.tf": KEY}, "aws-cloudtrail-customer-key"
    )
    # The run the fix writes in is laid out as terraform fmt lays it out.
    assert fix.files["main.tf"] == (
        'resource "aws_cloudtrail" "main" {\n'
        '  name           = "main"\n'
        '  s3_bucket_name = "logs"\n'
        "  kms_key_id     = aws_kms_key.data.arn\n"
        "}\n"
    )
    from_variable = empty.replace('""', "var.key") + 'variable "key" {\n  default = ""\n}\n'
    assert offered(tmp_path / "v", {"main.tf": from_variable}, "aws-cloudtrail-customer-key") == [
        []
    ]


def test_sns_topic_key(tmp_path: Path) -> None:
    topic = 'resource "aws_sns_topic" "orders" {\n  name = "orders"\n}\n'
    [fix] = only(tmp_path, {"main.tf": topic}, "aws-sns-topic-encryption")
    assert fix.files == {
        "main.tf": 'resource "aws_sns_topic" "orders" {\n'
        '  name              = "orders"\n'
        "  kms_master_key_id = var.orders_topic_kms_key_arn\n"
        "}\n",
        "variables.tf": 'variable "orders_topic_kms_key_arn" {\n'
        '  description = "ARN of the customer-managed KMS key that encrypts the messages of '
        'aws_sns_topic.orders; its key policy must let every publisher use it"\n'
        "  type        = string\n"
        "}\n",
    }


def test_dynamodb_table_key_in_every_shape(tmp_path: Path) -> None:
    head = (
        'resource "aws_dynamodb_table" "t" {\n'
        '  name     = "t"\n'
        '  hash_key = "id"\n'
        "  attribute {\n"
        '    name = "id"\n'
        '    type = "S"\n'
        "  }\n"
    )
    rule = "aws-dynamodb-table-customer-key"
    missing = head + "}\n"
    [fix, _] = only(tmp_path / "a", {"main.tf": missing, "kms.tf": KEY}, rule)
    assert fix.title == "Encrypt the table with aws_kms_key.data (applied in place)"
    assert fix.files["main.tf"] == head + (
        "\n"
        "  server_side_encryption {\n"
        "    enabled     = true\n"
        "    kms_key_arn = aws_kms_key.data.arn\n"
        "  }\n"
        "}\n"
    )
    disabled = head + "  server_side_encryption {\n    enabled = false\n  }\n}\n"
    [fix, _] = only(tmp_path / "b", {"main.tf": disabled, "kms.tf": KEY}, rule)
    assert fix.files["main.tf"] == head + (
        "  server_side_encryption {\n"
        "    enabled     = true\n"
        "    kms_key_arn = aws_kms_key.data.arn\n"
        "  }\n"
        "}\n"
    )
    left_out = head + "  server_side_encryption {\n  }\n}\n"
    [fix, _] = only(tmp_path / "c", {"main.tf": left_out, "kms.tf": KEY}, rule)
    assert fix.files["main.tf"] == head + (
        "  server_side_encryption {\n"
        "    enabled     = true\n"
        "    kms_key_arn = aws_kms_key.data.arn\n"
        "  }\n"
        "}\n"
    )


def test_dax_encryption_replaces_the_cluster(tmp_path: Path) -> None:
    cluster = (
        'resource "aws_dax_cluster" "c" {\n'
        '  cluster_name = "c"\n'
        "  server_side_encryption {\n"
        "    enabled = false\n"
        "  }\n"
        "}\n"
    )
    [fix] = only(tmp_path, {"main.tf": cluster}, "aws-dynamodb-dax-encryption")
    assert (
        fix.title == "Encrypt the cluster at rest (Terraform replaces it; the cache starts empty)"
    )
    assert fix.files == {"main.tf": cluster.replace("enabled = false", "enabled = true")}


def test_rds_storage_encryption_chooses_a_key_and_is_never_preferred(tmp_path: Path) -> None:
    text = 'resource "aws_db_instance" "db" {\n  engine = "postgres"\n}\n'
    # The key cannot change later either, so the fix sets one (a new variable here: the
    # module has no key); the neighbour's "=" moves to line up, as terraform fmt aligns it.
    fixed = (
        'resource "aws_db_instance" "db" {\n  engine            = "postgres"\n'
        "  storage_encrypted = true\n  kms_key_id        = var.db_kms_key_arn\n}\n"
    )
    [[fix]] = offered(tmp_path, {"main.tf": text}, "aws-rds-storage-encrypted")
    assert fix.title == "Encrypt the storage with a new variable var.db_kms_key_arn"
    assert not fix.preferred and fix.files["main.tf"] == fixed
    assert 'variable "db_kms_key_arn"' in fix.files["variables.tf"]
    assert fix_module(Engine(), str(tmp_path), rules={"aws-rds-storage-encrypted"}).after == {}
    rule = registry.get("aws-rds-storage-encrypted")
    assert rule is not None
    assert "unsafe" in rule.fix_description.lower() or "never applied" in rule.fix_description


@pytest.mark.parametrize(
    ("rule_id", "text", "fixed", "title"),
    [
        (
            "aws-efs-encryption",
            'resource "aws_efs_file_system" "fs" {\n}\n',
            'resource "aws_efs_file_system" "fs" {\n  encrypted = true\n}\n',
            "Encrypt the file system (Terraform replaces it: copy existing files first)",
        ),
    ],
)
def test_a_fix_that_replaces_a_database_or_file_system_is_never_preferred(
    tmp_path: Path, rule_id: str, text: str, fixed: str, title: str
) -> None:
    assert offered(tmp_path, {"main.tf": text}, rule_id) == [
        [Offered(title, False, {"main.tf": fixed})]
    ]
    engine = Engine()
    assert fix_module(engine, str(tmp_path), rules={rule_id}).after == {}
    rule = registry.get(rule_id)
    assert rule is not None and "unsafe" in rule.fix_description.lower()


# -- network: narrow a CIDR --------------------------------------------------------------------

INGRESS = "aws-ec2-no-public-ingress"
VPC = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n'


def sg(body: str, vpc_id: str = "aws_vpc.main.id", name: str = "bastion") -> str:
    return f'resource "aws_security_group" "{name}" {{\n  vpc_id = {vpc_id}\n\n{body}}}\n'


SSH = (
    "  ingress {\n"
    "    from_port   = 22\n"
    "    to_port     = 22\n"
    '    protocol    = "tcp"\n'
    "    cidr_blocks = CIDRS\n"
    "  }\n"
)


def test_ssh_open_to_the_world_in_a_module_vpc(tmp_path: Path) -> None:
    main = VPC + "\n" + sg(SSH.replace("CIDRS", '["0.0.0.0/0"]'))
    vpc_fix, variable_fix, removal = only(tmp_path, {"main.tf": main}, INGRESS)
    # Narrowing changes who can connect: unsafe, like the removal.
    assert (vpc_fix.title, vpc_fix.preferred) == (
        "Replace 0.0.0.0/0 with the VPC's range aws_vpc.main.cidr_block",
        False,
    )
    assert vpc_fix.files == {
        "main.tf": VPC + "\n" + sg(SSH.replace("CIDRS", "[aws_vpc.main.cidr_block]"))
    }
    assert variable_fix.title == (
        "Replace 0.0.0.0/0 with a new variable var.bastion_allowed_cidrs "
        "(a plan asks for its value)"
    )
    assert variable_fix.files == {
        "main.tf": VPC + "\n" + sg(SSH.replace("CIDRS", "var.bastion_allowed_cidrs")),
        "variables.tf": 'variable "bastion_allowed_cidrs" {\n'
        '  description = "IPv4 source ranges (CIDR) allowed to reach '
        'aws_security_group.bastion, in place of 0.0.0.0/0"\n'
        "  type        = list(string)\n"
        "}\n",
    }
    # The group's only inline rule: removing the block would leave the rule in AWS
    # (attributes-as-blocks), ingress = [] revokes it.
    assert removal.title == "Remove the SSH rule (its last ingress block becomes ingress = [])"
    assert not removal.preferred
    assert removal.files == {"main.tf": VPC + "\n" + sg("  ingress = []\n")}


def test_other_entries_are_kept(tmp_path: Path) -> None:
    main = sg(SSH.replace("CIDRS", '["10.9.0.0/16", "0.0.0.0/0"]'), vpc_id='"vpc-123"')
    variable_fix, _removal = only(tmp_path, {"main.tf": main}, INGRESS)
    assert not variable_fix.preferred
    assert variable_fix.files["main.tf"] == sg(
        SSH.replace("CIDRS", 'concat(["10.9.0.0/16"], var.bastion_allowed_cidrs)'),
        vpc_id='"vpc-123"',
    )
    multi_line = (
        '[\n      "0.0.0.0/0",\n      "10.9.0.0/16",\n      aws_vpc.main.cidr_block,\n    ]'
    )
    main = VPC + sg(SSH.replace("CIDRS", multi_line))
    vpc_fix, *_ = only(tmp_path / "m", {"main.tf": main}, INGRESS)
    # The VPC's range is in the list already: the open entry just goes.
    assert vpc_fix.files["main.tf"] == VPC + sg(
        SSH.replace("CIDRS", '[\n      "10.9.0.0/16",\n      aws_vpc.main.cidr_block,\n    ]')
    )


def test_single_valued_rule_resource_crlf(tmp_path: Path) -> None:
    rule = (
        'resource "aws_vpc_security_group_ingress_rule" "rdp" {\n'
        "  security_group_id = aws_security_group.bastion.id\n"
        '  ip_protocol       = "tcp"\n'
        "  from_port         = 3389\n"
        "  to_port           = 3389\n"
        '  cidr_ipv4         = "0.0.0.0/0"\n'
        "}\n"
    )
    main = VPC + "\n" + sg("") + "\n" + rule
    vpc_fix, variable_fix, removal = only(
        tmp_path, {"main.tf": main.replace("\n", "\r\n")}, INGRESS
    )
    assert vpc_fix.files == {
        "main.tf": main.replace('"0.0.0.0/0"', "aws_vpc.main.cidr_block").replace("\n", "\r\n")
    }
    assert variable_fix.files["main.tf"] == main.replace(
        '"0.0.0.0/0"', "var.bastion_allowed_cidr"
    ).replace("\n", "\r\n")
    assert variable_fix.files["variables.tf"] == (
        'variable "bastion_allowed_cidr" {\r\n'
        '  description = "IPv4 source range (CIDR) allowed to reach aws_security_group.bastion, '
        'in place of 0.0.0.0/0"\r\n'
        "  type        = string\r\n"
        "}\r\n"
    )
    assert removal.title == ("Remove the RDP rule (delete aws_vpc_security_group_ingress_rule.rdp)")
    assert removal.files == {"main.tf": (VPC + "\n" + sg("")).replace("\n", "\r\n")}


def test_ipv6_needs_a_vpc_with_an_ipv6_range(tmp_path: Path) -> None:
    ipv6_ssh = (
        SSH.replace("cidr_blocks = CIDRS", 'ipv6_cidr_blocks = ["::/0"]')
        .replace("from_port   =", "from_port        =")
        .replace("to_port     =", "to_port          =")
        .replace("protocol    =", "protocol         =")
    )
    fixes = only(tmp_path, {"main.tf": VPC + sg(ipv6_ssh)}, INGRESS)
    assert [f.title for f in fixes][:1] == [
        "Replace ::/0 with a new variable var.bastion_allowed_ipv6_cidrs "
        "(a plan asks for its value)"
    ]
    dual = VPC.replace("\n}", "\n  assign_generated_ipv6_cidr_block = true\n}")
    vpc_fix, *_ = only(tmp_path / "v6", {"main.tf": dual + sg(ipv6_ssh)}, INGRESS)
    assert "ipv6_cidr_blocks = [aws_vpc.main.ipv6_cidr_block]" in vpc_fix.files["main.tf"]


def test_a_web_port_prefers_the_variable_and_offers_no_removal(tmp_path: Path) -> None:
    https = SSH.replace("22", "443").replace("CIDRS", '["0.0.0.0/0"]')
    fixes = only(tmp_path, {"main.tf": VPC + sg(https, name="web")}, INGRESS)
    assert [(f.title, f.preferred) for f in fixes] == [
        (
            "Replace 0.0.0.0/0 with a new variable var.web_allowed_cidrs "
            "(a plan asks for its value)",
            False,
        ),
        ("Replace 0.0.0.0/0 with the VPC's range aws_vpc.main.cidr_block", False),
    ]


def test_removing_one_of_several_blocks_takes_its_comment_and_a_blank_line(
    tmp_path: Path,
) -> None:
    https = SSH.replace("22", "443").replace("CIDRS", '["10.0.0.0/8"]')
    body = https + "\n  # admins, temporary\n" + SSH.replace("CIDRS", '["0.0.0.0/0"]')
    main = sg(body, vpc_id='"vpc-1"')
    *_, removal = only(tmp_path, {"main.tf": main}, INGRESS)
    assert removal.title == "Remove the SSH rule (delete the ingress block)"
    assert removal.files == {"main.tf": sg(https, vpc_id='"vpc-1"')}


def test_removal_not_offered_where_it_would_break_or_revoke_more(tmp_path: Path) -> None:
    rule = (
        'resource "aws_security_group_rule" "ssh" {\n'
        '  type              = "ingress"\n'
        "  security_group_id = aws_security_group.bastion.id\n"
        '  protocol          = "tcp"\n'
        "  from_port         = 22\n"
        "  to_port           = 22\n"
        '  cidr_blocks       = ["0.0.0.0/0"]\n'
        "}\n"
    )
    referenced = 'output "ssh_rule" {\n  value = aws_security_group_rule.ssh.id\n}\n'
    fixes = only(tmp_path, {"main.tf": sg("") + rule + referenced}, INGRESS)
    assert [f.title.split(" ")[0] for f in fixes] == ["Replace"]
    # An inline SSH block on a group that also has rule resources: ingress = [] would revoke
    # those too, so no removal.
    https_rule = (
        rule.replace('"ssh"', '"https"').replace("22", "443").replace('"0.0.0.0/0"', '"10.0.0.0/8"')
    )
    main = sg(SSH.replace("CIDRS", '["0.0.0.0/0"]')) + https_rule
    fixes = only(tmp_path / "mixed", {"main.tf": main}, INGRESS)
    assert [f.title.split(" ")[0] for f in fixes] == ["Replace"]


@pytest.mark.parametrize(
    "files",
    [
        {  # a variable's default
            "main.tf": sg(SSH.replace("CIDRS", "var.admin_cidrs")),
            "variables.tf": 'variable "admin_cidrs" {\n  default = ["0.0.0.0/0"]\n}\n',
        },
        {  # tfvars
            "main.tf": sg(SSH.replace("CIDRS", "[var.admin_cidr]")),
            "variables.tf": 'variable "admin_cidr" {\n  type = string\n}\n',
            "terraform.tfvars": 'admin_cidr = "0.0.0.0/0"\n',
        },
        {  # a local
            "main.tf": sg(SSH.replace("CIDRS", "local.anywhere"))
            + 'locals {\n  anywhere = ["0.0.0.0/0"]\n}\n',
        },
        {  # a dynamic block fed by a list
            "main.tf": sg(
                '  dynamic "ingress" {\n'
                '    for_each = ["0.0.0.0/0"]\n'
                "    content {\n"
                "      from_port   = 22\n"
                "      to_port     = 22\n"
                '      protocol    = "tcp"\n'
                "      cidr_blocks = [ingress.value]\n"
                "    }\n"
                "  }\n"
            )
        },
    ],
    ids=["variable-default", "tfvars", "local", "dynamic"],
)
def test_no_fix_when_the_open_range_is_defined_elsewhere(
    tmp_path: Path, files: dict[str, str]
) -> None:
    assert offered(tmp_path, files, INGRESS) == [[]]


def test_tabs_and_the_attribute_form(tmp_path: Path) -> None:
    main = (
        'resource "aws_security_group" "app" {\n'
        '\tvpc_id = "vpc-1"\n'
        "\tingress = [{\n"
        "\t\tfrom_port        = 8080\n"
        "\t\tto_port          = 8080\n"
        '\t\tprotocol         = "tcp"\n'
        '\t\tcidr_blocks      = ["0.0.0.0/0"]\n'
        "\t\tipv6_cidr_blocks = []\n"
        "\t\tprefix_list_ids  = []\n"
        "\t\tsecurity_groups  = []\n"
        "\t\tself             = false\n"
        '\t\tdescription      = ""\n'
        "\t}]\n"
        "}\n"
    )
    [fix] = only(tmp_path, {"main.tf": main}, INGRESS)
    assert fix.files == {
        "main.tf": main.replace('["0.0.0.0/0"]', "var.app_allowed_cidrs"),
        "variables.tf": 'variable "app_allowed_cidrs" {\n'
        '\tdescription = "IPv4 source ranges (CIDR) allowed to reach aws_security_group.app, '
        'in place of 0.0.0.0/0"\n'
        "\ttype        = list(string)\n"
        "}\n",
    }


# -- fix-all -----------------------------------------------------------------------------------


def test_fix_all_declares_each_new_variable_once(tmp_path: Path) -> None:
    """Two findings that each add a variable to variables.tf: their insertions meet at the end
    of the file; fix-all applies both, each declared once."""
    rdp = (
        'resource "aws_vpc_security_group_ingress_rule" "rdp" {\n'
        "  security_group_id = aws_security_group.bastion.id\n"
        '  ip_protocol       = "tcp"\n'
        "  from_port         = 3389\n"
        "  to_port           = 3389\n"
        '  cidr_ipv6         = "::/0"\n'
        "}\n"
    )
    files = {"main.tf": sg(SSH.replace("CIDRS", '["0.0.0.0/0"]'), vpc_id='"vpc-1"') + rdp}
    write_files(tmp_path, files)
    engine = Engine()
    assert fix_module(engine, str(tmp_path), rules={INGRESS}).after == {}  # unsafe fixes only
    outcome = fix_module(engine, str(tmp_path), rules={INGRESS}, unsafe=True)
    assert not outcome.rejected and len(outcome.fixed) == 2
    variables = outcome.after[str(tmp_path / "variables.tf")]
    assert variables.count('variable "bastion_allowed_cidrs" {') == 1
    assert variables.count('variable "bastion_allowed_ipv6_cidr" {') == 1
    outcome.apply_to(engine)
    left = engine.analyze_module(str(tmp_path)).all_findings()
    assert [f.message for f in left if f.rule_id == INGRESS] == []
