from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.google._sql import open_authorized_networks
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleSqlInstancePublicIp(Check):
    id = "google-sql-instance-public-ip"
    title = "Cloud SQL instance has a public IP address"
    severity = Severity.LOW
    rationale = (
        "ipv4_enabled defaults to true, so a Cloud SQL instance gets a public IP unless told "
        "otherwise. Without authorized networks only the Cloud SQL Auth Proxy and connectors "
        "can use it, but the instance stays one authorized_networks entry away from the "
        "internet, and its traffic leaves the VPC. Private IP keeps the database reachable "
        "only from the networks that need it. (An instance open to 0.0.0.0/0 is reported by "
        "google-sql-no-public-authorized-network.)"
    )
    remediation = (
        "Set ip_configuration { ipv4_enabled = false, private_network = <VPC> } and connect "
        "over private service access or Private Service Connect."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#ipv4_enabled",
        "https://cloud.google.com/sql/docs/postgres/configure-private-ip",
    )
    aliases = ("CKV_GCP_60",)
    bad_example = """
resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"
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
    resource_types = ("google_sql_database_instance",)
    attribute = "settings.ip_configuration.ipv4_enabled"
    condition = Equals(False)
    default = True  # google provider, all majors
    message = "Cloud SQL instance {address} has a public IP address"
    missing_message = (
        "Cloud SQL instance {address} leaves ipv4_enabled at its default (true): it has a "
        "public IP address"
    )
    fix = SetValue(
        "false",
        "Remove the public IP address",
        applicability="unsafe",
        consequence="clients on the public IP lose access",
    )
    fix_description = (
        "Sets ipv4_enabled = false (not preferred: clients that connect over the public IP "
        "lose access, and the instance needs a private_network)."
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        return [e for e in super().subjects(module) if not open_authorized_networks(module, e)]
