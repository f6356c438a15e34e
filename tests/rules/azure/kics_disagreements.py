"""Where tfguard's Azure rules and KICS's labelled tests disagree, and why. The agreement test
checks that exactly these cases disagree, so the list cannot go stale: a rule change that
fixes or adds a disagreement must update it.

MISSED: (query, file, line) that KICS labels and no mapped tfguard rule reports.
EXTRA: (query, file, line) where a mapped tfguard rule reports inside a KICS negative file.
"""

from __future__ import annotations

LIST_VALUE = (
    'the value is written as a one-element list ([true], ["false"], ["TLS1_0"]) for a bool '
    "or string argument: Terraform rejects the file, and tfguard never reads a list as a flag"
)
LEGACY_FTPS_DEFAULT = (
    "the legacy azurerm_function_app leaves ftps_state to Azure (no provider default), so an "
    "absent ftps_state is unknown, not AllAllowed"
)
COSMOS_VNET_FILTER = (
    "is_virtual_network_filter_enabled = true with no rules already closes the public "
    "endpoint: only listed networks (none) get in"
)
REDIS_ZERO_RANGE = (
    "0.0.0.0-0.0.0.0 on a Redis firewall is the single address 0.0.0.0, not the whole "
    "internet (Redis has no allow-Azure-services switch)"
)
PRIVATE_RANGE = (
    "the range holds only private addresses (10.0.17.62-10.0.27.62): a public firewall rule "
    "for them admits no internet host; tfguard reports the whole internet and public ranges "
    "wider than 65,536 addresses"
)
UDP_NON_SENSITIVE = (
    "UDP to a TCP-only service (Cassandra OpsCenter 61621, Telnet 23): nothing listens there, "
    "tfguard counts UDP only for DNS, NetBIOS, SNMP, SQL Browser and Memcached"
)
LOG_RETENTION_FOREVER = (
    "a log profile retention policy that is disabled, or enabled with days = 0 (the default), "
    "keeps the activity log indefinitely"
)
FLOW_RETENTION = (
    "a disabled flow-log retention policy keeps the logs (the storage account's lifecycle "
    "applies), and a flow log without the required retention_policy block cannot be applied"
)
AUDIT_RETENTION = (
    "retention_in_days = 0 (also the default) keeps audit records forever and 90 days meets "
    "the 90-day minimum; KICS asks for more than 90"
)
PAST_END_OF_FILE = "the label points past the end of the file (stale KICS expectation)"
UDP_RDP = (
    "Remote Desktop 8+ also streams over UDP 3389, so an internet-open UDP 3389 rule exposes "
    "RDP; KICS counts TCP only"
)
ZERO_ADDRESS = (
    'the kit\'s is_public_source treats a bare "0.0.0.0" source as the whole internet (a '
    "common spelling of 0.0.0.0/0); KICS reads it as one address"
)
SSH_IS_SENSITIVE = (
    "ports 22 and 53 from any source: SSH and DNS are exposed (reported by the SSH and "
    "sensitive-port rules); KICS's sensitive-port list leaves them out"
)
DATABASE_ID_POLICY = (
    "the azurerm_mssql_server_extended_auditing_policy sets database_id instead of the "
    "required server_id: it audits no server, so the server is reported"
)
NO_NETWORK_RULES = (
    "an account without network rules (or with default_action = Allow) accepts every "
    "network; KICS only looks for 0.0.0.0/0 in ip_rules"
)
NESTED_PUBLIC_DEFAULT = (
    "allow_nested_items_to_be_public is not set and defaults to true in azurerm 3.x and 4.x: "
    "containers can be made public"
)

MISSED: dict[tuple[str, str, int], str] = {
    ("cosmosdb_account_ip_range_filter_not_set", "positive.tf", 1): COSMOS_VNET_FILTER,
    ("function_app_ftps_enforce_disabled", "positive2.tf", 9): LEGACY_FTPS_DEFAULT,
    ("mariadb_not_using_latest_tls", "positive.tf", 7): LIST_VALUE,
    ("mariadb_not_using_latest_tls", "positive.tf", 18): LIST_VALUE,
    ("mysql_enforce_ssl_connection_disabled", "positive.tf", 5): LIST_VALUE,
    ("mysql_not_using_latest_tls", "positive.tf", 6): LIST_VALUE,
    ("postgres_enforce_ssl_connection_disabled", "positive.tf", 8): LIST_VALUE,
    ("postgres_sql_server_enables_public_access", "positive.tf", 7): LIST_VALUE,
    ("redis_entirely_accessible", "positive.tf", 22): REDIS_ZERO_RANGE,
    **{
        ("remote_debugging_enabled_app_service", "positive.tf", line): LIST_VALUE
        for line in range(5, 14)
    },
    ("sensitive_port_is_exposed_to_entire_network", "positive.tf", 8): UDP_NON_SENSITIVE,
    ("sensitive_port_is_exposed_to_entire_network", "positive.tf", 64): UDP_NON_SENSITIVE,
    ("small_activity_log_retention_period", "positive.tf", 41): LOG_RETENTION_FOREVER,
    ("small_activity_log_retention_period", "positive.tf", 64): LOG_RETENTION_FOREVER,
    ("small_flow_logs_retention_period", "positive.tf", 27): FLOW_RETENTION,
    ("small_flow_logs_retention_period", "positive.tf", 43): FLOW_RETENTION,
    ("small_msql_server_audit_retention", "positive.tf", 7): AUDIT_RETENTION,
    ("small_msql_server_audit_retention", "positive.tf", 28): AUDIT_RETENTION,
    ("small_msql_server_audit_retention", "positive.tf", 46): AUDIT_RETENTION,
    ("small_mssql_audit_retention_period", "positive.tf", 29): AUDIT_RETENTION,
    ("small_mssql_audit_retention_period", "positive.tf", 47): AUDIT_RETENTION,
    ("storage_account_not_forcing_https", "positive.tf", 10): PAST_END_OF_FILE,
    ("unrestricted_sql_server_access", "positive.tf", 27): PRIVATE_RANGE,
}

EXTRA: dict[tuple[str, str, int], str] = {
    ("mssql_server_auditing_disabled", "negative.tf", 10): DATABASE_ID_POLICY,
    ("public_storage_account", "negative1.tf", 1): NESTED_PUBLIC_DEFAULT,
    ("public_storage_account", "negative1.tf", 24): NO_NETWORK_RULES,
    ("public_storage_account", "negative2.tf", 1): NO_NETWORK_RULES,
    ("public_storage_account", "negative3.tf", 1): NO_NETWORK_RULES,
    ("rdp_is_exposed_to_the_internet", "negative.tf", 23): UDP_RDP,
    ("rdp_is_exposed_to_the_internet", "negative.tf", 97): UDP_RDP,
    ("rdp_is_exposed_to_the_internet", "negative.tf", 127): UDP_RDP,
    ("sensitive_port_is_exposed_to_entire_network", "negative.tf", 37): ZERO_ADDRESS,
    ("sensitive_port_is_exposed_to_entire_network", "negative.tf", 107): SSH_IS_SENSITIVE,
}
