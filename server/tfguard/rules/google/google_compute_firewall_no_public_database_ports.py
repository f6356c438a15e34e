from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._network import (
    narrow_sources_fixes,
    not_all_ports,
    ports_text,
    report_public,
)
from tfguard.rules.kit.network import DATABASE_PORTS, Ingress


def _databases(ingress: Ingress) -> str | None:
    if not not_all_ports(ingress):
        return None
    ports = ingress.exposes(sorted(DATABASE_PORTS))
    return ports_text(ports, DATABASE_PORTS) if ports else None


class GoogleComputeFirewallNoPublicDatabasePorts(Rule):
    id = "google-compute-firewall-no-public-database-ports"
    title = "Firewall rule admits database ports from the whole internet"
    severity = Severity.CRITICAL
    rationale = (
        "MySQL (3306), PostgreSQL (5432), SQL Server (1433), Oracle (1521), Redis (6379), "
        "MongoDB (27017), Elasticsearch (9200), Cassandra, CouchDB and Memcached open to "
        "0.0.0.0/0 or ::/0 are found by internet-wide scanners within hours; unauthenticated "
        "caches and search clusters are wiped or ransomed, and databases are brute-forced. A "
        "database should only be reachable from the application tier."
    )
    remediation = (
        "Restrict source_ranges to the application subnets (or use source_tags / "
        "source_service_accounts of the clients), or use Cloud SQL with private IP and the "
        "Cloud SQL Auth Proxy instead of a self-managed database on a public port."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_firewall",
        "https://cloud.google.com/firewall/docs/using-firewalls",
    )
    aliases = ("CKV_GCP_88",)
    bad_example = """
resource "google_compute_firewall" "db" {
  name    = "allow-postgres"
  network = "main"

  allow {
    protocol = "tcp"
    ports    = ["5432", "6379"]
  }

  source_ranges = ["0.0.0.0/0"]
}
"""
    good_example = """
resource "google_compute_firewall" "db" {
  name    = "allow-postgres-from-app"
  network = "main"

  allow {
    protocol = "tcp"
    ports    = ["5432"]
  }

  source_tags = ["app"]
  target_tags = ["db"]
}
"""
    fix_description = (
        "Not preferred (both change who can connect): removes 0.0.0.0/0 and ::/0 from "
        "source_ranges when other ranges remain, or replaces the list with a new variable "
        "<rule>_source_ranges declared in variables.tf without a default."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        yield from report_public(ctx, _databases, "database ports")

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return narrow_sources_fixes(module, finding)
