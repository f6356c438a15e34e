"""Azure network security rules as :class:`tfguard.rules.kit.network.Ingress` values.

An NSG rule is written inline (``security_rule`` blocks, or the attribute form
``security_rule = [{...}]``, of ``azurerm_network_security_group``) or as an
``azurerm_network_security_rule`` resource. An inbound Allow rule admits ``protocol``
(``Tcp``, ``Udp``, ``Icmp``, ``Esp``, ``Ah`` or ``*``) on ``destination_port_range(s)`` from
``source_address_prefix(es)``; with protocol ``*`` the ports still apply (to TCP and UDP).
Unknown values stay unknown: a rule whose direction, access, protocol or ports cannot be read
is not reported as exposing anything.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from tfguard.findings import Finding
from tfguard.fixes import Editor, Fix, TextEdit, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import literal_string, variable_choice
from tfguard.rules.kit.instances import (
    RuleSet,
    instance_evaluators,
    nested_rule_sets,
    resource_rule_sets,
)
from tfguard.rules.kit.network import (
    Ingress,
    PortSpan,
    is_public_source,
    parse_ports,
    protocol_kind,
    sources_of,
)
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_string
from tfguard.syntax import Attribute, Expr, TupleExpr

NSG = "azurerm_network_security_group"
NSG_RULE = "azurerm_network_security_rule"
SOURCE_ARGUMENTS = ("source_address_prefix", "source_address_prefixes")

# Ports worth no exposure to the internet, by service: remote administration, databases,
# caches, search, container and cluster control planes, file sharing.
SENSITIVE_PORTS: dict[int, str] = {
    20: "FTP data",
    21: "FTP",
    23: "Telnet",
    25: "SMTP",
    53: "DNS",
    110: "POP3",
    135: "MSRPC",
    137: "NetBIOS",
    138: "NetBIOS",
    139: "NetBIOS",
    445: "SMB",
    1433: "SQL Server",
    1434: "SQL Server Browser",
    1521: "Oracle",
    2375: "Docker",
    2376: "Docker",
    2379: "etcd",
    3306: "MySQL",
    4333: "mSQL",
    5432: "PostgreSQL",
    5500: "VNC",
    5900: "VNC",
    5984: "CouchDB",
    5985: "WinRM",
    5986: "WinRM",
    6379: "Redis",
    7001: "Cassandra",
    8020: "HDFS",
    9042: "Cassandra",
    9200: "Elasticsearch",
    9300: "Elasticsearch",
    11211: "Memcached",
    27017: "MongoDB",
    27018: "MongoDB",
    61621: "Cassandra OpsCenter",
    161: "SNMP",
}
# The sensitive services that also (or only) listen on UDP.
UDP_SERVICES = frozenset({53, 137, 138, 161, 1434, 11211})


def _lower(value: object) -> str | None:
    text = as_string(value)
    return text.strip().lower() if isinstance(text, str) else None


def _ports(rule: RuleSet) -> object:
    """The destination ports of a rule: the single range, else the list (``*`` when
    neither is written, as Azure requires one of them). A range written with commas
    (``"3389, 3391"``, as the portal displays several ranges) is split into its parts."""
    if "destination_port_range" in rule.anchors:
        value = rule.values.get("destination_port_range")
    elif "destination_port_ranges" in rule.anchors:
        value = rule.values.get("destination_port_ranges")
    else:
        return "*"
    items = value if isinstance(value, list) else [value]
    out: list[object] = []
    for item in items:
        if isinstance(item, str) and "," in item:
            out.extend(part.strip() for part in item.split(",") if part.strip())
        else:
            out.append(item)
    return out


def spans_of(rule: RuleSet) -> list[PortSpan] | None:
    """What an NSG rule admits; None when the protocol or a port cannot be read."""
    protocol = rule.values.get("protocol", UNKNOWN) if "protocol" in rule.anchors else UNKNOWN
    kind = protocol_kind(protocol)
    if kind is None:
        return None
    ports = _ports(rule)
    if kind == "all":
        parsed = parse_ports(ports, "tcp")
        if parsed is None:
            return None
        if any(s.all_ports for s in parsed):
            return [PortSpan("all")]
        return parsed + [PortSpan("ports", s.low, s.high, "udp") for s in parsed]
    if kind == "icmp":
        return [PortSpan("icmp", protocol="icmp")]
    if kind in ("tcp", "udp"):
        return parse_ports(ports, kind)
    return [PortSpan("other", protocol=kind)]


def _inbound_allow(rule: RuleSet) -> bool:
    return _lower(rule.get("direction")) == "inbound" and _lower(rule.get("access")) == "allow"


def _owner(module: Module, entity: Entity) -> Entity | None:
    attr = entity.attr("network_security_group_name")
    if attr is None:
        return None
    for target in module.targets(attr.value):
        if target.type == NSG:
            return target
    name = as_string(module.cached_value(attr.value))
    for nsg in live(module, NSG):
        if isinstance(name, str) and module.attr_value(nsg, "name") == name:
            return nsg
    return None


def _rule_sets(module: Module) -> Iterator[tuple[RuleSet, Entity | None]]:
    for nsg in live(module, NSG):
        evaluators = instance_evaluators(module, nsg)
        for rule in nested_rule_sets(module, nsg, "security_rule", evaluators):
            yield rule, nsg
    for entity in live(module, NSG_RULE):
        owner = _owner(module, entity)
        for rule in resource_rule_sets(module, entity):
            yield rule, owner


def nsg_ingress(module: Module) -> list[Ingress]:
    """Every inbound Allow rule of the module's NSGs, once per instance (memoised per
    analysis)."""
    key = ("azure", "nsg_ingress")
    if key in module.memo:
        cached: list[Ingress] = module.memo[key]
        return cached
    out: list[Ingress] = []
    for rule, owner in _rule_sets(module):
        if not _inbound_allow(rule):
            continue
        out.append(
            Ingress(rule.entity, rule, spans_of(rule), sources_of(rule, *SOURCE_ARGUMENTS), owner)
        )
    module.memo[key] = out
    return out


def exposed_services(
    ingress: Ingress,
    ports: Mapping[int, str],
    protocols: frozenset[str] = frozenset({"tcp"}),
    udp_ports: frozenset[int] = frozenset(),
) -> list[tuple[int, str]]:
    """The (port, service) pairs of ``ports`` that an ingress admits over one of
    ``protocols`` (``tcp``, ``udp``; a rule for every protocol admits both), UDP also
    counting for ``udp_ports``."""
    if ingress.spans is None:
        return []
    out: list[tuple[int, str]] = []
    for port in sorted(ports):
        allowed = protocols | ({"udp"} if port in udp_ports else set())
        if any(
            s.covers(port) and (s.kind == "all" or s.protocol in allowed) for s in ingress.spans
        ):
            out.append((port, ports[port]))
    return out


class PublicIngressRule(Rule):
    """Inbound Allow NSG rules from the whole internet that admit ``wanted`` ports (every
    port when ``wanted`` is empty and ``all_ports_only``). Rules that admit every port are
    left to the all-ports rule, so one NSG rule gives one finding."""

    wanted: ClassVar[Mapping[int, str]] = {}
    # The transports the services listen on (SSH is TCP only; RDP also uses UDP 3389).
    protocols: ClassVar[frozenset[str]] = frozenset({"tcp"})
    udp_ports: ClassVar[frozenset[int]] = frozenset()
    all_ports_only: ClassVar[bool] = False

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: set[tuple[int, int]] = set()
        for ingress in nsg_ingress(ctx.module):
            sources = ingress.public_sources()
            if not sources or ingress.spans is None:
                continue
            if self.all_ports_only:
                if not ingress.all_ports:
                    continue
                what = "on every port"
            else:
                if ingress.all_ports:
                    continue
                services = exposed_services(ingress, self.wanted, self.protocols, self.udp_ports)
                if not services:
                    continue
                what = "to " + ", ".join(f"{name} ({port})" for port, name in services)
            source = sources[0]
            key = (id(ingress.entity), id(source.anchor))
            if key in seen:
                continue
            seen.add(key)
            related = []
            if ingress.owner is not None and ingress.owner is not ingress.entity:
                related = [(ingress.owner, ingress.owner.block, "the network security group")]
            name = ingress.rule_set.get("name")
            label = f' "{name}"' if isinstance(name, str) else ""
            yield ctx.report(
                ingress.entity,
                source.anchor,
                f"NSG rule{label} of {ingress.entity.address} allows inbound traffic from "
                f'"{source.text}" (the whole internet) {what}',
                related=related,
                data={"argument": source.argument, "source": source.text},
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        entity = entity_for(module, finding)
        argument = finding.data.get("argument")
        if entity is None or not isinstance(argument, str):
            return []
        target = _argument_at(entity, finding, argument)
        if target is None:
            return []
        expr = target
        owner = entity
        if entity.type == NSG_RULE:
            found = _owner(module, entity)
            owner = found if found is not None else entity
        single = argument == "source_address_prefix"
        variable = f"{owner.name}_allowed_source{'' if single else 's'}"
        choice = variable_choice(
            module,
            entity,
            variable,
            f"Source address prefix{'' if single else 'es'} (CIDR) allowed through "
            f"{owner.address}, in place of the whole internet",
            "string" if single else "list(string)",
            f"a new variable var.{variable}",
        )
        editor = Editor(module)
        if single:
            if not is_public_source(literal_string(expr)):
                return []
            edits = [editor.replace_value(entity, _attr_of(entity, finding, argument), choice.expr)]
        else:
            if not isinstance(expr, TupleExpr):
                return []
            kept = [i for i in expr.items if not is_public_source(literal_string(i))]
            if len(kept) == len(expr.items):
                return []
            text = choice.expr
            if kept:
                text = "concat([" + ", ".join(i.text for i in kept) + f"], {choice.expr})"
            edits = [TextEdit(entity.path, entity.abs(expr.range), text)]
        return [
            Fix(
                f"Replace the internet source with {choice.label}",
                (*edits, *choice.edits),
                applicability="unsafe",
                consequence="hosts outside the new range can no longer connect",
            )
        ]


def _attr_of(entity: Entity, finding: Finding, argument: str) -> Attribute:
    for block in entity.block.walk_blocks():
        attr = block.attributes.get(argument)
        if attr is not None and entity.abs(attr.range) == finding.range:
            return attr
    raise LookupError(argument)


def _argument_at(entity: Entity, finding: Finding, argument: str) -> Expr | None:
    """The value of the source argument a finding is on (a nested block's attribute; the
    attribute form ``security_rule = [{...}]`` is left to the author)."""
    for block in entity.block.walk_blocks():
        attr = block.attributes.get(argument)
        if attr is not None and entity.abs(attr.range) == finding.range:
            return attr.value
    return None
