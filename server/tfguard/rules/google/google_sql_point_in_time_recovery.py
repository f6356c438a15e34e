from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._sql import INSTANCE, engine
from tfguard.rules.kit.fixing import set_attributes_fix
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_bool

# The argument that turns on point-in-time recovery, by engine.
_ARGUMENT = {
    "MYSQL": "binary_log_enabled",
    "POSTGRES": "point_in_time_recovery_enabled",
    "SQLSERVER": "point_in_time_recovery_enabled",
}


class GoogleSqlPointInTimeRecovery(Rule):
    id = "google-sql-point-in-time-recovery"
    title = "Cloud SQL instance backs up without point-in-time recovery"
    severity = Severity.LOW
    rationale = (
        "Daily backups alone lose everything written since the last one: a destructive "
        "query at 17:00 costs a day of data. Point-in-time recovery (binary logging on "
        "MySQL, write-ahead log archiving on PostgreSQL and SQL Server) restores to any "
        "second within the retention window. Reported only on instances that take backups; "
        "instances without backups are reported by google-sql-backups."
    )
    remediation = (
        "Set point_in_time_recovery_enabled = true (PostgreSQL, SQL Server) or "
        "binary_log_enabled = true (MySQL) in settings.backup_configuration."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#point_in_time_recovery_enabled",
        "https://cloud.google.com/sql/docs/postgres/backup-recovery/pitr",
    )
    aliases = ("CKV2_GCP_20",)
    bad_example = """
resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "MYSQL_8_0"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    backup_configuration {
      enabled = true
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

    backup_configuration {
      enabled            = true
      binary_log_enabled = true
    }
  }
}
"""
    fix_description = (
        "Sets point_in_time_recovery_enabled = true (binary_log_enabled = true on MySQL) in "
        "backup_configuration."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for entity in live(module, INSTANCE):
            kind = engine(module, entity)
            argument = _ARGUMENT.get(str(kind))
            if argument is None or entity.attr("master_instance_name") is not None:
                continue
            enabled = lookup(module, entity, "settings.backup_configuration.enabled")
            if not enabled or not enabled[0].present or as_bool(enabled[0].value) is not True:
                continue  # no backups: google-sql-backups reports it
            setting = lookup(module, entity, f"settings.backup_configuration.{argument}")[0]
            if setting.present and as_bool(setting.value) is not False:
                continue  # true, or unknown
            yield ctx.report(
                entity,
                setting.anchor,
                f"Cloud SQL instance {entity.address} takes backups without point-in-time "
                f"recovery ({argument} is not true)",
                data={"argument": argument},
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        argument = str(finding.data.get("argument", ""))
        if argument not in ("binary_log_enabled", "point_in_time_recovery_enabled"):
            return []
        return set_attributes_fix(
            module,
            finding,
            f"Enable point-in-time recovery ({argument} = true)",
            {argument: "true"},
            literal_only=True,
        )
