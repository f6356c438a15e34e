"""Which tfguard rules answer which KICS GCP queries, and where tfguard disagrees on purpose.

``MAPPING``: KICS query folder (``assets/queries/terraform/gcp/<query>``) → the rule ids that
cover it (a finding of any of them counts). ``DISAGREEMENTS``: (query, file, line) → why
tfguard does not report an expected line of a positive file (``missing``) or reports a
negative file (``line`` then is the finding's line). test_kics_google checks that exactly
these cases disagree, so the list cannot go stale.
"""

from __future__ import annotations

MAPPING: dict[str, tuple[str, ...]] = {
    "artifact_registry_repository_is_public": ("google-artifact-registry-no-public-access",),
    "bigquery_dataset_is_public": ("google-bigquery-dataset-no-public-access",),
    "bigquery_table_is_public": ("google-bigquery-dataset-no-public-access",),
    "cloud_dns_without_dnssec": ("google-dns-zone-dnssec",),
    "cloud_kms_key_rings_are_public": ("google-kms-key-no-public-access",),
    "cloud_run_service_is_public": ("google-cloudrun-no-public-invoker",),
    "cloud_storage_anonymous_or_publicly_accessible": (
        "google-storage-bucket-no-public-iam",
        "google-storage-bucket-no-public-acl",
    ),
    "cloud_storage_bucket_is_publicly_accessible": (
        "google-storage-bucket-no-public-iam",
        "google-storage-bucket-no-public-acl",
    ),
    "cloud_storage_bucket_logging_not_enabled": ("google-storage-bucket-access-logging",),
    "cloud_storage_bucket_versioning_disabled": ("google-storage-bucket-versioning",),
    "cluster_labels_disabled": ("google-gke-resource-labels",),
    "container_registry_repository_is_public": ("google-storage-bucket-no-public-iam",),
    "cos_node_image_not_used": ("google-gke-node-cos-image",),
    "dataproc_cluster_has_public_ip": ("google-dataproc-no-public-ip",),
    "dataproc_clusters_is_public": ("google-iam-no-public-members",),
    "disk_encryption_disabled": ("google-compute-disk-customer-key",),
    "dnssec_using_rsasha1": ("google-dns-zone-no-rsasha1",),
    "firewall_ingress_allows_unrestricted_ftp_access": (
        "google-compute-firewall-no-public-ingress",
    ),
    "firewall_ingress_allows_unrestricted_mysql_access": (
        "google-compute-firewall-no-public-database-ports",
    ),
    "gke_control_plane_is_public": ("google-gke-control-plane-not-public",),
    "gke_legacy_authorization_enabled": ("google-gke-legacy-abac",),
    "gke_using_default_service_account": (
        "google-gke-node-default-service-account",
        "google-gke-node-default-sa-full-scope",
    ),
    "google_compute_network_using_firewall_rule_allows_all_ports": (
        "google-compute-firewall-no-public-all-ports",
    ),
    "google_compute_ssl_policy_weak_cipher_in_use": ("google-compute-ssl-policy-tls",),
    "google_compute_subnetwork_logging_disabled": ("google-compute-subnetwork-flow-logs",),
    "google_compute_subnetwork_with_private_google_access_disabled": (
        "google-compute-subnetwork-private-google-access",
    ),
    "google_container_node_pool_auto_repair_disabled": ("google-gke-node-auto-repair",),
    "google_project_auto_create_network_disabled": ("google-project-no-default-network",),
    "google_project_iam_binding_service_account_has_token_creator_or_account_user_role": (
        "google-iam-no-service-account-impersonation",
    ),
    "google_project_iam_member_service_account_has_admin_role": (
        "google-iam-service-account-admin-role",
        "google-iam-no-primitive-roles",
        "google-iam-no-service-account-impersonation",
    ),
    "google_project_iam_member_service_account_has_token_creator_or_account_user_role": (
        "google-iam-no-service-account-impersonation",
    ),
    "google_storage_bucket_level_access_disabled": ("google-storage-bucket-uniform-access",),
    "high_google_kms_crypto_key_rotation_period": ("google-kms-key-rotation",),
    "iam_audit_not_properly_configured": ("google-project-audit-logging",),
    "ip_forwarding_enabled": ("google-compute-instance-ip-forwarding",),
    "kms_crypto_key_publicly_accessible": ("google-kms-key-no-public-access",),
    "legacy_client_certificate_auth_enabled": ("google-gke-no-client-certificate",),
    "legacy_networks_exist_for_project": ("google-compute-network-no-auto-subnetworks",),
    "network_policy_disabled": ("google-gke-network-policy",),
    "node_auto_upgrade_disabled": ("google-gke-node-auto-upgrade",),
    "not_proper_email_account_in_use": ("google-iam-no-personal-accounts",),
    "os_login_disabled": ("google-compute-project-metadata-os-login",),
    "os_login_is_disabled_for_vm_instance": ("google-compute-instance-os-login",),
    "private_cluster_disabled": ("google-gke-private-nodes",),
    "project_wide_ssh_keys_are_enabled_in_vm_instances": (
        "google-compute-instance-block-project-ssh-keys",
    ),
    "pubsub_topic_is_public": ("google-pubsub-no-public-access",),
    "rdp_access_is_not_restricted": ("google-compute-firewall-no-public-rdp",),
    "service_account_with_improper_privileges": (
        "google-iam-no-primitive-roles",
        "google-iam-service-account-admin-role",
    ),
    "service_has_non_gcp_managed_service_account_keys": ("google-iam-service-account-key",),
    "shielded_gke_nodes_disabled": ("google-gke-shielded-nodes",),
    "shielded_vm_disabled": (
        "google-compute-instance-secure-boot",
        "google-compute-instance-shielded-vm",
    ),
    "sql_database_has_cross_db_ownership_chaining": (
        "google-sql-sqlserver-cross-db-ownership-chaining",
    ),
    "sql_database_instance_does_not_have_skip_show_database": (
        "google-sql-mysql-skip-show-database",
    ),
    "sql_db_instance_backup_disabled": ("google-sql-backups",),
    "sql_db_instance_is_publicly_accessible": (
        "google-sql-no-public-authorized-network",
        "google-sql-instance-public-ip",
    ),
    "sql_db_instance_with_ssl_disabled": ("google-sql-require-ssl",),
    "ssh_access_is_not_restricted": ("google-compute-firewall-no-public-ssh",),
    "stackdriver_logging_disabled": ("google-gke-logging",),
    "stackdriver_monitoring_disabled": ("google-gke-monitoring",),
    "using_default_service_account": (
        "google-compute-instance-default-service-account",
        "google-compute-instance-default-sa-full-scope",
    ),
    "vm_serial_ports_are_enabled_for_vm_instances": (
        "google-compute-instance-serial-port",
        "google-compute-project-metadata-serial-port",
    ),
    "vm_with_full_cloud_access": ("google-compute-instance-default-sa-full-scope",),
}

