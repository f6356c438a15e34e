"""The data-protection rules on two realistic multi-file projects: one with the usual mistakes,
one hardened the way real projects are (split S3 resources, for_each over buckets, an
account-wide public access block, customer-managed keys), which must produce none of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.rules.fixture_helpers import RuleFamily, analyze_clean, line_of, related

from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "aws-s3-no-public-acl",
        "aws-s3-public-access-block",
        "aws-s3-versioning",
        "aws-s3-encryption-customer-key",
        "aws-s3-access-logging",
        "aws-s3-no-public-policy",
        "aws-rds-storage-encrypted",
        "aws-dynamodb-table-customer-key",
        "aws-dynamodb-dax-encryption",
        "aws-sns-topic-encryption",
        "aws-sqs-queue-encryption",
        "aws-efs-encryption",
        "aws-kinesis-stream-encryption",
        "aws-elasticache-encryption-at-rest",
        "aws-elasticache-encryption-in-transit",
    }
)


FAMILY = RuleFamily(RULES, INSECURE)
at, mine, triples, one = FAMILY.at, FAMILY.mine, FAMILY.triples, FAMILY.one


def above(file: str, snippet: str) -> tuple[str, int]:
    """The line above a snippet: where a statement that the snippet's line opens starts."""
    return file, line_of(INSECURE, file, snippet) - 1


# jsonencode(): the statement's object opens the line above its Sid; a policy document's
# statement block opens the line above its sid.
DROP_BOX = above("bucket_settings.tf", '"PartnerDropBox"')
PUBLIC_READ = above("bucket_settings.tf", '"PublicRead"')


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        # S3 ---------------------------------------------------------------------------------
        ("aws-s3-versioning", *at("buckets.tf", '"aws_s3_bucket" "state"')),
        ("aws-s3-versioning", *at("buckets.tf", "enabled = false")),
        # "Suspended" comes from terraform.tfvars, not from the variable's default.
        ("aws-s3-versioning", *at("bucket_settings.tf", "status = var.uploads_versioning")),
        ("aws-s3-access-logging", *at("buckets.tf", '"aws_s3_bucket" "state"')),
        ("aws-s3-access-logging", *at("buckets.tf", '"aws_s3_bucket" "website"')),
        ("aws-s3-encryption-customer-key", *at("buckets.tf", '"aws_s3_bucket" "website"')),
        ("aws-s3-encryption-customer-key", *at("bucket_settings.tf", "made explicit")),
        ("aws-s3-no-public-acl", *at("buckets.tf", 'acl    = "public-read"')),
        ("aws-s3-public-access-block", *at("bucket_settings.tf", '_block" "uploads"')),
        ("aws-s3-public-access-block", *at("bucket_settings.tf", "block_public_acls       = f")),
        ("aws-s3-public-access-block", *at("bucket_settings.tf", "block_public_policy     = f")),
        ("aws-s3-public-access-block", *at("bucket_settings.tf", "restrict_public_buckets = f")),
        ("aws-s3-no-public-policy", *PUBLIC_READ),
        ("aws-s3-no-public-policy", *DROP_BOX),
        # Databases, caches, files ------------------------------------------------------------
        ("aws-rds-storage-encrypted", *at("databases.tf", '"aws_db_instance" "orders"')),
        ("aws-rds-storage-encrypted", *at("databases.tf", "= local.encrypt_analytics")),
        ("aws-dynamodb-table-customer-key", *at("databases.tf", '"aws_dynamodb_table"')),
        ("aws-dynamodb-dax-encryption", *at("databases.tf", '"aws_dax_cluster"')),
        ("aws-efs-encryption", *at("databases.tf", '"aws_efs_file_system"')),
        ("aws-elasticache-encryption-at-rest", *at("databases.tf", "_replication_group")),
        ("aws-elasticache-encryption-in-transit", *at("databases.tf", "_replication_group")),
        # Messaging ----------------------------------------------------------------------------
        ("aws-sns-topic-encryption", *at("messaging.tf", '"aws_sns_topic"')),
        ("aws-sqs-queue-encryption", *at("messaging.tf", "sqs_managed_sse_enabled = false")),
        ("aws-kinesis-stream-encryption", *at("messaging.tf", '"NONE"')),
    ]
    assert triples(insecure) == sorted(expected)


