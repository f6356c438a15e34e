from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._sql import IS_ON, FlagRule


class GoogleSqlPostgresLogDisconnections(FlagRule):
    id = "google-sql-postgres-log-disconnections"
    title = "PostgreSQL instance does not log session ends"
    severity = Severity.MEDIUM
    rationale = (
        "log_disconnections records the end of every session with its duration. Together with "
        "log_connections it shows how long a suspicious session lasted and what else happened "
        "during it; without it, session timelines cannot be reconstructed. The flag is off by "
        "default."
    )
    remediation = 'Set database_flags { name = "log_disconnections", value = "on" } in settings.'
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags",
        "https://cloud.google.com/sql/docs/postgres/flags",
    )
    aliases = (
        "CKV_GCP_53",
        "AVD-GCP-0022",
        "GCP-0022",
        "google-sql-pg-log-disconnections",
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
      name  = "log_disconnections"
      value = "on"
    }
  }
}
"""
    engines = ("POSTGRES",)
    flag = "log_disconnections"
    condition = IS_ON
    default = "off"  # Cloud SQL's default for the flag
    wanted = "on"
    message = "PostgreSQL instance {address} turns log_disconnections off"
    missing_message = (
        "PostgreSQL instance {address} does not log session ends (log_disconnections is off "
        "by default)"
    )
    fix_description = (
        'Sets the log_disconnections flag to "on", adding a database_flags block to '
        "settings when it is missing."
    )
