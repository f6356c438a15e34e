"""Edge cases of the data-protection rules: how split S3 resources are linked to their
bucket, what neutralises a public grant, what counts as a state bucket, and which provider
defaults keep a resource quiet."""

from __future__ import annotations

import pytest
from tests.conftest import ScanFiles

from tfguard.engine import ModuleResult
from tfguard.findings import Finding, Severity

BUCKET = 'resource "aws_s3_bucket" "b" {\n  bucket = "acme-b"\n}\n'
FULL_BLOCK = """
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
"""


def of(result: ModuleResult, rule_id: str) -> list[Finding]:
    assert not result.rule_errors, result.rule_errors
    return [f for f in result.all_findings() if f.rule_id == rule_id]


def lines(findings: list[Finding]) -> list[int]:
    return sorted(f.range.start.line + 1 for f in findings)


# -- linking split resources -------------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "aws_s3_bucket.b.id",
        "aws_s3_bucket.b.bucket",
        '"acme-b"',
        "local.bucket",
        "data.aws_s3_bucket.b.id",
    ],
)
def test_public_access_block_links_by_reference_name_local_and_data(
    scan_files: ScanFiles, link: str
) -> None:
    files = {
        "main.tf": BUCKET
        + 'resource "aws_s3_bucket" "c" {\n  bucket = "acme-c"\n}\n'
        + "locals {\n  bucket = aws_s3_bucket.b.id\n}\n"
        + 'data "aws_s3_bucket" "b" {\n  bucket = "acme-b"\n}\n',
        "pab.tf": f'resource "aws_s3_bucket_public_access_block" "b" {{\n  bucket = {link}\n'
        + FULL_BLOCK
        + "}\n",
    }
    # The link is resolved to aws_s3_bucket.b (an unresolved one would silence both).
    found = of(scan_files(files), "aws-s3-public-access-block")
    assert [f.data["address"] for f in found] == ["aws_s3_bucket.c"]


def test_a_block_for_another_bucket_does_not_cover(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": BUCKET,
        "pab.tf": 'resource "aws_s3_bucket_public_access_block" "other" {\n'
        '  bucket = "acme-other"\n' + FULL_BLOCK + "}\n",
    }
    found = of(scan_files(files), "aws-s3-public-access-block")
    assert [(f.data["address"], f.severity, f.data["missing"]) for f in found] == [
        ("aws_s3_bucket.b", Severity.LOW, True)
    ]


def test_an_unresolvable_link_keeps_missing_block_findings_silent(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": BUCKET + 'variable "name" {\n  type = string\n}\n',
        "pab.tf": 'resource "aws_s3_bucket_public_access_block" "x" {\n'
        "  bucket = var.name\n" + FULL_BLOCK + "}\n",
    }
    assert of(scan_files(files), "aws-s3-public-access-block") == []


def test_for_each_over_bucket_names_links_by_name(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": BUCKET
        + 'resource "aws_s3_bucket" "c" {\n  bucket = "acme-c"\n}\n'
        + 'resource "aws_s3_bucket_versioning" "all" {\n'
        '  for_each = toset(["acme-b"])\n'
        "  bucket   = each.value\n"
        '  versioning_configuration {\n    status = "Enabled"\n  }\n}\n',
    }
    found = of(scan_files(files), "aws-s3-versioning")
    assert [f.data["address"] for f in found] == ["aws_s3_bucket.c"]


def test_account_level_block_covers_every_bucket_but_only_when_complete(
    scan_files: ScanFiles,
) -> None:
    account = 'resource "aws_s3_account_public_access_block" "a" {' + FULL_BLOCK + "}\n"
    assert (
        of(scan_files({"main.tf": BUCKET, "account.tf": account}), "aws-s3-public-access-block")
        == []
    )
    partial = account.replace("restrict_public_buckets = true", "restrict_public_buckets = false")
    found = of(scan_files({"main.tf": BUCKET, "account.tf": partial}), "aws-s3-public-access-block")
    assert sorted(f.data["address"] for f in found) == [
        "aws_s3_account_public_access_block.a",  # the false flag
        "aws_s3_bucket.b",  # not covered on all four flags
    ]
    assert "every bucket of the account" in found[0].message


def test_account_level_flag_covers_a_false_bucket_level_flag(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": BUCKET,
        "account.tf": 'resource "aws_s3_account_public_access_block" "a" {' + FULL_BLOCK + "}\n",
        "pab.tf": 'resource "aws_s3_bucket_public_access_block" "b" {\n'
        "  bucket = aws_s3_bucket.b.id\n"
        + FULL_BLOCK.replace("block_public_policy     = true", "block_public_policy     = false")
        + "}\n",
    }
    assert of(scan_files(files), "aws-s3-public-access-block") == []