def test_severities_follow_what_is_exposed(insecure: ModuleResult) -> None:
    # The bucket named by the S3 backend holds state: versioning and logging weigh more.
    state = one(insecure, "aws-s3-versioning", at("buckets.tf", '"aws_s3_bucket" "state"'))
    assert state.severity == Severity.HIGH and 'backend "s3"' in state.message
    website = one(insecure, "aws-s3-versioning", at("buckets.tf", "enabled = false"))
    assert website.severity == Severity.MEDIUM
    logging = one(insecure, "aws-s3-access-logging", at("buckets.tf", '"aws_s3_bucket" "state"'))
    assert logging.severity == Severity.MEDIUM
    # Anyone may upload into the drop box: critical. Reading the website: high.
    drop = one(insecure, "aws-s3-no-public-policy", DROP_BOX)
    assert drop.severity == Severity.CRITICAL and "s3:PutObject" in drop.message
    read = one(insecure, "aws-s3-no-public-policy", PUBLIC_READ)
    assert read.severity == Severity.HIGH
    # The website's public ACL is ignored while ignore_public_acls is on: low, and says why.
    acl = one(insecure, "aws-s3-no-public-acl", at("buckets.tf", '"public-read"'))
    assert acl.severity == Severity.LOW and "ignore_public_acls" in acl.message
    sse = one(insecure, "aws-s3-encryption-customer-key", at("buckets.tf", '"website"'))
    assert sse.severity == Severity.LOW


def test_cross_file_links(insecure: ModuleResult) -> None:
    # The uploads block (bucket_settings.tf) reaches its bucket (buckets.tf) through a local;
    # the flag it leaves out is named and the bucket is related.
    block = one(
        insecure, "aws-s3-public-access-block", at("bucket_settings.tf", 'access_block" "uploads"')
    )
    assert block.data["missing"] == ["restrict_public_buckets"]
    assert related(block) == [at("buckets.tf", '"aws_s3_bucket" "uploads"')]
    # The website's public statement is in a policy document; the bucket and the
    # aws_s3_bucket_policy that attaches it are related.
    read = one(insecure, "aws-s3-no-public-policy", PUBLIC_READ)
    assert related(read) == [
        at("buckets.tf", '"aws_s3_bucket" "website"'),
        at("bucket_settings.tf", "policy = data.aws_iam_policy_document.website.json"),
    ]
    # The state bucket is configured by its literal name: no public-access-block or
    # encryption finding for it; the log bucket is exempt from logging and KMS as a target.
    addresses = {(f.rule_id, f.data["address"]) for f in mine(insecure)}
    for quiet in (
        ("aws-s3-public-access-block", "aws_s3_bucket.state"),
        ("aws-s3-encryption-customer-key", "aws_s3_bucket.state"),
        ("aws-s3-access-logging", "aws_s3_bucket.logs"),
        ("aws-s3-encryption-customer-key", "aws_s3_bucket.logs"),
        ("aws-s3-access-logging", "aws_s3_bucket.uploads"),
    ):
        assert quiet not in addresses


def test_unknown_values_and_inherited_settings_stay_silent(insecure: ModuleResult) -> None:
    addresses = {f.data["address"] for f in mine(insecure)}
    for silent in (
        # var.archive_bucket_name has no value, but the split resources use the same
        # expression as the bucket; var.archive_sse_algorithm is unknown.
        "aws_s3_bucket.archive",
        "aws_s3_bucket_server_side_encryption_configuration.archive",
        # storage_encrypted = var.reporting_encrypted has no value; a replica inherits.
        "aws_db_instance.reporting",
        "aws_db_instance.orders_replica",
        # A queue left at the defaults is encrypted with SQS-managed keys.
        "aws_sqs_queue.events",
    ):
        assert silent not in addresses
    # The VPC-endpoint-only statement of the same policy is not public.
    policy = [f for f in mine(insecure) if f.rule_id == "aws-s3-no-public-policy"]
    assert len(policy) == 2


def test_without_tfvars_the_variable_defaults_apply(tmp_path: Path) -> None:
    project = tmp_path / "insecure"
    shutil.copytree(INSECURE, project)
    (project / "terraform.tfvars").unlink()
    result = Engine().analyze_module(str(project))
    found = {(f.rule_id, f.data["address"]) for f in mine(result)}
    # uploads_versioning_status defaults to "Enabled"; env defaults to "dev", where the
    # analytics cluster's encryption flag is true.
    assert ("aws-s3-versioning", "aws_s3_bucket_versioning.uploads") not in found
    assert ("aws-rds-storage-encrypted", "aws_rds_cluster.analytics") not in found
    assert len(mine(result)) == len(mine(Engine().analyze_module(str(INSECURE)))) - 2


def test_hardened_project_has_no_data_protection_findings() -> None:
    result = analyze_clean(HARDENED)
    assert triples(result) == []
    assert result.module is not None
    assert len(result.module.of_type("aws_s3_bucket")) == 3


def test_hardened_buckets_are_linked_through_for_each(tmp_path: Path) -> None:
    # Without the account-wide block, only the buckets that have no block of their own are
    # reported: the for_each blocks cover every bucket of aws_s3_bucket.data.
    project = tmp_path / "hardened"
    shutil.copytree(HARDENED, project)
    (project / "account.tf").unlink()
    result = Engine().analyze_module(str(project))
    missing = sorted(
        f.data["address"] for f in mine(result) if f.rule_id == "aws-s3-public-access-block"
    )
    assert missing == ["aws_s3_bucket.logs", "aws_s3_bucket.state"]
    assert {f.severity for f in mine(result)} == {Severity.LOW}
