"""Which KICS AWS query each rule of the first AWS wave answers, and where tfguard disagrees
with KICS's labels on purpose (or KICS is wrong), with the reason. Used by
``test_kics_aws_part1.py``; a case is (file, 1-based line, kind): ``missed`` (KICS flags the
line, tfguard does not), ``extra`` (tfguard flags another line of a positive file),
``negative`` (tfguard flags a negative file)."""

from __future__ import annotations

QUERIES: dict[str, str] = {
    # RDS and Aurora
    "rds_with_backup_disabled": "aws-rds-backup-retention",
    "rds_cluster_with_backup_disabled": "aws-rds-backup-retention",
    "rds_without_logging": "aws-rds-log-exports",
    "rds_using_default_port": "aws-rds-default-port",
    "iam_database_auth_not_enabled": "aws-rds-iam-authentication",
    "automatic_minor_upgrades_disabled": "aws-rds-auto-minor-version-upgrade",
    "db_snapshot_public": "aws-rds-snapshot-not-public",
    # EKS
    "eks_cluster_log_disabled": "aws-eks-control-plane-logging",
    "missing_cluster_log_types": "aws-eks-control-plane-logging",
    "eks_cluster_encryption_disabled": "aws-eks-secrets-encryption",
    "eks_cluster_has_public_access": "aws-eks-public-endpoint",
    "eks_node_group_remote_access_disabled": "aws-eks-node-group-remote-access",
    # Logging and monitoring
    "cloudwatch_log_group_not_encrypted": "aws-cloudwatch-log-group-customer-key",
    "cloudtrail_not_integrated_with_cloudwatch": "aws-cloudtrail-cloudwatch-logs",
    "cloudtrail_logging_disabled": "aws-cloudtrail-logging-enabled",
    "config_configuration_aggregator_to_all_regions_disabled": "aws-config-aggregator-all-regions",
    "vpc_default_security_group_accepts_all_traffic": "aws-ec2-default-security-group-restricted",
    "security_group_without_description": "aws-ec2-security-group-description",
    "security_group_rules_without_description": "aws-ec2-security-group-description",
    # Compute and containers
    "lambda_functions_without_x-ray_tracing": "aws-lambda-tracing",
    "lambda_permission_principal_is_wildcard": "aws-lambda-permission-public",
    "lambda_function_publicly_accessible": "aws-lambda-permission-public",
    "ecr_image_tag_not_immutable": "aws-ecr-immutable-tags",
    "unscanned_ecr_image": "aws-ecr-scan-on-push",
    "ecr_repository_not_encrypted": "aws-ecr-customer-key",
    "ecr_repository_is_publicly_accessible": "aws-ecr-policy-public",
    "ecs_task_definition_volume_not_encrypted": "aws-ecs-task-efs-transit-encryption",
    "ecs_cluster_container_insights_disabled": "aws-ecs-cluster-container-insights",
    # Account level
    "ebs_default_encryption_disabled": "aws-ec2-ebs-encryption-by-default",
    "iam_password_without_minimum_length": "aws-iam-password-policy-length",
    "password_without_reuse_prevention": "aws-iam-password-policy-reuse",
    "iam_password_does_not_require_lowercase": "aws-iam-password-policy-complexity",
    "iam_password_does_not_require_uppercase": "aws-iam-password-policy-complexity",
    "iam_password_does_not_require_number": "aws-iam-password-policy-complexity",
    "iam_password_does_not_require_symbol": "aws-iam-password-policy-complexity",
}

# KICS models the inputs of some registry modules (terraform-aws-modules/*) as if they were
# the resource's own arguments. tfguard analyses a module's resources where its source is
# available (a local path, or a downloaded .terraform/modules copy), never a call's inputs by
# name: the same input may mean something else in another version of the module.
MODULE_INPUTS = (
    "a call of a terraform-aws-modules registry module: KICS reads the call's inputs as the "
    "resource's arguments; tfguard analyses the module's own resources where its source is "
    "available, which it is not in this test"
)

