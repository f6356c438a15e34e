"""The data-store rules of the second AWS wave on two multi-file projects: an OpenSearch domain
(HTTPS switched off in terraform.tfvars, a public access policy), Redshift, DocumentDB and
Neptune (backup days from terraform.tfvars), MSK and Firehose, DynamoDB, ElastiCache, Secrets
Manager and SSM, SQS and SNS policies, a state bucket and an asset bucket, EFS, AWS Backup,
SageMaker and Glue. The hardened project must produce no finding of any rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.rules.aws.part2_helpers import added_lines, every_finding, fix_results
from tests.rules.fixture_helpers import RuleFamily, analyze_clean

from tfguard.engine import ModuleResult
from tfguard.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "aws-opensearch-encryption-at-rest",
        "aws-opensearch-node-to-node-encryption",
        "aws-opensearch-enforce-https",
        "aws-opensearch-tls-policy",
        "aws-opensearch-vpc",
        "aws-opensearch-fine-grained-access",
        "aws-opensearch-audit-logs",
        "aws-opensearch-policy-public",
        "aws-redshift-encryption",
        "aws-redshift-logging",
        "aws-redshift-require-ssl",
        "aws-redshift-enhanced-vpc-routing",
        "aws-docdb-encryption",
        "aws-docdb-log-exports",
        "aws-docdb-backup-retention",
        "aws-docdb-tls",
        "aws-neptune-encryption",
        "aws-neptune-audit-logs",
        "aws-neptune-backup-retention",
        "aws-neptune-iam-authentication",
        "aws-msk-encryption-in-transit",
        "aws-msk-public-access",
        "aws-msk-logging",
        "aws-firehose-encryption",
        "aws-dynamodb-point-in-time-recovery",
        "aws-dynamodb-deletion-protection",
        "aws-elasticache-auth-token",
        "aws-elasticache-backup-retention",
        "aws-secretsmanager-rotation",
        "aws-secretsmanager-rotation-period",
        "aws-secretsmanager-customer-key",
        "aws-ssm-parameter-secure-string",
        "aws-sqs-policy-public",
        "aws-sns-policy-public",
        "aws-s3-state-bucket-object-lock",
        "aws-s3-secure-transport",
        "aws-efs-access-point-root-directory",
        "aws-efs-access-point-user",
        "aws-efs-backup-policy",
        "aws-backup-vault-customer-key",
        "aws-sagemaker-notebook-direct-internet",
        "aws-sagemaker-notebook-root-access",
        "aws-sagemaker-notebook-customer-key",
        "aws-glue-catalog-encryption",
        "aws-glue-security-configuration",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

DOMAIN = at("search.tf", 'resource "aws_opensearch_domain" "logs"')
ENDPOINT = at("search.tf", "domain_endpoint_options {")
HTTPS = at("search.tf", "enforce_https = var.search_https_only")
PUBLIC_SEARCH = at("search.tf", "  statement {")
WAREHOUSE = at("warehouse.tf", 'resource "aws_redshift_cluster" "warehouse"')
UNENCRYPTED = at("warehouse.tf", "encrypted                    = false")
REQUIRE_SSL = at("warehouse.tf", 'value = "false"')
CATALOG = at("documents.tf", 'resource "aws_docdb_cluster" "catalog"')
DOCDB_TLS = at("documents.tf", 'value = "disabled"')
GRAPH = at("graph.tf", 'resource "aws_neptune_cluster" "graph"')
GRAPH_BACKUPS = at("graph.tf", "backup_retention_period = var.graph_backup_days")
EVENTS = at("streaming.tf", 'resource "aws_msk_cluster" "events"')
MSK_PUBLIC = at("streaming.tf", 'type = "SERVICE_PROVIDED_EIPS"')
MSK_PLAINTEXT = at("streaming.tf", 'client_broker = "TLS_PLAINTEXT"')
FIREHOSE = at("streaming.tf", 'resource "aws_kinesis_firehose_delivery_stream" "events"')
ORDERS = at("tables.tf", 'resource "aws_dynamodb_table" "orders"')
SESSIONS = at("cache.tf", 'resource "aws_elasticache_replication_group" "sessions"')
COUNTERS = at("cache.tf", 'resource "aws_elasticache_cluster" "counters"')
API_SECRET = at("secrets.tf", 'resource "aws_secretsmanager_secret" "api"')
DB_SECRET = at("secrets.tf", 'resource "aws_secretsmanager_secret" "db"')
ROTATION_DAYS = at("secrets.tf", "automatically_after_days = 365")
PARAMETER_TYPE = at("secrets.tf", 'type  = "String"')
QUEUE_STATEMENT = at("queues.tf", 'Principal = "*"')
TOPIC_STATEMENT = at("queues.tf", 'Principal = { AWS = "*" }')
STATE = at("storage.tf", 'resource "aws_s3_bucket" "state"')
ASSETS = at("storage.tf", 'resource "aws_s3_bucket" "assets"')
EFS = at("storage.tf", 'resource "aws_efs_file_system" "shared"')
ACCESS_POINT = at("storage.tf", 'resource "aws_efs_access_point" "app"')
VAULT = at("storage.tf", 'resource "aws_backup_vault" "main"')
NOTEBOOK = at("ml.tf", 'resource "aws_sagemaker_notebook_instance" "research"')
PASSWORDS = at("glue.tf", "return_connection_password_encrypted = false")
CATALOG_MODE = at("glue.tf", 'catalog_encryption_mode = "DISABLED"')
LOGS_MODE = at("glue.tf", 'cloudwatch_encryption_mode = "DISABLED"')
BOOKMARKS_MODE = at("glue.tf", 'job_bookmarks_encryption_mode = "DISABLED"')


def above(where: tuple[str, int], lines: int) -> tuple[str, int]:
    return where[0], where[1] - lines


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        ("aws-opensearch-encryption-at-rest", *DOMAIN),
        ("aws-opensearch-node-to-node-encryption", *DOMAIN),
        ("aws-opensearch-vpc", *DOMAIN),
        ("aws-opensearch-fine-grained-access", *DOMAIN),
        ("aws-opensearch-audit-logs", *DOMAIN),
        ("aws-opensearch-tls-policy", *ENDPOINT),
        ("aws-opensearch-enforce-https", *HTTPS),
        ("aws-opensearch-policy-public", *PUBLIC_SEARCH),
        ("aws-redshift-logging", *WAREHOUSE),
        ("aws-redshift-enhanced-vpc-routing", *WAREHOUSE),
        ("aws-redshift-encryption", *UNENCRYPTED),
        ("aws-redshift-require-ssl", *REQUIRE_SSL),
        ("aws-docdb-encryption", *CATALOG),
        ("aws-docdb-log-exports", *CATALOG),
        ("aws-docdb-backup-retention", *CATALOG),
        ("aws-docdb-tls", *DOCDB_TLS),
        ("aws-neptune-encryption", *GRAPH),
        ("aws-neptune-audit-logs", *GRAPH),
        ("aws-neptune-iam-authentication", *GRAPH),
        ("aws-neptune-backup-retention", *GRAPH_BACKUPS),
        ("aws-msk-logging", *EVENTS),
        ("aws-msk-public-access", *MSK_PUBLIC),
        ("aws-msk-encryption-in-transit", *MSK_PLAINTEXT),
        ("aws-firehose-encryption", *FIREHOSE),
        ("aws-dynamodb-point-in-time-recovery", *ORDERS),
        ("aws-dynamodb-deletion-protection", *ORDERS),
        ("aws-elasticache-auth-token", *SESSIONS),
        ("aws-elasticache-backup-retention", *COUNTERS),
        ("aws-secretsmanager-rotation", *API_SECRET),
        ("aws-secretsmanager-customer-key", *API_SECRET),
        ("aws-secretsmanager-customer-key", *DB_SECRET),
        ("aws-secretsmanager-rotation-period", *ROTATION_DAYS),
        ("aws-ssm-parameter-secure-string", *PARAMETER_TYPE),
        ("aws-sqs-policy-public", *above(QUEUE_STATEMENT, 2)),
        ("aws-sns-policy-public", *above(TOPIC_STATEMENT, 2)),
        ("aws-s3-state-bucket-object-lock", *STATE),
        ("aws-s3-secure-transport", *ASSETS),
        ("aws-efs-backup-policy", *EFS),
        ("aws-efs-access-point-root-directory", *ACCESS_POINT),
        ("aws-efs-access-point-user", *ACCESS_POINT),
        ("aws-backup-vault-customer-key", *VAULT),
        ("aws-sagemaker-notebook-direct-internet", *NOTEBOOK),
        ("aws-sagemaker-notebook-root-access", *NOTEBOOK),
        ("aws-sagemaker-notebook-customer-key", *NOTEBOOK),
        ("aws-glue-catalog-encryption", *PASSWORDS),
        ("aws-glue-catalog-encryption", *CATALOG_MODE),
        ("aws-glue-security-configuration", *LOGS_MODE),
        ("aws-glue-security-configuration", *BOOKMARKS_MODE),
    ]
    assert triples(insecure) == sorted(expected)


def test_aws_opensearch_enforce_https_reads_terraform_tfvars(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-opensearch-enforce-https", HTTPS)
    assert "= false" in finding.message
    assert fix_results(insecure, finding) == []  # the value is set in terraform.tfvars


def test_aws_opensearch_tls_policy_uses_the_service_default(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-opensearch-tls-policy", ENDPOINT)
    assert "Policy-Min-TLS-1-0-2019-07" in finding.message
    [fix] = fix_results(insecure, finding)
    before = (INSECURE / "search.tf").read_text(encoding="utf-8")
    assert not fix.preferred
    assert added_lines(before, fix.files["search.tf"]) == [
        'tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"'
    ]


def test_aws_opensearch_policy_public_is_critical_and_points_at_the_policy(
    insecure: ModuleResult,
) -> None:
    finding = one(insecure, "aws-opensearch-policy-public", PUBLIC_SEARCH)
    assert finding.severity == Severity.CRITICAL
    assert "aws_opensearch_domain_policy.logs" in finding.message


def test_aws_neptune_backup_retention_reads_terraform_tfvars(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-neptune-backup-retention", GRAPH_BACKUPS)
    assert "3 day(s)" in finding.message
    assert fix_results(insecure, finding) == []  # the value is set in terraform.tfvars


def test_aws_docdb_backup_retention_fix_adds_seven_days(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-docdb-backup-retention", CATALOG)
    [fix] = fix_results(insecure, finding)
    before = (INSECURE / "documents.tf").read_text(encoding="utf-8")
    assert fix.preferred
    assert added_lines(before, fix.files["documents.tf"]) == ["backup_retention_period = 7"]


def test_aws_dynamodb_point_in_time_recovery_fix_adds_the_block(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-dynamodb-point-in-time-recovery", ORDERS)
    [fix] = fix_results(insecure, finding)
    before = (INSECURE / "tables.tf").read_text(encoding="utf-8")
    assert fix.preferred
    assert added_lines(before, fix.files["tables.tf"]) == [
        "point_in_time_recovery {",
        "enabled = true",
        "}",
    ]


def test_aws_efs_backup_policy_fix_adds_a_companion(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-efs-backup-policy", EFS)
    [fix] = fix_results(insecure, finding)
    before = (INSECURE / "storage.tf").read_text(encoding="utf-8")
    added = added_lines(before, fix.files["storage.tf"])
    assert fix.preferred
    assert 'resource "aws_efs_backup_policy" "shared" {' in added
    assert "file_system_id = aws_efs_file_system.shared.id" in added
    assert 'status = "ENABLED"' in added


def test_aws_ssm_parameter_secure_string_fix_is_offered_not_preferred(
    insecure: ModuleResult,
) -> None:
    finding = one(insecure, "aws-ssm-parameter-secure-string", PARAMETER_TYPE)
    assert '"/app/db/password"' in finding.message
    [fix] = fix_results(insecure, finding)
    assert not fix.preferred
    after = fix.files["secrets.tf"].splitlines()
    assert after[PARAMETER_TYPE[1] - 1].strip() == 'type  = "SecureString"'


def test_aws_sqs_and_sns_policies_reported_where_written(insecure: ModuleResult) -> None:
    queue = one(insecure, "aws-sqs-policy-public", above(QUEUE_STATEMENT, 2))
    topic = one(insecure, "aws-sns-policy-public", above(TOPIC_STATEMENT, 2))
    assert queue.data["address"] == "aws_sqs_queue.jobs"
    assert topic.data["address"] == "aws_sns_topic_policy.alerts"


def test_hardened_project_has_no_findings() -> None:
    assert every_finding(analyze_clean(HARDENED)) == []
