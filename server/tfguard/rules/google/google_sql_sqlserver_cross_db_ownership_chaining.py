from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._sql import IS_OFF, FlagRule


class GoogleSqlSqlserverCrossDbOwnershipChaining(FlagRule):
    id = "google-sql-sqlserver-cross-db-ownership-chaining"
    title = "SQL Server instance enables cross-database ownership chaining"
    severity = Severity.MEDIUM
    rationale = (
        "With cross db ownership chaining on, an object owner in one database can reach "
        "objects in every other database owned by the same login without a permission check "
        "there. A user who can create objects in one database can then read or change data in "
        "another. CIS asks for off, the default."
    )
    remediation = 'Remove the "cross db ownership chaining" flag or set it to "off".'
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags",
        "https://cloud.google.com/sql/docs/sqlserver/flags",
    )
    aliases = (
        "CKV_GCP_58",
        "AVD-GCP-0019",
        "GCP-0019",
        "google-sql-no-cross-db-ownership-chaining",
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
      name  = "cross db ownership chaining"
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
      name  = "cross db ownership chaining"
      value = "off"
    }
  }
}
"""
    engines = ("SQLSERVER",)
    flag = "cross db ownership chaining"
    condition = IS_OFF
    default = "off"  # Cloud SQL's default for the flag
    wanted = "off"
    message = "SQL Server instance {address} enables cross db ownership chaining"
    missing_message = ""
    fix_description = (
        'Sets the cross db ownership chaining flag to "off", adding a database_flags block '
        "to settings when it is missing."
    )
