"""Which KICS AWS query each rule of the second AWS wave (IAM policies, edge and APIs, data
stores) answers, and where tfguard disagrees with KICS's labels on purpose (or KICS is wrong),
with the reason. Used by ``test_kics_aws_part2.py``; a case is (file, 1-based line, kind):
``missed`` (KICS flags the line, tfguard does not), ``extra`` (tfguard flags another line of a
positive file), ``negative`` (tfguard flags a negative file)."""

from __future__ import annotations

_ESCALATION = "aws-iam-privilege-escalation"
_ESCALATION_METHODS = (
    "glue_UpdateDevEndpoint",
    "iam_AddUserToGroup",
    "iam_AttachGroupPolicy",
    "iam_AttachRolePolicy",
    "iam_AttachUserPolicy",
    "iam_CreateAccessKey",
    "iam_CreateLoginProfile",
    "iam_CreatePolicyVersion",
    "iam_PassRole_and_cloudformation_CreateStack",
    "iam_PassRole_and_ec2_RunInstances",
    "iam_PassRole_and_glue_CreateDevEndpoint",
    "iam_PutGroupPolicy",
    "iam_PutRolePolicy",
    "iam_PutUserPolicy",
    "iam_SetDefaultPolicyVersion",
    "iam_UpdateAssumeRolePolicy_and_sts_AssumeRole",
    "iam_UpdateLoginProfile",
    "lambda_UpdateFunctionCode",
)


def _escalation_queries() -> dict[str, str]:
    out: dict[str, str] = {}
    for who in ("group", "role", "user"):
        for method in _ESCALATION_METHODS:
            out[f"{who}_with_privilege_escalation_by_actions_{method}"] = _ESCALATION
    # KICS names the PassRole + Lambda method differently for roles.
    lambda_method = "iam_PassRole_and_lambda_CreateFunction_and_lambda_InvokeFunction"
    for who in ("group", "user"):
        out[f"{who}_with_privilege_escalation_by_actions_{lambda_method}"] = _ESCALATION
    role_method = "iam_PassRole_and_lambda_CreateFunction_lambda_InvokeFunction"
    out[f"role_with_privilege_escalation_by_actions_{role_method}"] = _ESCALATION
    return out


QUERIES: dict[str, str] = {
    # IAM
    "iam_role_policy_passrole_allows_all": "aws-iam-passrole-all-roles",
    "cross_account_iam_assume_role_policy_without_external_id_or_mfa": (
        "aws-iam-account-trust-without-mfa"
    ),
    "root_account_has_active_access_keys": "aws-iam-no-user-access-keys",
    "iam_policy_grants_assumerole_permission_across_all_services": (
        "aws-iam-trust-public-principal"
    ),
    **_escalation_queries(),
    # Load balancers, CloudFront, API Gateway
    "alb_not_dropping_invalid_headers": "aws-elb-drop-invalid-headers",
    "alb_deletion_protection_disabled": "aws-elb-deletion-protection",
    "alb_listening_on_http": "aws-elb-http-not-used",
    "elb_access_logging_disabled": "aws-elb-access-logs",
    "cloudfront_viewer_protocol_policy_allows_http": "aws-cloudfront-enforce-https",
    "cloudfront_without_minimum_protocol_tls_1.2": "aws-cloudfront-minimum-tls",
    "cloudfront_without_waf": "aws-cloudfront-waf",
    "cloudfront_logging_disabled": "aws-cloudfront-logging",
    "api_gateway_access_logging_disabled": "aws-apigateway-access-logging",
    "api_gateway_xray_disabled": "aws-apigateway-tracing",
    "api_gateway_method_settings_cache_not_encrypted": "aws-apigateway-cache-encryption",
    "api_gateway_without_ssl_certificate": "aws-apigateway-client-certificate",
    "api_gateway_without_security_policy": "aws-apigateway-domain-tls",
    "api_gateway_with_open_access": "aws-apigateway-method-authorization",
    # Data stores
    "elasticsearch_not_encrypted_at_rest": "aws-opensearch-encryption-at-rest",
    "elasticsearch_domain_not_encrypted_node_to_node": "aws-opensearch-node-to-node-encryption",
    "elasticsearch_with_https_disabled": "aws-opensearch-enforce-https",
    "elasticsearch_logs_disabled": "aws-opensearch-audit-logs",
    "elasticsearch_no_finegrain_access_control": "aws-opensearch-fine-grained-access",
    "elasticsearch_domain_with_vulnerable_policy": "aws-opensearch-policy-public",
    "redshift_not_encrypted": "aws-redshift-encryption",
    "redshift_cluster_logging_disabled": "aws-redshift-logging",
    "docdb_cluster_not_encrypted": "aws-docdb-encryption",
    "docdb_logging_disabled": "aws-docdb-log-exports",
    "neptune_database_cluster_encryption_disabled": "aws-neptune-encryption",
    "neptune_logging_disabled": "aws-neptune-audit-logs",
    "neptune_cluster_with_iam_database_authentication_disabled": "aws-neptune-iam-authentication",
    "msk_cluster_encryption_disabled": "aws-msk-encryption-in-transit",
    "msk_cluster_logging_disabled": "aws-msk-logging",
    "msk_broker_is_publicly_accessible": "aws-msk-public-access",
    "dynamodb_table_point_in_time_recovery_disabled": "aws-dynamodb-point-in-time-recovery",
    "elasticache_redis_cluster_without_backup": "aws-elasticache-backup-retention",
    "sqs_policy_with_public_access": "aws-sqs-policy-public",
    "sns_topic_is_publicly_accessible": "aws-sns-policy-public",
    "secretsmanager_secret_without_kms": "aws-secretsmanager-customer-key",
    "sagemaker_direct_internet_access_enabled": "aws-sagemaker-notebook-direct-internet",
    "sagemaker_notebook_instance_without_kms": "aws-sagemaker-notebook-customer-key",
    "glue_data_catalog_encryption_disabled": "aws-glue-catalog-encryption",
    "glue_security_configuration_encryption_disabled": "aws-glue-security-configuration",
    "s3_bucket_policy_accepts_http_requests": "aws-s3-secure-transport",
    "vpc_flowlogs_disabled": "aws-vpc-flow-logs",
}

