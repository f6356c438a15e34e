from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._sql import IS_OFF, FlagRule


class GoogleSqlSqlserverRemoteAccess(FlagRule):
    id = "google-sql-sqlserver-remote-access"
    title = "SQL Server instance allows remote stored procedure calls"
    severity = Severity.LOW
    rationale = (
        "The remote access option lets other SQL Server instances run stored procedures on "
        "this one (and this one on them) through remote servers, a path for lateral movement "
        "and for denial of service through offloaded queries that few teams use. It is on by "
        "default; CIS asks for off."
    )
    remediation = 'Set database_flags { name = "remote access", value = "off" } in settings.'
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
    flag = "remote access"
    condition = IS_OFF
    default = "on"  # Cloud SQL's default for the flag
    wanted = "off"
    message = "SQL Server instance {address} allows remote access (remote stored procedure calls)"
    missing_message = (
        "SQL Server instance {address} allows remote stored procedure calls (remote access is "
        "on by default)"
    )
    fix_preferred = False
    fix_consequence = "the instance restarts"
    fix_description = (
        'Sets the remote access flag to "off", adding a database_flags block to settings '
        "when it is missing. Not preferred: Cloud SQL restarts the instance to apply it."
    )
