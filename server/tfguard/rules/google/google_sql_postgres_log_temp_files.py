from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._sql import FlagRule
from tfguard.rules.kit.conditions import Satisfies
from tfguard.rules.kit.values import UNKNOWN, Value, as_number


def _zero(value: Value) -> Value:
    number = as_number(value)
    return UNKNOWN if number is UNKNOWN else number == 0


class GoogleSqlPostgresLogTempFiles(FlagRule):
    id = "google-sql-postgres-log-temp-files"
    title = "PostgreSQL instance does not log temporary files"
    severity = Severity.LOW
    rationale = (
        "log_temp_files = 0 logs every temporary file a query writes to disk. Large sorts and "
        "hashes that spill to disk point at inefficient or abusive queries (and at data being "
        "staged in bulk); the default of -1 logs none of them. CIS asks for 0."
    )
    remediation = 'Set database_flags { name = "log_temp_files", value = "0" } in settings.'
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags",
        "https://cloud.google.com/sql/docs/postgres/flags",
    )
    aliases = (
        "CKV_GCP_56",
        "AVD-GCP-0014",
        "GCP-0014",
        "google-sql-enable-pg-temp-file-logging",
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
      name  = "log_temp_files"
      value = "0"
    }
  }
}
"""
    engines = ("POSTGRES",)
    flag = "log_temp_files"
    condition = Satisfies(_zero, "must be 0")
    default = "-1"  # Cloud SQL's default for the flag
    wanted = "0"
    message = (
        "PostgreSQL instance {address} sets log_temp_files to {value}: not every temporary "
        "file is logged"
    )
    missing_message = (
        "PostgreSQL instance {address} does not log temporary files (log_temp_files defaults to -1)"
    )
    fix_description = (
        'Sets the log_temp_files flag to "0", adding a database_flags block to settings '
        "when it is missing."
    )
