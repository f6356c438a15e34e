from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._sql import FlagRule
from tfguard.rules.kit.conditions import Satisfies
from tfguard.rules.kit.values import UNKNOWN, Value, as_number


def _disabled(value: Value) -> Value:
    number = as_number(value)
    return UNKNOWN if number is UNKNOWN else number == -1


class GoogleSqlPostgresLogMinDurationStatement(FlagRule):
    id = "google-sql-postgres-log-min-duration-statement"
    title = "PostgreSQL instance logs the text of slow statements"
    severity = Severity.LOW
    rationale = (
        "log_min_duration_statement logs the full text of every statement that runs longer "
        "than the threshold, literal values included: passwords set with ALTER ROLE, personal "
        "data in WHERE clauses and tokens end up in Cloud Logging, readable by everyone with "
        "log access. CIS asks for -1 (disabled), the default; use Query Insights for "
        "performance work instead."
    )
    remediation = 'Remove the log_min_duration_statement flag or set it to "-1".'
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags",
        "https://cloud.google.com/sql/docs/postgres/flags",
    )
    aliases = (
        "CKV_GCP_57",
        "AVD-GCP-0021",
        "GCP-0021",
        "google-sql-pg-no-min-statement-logging",
    )
    bad_example = """
resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    database_flags {
      name  = "log_min_duration_statement"
      value = "500"
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

    database_flags {
      name  = "log_min_duration_statement"
      value = "-1"
    }
  }
}
"""
    engines = ("POSTGRES",)
    flag = "log_min_duration_statement"
    condition = Satisfies(_disabled, "must be -1")
    default = "-1"  # Cloud SQL's default for the flag
    wanted = "-1"
    message = (
        "PostgreSQL instance {address} logs statements slower than {value} ms, with their values"
    )
    missing_message = ""
    fix_description = (
        'Sets the log_min_duration_statement flag to "-1", adding a database_flags block to '
        "settings when it is missing."
    )
