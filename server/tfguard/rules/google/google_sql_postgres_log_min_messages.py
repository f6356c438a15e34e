from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._sql import FlagRule
from tfguard.rules.kit.conditions import Satisfies
from tfguard.rules.kit.values import UNKNOWN, Value, as_string

_LEVELS = (
    "debug5",
    "debug4",
    "debug3",
    "debug2",
    "debug1",
    "info",
    "notice",
    "warning",
    "error",
    "log",
    "fatal",
    "panic",
)


def _verbose_enough(value: Value) -> Value:
    text = as_string(value)
    if text is UNKNOWN or str(text).lower() not in _LEVELS:
        return UNKNOWN
    return _LEVELS.index(str(text).lower()) <= _LEVELS.index("warning")


class GoogleSqlPostgresLogMinMessages(FlagRule):
    id = "google-sql-postgres-log-min-messages"
    title = "PostgreSQL instance logs only errors or worse"
    severity = Severity.LOW
    rationale = (
        "log_min_messages sets the least severe message that reaches the log. Raised to "
        "error, log, fatal or panic, warnings (and with fatal or panic, most errors) are "
        "dropped: failed permission checks and suspicious queries disappear from the record. "
        "CIS asks for warning or more verbose; the default is warning."
    )
    remediation = 'Remove the log_min_messages flag or set it to "warning".'
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags",
        "https://cloud.google.com/sql/docs/postgres/flags",
    )
    aliases = (
        "CKV_GCP_55",
        "AVD-GCP-0018",
        "GCP-0018",
        "google-sql-pg-log-errors",
    )
    bad_example = """
resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    database_flags {
      name  = "log_min_messages"
      value = "fatal"
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
      name  = "log_min_messages"
      value = "warning"
    }
  }
}
"""
    engines = ("POSTGRES",)
    flag = "log_min_messages"
    condition = Satisfies(_verbose_enough, "must be warning or more verbose")
    default = "warning"  # Cloud SQL's default for the flag
    wanted = "warning"
    message = (
        "PostgreSQL instance {address} sets log_min_messages to {value}: warnings are not logged"
    )
    missing_message = ""
    fix_description = (
        'Sets the log_min_messages flag to "warning", adding a database_flags block to '
        "settings when it is missing."
    )
