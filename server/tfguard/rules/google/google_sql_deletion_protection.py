from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleSqlDeletionProtection(Check):
    id = "google-sql-deletion-protection"
    title = "Cloud SQL instance turns off Terraform's deletion protection"
    severity = Severity.LOW
    rationale = (
        "deletion_protection = false lets terraform destroy, or a plan that replaces the "
        "instance after an argument change, delete the database together with its automated "
        "backups, which Cloud SQL removes with the instance. The provider's default (true) "
        "makes such a plan fail instead."
    )
    remediation = (
        "Remove deletion_protection = false (the default is true), and consider "
        "settings.deletion_protection_enabled = true to also block deletion outside "
        "Terraform."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#deletion_protection",
        "https://cloud.google.com/sql/docs/postgres/deletion-protection",
    )
    bad_example = """
resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "POSTGRES_16"
  region           = "europe-west1"
  deletion_protection = false

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
  deletion_protection = true

  settings {
    tier = "db-custom-2-7680"
  }
}
"""
    resource_types = ("google_sql_database_instance",)
    attribute = "deletion_protection"
    condition = Equals(True)
    default = True  # google provider 3.x and later
    message = "Cloud SQL instance {address} can be deleted by terraform destroy"
    fix = SetValue("true", "Turn deletion protection back on")
