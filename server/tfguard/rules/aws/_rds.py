"""RDS and Aurora (no rules here): which engine a database runs, and which resources carry
their own settings.

- ``aws_db_instance`` is a standalone RDS database (MySQL, MariaDB, PostgreSQL, Oracle, SQL
  Server, Db2); an instance whose engine is ``aurora*`` belongs to a cluster, which holds its
  backup, encryption and logging settings.
- ``aws_rds_cluster`` is an Aurora cluster (``aurora-mysql``, ``aurora-postgresql``; the old
  ``aurora`` is Aurora MySQL 1, and the default when ``engine`` is left out in provider 4.x) or a
  Multi-AZ DB cluster (``mysql``, ``postgres``).
- ``aws_rds_cluster_instance`` is an instance of a cluster.

Engines are read as written; an engine that cannot be read is UNKNOWN and the rules that depend
on it stay silent.
"""

from __future__ import annotations

from collections.abc import Iterator

from tfguard.module import Entity, Module
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, Value, as_string

INSTANCE = "aws_db_instance"
CLUSTER = "aws_rds_cluster"
CLUSTER_INSTANCE = "aws_rds_cluster_instance"

AURORA_MYSQL = frozenset({"aurora", "aurora-mysql"})
AURORA_POSTGRESQL = frozenset({"aurora-postgresql"})
MYSQL_FAMILY = frozenset({"mysql", "mariadb", "aurora", "aurora-mysql"})
POSTGRES_FAMILY = frozenset({"postgres", "aurora-postgresql"})

KINDS = {
    INSTANCE: "RDS instance",
    CLUSTER: "RDS cluster",
    CLUSTER_INSTANCE: "RDS cluster instance",
    "aws_rds_global_cluster": "RDS global cluster",
}


def engine(module: Module, entity: Entity) -> Value:
    """The engine a database runs, lower-cased; for a cluster left without ``engine``, Aurora
    MySQL (the provider 4.x default; 5.x requires the argument). UNKNOWN when unreadable."""
    attr = entity.attr("engine")
    if attr is None:
        return "aurora" if entity.type == CLUSTER else UNKNOWN
    value = as_string(module.cached_value(attr.value))
    return value.strip().lower() if isinstance(value, str) else UNKNOWN


def is_aurora(name: Value) -> bool:
    return isinstance(name, str) and name.startswith("aurora")


def is_replica(module: Module, entity: Entity) -> bool:
    """An instance that copies another database (``replicate_source_db``): its backups,
    engine and most settings follow the source. ``replicate_source_db = null`` (a module's
    optional input left at its default) is not a replica; an unknown value may be one."""
    attr = entity.attr("replicate_source_db")
    return attr is not None and module.cached_value(attr.value) is not None


def standalone_instances(module: Module) -> Iterator[Entity]:
    """``aws_db_instance`` resources that are RDS databases of their own: not instances of an
    Aurora cluster (engine ``aurora*``), whose cluster holds the setting."""
    for entity in live(module, INSTANCE):
        if not is_aurora(engine(module, entity)):
            yield entity


def serverless_v1(module: Module, entity: Entity) -> bool:
    """An Aurora Serverless v1 cluster (``engine_mode = "serverless"``): AWS manages its
    instances, backups, logging and encryption itself, and many options do not apply."""
    mode = as_string(module.attr_value(entity, "engine_mode", "provisioned"))
    return isinstance(mode, str) and mode.lower() == "serverless"


def clusters(module: Module) -> Iterator[Entity]:
    """``aws_rds_cluster`` resources other than Aurora Serverless v1."""
    for entity in live(module, CLUSTER):
        if not serverless_v1(module, entity):
            yield entity


def known_engine(module: Module, entity: Entity) -> str | None:
    name = engine(module, entity)
    return name if isinstance(name, str) else None
