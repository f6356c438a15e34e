"""GCP firewall rules as :class:`tfguard.rules.kit.network.Ingress` values, and the shared
check and fix of the rules about firewall rules open to the internet.

A ``google_compute_firewall`` admits traffic when its ``direction`` is ``INGRESS`` (the
default), it is not ``disabled``, and it has ``allow`` blocks (``deny`` blocks admit nothing).
Each ``allow`` block (or the ``content`` of a ``dynamic "allow"``) becomes one ``Ingress``
whose sources are the rule's ``source_ranges``; ``source_tags`` and
``source_service_accounts`` name instances of the network, not internet addresses, and add
sources rather than narrowing ``source_ranges`` (GCP ORs them). An ``allow`` without
``ports`` admits every port of its protocol. Values that cannot be read stay unknown: such a
rule is never reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix, TextEdit, attribute_at
from tfguard.module import Entity, Module
from tfguard.rules.base import Context
from tfguard.rules.kit.fixing import literal_string, variable_choice
from tfguard.rules.kit.instances import (
    Anchor,
    RuleSet,
    block_set,
    instance_evaluators,
    nested_rule_sets,
)
from tfguard.rules.kit.network import (
    Ingress,
    PortSpan,
    is_public_source,
    parse_ports,
    protocol_kind,
    sources_of,
    span_for,
)
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_bool, as_string
from tfguard.syntax import TupleExpr

FIREWALL = "google_compute_firewall"
_NARROWS = "clients outside the remaining ranges lose access"
_MEMO_KEY = "google-firewall-ingress"


def _spans(allow: RuleSet) -> list[PortSpan] | None:
    protocol = allow.get("protocol")
    kind = protocol_kind(protocol)
    if kind is None:
        return None
    if kind in ("tcp", "udp", "sctp") and "ports" not in allow.anchors:
        return [PortSpan("ports", 0, 65535, kind)]
    ports = allow.get("ports")
    if isinstance(ports, list) and not ports and kind in ("tcp", "udp", "sctp"):
        return [PortSpan("ports", 0, 65535, kind)]  # ports = []: every port
    if kind == "sctp":
        return parse_ports(ports, "sctp")
    return span_for(protocol, ports)


def _admits(module: Module, resource: RuleSet) -> bool:
    """The rule is known to admit traffic: ingress and not disabled."""
    direction = as_string(resource.get("direction", "INGRESS"))
    if direction is UNKNOWN or str(direction).upper() != "INGRESS":
        return False
    if "disabled" in resource.anchors:
        disabled = resource.get("disabled")
        if disabled is not None and as_bool(disabled) is not False:
            return False
    return True


def _compute(module: Module) -> list[Ingress]:
    out: list[Ingress] = []
    for entity in live(module, FIREWALL):
        for evaluator in instance_evaluators(module, entity):
            resource = block_set(entity, entity.block, evaluator)
            if not _admits(module, resource):
                continue
            sources = sources_of(resource, "source_ranges")
            for allow in nested_rule_sets(module, entity, "allow", [evaluator]):
                out.append(Ingress(entity, allow, _spans(allow), list(sources)))
    return out


def firewall_ingress(module: Module) -> list[Ingress]:
    """Every allow rule of the module's live firewall rules that admits traffic in, per
    instance of the firewall (see the module docstring)."""
    if _MEMO_KEY not in module.memo:
        module.memo[_MEMO_KEY] = _compute(module)
    found: list[Ingress] = module.memo[_MEMO_KEY]
    return found


def allow_anchor(ingress: Ingress) -> Anchor:
    """Where an allow rule says which ports it admits: its ``ports``, else the block."""
    return ingress.rule_set.anchor("ports")


# -- the shared check of the public-ingress rules ----------------------------------------------


@dataclass(slots=True)
class _Exposure:
    entity: Entity
    anchor: Anchor
    cidrs: list[str] = field(default_factory=list)
    what: list[str] = field(default_factory=list)
    allows: list[Anchor] = field(default_factory=list)
    severity: Severity | None = None


Selector = Callable[[Ingress], str | None]


def report_public(
    ctx: Context,
    select: Selector,
    noun: str,
    severity_of: Callable[[Ingress], Severity] | None = None,
) -> Iterator[Finding]:
    """One finding per firewall rule's ``source_ranges`` that opens what ``select`` picks
    (a description such as ``SSH (port 22)``, or None) to the internet; the allow blocks that
    admit it are related locations. ``severity_of`` grades each allow rule (the finding takes
    the highest); the rule's own severity by default."""
    exposures: dict[tuple[int, int], _Exposure] = {}
    for ingress in firewall_ingress(ctx.module):
        public = ingress.public_sources()
        if not public:
            continue
        what = select(ingress)
        if what is None:
            continue
        anchor = public[0].anchor
        key = (id(ingress.entity), id(anchor))
        exposure = exposures.setdefault(key, _Exposure(ingress.entity, anchor))
        for source in public:
            if source.text not in exposure.cidrs:
                exposure.cidrs.append(source.text)
        if what not in exposure.what:
            exposure.what.append(what)
        if severity_of is not None:
            graded = severity_of(ingress)
            current = exposure.severity
            exposure.severity = graded if current is None else max(current, graded)
        place = allow_anchor(ingress)
        if not any(p is place for p in exposure.allows):
            exposure.allows.append(place)
    for exposure in exposures.values():
        entity = exposure.entity
        cidrs = " and ".join(exposure.cidrs)
        yield ctx.report(
            entity,
            exposure.anchor,
            f"Firewall rule {entity.address} admits {', '.join(exposure.what)} from {cidrs} "
            f"(the whole internet)",
            related=[(entity, a, f"this allow rule admits {noun}") for a in exposure.allows],
            severity=exposure.severity,
            data={"attribute": "source_ranges", "cidrs": exposure.cidrs},
        )