WRONG_LINE = (
    "KICS's expected line holds another requirement that is set to true; the false one is "
    "on the next line, where tfguard reports it"
)

OPEN_IN_DEFAULT_GROUP = (
    "KICS flags the open range inside a default group's rule as well as the rule; tfguard "
    "reports each rule of a default group once (the open range is also "
    "aws-ec2-no-public-ingress's or aws-ec2-no-unrestricted-egress's finding)"
)

DISAGREEMENTS: dict[str, dict[tuple[str, int, str], str]] = {
    "automatic_minor_upgrades_disabled": {("positive2.tf", 11, "missed"): MODULE_INPUTS},
    "db_snapshot_public": {
        ("positive.tf", 5, "missed"): (
            "KICS's expected line is one below the shared_accounts argument it means (line 4, "
            "where tfguard reports it); the label is off by one"
        ),
        ("positive.tf", 4, "extra"): "the same finding, on the shared_accounts line",
    },
    "vpc_default_security_group_accepts_all_traffic": {
        ("positive2.tf", 14, "missed"): OPEN_IN_DEFAULT_GROUP,
        ("positive2.tf", 23, "missed"): OPEN_IN_DEFAULT_GROUP,
    },
    "lambda_permission_principal_is_wildcard": {
        ("positive.tf", 5, "missed"): (
            'principal "*" is restricted by source_arn: only invocations on behalf of that '
            "EventBridge rule are allowed, so the function is not public; tfguard reports "
            '"*" without source_arn, source_account or principal_org_id'
        ),
    },
    "ecr_repository_not_encrypted": {
        ("positive.tf", 18, "missed"): (
            "the same finding one line lower: tfguard reports on encryption_type = "
            '"AES256", where the fix goes, KICS on its encryption_configuration block'
        ),
        ("positive.tf", 19, "extra"): "the same finding, on the encryption_type line",
    },
    "ecs_task_definition_volume_not_encrypted": {
        ("positive3.tf", 5, "missed"): (
            "the volume has no efs_volume_configuration: it is a Docker or bind-mount "
            "volume, not EFS, so there is no NFS traffic to encrypt"
        ),
    },
    "iam_password_does_not_require_uppercase": {
        ("positive.tf", 5, "missed"): WRONG_LINE,
        ("positive.tf", 6, "extra"): "require_uppercase_characters = false is on this line",
    },
    "iam_password_does_not_require_number": {
        ("positive.tf", 3, "missed"): WRONG_LINE,
        ("positive.tf", 4, "extra"): "require_numbers = false is on this line",
    },
    "eks_cluster_has_public_access": {
        ("positive.tf", 7, "missed"): (
            "the endpoint is public without public_access_cidrs, so it is open to 0.0.0.0/0: "
            "aws-eks-no-open-public-endpoint reports it (high), and this rule keeps to public "
            "endpoints limited to listed ranges, so the cluster is reported once"
        ),
    },
    "eks_node_group_remote_access_disabled": {
        ("negative.tf", 13, "negative"): (
            "KICS's negative sets source_security_groups_ids, which is not an argument of "
            "aws_eks_node_group (the argument is source_security_group_ids): AWS still opens "
            "SSH to 0.0.0.0/0 for it"
        ),
    },
    "iam_database_auth_not_enabled": {
        ("positive3.tf", 1, "missed"): MODULE_INPUTS,
        ("positive4.tf", 17, "missed"): MODULE_INPUTS,
    },
    "rds_with_backup_disabled": {
        ("positive2.tf", 12, "missed"): MODULE_INPUTS,
        ("positive4.tf", 1, "missed"): MODULE_INPUTS,
    },
    "rds_without_logging": {
        ("positive3.tf", 1, "missed"): MODULE_INPUTS,
        ("positive4.tf", 11, "missed"): MODULE_INPUTS,
    },
}