_INVALID = "invalid Terraform: the resource has no such argument (terraform validate rejects it)"
_DATA_SOURCE = (
    "a data source reads an existing instance; tfguard checks the resources that create one"
)
_UNAPPLIED = (
    "a data.google_iam_policy that no *_iam_policy resource applies grants nothing; tfguard "
    "reads its bindings where a policy resource applies them, at that resource's scope"
)
_AUTO_DEFAULT = (
    "no management block: GKE enables auto-repair and auto-upgrade on new node pools (API "
    "default since 2020, every provider version)"
)
_ALL_PORTS = (
    'protocol "all" is reported once, by google-compute-firewall-no-public-all-ports, not '
    "again per port"
)
_PRIVATE_ENDPOINT = (
    "private nodes are enabled; a public endpoint is reported by "
    "google-gke-master-authorized-networks when no authorized networks restrict it"
)
_LEGACY_SERVICE = 'the legacy Stackdriver service still collects; tfguard reports only "none"'

# (query, file, line) → reason.
DISAGREEMENTS: dict[tuple[str, str, int], str] = {
    ("cloud_dns_without_dnssec", "positive1.tf", 10): (
        "lifecycle ignore_changes = [dnssec_config]: DNSSEC is managed outside Terraform, so "
        "what the configuration says about it is not what the zone has"
    ),
    ("cloud_dns_without_dnssec", "positive2.tf", 1): (
        "visibility depends on a variable without a value: the zone may be private, where "
        "DNSSEC does not apply"
    ),
    ("cloud_storage_anonymous_or_publicly_accessible", "positive.tf", 5): (
        "members = []: an empty binding grants nothing to anyone"
    ),
    ("cloud_storage_bucket_is_publicly_accessible", "positive.tf", 17): _INVALID
    + " (members on google_storage_bucket_iam_member)",
    ("cloud_storage_bucket_logging_not_enabled", "negative.tf", 6): _INVALID
    + " (logBucket; the logging block then names no log_bucket)",
    ("cos_node_image_not_used", "positive.tf", 16): (
        "WINDOWS_LTSC: Windows node pools cannot run Container-Optimized OS"
    ),
    ("gke_using_default_service_account", "positive1.tf", 7): (
        "remove_default_node_pool = true deletes the pool this node_config configures"
    ),
    ("gke_using_default_service_account", "positive2.tf", 8): (
        "google_service_account.default is an account the module creates (named default), "
        "not the Compute Engine default service account"
    ),
    ("google_compute_network_using_firewall_rule_allows_all_ports", "positive.tf", 17): (
        "the all-ports rule admits only source_tags, not the internet; tfguard reports "
        "internet-facing rules, on the firewall's source_ranges"
    ),
    ("google_container_node_pool_auto_repair_disabled", "positive.tf", 19): _AUTO_DEFAULT,
    (
        "google_project_iam_binding_service_account_has_token_creator_or_account_user_role",
        "positive.tf",
        13,
    ): _INVALID + " (member on google_project_iam_binding)",
    (
        "google_project_iam_binding_service_account_has_token_creator_or_account_user_role",
        "positive.tf",
        29,
    ): _INVALID + " (member on google_project_iam_binding)",
    ("google_project_iam_member_service_account_has_admin_role", "positive.tf", 9): _INVALID
    + " (members on google_project_iam_member)",
    (
        "google_project_iam_member_service_account_has_token_creator_or_account_user_role",
        "positive.tf",
        9,
    ): _INVALID + " (members on google_project_iam_member)",
    ("iam_audit_not_properly_configured", "negative.tf", 1): (
        "allServices without DATA_WRITE: CIS asks for DATA_WRITE audit logs too (reported low)"
    ),
    ("iam_audit_not_properly_configured", "positive.tf", 3): (
        "a single-service audit config is not wrong in itself; its exempted_members (line 9) "
        "is reported"
    ),
    ("iam_audit_not_properly_configured", "positive.tf", 19): (
        "an invalid log_type is for terraform validate; the missing DATA_WRITE (line 15) and "
        "the exemption (line 23) are reported"
    ),
    ("kms_crypto_key_publicly_accessible", "positive1.tf", 24): _INVALID
    + " (member in a google_iam_policy binding, which takes members)",
    ("kms_crypto_key_publicly_accessible", "positive2.tf", 24): _INVALID
    + " (member in a google_iam_policy binding, which takes members)",
    ("legacy_client_certificate_auth_enabled", "positive.tf", 7): (
        "an empty master_auth issues no client certificate (issue_client_certificate "
        "defaults to false since google provider 3.0)"
    ),
    ("legacy_networks_exist_for_project", "negative_2.tf", 1): (
        "auto_create_subnetworks defaults to true: the network is in auto mode"
    ),
    ("network_policy_disabled", "positive.tf", 2): (
        "network_policy enabled and addons_config left out: whether GKE enables the add-on "
        "with the policy cannot be read, so only an explicitly disabled add-on is reported"
    ),
    ("network_policy_disabled", "positive.tf", 16): (
        "network_policy enabled and addons_config left out: only an explicitly disabled "
        "add-on is reported"
    ),
    ("network_policy_disabled", "positive.tf", 48): (
        "an empty addons_config leaves the network policy add-on unset: only an explicitly "
        "disabled add-on is reported"
    ),
    ("node_auto_upgrade_disabled", "positive.tf", 1): _AUTO_DEFAULT,
    ("node_auto_upgrade_disabled", "positive.tf", 19): (
        "a management block without auto_upgrade and no provider version constraint: true "
        "since google 5.0, false before, so it cannot be known"
    ),
    ("not_proper_email_account_in_use", "positive.tf", 6): (
        "reported on the members argument (line 5), where the grant is written"
    ),
    ("private_cluster_disabled", "positive.tf", 30): _PRIVATE_ENDPOINT,
    ("private_cluster_disabled", "positive.tf", 58): _PRIVATE_ENDPOINT,
    ("private_cluster_disabled", "positive.tf", 73): (
        "reported on enable_private_nodes = false (line 75), the argument to change"
    ),
    ("private_cluster_disabled", "positive.tf", 88): (
        "reported on enable_private_nodes = false (line 90), the argument to change"
    ),
    ("rdp_access_is_not_restricted", "positive.tf", 36): _ALL_PORTS,
    ("ssh_access_is_not_restricted", "positive.tf", 43): _ALL_PORTS,
    ("service_account_with_improper_privileges", "positive1.tf", 3): _UNAPPLIED,
    ("service_account_with_improper_privileges", "positive3.tf", 10): _UNAPPLIED,
    ("service_account_with_improper_privileges", "positive4.tf", 3): _UNAPPLIED,
    ("service_account_with_improper_privileges", "positive4.tf", 9): _UNAPPLIED,
    ("service_has_non_gcp_managed_service_account_keys", "negative.tf", 1): (
        "a google_service_account_key without public_key_data is a user-managed key whose "
        "private key Terraform stores in the state: the riskiest kind"
    ),
    **{
        ("shielded_vm_disabled", "positive.tf", line): _DATA_SOURCE
        for line in (2, 10, 19, 28, 38, 49, 60)
    },
    ("sql_database_instance_does_not_have_skip_show_database", "positive.tf", 8): (
        "reported on the settings block (line 6), where the missing flag goes"
    ),
    ("sql_db_instance_is_publicly_accessible", "negative.tf", 20): (
        "ipv4_enabled defaults to true: the instance has a public IP (reported low by "
        "google-sql-instance-public-ip even with private authorized networks)"
    ),
    ("stackdriver_logging_disabled", "positive.tf", 18): _LEGACY_SERVICE,
    ("stackdriver_monitoring_disabled", "positive.tf", 18): _LEGACY_SERVICE,
    ("using_default_service_account", "positive.tf", 2): (
        "no service_account block: the instance runs with no service account at all"
    ),
    ("using_default_service_account", "positive.tf", 100): (
        'email = "a" names some account, not the Compute Engine default one'
    ),
}