def narrow_sources_fixes(module: Module, finding: Finding) -> list[Fix]:
    """Fixes for a public ``source_ranges`` written in place: take the open ranges out when
    other ranges remain, or replace the list with a new variable (declared without a default,
    so a plan asks who may connect). Neither is preferred: both change who can connect."""
    at = attribute_at(module, finding)
    if at is None:
        return []
    entity, _block, attr = at
    if attr.name != "source_ranges" or not isinstance(attr.value, TupleExpr):
        return []
    items = attr.value.items
    open_items = [i for i, item in enumerate(items) if is_public_source(literal_string(item))]
    if not open_items:
        return []
    kept = [items[i].text for i in range(len(items)) if i not in open_items]
    if kept:
        text = "[" + ", ".join(kept) + "]"
        edit = TextEdit(entity.path, entity.abs(attr.value.range), text)
        return [
            Fix("Remove the internet-wide ranges from source_ranges", (edit,), "unsafe", _NARROWS)
        ]
    name = f"{entity.name}_source_ranges"
    choice = variable_choice(
        module,
        entity,
        name,
        f"Source ranges (CIDR) allowed through the firewall rule {entity.address}",
        "list(string)",
        f"a new variable var.{name}",
    )
    edits = (
        TextEdit(entity.path, entity.abs(attr.value.range), choice.expr),
        *choice.edits,
    )
    return [Fix(f"Replace the open range with {choice.label}", edits, "unsafe", _NARROWS)]


def ports_text(ports: list[int], names: dict[int, str]) -> str:
    """``MySQL (3306), PostgreSQL (5432)``."""
    return ", ".join(f"{names[p]} ({p})" for p in ports)


def not_all_ports(ingress: Ingress) -> bool:
    """Rules open on every port are reported by google-compute-firewall-no-public-all-ports
    alone: one mistake, one finding."""
    return not ingress.all_ports