# -- public ACLs and policies --------------------------------------------------------------


def test_acl_grants_to_public_groups_are_found(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": BUCKET
        + """
resource "aws_s3_bucket_acl" "b" {
  bucket = aws_s3_bucket.b.id
  access_control_policy {
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"
      }
      permission = "WRITE"
    }
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/s3/LogDelivery"
      }
      permission = "WRITE"
    }
    owner {
      id = "abc"
    }
  }
}
"""
    }
    found = of(scan_files(files), "aws-s3-no-public-acl")
    assert [(f.severity, f.range.start.line + 1) for f in found] == [(Severity.CRITICAL, 8)]
    assert "AllUsers group: anyone can write and delete objects" in found[0].message


def test_bucket_owner_enforced_neutralises_a_public_acl(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": BUCKET
        + 'resource "aws_s3_bucket_acl" "b" {\n  bucket = "acme-b"\n  acl = "public-read"\n}\n'
        + 'resource "aws_s3_bucket_ownership_controls" "b" {\n  bucket = aws_s3_bucket.b.id\n'
        '  rule {\n    object_ownership = "BucketOwnerEnforced"\n  }\n}\n',
    }
    found = of(scan_files(files), "aws-s3-no-public-acl")
    assert [f.severity for f in found] == [Severity.LOW]
    assert "BucketOwnerEnforced" in found[0].message


POLICY = """
resource "aws_s3_bucket_policy" "b" {{
  bucket = aws_s3_bucket.b.id
  policy = <<-JSON
    {{
      "Version": "2012-10-17",
      "Statement": [{{
        "Effect": "Allow",
        "Principal": {{"AWS": "*"}},
        "Action": "s3:GetObject",
        "Resource": "${{aws_s3_bucket.b.arn}}/*"{condition}
      }}]
    }}
  JSON
}}
"""


@pytest.mark.parametrize(
    ("condition", "public"),
    [
        ("", True),
        (',\n        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}', False),
        (',\n        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "${var.org}"}}', False),
        (',\n        "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}', True),
        (',\n        "Condition": {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}', True),
        (',\n        "Condition": {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}', True),
        (',\n        "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}', False),
        (',\n        "Condition": {"Bool": {"aws:SecureTransport": "true"}}', True),
    ],
)
def test_heredoc_policy_conditions(scan_files: ScanFiles, condition: str, public: bool) -> None:
    files = {
        "main.tf": BUCKET + 'variable "org" {\n  type = string\n}\n',
        "policy.tf": POLICY.format(condition=condition),
    }
    found = of(scan_files(files), "aws-s3-no-public-policy")
    assert len(found) == (1 if public else 0)


def test_restrict_public_buckets_lowers_a_public_policy(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": BUCKET,
        "policy.tf": POLICY.format(condition=""),
        "pab.tf": 'resource "aws_s3_bucket_public_access_block" "b" {\n'
        "  bucket = aws_s3_bucket.b.id\n" + FULL_BLOCK + "}\n",
    }
    found = of(scan_files(files), "aws-s3-no-public-policy")
    assert [f.severity for f in found] == [Severity.LOW]
    assert "restrict_public_buckets" in found[0].message


