from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._sql import IS_OFF, FlagRule


class GoogleSqlSqlserverContainedDatabaseAuthentication(FlagRule):
    id = "google-sql-sqlserver-contained-database-authentication"
    title = "SQL Server instance allows contained database authentication"
    severity = Severity.MEDIUM
    rationale = (
        "Contained databases authenticate their own users, outside the instance's logins: "
        "such users are invisible to server-level access reviews, and a database owner can "
        "create accounts that survive the removal of their own login. CIS asks for off, the "
        "default."
    )
    remediation = 'Remove the "contained database authentication" flag or set it to "off".'
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags",
        "https://cloud.google.com/sql/docs/sqlserver/flags",
    )
    aliases = (
        "CKV_GCP_59",
        "AVD-GCP-0023",
        "GCP-0023",
        "google-sql-no-contained-db-auth",
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
      name  = "contained database authentication"
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
      name  = "contained database authentication"
      value = "off"
    }
  }
}
"""
    engines = ("SQLSERVER",)
    flag = "contained database authentication"
    condition = IS_OFF
    default = "off"  # Cloud SQL's default for the flag
    wanted = "off"
    message = "SQL Server instance {address} allows contained database authentication"
    missing_message = ""
    fix_description = (
        'Sets the contained database authentication flag to "off", adding a database_flags '
        "block to settings when it is missing."
    )
