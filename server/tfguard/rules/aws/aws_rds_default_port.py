from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.module import Entity, Module
from tfguard.rules.aws._rds import CLUSTER, KINDS, known_engine, standalone_instances
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_number

# Each engine's well-known port (the port RDS uses when ``port`` is left out).
PORTS: dict[str, int] = {
    "mysql": 3306,
    "mariadb": 3306,
    "aurora": 3306,
    "aurora-mysql": 3306,
    "postgres": 5432,
    "aurora-postgresql": 5432,
}
PORT_PREFIXES: dict[str, int] = {"oracle": 1521, "sqlserver": 1433, "db2": 50000}


def default_port(engine: str) -> int | None:
    if engine in PORTS:
        return PORTS[engine]
    for prefix, port in PORT_PREFIXES.items():
        if engine.startswith(prefix):
            return port
    return None


class RdsDefaultPort(Rule):
    id = "aws-rds-default-port"
    title = "RDS database listens on its engine's well-known port"
    severity = Severity.INFO
    rationale = (
        "Internet-wide scanners and worms probe 3306, 5432, 1433 and 1521 first. A database "
        "on its engine's default port is found by the cheapest scans the moment a security "
        "group or public access setting is loosened. A different port does not protect the "
        "database (network rules and authentication do) but removes it from the noise of "
        "untargeted attacks."
    )
    remediation = (
        "Set port to a non-default value when the database is created, together with the "
        "security group rules and client connection strings that use it; keep network access "
        "private regardless."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ConnectToInstance.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#port",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#port",
    )
    bad_example = """
resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "mysql"
  instance_class              = "db.m6g.large"
  allocated_storage           = 100
  username                    = "admin"
  manage_master_user_password = true
  port                        = 3306
}
"""
    good_example = """
resource "aws_db_instance" "orders" {
  identifier                  = "orders"
  engine                      = "mysql"
  instance_class              = "db.m6g.large"
  allocated_storage           = 100
  username                    = "admin"
  manage_master_user_password = true
  port                        = 3307
}
"""
    fix_description = (
        "No automatic fix: every client, security group rule and connection string that "
        "uses the port has to change with it."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for entity in [*standalone_instances(module), *live(module, CLUSTER)]:
            yield from self._check(ctx, module, entity)

    def _check(self, ctx: Context, module: Module, entity: Entity) -> Iterator[Finding]:
        engine = known_engine(module, entity)
        port = default_port(engine) if engine is not None else None
        if port is None:
            return
        attr = entity.attr("port")
        kind = KINDS[entity.type]
        if attr is None:
            yield ctx.report(
                entity,
                entity.block,
                f"{kind} {entity.address} listens on {engine}'s default port {port} "
                "(port is not set)",
                data={"missing": True, "port": port},
            )
            return
        value = as_number(module.cached_value(attr.value))
        if value is not UNKNOWN and value == port:
            yield ctx.report(
                entity,
                attr,
                f"{kind} {entity.address} listens on {engine}'s default port {port}",
                data={"missing": False, "port": port},
            )
