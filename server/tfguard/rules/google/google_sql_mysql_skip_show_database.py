from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._sql import IS_ON, FlagRule


class GoogleSqlMysqlSkipShowDatabase(FlagRule):
    id = "google-sql-mysql-skip-show-database"
    title = "MySQL instance lets every user list all databases"
    severity = Severity.LOW
    rationale = (
        "Unless skip_show_database is on, any account can run SHOW DATABASES and learn the "
        "name of every database on the instance, including those it has no grant on: a map of "
        "tenants and applications for whoever holds one low-privilege credential. CIS asks "
        "for on; the default is off."
    )
    remediation = (
        'Set database_flags { name = "skip_show_database", value = "on" } in settings (the '
        "instance restarts)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags",
        "https://cloud.google.com/sql/docs/mysql/flags",
    )
    bad_example = """
resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "MYSQL_8_0"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"
  }
}
"""
    good_example = """
resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "MYSQL_8_0"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    database_flags {
      name  = "skip_show_database"
      value = "on"
    }
  }
}
"""
    engines = ("MYSQL",)
    flag = "skip_show_database"
    condition = IS_ON
    default = "off"  # Cloud SQL's default for the flag
    wanted = "on"
    message = "MySQL instance {address} turns skip_show_database off"
    missing_message = (
        "MySQL instance {address} lets every user list all databases (skip_show_database is "
        "off by default)"
    )
    fix_preferred = False
    fix_consequence = "the instance restarts"
    fix_description = (
        'Sets the skip_show_database flag to "on", adding a database_flags block to '
        "settings when it is missing. Not preferred: Cloud SQL restarts the instance to apply "
        "it."
    )
