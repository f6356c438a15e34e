from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._sql import INSTANCE, open_authorized_networks
from tfguard.rules.kit.resources import live


class GoogleSqlNoPublicAuthorizedNetwork(Rule):
    id = "google-sql-no-public-authorized-network"
    title = "Cloud SQL instance accepts connections from the whole internet"
    severity = Severity.CRITICAL
    rationale = (
        "An authorized network of 0.0.0.0/0 (or ::/0) on an instance with a public IP lets "
        "every host on the internet connect to the database port directly, bypassing the "
        "Cloud SQL Auth Proxy and IAM: only the database password stands between attackers "
        "and the data, and database ports are scanned and brute-forced continuously."
    )
    remediation = (
        "Remove the open authorized network; connect through the Cloud SQL Auth Proxy or "
        "connectors (no authorized networks needed), or give the instance a private IP only "
        "(ipv4_enabled = false with private_network)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#authorized_networks",
        "https://cloud.google.com/sql/docs/postgres/authorize-networks",
    )
    aliases = (
        "CKV_GCP_11",
        "AVD-GCP-0017",
        "GCP-0017",
        "google-sql-no-public-access",
    )
    bad_example = """
resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    ip_configuration {
      authorized_networks {
        name  = "anywhere"
        value = "0.0.0.0/0"
      }
    }
  }
}
"""
    good_example = """
resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    ip_configuration {
      ipv4_enabled    = false
      private_network = "projects/shop/global/networks/main"
    }
  }
}
"""
    fix_description = (
        "No automatic fix: removing the range cuts off clients that connect directly; move "
        "them to the Auth Proxy or private IP first."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for entity in live(ctx.module, INSTANCE):
            for anchor, cidr in open_authorized_networks(ctx.module, entity):
                yield ctx.report(
                    entity,
                    anchor,
                    f"Cloud SQL instance {entity.address} accepts connections from {cidr} "
                    "(the whole internet)",
                )
