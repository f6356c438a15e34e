from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._sql import IS_OFF, FlagRule


class GoogleSqlMysqlLocalInfile(FlagRule):
    id = "google-sql-mysql-local-infile"
    title = "MySQL instance allows LOAD DATA LOCAL INFILE"
    severity = Severity.MEDIUM
    rationale = (
        "With local_infile on, LOAD DATA LOCAL lets the server ask the client to send any "
        "file the client can read. A malicious or compromised server, or SQL injection in an "
        "application that connects with it, can read files off application hosts "
        "(configuration, keys). CIS asks for off."
    )
    remediation = 'Set the local_infile flag to "off" (or remove it).'
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags",
        "https://cloud.google.com/sql/docs/mysql/flags",
    )
    aliases = (
        "CKV_GCP_50",
        "AVD-GCP-0026",
        "GCP-0026",
        "google-sql-mysql-no-local-infile",
    )
    bad_example = """
resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "MYSQL_8_0"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    database_flags {
      name  = "local_infile"
      value = "on"
    }
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
      name  = "local_infile"
      value = "off"
    }
  }
}
"""
    engines = ("MYSQL",)
    flag = "local_infile"
    condition = IS_OFF
    wanted = "off"
    message = "MySQL instance {address} turns local_infile on"
    missing_message = ""
    fix_description = (
        'Sets the local_infile flag to "off", adding a database_flags block to settings '
        "when it is missing."
    )
