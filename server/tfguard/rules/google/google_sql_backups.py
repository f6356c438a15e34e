from __future__ import annotations

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, entity_for
from tfguard.module import Module
from tfguard.rules.base import anchor_range
from tfguard.rules.google._sql import engine
from tfguard.rules.kit.conditions import Absent, Equals
from tfguard.rules.kit.declarative import Check, SetValue, When
from tfguard.rules.kit.fixing import is_literal, merge_insertions
from tfguard.rules.kit.values import UNKNOWN


class GoogleSqlBackups(Check):
    id = "google-sql-backups"
    title = "Cloud SQL instance has no automated backups"
    severity = Severity.MEDIUM
    rationale = (
        "Without automated backups (settings.backup_configuration.enabled defaults to "
        "false), a dropped table, a bad migration, a ransomware attack on the database or an "
        "instance deleted by mistake cannot be undone: there is nothing to restore from. Read "
        "replicas take no backups and are not reported."
    )
    remediation = (
        'Add backup_configuration { enabled = true, start_time = "03:00" } to settings '
        "(with point-in-time recovery for production)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#backup_configuration",
        "https://cloud.google.com/sql/docs/postgres/backup-recovery/backups",
    )
    aliases = (
        "CKV_GCP_14",
        "AVD-GCP-0024",
        "GCP-0024",
        "google-sql-enable-backup",
    )
    bad_example = """
resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"
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

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
    }
  }
}
"""
    resource_types = ("google_sql_database_instance",)
    attribute = "settings.backup_configuration.enabled"
    condition = Equals(True)
    default = False  # google provider, all majors
    only_if = (When("master_instance_name", Absent()),)  # replicas have no backups
    message = "Cloud SQL instance {address} disables automated backups"
    missing_message = "Cloud SQL instance {address} has no automated backups"
    fix = SetValue("true", "Enable automated backups")
    fix_description = (
        "Sets backup_configuration.enabled = true (adding the block when needed) together with "
        "point-in-time recovery (point_in_time_recovery_enabled, or binary_log_enabled on "
        "MySQL), so that the restored backups reach the last second."
    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        entity = entity_for(module, finding)
        if entity is None:
            return []
        kind = engine(module, entity)
        pitr = {"MYSQL": "binary_log_enabled"}.get(str(kind), "point_in_time_recovery_enabled")
        if kind is UNKNOWN:
            return super().fixes(finding, module)
        settings = entity.block.block("settings")
        if settings is None:
            return []
        backup = settings.block("backup_configuration")
        editor = Editor(module)
        title = "Enable automated backups with point-in-time recovery"
        if backup is None:
            if entity.abs(anchor_range(settings)) != finding.range:
                return []
            text = f"backup_configuration {{\n  enabled = true\n  {pitr} = true\n}}"
            return [Fix(title, (editor.insert_block(entity, settings, text),), "safe")]
        enabled = backup.attr("enabled")
        if enabled is not None and not is_literal(enabled):
            return []  # from a variable: fixed where it is set
        values = {"enabled": "true"}
        if backup.attr(pitr) is None:
            values[pitr] = "true"
        edits = [editor.set_attribute(entity, backup, k, v) for k, v in values.items()]
        return [Fix(title, tuple(merge_insertions(edits)), "safe")]