def test_inline_v3_bucket_policy_is_read(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": """
resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "arn:aws:s3:::acme-b/*"
    }]
  })
}
"""
    }
    found = of(scan_files(files), "aws-s3-no-public-policy")
    assert [(f.severity, f.range.start.line + 1) for f in found] == [(Severity.CRITICAL, 5)]


# -- state buckets, versioning, encryption, logging ------------------------------------------


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        (
            {
                "main.tf": 'variable "project" {\n  type = string\n}\n'
                'resource "aws_s3_bucket" "b" {\n  bucket = "${var.project}-tfstate"\n}\n'
            },
            "name",
        ),
        (
            {"main.tf": 'resource "aws_s3_bucket" "terraform_state" {\n  bucket_prefix = "x"\n}\n'},
            "name",
        ),
        (
            {
                "main.tf": BUCKET,
                "remote.tf": 'data "terraform_remote_state" "net" {\n  backend = "s3"\n'
                '  config = {\n    bucket = "acme-b"\n    key = "net.tfstate"\n  }\n}\n',
            },
            "data.terraform_remote_state.net",
        ),
    ],
)
def test_state_buckets_raise_versioning_severity(
    scan_files: ScanFiles, files: dict[str, str], reason: str
) -> None:
    found = of(scan_files(files), "aws-s3-versioning")
    assert [f.severity for f in found] == [Severity.HIGH]
    assert reason in found[0].message


@pytest.mark.parametrize(
    ("bucket", "state"),
    [
        ('resource "aws_s3_bucket" "b" {\n  bucket = "${var.p}-tfstate"\n}\n', True),
        ('resource "aws_s3_bucket" "terraform_state" {\n  bucket = "${var.p}-logs"\n}\n', False),
        ('resource "aws_s3_bucket" "logs" {\n  bucket = "acme-tfstate"\n}\n', True),
        ('resource "aws_s3_bucket" "tfstate_logs" {\n  bucket = "acme-shared"\n}\n', False),
        ('resource "aws_s3_bucket" "terraform_state" {\n  bucket = "acme-shared"\n}\n', True),
    ],
)
def test_versioning_and_secure_transport_agree_on_state_buckets(
    scan_files: ScanFiles, bucket: str, state: bool
) -> None:
    # The bucket's own name decides before its resource name; a name that says "log" is the
    # state bucket's log bucket.
    result = scan_files({"main.tf": 'variable "p" {\n  type = string\n}\n' + bucket})
    versioning = of(result, "aws-s3-versioning")
    assert [f.severity for f in versioning] == [Severity.HIGH if state else Severity.MEDIUM]
    assert len(of(result, "aws-s3-state-bucket-secure-transport")) == (1 if state else 0)


def test_object_lock_keeps_versioning_on(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "acme-b"\n'
        "  object_lock_enabled = true\n}\n"
    }
    assert of(scan_files(files), "aws-s3-versioning") == []


def test_kms_without_a_customer_key(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": """
resource "aws_s3_bucket" "a" {
  bucket = "acme-a"
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }
}

resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "alias/aws/s3"
    }
  }
}
"""
    }
    found = of(scan_files(files), "aws-s3-encryption-customer-key")
    assert lines(found) == [6, 22]
    assert all("AWS managed key" in f.message for f in found)


def test_unresolved_logging_target_keeps_logging_silent(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": BUCKET
        + 'variable "log_bucket" {\n  type = string\n}\n'
        + 'resource "aws_s3_bucket_logging" "b" {\n  bucket = aws_s3_bucket.b.id\n'
        "  target_bucket = var.log_bucket\n}\n"
        + 'resource "aws_s3_bucket" "c" {\n  bucket = "acme-c"\n}\n',
    }
    # aws_s3_bucket.c could be the target: neither bucket is reported.
    assert of(scan_files(files), "aws-s3-access-logging") == []


# -- provider defaults --------------------------------------------------------------------


def test_rds_skips_what_is_encrypted_elsewhere(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": """
resource "aws_db_instance" "aurora_member" {
  engine             = "aurora-mysql"
  cluster_identifier = "c"
  instance_class     = "db.r6g.large"
}

resource "aws_rds_cluster" "serverless_v1" {
  engine      = "aurora-mysql"
  engine_mode = "serverless"
}

resource "aws_rds_cluster" "global_member" {
  engine                    = "aurora-postgresql"
  global_cluster_identifier = aws_rds_global_cluster.g.id
}

resource "aws_rds_global_cluster" "g" {
  global_cluster_identifier = "g"
  engine                    = "aurora-postgresql"
}