# KICS models the inputs of some registry modules (terraform-aws-modules/*) as if they were the
# resource's own arguments. tfguard analyses a module's resources where its source is available
# (a local path, or a downloaded .terraform/modules copy), never a call's inputs by name: the
# same input may mean something else in another version of the module.
MODULE_INPUTS = (
    "a call of a terraform-aws-modules registry module: KICS reads the call's inputs as the "
    "resource's arguments; tfguard analyses the module's own resources where its source is "
    "available, which it is not in this test"
)

# Privilege escalation: KICS reports the group, role or user and pools the actions of every
# policy attached to it; tfguard reports the policy statement that completes a path, where the
# permissions are written and would be fixed.
ESCALATION_AT_THE_POLICY = (
    "tfguard reports the policy statement that grants the escalation path (where it is "
    "written and fixed), KICS the group/role/user the policy is attached to"
)
ESCALATION_ACROSS_POLICIES = (
    "KICS pools the actions of every policy attached to the principal (iam:PassRole in one "
    "policy, the service action in another) or counts iam:AttachRolePolicy / "
    "iam:PutRolePolicy / iam:UpdateAssumeRolePolicy alone; tfguard reports a policy that holds "
    "a whole path, and those three paths also need sts:AssumeRole to be used (Rhino Security "
    "Labs' method list, as cloudsplaining and Checkov read it)"
)
_SINGLE_ACTION = (
    "glue_UpdateDevEndpoint",
    "iam_AddUserToGroup",
    "iam_AttachGroupPolicy",
    "iam_AttachUserPolicy",
    "iam_CreateAccessKey",
    "iam_CreateLoginProfile",
    "iam_CreatePolicyVersion",
    "iam_PutGroupPolicy",
    "iam_PutUserPolicy",
    "iam_SetDefaultPolicyVersion",
    "iam_UpdateLoginProfile",
    "lambda_UpdateFunctionCode",
)


def _escalation_cases(query: str) -> dict[tuple[str, int, str], str]:
    method = query.split("_by_actions_", 1)[1]
    if method in _SINGLE_ACTION:
        return {
            ("positive1.tf", 1, "missed"): ESCALATION_AT_THE_POLICY,
            ("positive1.tf", 12, "extra"): ESCALATION_AT_THE_POLICY,
        }
    return {("positive1.tf", 1, "missed"): ESCALATION_ACROSS_POLICIES}


