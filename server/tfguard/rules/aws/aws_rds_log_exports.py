from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.aws._rds import (
    AURORA_MYSQL,
    CLUSTER,
    KINDS,
    clusters,
    known_engine,
    standalone_instances,
)
from tfguard.rules.base import Context, Rule, anchor_range
from tfguard.rules.kit.fixing import literal_string, set_path_edits
from tfguard.rules.kit.paths import Hit, lookup
from tfguard.rules.kit.values import UNKNOWN, Value, known_strings
from tfguard.syntax import Attribute, TupleExpr

ATTRIBUTE = "enabled_cloudwatch_logs_exports"

# The log types a fix exports, by engine: errors and slow queries everywhere, the audit log
# where the engine writes one without extra plugins (Aurora MySQL).
FIX_LOGS: dict[str, tuple[str, ...]] = {
    "mysql": ("error", "slowquery"),
    "mariadb": ("error", "slowquery"),
    "postgres": ("postgresql", "upgrade"),
    "aurora": ("audit", "error", "slowquery"),
    "aurora-mysql": ("audit", "error", "slowquery"),
    "aurora-postgresql": ("postgresql",),
}
FIX_PREFIXES: dict[str, tuple[str, ...]] = {
    "oracle": ("alert", "listener"),
    "sqlserver": ("agent", "error"),
    "db2": ("diag.log", "notify.log"),
}


def fix_logs(engine: str, entity: Entity) -> tuple[str, ...] | None:
    if entity.type == CLUSTER and engine in ("mysql", "postgres"):
        return ("error", "slowquery") if engine == "mysql" else ("postgresql",)
    if engine in FIX_LOGS:
        return FIX_LOGS[engine]
    for prefix, logs in FIX_PREFIXES.items():
        if engine.startswith(prefix):
            return logs
    return None


def hcl_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


class RdsLogExports(Rule):
    id = "aws-rds-log-exports"
    title = "RDS database does not export its logs to CloudWatch Logs"
    severity = Severity.MEDIUM
    rationale = (
        "Without enabled_cloudwatch_logs_exports the database's error, slow-query, audit and "
        "engine logs stay on the instance, where they rotate away within days and vanish with "
        "it. Failed logins, privilege changes and injected queries then leave no record to "
        "alert on or investigate. For Aurora MySQL the audit log is what records who ran "
        "which statement, so it must be among the exported logs."
    )
    remediation = (
        "Set enabled_cloudwatch_logs_exports to the engine's log types (MySQL/MariaDB: error, "
        "slowquery, audit with the audit plugin; PostgreSQL: postgresql, upgrade; Aurora "
        "MySQL: audit, error, slowquery with server_audit_logging in the cluster parameter "
        "group), and give the log groups a retention period."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Integrating.CloudWatch.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#enabled_cloudwatch_logs_exports",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#enabled_cloudwatch_logs_exports",
    )
    aliases = ("CKV_AWS_129", "CKV_AWS_324", "CKV_AWS_325")
    bad_example = """
resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "postgres"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "orders"
  manage_master_user_password = true
}

resource "aws_rds_cluster" "ledger" {
  cluster_identifier              = "ledger"
  engine                          = "aurora-mysql"
  master_username                 = "ledger"
  manage_master_user_password     = true
  enabled_cloudwatch_logs_exports = ["error", "slowquery"]
}
"""
    bad_example_findings = 2
    good_example = """
resource "aws_db_instance" "orders" {
  identifier                      = "orders"
  engine                          = "postgres"
  instance_class                  = "db.t4g.medium"
  allocated_storage               = 50
  username                        = "orders"
  manage_master_user_password     = true
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]
}

resource "aws_rds_cluster" "ledger" {
  cluster_identifier              = "ledger"
  engine                          = "aurora-mysql"
  master_username                 = "ledger"
  manage_master_user_password     = true
  enabled_cloudwatch_logs_exports = ["audit", "error", "slowquery"]
}
"""
    fix_description = (
        "Adds enabled_cloudwatch_logs_exports with the engine's error and slow-query logs "
        '(and the audit log for Aurora MySQL), or adds "audit" to an Aurora MySQL list '
        "written in place. Exported logs are billed by CloudWatch Logs."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for entity in [*standalone_instances(module), *clusters(module)]:
            audit = entity.type == CLUSTER and _engine_in(module, entity, AURORA_MYSQL)
            for hit in lookup(module, entity, ATTRIBUTE):
                logs, complete = _logs(hit)
                kind = KINDS[entity.type]
                if not hit.present or (complete and not logs):
                    yield ctx.report(
                        entity,
                        hit.anchor,
                        f"{kind} {entity.address} exports no logs to CloudWatch Logs "
                        f"({ATTRIBUTE} is {'empty' if hit.present else 'not set'})",
                        data={"missing": not hit.present, "audit": audit},
                    )
                elif audit and "audit" not in logs and complete:
                    yield ctx.report(
                        entity,
                        hit.anchor,
                        f"Aurora MySQL cluster {entity.address} does not export its audit "
                        f'log ({ATTRIBUTE} lacks "audit")',
                        data={"missing": False, "audit": True},
                    )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        entity = entity_for(module, finding)
        if entity is None:
            return []
        hit = next(
            (
                h
                for h in lookup(module, entity, ATTRIBUTE)
                if entity.abs(anchor_range(h.anchor)) == finding.range
            ),
            None,
        )
        if hit is None or hit.item is not None:
            return []
        engine = known_engine(module, entity)
        chosen = fix_logs(engine, entity) if engine is not None else None
        if hit.attribute is not None:
            written = literal_list(hit.attribute)
            if written is None:
                return []  # a value from elsewhere: the fix belongs where it is defined
            wanted = [*written, "audit"] if written else list(chosen or ())
            if not wanted:
                return []
            edit = Editor(module).replace_value(entity, hit.attribute, hcl_list(wanted))
            title = (
                'Also export the "audit" log' if written else f"Export the {', '.join(wanted)} logs"
            )
            return [Fix(title, (edit,), "safe")]
        if chosen is None:
            return []
        edits = set_path_edits(module, hit, hcl_list(list(chosen)))
        if not edits:
            return []
        return [Fix(f"Export the {', '.join(chosen)} logs", tuple(edits), "safe")]


def _engine_in(module: Module, entity: Entity, engines: frozenset[str]) -> bool:
    name = known_engine(module, entity)
    return name is not None and name in engines


def _logs(hit: Hit) -> tuple[list[str], bool]:
    if not hit.present:
        return [], True
    value: Value = hit.value
    if value is UNKNOWN:
        return [], False
    return known_strings(value)


def literal_list(attr: Attribute) -> list[str] | None:
    """The strings of a list written in place with literal strings only, else None."""
    if not isinstance(attr.value, TupleExpr):
        return None
    out: list[str] = []
    for item in attr.value.items:
        text = literal_string(item)
        if text is None:
            return None
        out.append(text)
    return out