resource "aws_db_instance" "restored" {
  instance_class      = "db.t4g.micro"
  snapshot_identifier = "pre-migration"
}
"""
    }
    found = of(scan_files(files), "aws-rds-storage-encrypted")
    assert [f.data["address"] for f in found] == ["aws_rds_global_cluster.g"]


@pytest.mark.parametrize(
    ("engine", "reported"),
    [(None, True), ('"redis"', True), ('"valkey"', False), ("var.engine", False)],
)
def test_elasticache_at_rest_default_depends_on_engine(
    scan_files: ScanFiles, engine: str | None, reported: bool
) -> None:
    line = f"  engine = {engine}\n" if engine else ""
    files = {
        "main.tf": 'variable "engine" {\n  type = string\n}\n'
        'resource "aws_elasticache_replication_group" "r" {\n'
        '  replication_group_id       = "r"\n'
        '  description                = "r"\n' + line + "  transit_encryption_enabled = true\n}\n"
    }
    assert len(of(scan_files(files), "aws-elasticache-encryption-at-rest")) == int(reported)


def test_elasticache_secondary_groups_take_encryption_from_the_global_datastore(
    scan_files: ScanFiles,
) -> None:
    group = (
        'resource "aws_elasticache_replication_group" "{name}" {{\n'
        '  replication_group_id = "{name}"\n'
        '  description          = "{name}"\n'
        "{extra}}}\n"
    )
    files = {
        "main.tf": group.format(name="primary", extra="")
        + group.format(name="secondary", extra='  global_replication_group_id = "g"\n')
    }
    result = scan_files(files)
    for rule_id in ("aws-elasticache-encryption-at-rest", "aws-elasticache-encryption-in-transit"):
        addresses = [f.data["address"] for f in of(result, rule_id)]
        assert addresses == ["aws_elasticache_replication_group.primary"]


def test_sqs_false_with_a_kms_key_is_encrypted(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": 'resource "aws_sqs_queue" "q" {\n  sqs_managed_sse_enabled = false\n'
        '  kms_master_key_id = "alias/jobs"\n}\n'
    }
    assert of(scan_files(files), "aws-sqs-queue-encryption") == []


def test_dynamodb_aws_managed_keys(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": """
resource "aws_dynamodb_table" "a" {
  name = "a"
  server_side_encryption {
    enabled = true
  }
}

resource "aws_dynamodb_table" "b" {
  name = "b"
  server_side_encryption {
    enabled     = true
    kms_key_arn = "alias/aws/dynamodb"
  }
}

resource "aws_dynamodb_table" "c" {
  name = "c"
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.tables.arn
  }
}
"""
    }
    found = of(scan_files(files), "aws-dynamodb-table-customer-key")
    assert lines(found) == [4, 13]
    assert {f.severity for f in found} == {Severity.LOW}


def test_switched_off_resources_neither_report_nor_cover(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": 'variable "legacy" {\n  default = false\n}\n'
        'resource "aws_s3_bucket" "old" {\n  count  = var.legacy ? 1 : 0\n'
        '  bucket = "acme-old"\n}\n'
        'resource "aws_efs_file_system" "old" {\n  for_each = toset([])\n}\n' + BUCKET,
        "pab.tf": 'resource "aws_s3_bucket_public_access_block" "b" {\n  count = 0\n'
        "  bucket = aws_s3_bucket.b.id\n" + FULL_BLOCK + "}\n",
    }
    result = scan_files(files)
    assert [f.data["address"] for f in of(result, "aws-s3-public-access-block")] == [
        "aws_s3_bucket.b"
    ]
    assert "aws_s3_bucket.old" not in {f.data["address"] for f in result.all_findings()}
    assert of(result, "aws-efs-encryption") == []


def test_a_public_policy_on_a_bucket_declared_elsewhere_is_reported(scan_files: ScanFiles) -> None:
    policy = POLICY.format(condition="").replace("aws_s3_bucket.b.id", "var.shared_bucket")
    policy = policy.replace("${aws_s3_bucket.b.arn}", "arn:aws:s3:::shared")
    files = {"main.tf": 'variable "shared_bucket" {\n  type = string\n}\n', "policy.tf": policy}
    found = of(scan_files(files), "aws-s3-no-public-policy")
    assert [(f.data["address"], f.severity) for f in found] == [
        ("aws_s3_bucket_policy.b", Severity.HIGH)
    ]
    assert "var.shared_bucket" in found[0].message
    account = 'resource "aws_s3_account_public_access_block" "a" {' + FULL_BLOCK + "}\n"
    found = of(scan_files({**files, "account.tf": account}), "aws-s3-no-public-policy")
    assert [f.severity for f in found] == [Severity.LOW]


def test_the_state_buckets_log_bucket_is_not_a_state_bucket(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "acme-tfstate-access-logs"\n}\n'
    }
    found = of(scan_files(files), "aws-s3-versioning")
    assert [f.severity for f in found] == [Severity.MEDIUM]


def test_an_empty_topic_key_is_reported_on_the_argument(scan_files: ScanFiles) -> None:
    files = {
        "main.tf": 'resource "aws_sns_topic" "t" {\n  name = "t"\n  kms_master_key_id = ""\n}\n'
        'resource "aws_sns_topic" "u" {\n  name = "u"\n}\n'
    }
    found = of(scan_files(files), "aws-sns-topic-encryption")
    assert [(f.range.start.line + 1, f.data["missing"]) for f in found] == [(3, False), (5, True)]
    assert "sets an empty kms_master_key_id" in found[0].message
