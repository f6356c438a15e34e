from __future__ import annotations

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.google._sql import IS_ON, FlagRule, major_version
from tfguard.rules.kit.values import UNKNOWN, Value


class GoogleSqlPostgresLogCheckpoints(FlagRule):
    id = "google-sql-postgres-log-checkpoints"
    title = "PostgreSQL instance does not log checkpoints"
    severity = Severity.LOW
    rationale = (
        "log_checkpoints records every checkpoint with its timing and the amount of data "
        "written. Checkpoint storms are how heavy write loads, runaway batch jobs and some "
        "denial-of-service patterns first show up, and CIS asks for the flag to be on. "
        "PostgreSQL 15 and later log checkpoints by default; older versions do not, so the "
        "rule reads the version from database_version."
    )
    remediation = 'Set database_flags { name = "log_checkpoints", value = "on" } in settings.'
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#database_flags",
        "https://cloud.google.com/sql/docs/postgres/flags",
    )
    aliases = (
        "CKV_GCP_51",
        "AVD-GCP-0025",
        "GCP-0025",
        "google-sql-pg-log-checkpoints",
    )
    bad_example = """
resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    database_flags {
      name  = "log_checkpoints"
      value = "off"
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
      name  = "log_checkpoints"
      value = "on"
    }
  }
}
"""
    engines = ("POSTGRES",)
    flag = "log_checkpoints"
    condition = IS_ON
    wanted = "on"
    message = "PostgreSQL instance {address} turns log_checkpoints off"
    missing_message = (
        "PostgreSQL instance {address} does not log checkpoints (log_checkpoints defaults to "
        "off before PostgreSQL 15)"
    )
    fix_description = (
        'Sets the log_checkpoints flag to "on", adding a database_flags block to settings '
        "when it is missing."
    )

    def default_for(self, module: Module, entity: Entity) -> Value:
        # PostgreSQL 15 changed log_checkpoints' default to on.
        major = major_version(module, entity)
        if major is UNKNOWN:
            return UNKNOWN
        return "on" if major >= 15 else "off"
