from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._sql import IS_ON, FlagRule


class GoogleSqlPostgresPgaudit(FlagRule):
    id = "google-sql-postgres-pgaudit"
    title = "PostgreSQL instance does not enable pgAudit"
    severity = Severity.LOW
    rationale = (
        "pgAudit writes session and object audit records (who read or changed which table, "
        "which role ran which DDL) to Cloud Audit Logs. Without it, the database keeps no "
        "account of data access that an investigation or an auditor can rely on. It is off by "
        "default and needs cloudsql.enable_pgaudit = on (then CREATE EXTENSION pgaudit and "
        "pgaudit.log)."
    )
    remediation = (
        'Set database_flags { name = "cloudsql.enable_pgaudit", value = "on" }, then create '
        "the extension and set pgaudit.log."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags",
        "https://cloud.google.com/sql/docs/postgres/flags",
    )
    aliases = ("CKV_GCP_110",)
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
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }
  }
}
"""
    engines = ("POSTGRES",)
    flag = "cloudsql.enable_pgaudit"
    condition = IS_ON
    default = "off"  # Cloud SQL's default for the flag
    wanted = "on"
    message = "PostgreSQL instance {address} turns pgAudit off"
    missing_message = (
        "PostgreSQL instance {address} does not enable pgAudit (cloudsql.enable_pgaudit)"
    )
    fix_preferred = False
    fix_consequence = "the instance restarts"
    fix_description = (
        'Sets the cloudsql.enable_pgaudit flag to "on", adding a database_flags block to '
        "settings when it is missing. Not preferred: Cloud SQL restarts the instance to apply "
        "it."
    )