EXECUTION_LOGGING = (
    "KICS also requires execution logging (logging_level in method settings or "
    "default_route_settings); aws-apigateway-access-logging is about the stage's access logs, "
    "which this stage writes"
)
ATTRIBUTE_NOT_BLOCK = (
    "the same finding on another line: tfguard reports the argument that is wrong, KICS the "
    "block or resource around it"
)
BLOCK_NOT_ATTRIBUTE = (
    "the same finding on another line: tfguard reports one finding per cluster on the "
    "logging_info block, KICS one per disabled destination"
)
ROOT_KEY_LOCATION = (
    'the same finding on another line: tfguard reports the user = "root" argument, KICS '
    "the resource or its status argument"
)

DISAGREEMENTS: dict[str, dict[tuple[str, int, str], str]] = {
    **{q: _escalation_cases(q) for q, rule in QUERIES.items() if rule == _ESCALATION},
    "alb_deletion_protection_disabled": {
        ("positive5.tf", 9, "missed"): MODULE_INPUTS,
        ("positive6.tf", 1, "missed"): MODULE_INPUTS,
    },
    "alb_not_dropping_invalid_headers": {
        ("positive4.tf", 8, "missed"): MODULE_INPUTS,
        ("positive5.tf", 1, "missed"): MODULE_INPUTS,
        ("positive6.tf", 1, "missed"): MODULE_INPUTS,
    },
    "elb_access_logging_disabled": {
        ("positive3.tf", 1, "missed"): MODULE_INPUTS,
        ("positive4.tf", 39, "missed"): MODULE_INPUTS,
    },
    "s3_bucket_policy_accepts_http_requests": {
        ("positive3.tf", 12, "missed"): MODULE_INPUTS,
        ("negative6.tf", 32, "negative"): (
            "KICS accepts an Allow conditioned on aws:SecureTransport = true; that does not "
            "stop plain-HTTP requests that an identity policy allows, so tfguard asks for the "
            "explicit Deny on aws:SecureTransport = false"
        ),
    },
    "vpc_flowlogs_disabled": {
        ("positive1.tf", 5, "missed"): (
            "KICS flags a flow log without vpc_id; tfguard reports VPCs without a flow log, "
            "and aws_vpc.main has one (aws_flow_log.example1)"
        ),
        ("positive2.tf", 1, "missed"): (
            "the flow logs point at aws_vpc.example and aws_vpc.example2, which this file does "
            "not declare: they may cover any VPC, so tfguard stays silent rather than guess"
        ),
        ("positive3.tf", 14, "missed"): MODULE_INPUTS,
        ("positive4.tf", 1, "missed"): MODULE_INPUTS,
    },
    "api_gateway_access_logging_disabled": {
        ("positive2.tf", 15, "missed"): EXECUTION_LOGGING,
        ("positive2.tf", 28, "missed"): EXECUTION_LOGGING,
        ("positive3.tf", 14, "missed"): EXECUTION_LOGGING,
        ("positive3.tf", 27, "missed"): EXECUTION_LOGGING,
        ("positive4.tf", 10, "missed"): EXECUTION_LOGGING,
        ("positive4.tf", 15, "missed"): EXECUTION_LOGGING,
        ("positive5.tf", 15, "missed"): EXECUTION_LOGGING,
        ("positive5.tf", 28, "missed"): EXECUTION_LOGGING,
        ("positive6.tf", 14, "missed"): EXECUTION_LOGGING,
        ("positive6.tf", 27, "missed"): EXECUTION_LOGGING,
        ("positive7.tf", 1, "missed"): EXECUTION_LOGGING,
    },
    "api_gateway_with_open_access": {
        ("positive.tf", 4, "missed"): ATTRIBUTE_NOT_BLOCK,
        ("positive.tf", 5, "extra"): ATTRIBUTE_NOT_BLOCK,
    },
    "cloudfront_without_minimum_protocol_tls_1.2": {
        ("positive3.tf", 24, "missed"): (
            "with the default *.cloudfront.net certificate the minimum TLS version cannot be "
            "chosen; tfguard (like Trivy) does not report what cannot be changed"
        ),
        ("negative.tf", 43, "negative"): (
            "TLSv1.2_2018 and TLSv1.2_2019 still allow CBC ciphers without forward secrecy; "
            "tfguard (like Trivy) asks for TLSv1.2_2021 or later"
        ),
        ("negative.tf", 89, "negative"): (
            "TLSv1.2_2018 and TLSv1.2_2019 still allow CBC ciphers without forward secrecy; "
            "tfguard (like Trivy) asks for TLSv1.2_2021 or later"
        ),
    },
    "docdb_logging_disabled": {
        ("positive3.tf", 10, "missed"): (
            "KICS wants both audit and profiler exports; either one records access, which is "
            "what tfguard (like Checkov and Trivy) asks for"
        ),
        ("positive4.tf", 10, "missed"): (
            "KICS wants both audit and profiler exports; either one records access, which is "
            "what tfguard (like Checkov and Trivy) asks for"
        ),
    },
    "elasticsearch_logs_disabled": {
        ("positive1.tf", 6, "missed"): (
            "KICS asks for any log publishing (here slow logs); aws-opensearch-audit-logs asks "
            "for audit logs, which record access (slow logs do not)"
        ),
        ("positive1.tf", 1, "extra"): "the domain publishes no audit logs (see the line above)",
        ("negative1.tf", 1, "negative"): (
            "the domain publishes slow logs only: no audit logs, which record access"
        ),
    },
    "elasticsearch_no_finegrain_access_control": {
        ("positive.tf", 32, "extra"): (
            "KICS's expected results omit bad_example4 of its own positive file "
            "(advanced_security_options.enabled = false)"
        ),
        ("positive.tf", 37, "extra"): (
            "KICS's expected results omit bad_example5 of its own positive file (no "
            "advanced_security_options block)"
        ),
    },
    "glue_data_catalog_encryption_disabled": {
        ("positive2.tf", 3, "missed"): (
            "passwords are returned encrypted and the catalog uses SSE-KMS: without a key id "
            "the AWS-managed key encrypts them; tfguard reports missing encryption, not the "
            "key choice"
        ),
        ("positive4.tf", 8, "missed"): (
            "the catalog uses SSE-KMS: without sse_aws_kms_key_id the AWS-managed key "
            "encrypts it; tfguard reports missing encryption, not the key choice"
        ),
    },
    "glue_security_configuration_encryption_disabled": {
        ("positive1.tf", 5, "missed"): (
            "cloudwatch_encryption_mode is SSE-KMS: without kms_key_arn the AWS-managed key "
            "encrypts the logs; tfguard reports missing encryption, not the key choice"
        ),
    },
    "msk_cluster_encryption_disabled": {
        ("negative.tf", 2, "negative"): (
            "encryption_info without an encryption_in_transit block: the provider sends no "
            "in-transit setting and the MSK API default, TLS_PLAINTEXT, applies (Trivy "
            "reports it too); the provider's TLS default only holds inside the block"
        ),
        ("positive.tf", 37, "missed"): ATTRIBUTE_NOT_BLOCK,
        ("positive.tf", 38, "extra"): ATTRIBUTE_NOT_BLOCK,
        ("positive.tf", 39, "extra"): ATTRIBUTE_NOT_BLOCK,
    },
    "msk_cluster_logging_disabled": {
        ("positive.tf", 5, "missed"): BLOCK_NOT_ATTRIBUTE,
        ("positive.tf", 8, "missed"): BLOCK_NOT_ATTRIBUTE,
        ("positive.tf", 2, "extra"): BLOCK_NOT_ATTRIBUTE,
    },
    "redshift_not_encrypted": {
        ("positive.tf", 1, "missed"): (
            "encrypted is not written: Redshift has encrypted every new provisioned cluster "
            "by default since January 2025, so tfguard reports only encrypted = false"
        ),
    },
    "root_account_has_active_access_keys": {
        ("positive1.tf", 2, "missed"): ROOT_KEY_LOCATION,
        ("positive1.tf", 3, "extra"): ROOT_KEY_LOCATION,
        ("positive2.tf", 4, "missed"): ROOT_KEY_LOCATION,
        ("positive2.tf", 2, "extra"): ROOT_KEY_LOCATION,
        ("negative.tf", 2, "negative"): (
            "aws-iam-no-user-access-keys reports every long-lived access key (low, medium "
            "without pgp_key); only a key for root is critical"
        ),
    },
    "sqs_policy_with_public_access": {
        ("positive.tf", 8, "missed"): (
            'Principal "*" with an aws:SourceIp condition: only callers from that range can '
            "use the queue, so tfguard does not report it as open to everyone"
        ),
        ("positive.tf", 39, "missed"): (
            'Principal "*" with an aws:SourceIp condition: only callers from that range can '
            "use the queue, so tfguard does not report it as open to everyone"
        ),
        ("positive.tf", 64, "missed"): (
            'Principal "*" with an aws:SourceIp condition: only callers from that range can '
            "use the queue, so tfguard does not report it as open to everyone"
        ),
    },
}
