from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.instances import resource_rule_sets
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_string, known_strings

AUDIT_CONFIGS = (
    "google_project_iam_audit_config",
    "google_folder_iam_audit_config",
    "google_organization_iam_audit_config",
)
_DATA_TYPES = ("DATA_READ", "DATA_WRITE")


class GoogleProjectAuditLogging(Rule):
    id = "google-project-audit-logging"
    title = "Audit logging exempts principals or skips Data Access logs"
    severity = Severity.MEDIUM
    rationale = (
        "Data Access audit logs (DATA_READ, DATA_WRITE) record who read and changed data in "
        "every service; admin activity alone does not show a mass download. A "
        "google_*_iam_audit_config for allServices that leaves one of them out misses those "
        "events, and exempted_members removes chosen principals from the record entirely, "
        "the accounts an attacker would most like to hide behind. CIS asks for all services, "
        "both data log types and no exemptions."
    )
    remediation = (
        'Configure service = "allServices" with audit_log_config blocks for ADMIN_READ, '
        "DATA_READ and DATA_WRITE, without exempted_members (exclude noisy logs with log "
        "exclusions on the sink instead)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_project_iam#google_project_iam_audit_config",
        "https://cloud.google.com/logging/docs/audit/configure-data-access",
    )
    aliases = (
        "CKV2_GCP_5",
        "AVD-GCP-0079",
        "GCP-0079",
        "google-iam-configure-audit-logging",
    )
    bad_example = """
resource "google_project_iam_audit_config" "all" {
  project = "shop-prod-4a1c"
  service = "allServices"

  audit_log_config {
    log_type = "ADMIN_READ"
  }

  audit_log_config {
    log_type         = "DATA_READ"
    exempted_members = ["user:ops-bot@example.com"]
  }

  audit_log_config {
    log_type = "DATA_WRITE"
  }
}
"""
    good_example = """
resource "google_project_iam_audit_config" "all" {
  project = "shop-prod-4a1c"
  service = "allServices"

  audit_log_config {
    log_type = "ADMIN_READ"
  }

  audit_log_config {
    log_type = "DATA_READ"
  }

  audit_log_config {
    log_type = "DATA_WRITE"
  }
}
"""
    fix_description = (
        "No automatic fix: Data Access logs add volume and cost; decide the sinks and "
        "exclusions first."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for entity in live(module, *AUDIT_CONFIGS):
            reported: set[int] = set()
            for resource in resource_rule_sets(module, entity):
                service = as_string(resource.get("service"))
                types: set[str] = set()
                readable = True
                for config in resource.nested_all("audit_log_config"):
                    kind = as_string(config.get("log_type"))
                    if kind is UNKNOWN:
                        readable = False
                    else:
                        types.add(str(kind))
                    exempted, _ = known_strings(config.get("exempted_members", []))
                    anchor = config.anchor("exempted_members")
                    if exempted and id(anchor) not in reported:
                        reported.add(id(anchor))
                        yield ctx.report(
                            entity,
                            anchor,
                            f"{entity.address} exempts {', '.join(exempted)} from "
                            f"{kind if kind is not UNKNOWN else 'its'} audit logs",
                        )
                missing = [t for t in _DATA_TYPES if t not in types]
                if service == "allServices" and readable and missing:
                    if id(entity.block) in reported:
                        continue
                    reported.add(id(entity.block))
                    yield ctx.report(
                        entity,
                        entity.block,
                        f"{entity.address} does not record {' and '.join(missing)} audit logs "
                        "for all services",
                        severity=Severity.LOW,
                    )
