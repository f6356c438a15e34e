from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._network import SENSITIVE_PORTS, UDP_SERVICES, PublicIngressRule
from tfguard.rules.azure._support import docs


class AzureNetworkNoPublicSensitivePorts(PublicIngressRule):
    id = "azure-network-no-public-sensitive-ports"
    title = "NSG rule exposes a database or other sensitive port to the internet"
    severity = Severity.HIGH
    rationale = (
        "Database, cache and search ports (SQL Server 1433, MySQL 3306, PostgreSQL 5432, "
        "Redis 6379, MongoDB 27017, Elasticsearch 9200...), file sharing (SMB 445, NetBIOS), "
        "Telnet, FTP, WinRM, VNC and container control planes (Docker 2375, etcd) are not "
        "built to face the internet: they are scanned constantly, and default or weak "
        "credentials and unauthenticated APIs on them are a common cause of data theft and "
        "ransom. SSH and RDP have rules of their own."
    )
    remediation = (
        "Restrict source_address_prefix(es) to the application subnets or known ranges, and "
        "reach managed databases through private endpoints instead of public NSG rules."
    )
    links = (
        docs("network_security_rule"),
        docs("network_security_group"),
        "https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview",
        "https://learn.microsoft.com/en-us/azure/private-link/private-endpoint-overview",
    )
    aliases = (
        "AVD-AZU-0074",
        "AZU-0074",
        "azure-network-sensitive-port-is-exposed-to-entire-network",
    )
    bad_example = """
resource "azurerm_network_security_rule" "postgres" {
  name                        = "postgres"
  priority                    = 120
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "5000-5500"
  source_address_prefixes     = ["10.0.0.0/8", "0.0.0.0/0"]
  destination_address_prefix  = "*"
  resource_group_name         = "rg-data"
  network_security_group_name = "nsg-data"
}
"""
    good_example = """
resource "azurerm_network_security_rule" "postgres" {
  name                        = "postgres-from-app"
  priority                    = 120
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "5432"
  source_address_prefixes     = ["10.0.1.0/24"]
  destination_address_prefix  = "*"
  resource_group_name         = "rg-data"
  network_security_group_name = "nsg-data"
}
"""
    fix_description = (
        "Replaces the internet source with a new variable <nsg>_allowed_source(s), declared "
        "in variables.tf without a default (other entries of a list are kept). Unsafe: "
        "it closes the port to everyone else. Not offered when the source comes "
        "from a variable or a local."
    )
    wanted = SENSITIVE_PORTS
    udp_ports = UDP_SERVICES
