from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._sql import IS_ON, FlagRule


class GoogleSqlPostgresLogConnections(FlagRule):
    id = "google-sql-postgres-log-connections"
    title = "PostgreSQL instance does not log connection attempts"
    severity = Severity.MEDIUM
    rationale = (
        "log_connections records every connection attempt with its client address and user. "
        "Without it, brute-force attempts, logins from unexpected networks and the first "
        "connection of a stolen credential leave no trace in the database logs. The flag is "
        "off by default."
    )
    remediation = 'Set database_flags { name = "log_connections", value = "on" } in settings.'
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags",
        "https://cloud.google.com/sql/docs/postgres/flags",
    )
    aliases = (
        "CKV_GCP_52",
        "AVD-GCP-0016",
        "GCP-0016",
        "google-sql-pg-log-connections",
    )
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

    database_flags {
      name  = "log_connections"
      value = "on"
    }
  }
}
"""
    engines = ("POSTGRES",)
    flag = "log_connections"
    condition = IS_ON
    default = "off"  # Cloud SQL's default for the flag
    wanted = "on"
    message = "PostgreSQL instance {address} turns log_connections off"
    missing_message = (
        "PostgreSQL instance {address} does not log connection attempts (log_connections is "
        "off by default)"
    )
    fix_description = (
        'Sets the log_connections flag to "on", adding a database_flags block to settings '
        "when it is missing."
    )
