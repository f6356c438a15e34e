from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._sql import IS_ON, FlagRule


class GoogleSqlPostgresLogLockWaits(FlagRule):
    id = "google-sql-postgres-log-lock-waits"
    title = "PostgreSQL instance does not log lock waits"
    severity = Severity.LOW
    rationale = (
        "log_lock_waits logs sessions that wait longer than deadlock_timeout for a lock. Long "
        "lock waits are the usual cause of stalled applications and can be provoked on "
        "purpose to deny service; without the log, they are hard to tell from ordinary "
        "slowness. The flag is off by default."
    )
    remediation = 'Set database_flags { name = "log_lock_waits", value = "on" } in settings.'
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags",
        "https://cloud.google.com/sql/docs/postgres/flags",
    )
    aliases = (
        "CKV_GCP_54",
        "AVD-GCP-0020",
        "GCP-0020",
        "google-sql-pg-log-lock-waits",
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
      name  = "log_lock_waits"
      value = "on"
    }
  }
}
"""
    engines = ("POSTGRES",)
    flag = "log_lock_waits"
    condition = IS_ON
    default = "off"  # Cloud SQL's default for the flag
    wanted = "on"
    message = "PostgreSQL instance {address} turns log_lock_waits off"
    missing_message = (
        "PostgreSQL instance {address} does not log lock waits (log_lock_waits is off by default)"
    )
    fix_description = (
        'Sets the log_lock_waits flag to "on", adding a database_flags block to settings '
        "when it is missing."
    )
