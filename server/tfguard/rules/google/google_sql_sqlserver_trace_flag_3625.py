from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._sql import IS_ON, FlagRule


class GoogleSqlSqlserverTraceFlag3625(FlagRule):
    id = "google-sql-sqlserver-trace-flag-3625"
    title = "SQL Server instance shows error details to every user"
    severity = Severity.LOW
    rationale = (
        "Without trace flag 3625, error messages returned to users who are not sysadmin "
        "include details such as object names and parameter values, which helps an attacker "
        "probing through SQL injection. The flag masks them. CIS asks for it to be on; it is "
        "off by default."
    )
    remediation = 'Set database_flags { name = "3625", value = "on" } in settings.'
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
      name  = "3625"
      value = "on"
    }
  }
}
"""
    engines = ("SQLSERVER",)
    flag = "3625"
    condition = IS_ON
    default = "off"  # Cloud SQL's default for the flag
    wanted = "on"
    message = "SQL Server instance {address} turns trace flag 3625 off"
    missing_message = (
        "SQL Server instance {address} does not set trace flag 3625: error details reach every user"
    )
    fix_preferred = False
    fix_consequence = "the instance restarts"
    fix_description = (
        'Sets the 3625 flag to "on", adding a database_flags block to settings when it is '
        "missing. Not preferred: Cloud SQL restarts the instance to apply it."
    )
