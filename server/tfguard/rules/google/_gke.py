"""GKE clusters and their node pools.

A cluster's nodes are configured in three places: the cluster's own ``node_config`` (the
default node pool, unless ``remove_default_node_pool = true`` deletes it or inline
``node_pool`` blocks replace it), its inline ``node_pool`` blocks (``node_config`` and
``management`` inside each), and separate ``google_container_node_pool`` resources linked by
``cluster``. :class:`NodeCheck` is a declarative check over every such place; Autopilot
clusters are skipped by the node rules (Google manages their nodes: shielded nodes, secure
boot, the GKE metadata server and auto-repair/upgrade are always on there).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from tfguard.findings import Finding
from tfguard.fixes import Fix, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.base import Context, anchor_range
from tfguard.rules.kit.conditions import Equals, Not, render
from tfguard.rules.kit.declarative import Check, SetValue, When
from tfguard.rules.kit.fixing import set_path_edits
from tfguard.rules.kit.instances import expression_targets
from tfguard.rules.kit.paths import ABSENT, Hit, lookup
from tfguard.rules.kit.values import UNKNOWN, Value, as_bool

CLUSTER = "google_container_cluster"
NODE_POOL = "google_container_node_pool"

# Checked only on Standard clusters (google provider: enable_autopilot defaults to false).
NOT_AUTOPILOT = When("enable_autopilot", Not(Equals(True)), False)


def is_autopilot(module: Module, cluster: Entity) -> Value:
    attr = cluster.attr("enable_autopilot")
    return False if attr is None else as_bool(module.cached_value(attr.value))


def cluster_of(module: Module, pool: Entity) -> Entity | None:
    """The cluster a ``google_container_node_pool`` names in ``cluster`` (by reference)."""
    targets = [t for t in expression_targets(module, pool.expr("cluster")) if t.type == CLUSTER]
    return targets[0] if len(targets) == 1 else None


def default_pool_exists(module: Module, cluster: Entity) -> Value:
    """Whether the cluster keeps its default node pool (configured by its own
    ``node_config``): not when ``remove_default_node_pool = true`` or inline ``node_pool``
    blocks replace it."""
    if cluster.block.blocks_of("node_pool") or any(
        d.labels == ("node_pool",) for d in cluster.block.blocks_of("dynamic")
    ):
        return False
    attr = cluster.attr("remove_default_node_pool")
    if attr is None:
        return True
    removed = as_bool(module.cached_value(attr.value))
    return UNKNOWN if removed is UNKNOWN else not removed


def node_paths(module: Module, entity: Entity, path: str) -> list[str]:
    """The paths at which ``path`` (relative to a node pool: ``node_config.x``,
    ``management.auto_repair``) is written for the pools of ``entity`` (a cluster or a
    node pool resource)."""
    if entity.type == NODE_POOL:
        return [path]
    paths = []
    if cluster_has_inline_pools(entity):
        paths.append(f"node_pool.{path}")
    if path.startswith("node_config.") and default_pool_exists(module, entity) is True:
        paths.append(path)
    return paths


def cluster_has_inline_pools(cluster: Entity) -> bool:
    return bool(cluster.block.blocks_of("node_pool")) or any(
        d.labels == ("node_pool",) for d in cluster.block.blocks_of("dynamic")
    )


def workload_identity(module: Module, cluster: Entity | None) -> Value:
    """Whether the cluster enables Workload Identity (a ``workload_pool``); UNKNOWN for an
    unknown cluster."""
    if cluster is None:
        return UNKNOWN
    if is_autopilot(module, cluster) is True:
        return True
    hits = lookup(module, cluster, "workload_identity_config.workload_pool")
    if not hits:
        return False
    hit = hits[0]
    if not hit.present:
        return False
    if hit.value is UNKNOWN:
        return UNKNOWN
    return bool(hit.value)


class NodeCheck(Check):
    """A declarative check of a node pool setting (``attribute`` is relative to the pool:
    ``node_config.shielded_instance_config.enable_secure_boot``), applied to every node pool
    of a Standard cluster: the default pool, inline ``node_pool`` blocks and
    ``google_container_node_pool`` resources."""

    resource_types: ClassVar[tuple[str, ...]] = (CLUSTER, NODE_POOL)
    # Placeholders: {pool} (which node pool, capitalised), {address}, {value},
    # {requirement}.

    @property
    def has_fix(self) -> bool:
        return self.fix is not None

    def subjects(self, module: Module) -> list[Entity]:
        out = []
        for entity in super().subjects(module):
            cluster = entity if entity.type == CLUSTER else cluster_of(module, entity)
            if cluster is not None and is_autopilot(module, cluster) is not False:
                continue
            out.append(entity)
        return out

    def hits(self, module: Module, entity: Entity) -> list[Hit]:
        out: list[Hit] = []
        for path in node_paths(module, entity, self.attribute):
            out.extend(lookup(module, entity, path))
        return out

    def default_at(self, module: Module, entity: Entity, hit: Hit) -> Value:
        """The value an absent setting takes at ``hit`` (the class default by default)."""
        return self.default_for(module, entity)

    def failures(self, module: Module, entity: Entity) -> Iterator[tuple[Hit, Value]]:
        for hit in self.hits(module, entity):
            value = hit.value if hit.present else self.default_at(module, entity, hit)
            if value is UNKNOWN:
                continue
            if self.condition.test(value) is False:
                yield hit, value

    def check(self, ctx: Context) -> Iterator[Finding]:
        for entity in self.subjects(ctx.module):
            for hit, value in self.failures(ctx.module, entity):
                template = self.message
                if not hit.present and self.missing_message is not None:
                    template = self.missing_message
                text = template.format(
                    pool=pool_label(entity, hit),
                    address=entity.address,
                    value="not set" if value is ABSENT else render(value),
                    requirement=self.condition.describe(),
                )
                yield ctx.report(
                    entity,
                    hit.anchor,
                    text,
                    data={"attribute": self.attribute, "missing": not hit.present},
                )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        spec = self.fix
        if not isinstance(spec, SetValue):
            return []
        entity = entity_for(module, finding)
        if entity is None:
            return []
        for hit in self.hits(module, entity):
            if entity.abs(anchor_range(hit.anchor)) != finding.range:
                continue
            edits = set_path_edits(module, hit, spec.value, spec.replace_expressions)
            if not edits:
                return []
            title = spec.title or f"Set {self.attribute} = {spec.value}"
            return [Fix(title, tuple(edits), spec.applicability, spec.consequence)]
        return []


def pool_label(entity: Entity, hit: Hit) -> str:
    """``Node pool google_container_node_pool.x``, ``An inline node pool of ...`` or ``The
    default node pool of google_container_cluster.y``."""
    if entity.type == NODE_POOL:
        return f"Node pool {entity.address}"
    target = hit.holder.range
    for pool in entity.block.walk_blocks():
        is_pool = pool.type == "node_pool" or (
            pool.type == "dynamic" and pool.labels == ("node_pool",)
        )
        if is_pool and pool.range.start <= target.start and target.end <= pool.range.end:
            name = pool.attr("name")
            shown = f" {name.value.text.strip(chr(34))}" if name is not None else ""
            return f"Inline node pool{shown} of {entity.address}"
    return f"The default node pool of {entity.address}"
