from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._sql import FlagRule
from tfguard.rules.kit.conditions import Satisfies
from tfguard.rules.kit.values import Value


def _never(value: Value) -> Value:
    return False


class GoogleSqlSqlserverUserOptions(FlagRule):
    id = "google-sql-sqlserver-user-options"
    title = "SQL Server instance overrides session options for every user"
    severity = Severity.LOW
    rationale = (
        "The user options flag changes the default SET options of every session on the "
        "instance (ANSI behaviour, implicit transactions, arithmetic abort). Applications "
        "then run with settings nobody chose for them, which breaks assumptions that "
        "integrity checks and auditing rely on. CIS asks for the flag not to be configured."
    )
    remediation = 'Remove the "user options" flag from database_flags.'
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags",
        "https://cloud.google.com/sql/docs/sqlserver/flags",
    )
    bad_example = """
variable "sqlserver_root_password" {
  type      = string
  sensitive = true
}

resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "SQLSERVER_2022_STANDARD"
  region           = "europe-west1"
  root_password    = var.sqlserver_root_password

  settings {
    tier = "db-custom-2-7680"

    database_flags {
      name  = "user options"
      value = "64"
    }
  }
}
"""
    good_example = """
variable "sqlserver_root_password" {
  type      = string
  sensitive = true
}

resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "SQLSERVER_2022_STANDARD"
  region           = "europe-west1"
  root_password    = var.sqlserver_root_password

  settings {
    tier = "db-custom-2-7680"

    database_flags {
      name  = "remote access"
      value = "off"
    }
  }
}
"""
    engines = ("SQLSERVER",)
    flag = "user options"
    condition = Satisfies(_never, "must not be set")
    message = "SQL Server instance {address} sets the user options flag ({value})"
    missing_message = ""
    fix_description = "No automatic fix: remove the flag."
