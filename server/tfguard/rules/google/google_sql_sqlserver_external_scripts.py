from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._sql import IS_OFF, FlagRule


class GoogleSqlSqlserverExternalScripts(FlagRule):
    id = "google-sql-sqlserver-external-scripts"
    title = "SQL Server instance lets queries run external scripts"
    severity = Severity.MEDIUM
    rationale = (
        "external scripts enabled lets sp_execute_external_script run R and Python code on "
        "the database host with the SQL Server service's rights: SQL injection or a database "
        "user becomes code execution outside the database engine. CIS asks for off, the "
        "default."
    )
    remediation = 'Remove the "external scripts enabled" flag or set it to "off".'
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
      name  = "external scripts enabled"
      value = "on"
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
      name  = "external scripts enabled"
      value = "off"
    }
  }
}
"""
    engines = ("SQLSERVER",)
    flag = "external scripts enabled"
    condition = IS_OFF
    default = "off"  # Cloud SQL's default for the flag
    wanted = "off"
    message = "SQL Server instance {address} enables external scripts"
    missing_message = ""
    fix_description = (
        'Sets the external scripts enabled flag to "off", adding a database_flags block to '
        "settings when it is missing."
    )
