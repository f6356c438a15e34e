"""The network-ingress family: who may reach which ports from where, for every cloud.

AWS security groups and network ACLs, Azure NSG rules and GCP firewall rules all say the same
thing in different words: traffic of some protocol, on some ports, from some sources, is
allowed (or denied) in. Each provider's adapter turns its resources into :class:`Ingress`
values; the rules ask the same questions of all of them (is a source the whole internet? does
the rule admit port 22?). Unknown values stay unknown: an ingress whose ports cannot be read
has ``spans = None`` and is never reported as exposing a port.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from tfguard.evaluate import UNKNOWN
from tfguard.module import Entity
from tfguard.rules.kit.instances import Anchor, RuleSet

# Service tags and words that mean "any address on the internet".
PUBLIC_WORDS = frozenset({"*", "internet", "any", "0.0.0.0", "<nw>/0", "/0"})


def is_open_cidr(value: Any) -> bool:
    """``0.0.0.0/0``, ``::/0`` and their spellings: a range that admits every address."""
    if not isinstance(value, str):
        return False
    return _is_open_cidr_text(value)


@lru_cache(maxsize=4096)
def _is_open_cidr_text(value: str) -> bool:
    try:
        return ipaddress.ip_network(value.strip(), strict=False).prefixlen == 0
    except ValueError:
        return False


def is_public_source(value: Any) -> bool:
    """An address range or service tag that admits the whole internet: ``0.0.0.0/0``,
    ``::/0``, ``*``, ``Internet``, ``Any``."""
    if not isinstance(value, str):
        return False
    return is_open_cidr(value) or value.strip().lower() in PUBLIC_WORDS


# -- ports ---------------------------------------------------------------------------------------

ALL_PROTOCOLS = frozenset({"-1", "all", "*"})
ICMP_PROTOCOLS = frozenset({"icmp", "1", "icmpv6", "58"})
PORT_PROTOCOLS = frozenset({"tcp", "6", "udp", "17"})


@dataclass(frozen=True, slots=True)
class PortSpan:
    """What a rule admits: every protocol, a port range of TCP/UDP, ICMP, or another
    protocol without ports."""

    kind: str  # "all", "ports", "icmp", "other"
    low: int = 0
    high: int = 65535
    protocol: str = ""

    @property
    def all_ports(self) -> bool:
        return self.kind == "all" or (self.kind == "ports" and self.low <= 0 and self.high >= 65535)

    def covers(self, port: int) -> bool:
        return self.kind == "all" or (self.kind == "ports" and self.low <= port <= self.high)

    def describe(self) -> str:
        if self.kind == "all":
            return "on all ports and protocols"
        if self.kind == "icmp":
            return "for ICMP"
        if self.kind == "other":
            return f"for protocol {self.protocol}"
        if self.all_ports:
            return f"on all {self.protocol.upper()} ports"
        if self.low == self.high:
            return f"on port {self.low}"
        return f"on ports {self.low}-{self.high}"


def protocol_kind(protocol: Any) -> str | None:
    """``all``, ``icmp``, ``tcp``, ``udp`` or the protocol's own name; None when unknown."""
    if protocol is UNKNOWN or protocol is None or isinstance(protocol, (list, dict)):
        return None
    name = str(protocol).strip().lower()
    if name in ALL_PROTOCOLS:
        return "all"
    if name in ICMP_PROTOCOLS:
        return "icmp"
    if name in ("tcp", "6"):
        return "tcp"
    if name in ("udp", "17"):
        return "udp"
    return name


def parse_ports(value: Any, protocol: str) -> list[PortSpan] | None:
    """Port ranges written as text or numbers (``22``, ``"8000-8080"``, ``"*"``, or a list
    of them) for ``protocol`` (``tcp``/``udp``); None when any element is unknown."""
    items = value if isinstance(value, list) else [value]
    spans: list[PortSpan] = []
    for item in items:
        if item is UNKNOWN or item is None or isinstance(item, (list, dict, bool)):
            return None
        text = str(item).strip()
        if text in ("*", ""):
            spans.append(PortSpan("ports", 0, 65535, protocol))
            continue
        low_text, _, high_text = text.partition("-")
        try:
            low = int(low_text)
            high = int(high_text) if high_text else low
        except ValueError:
            return None
        spans.append(PortSpan("ports", low, high, protocol))
    return spans


def span_for(protocol: Any, ports: Any) -> list[PortSpan] | None:
    """The spans a protocol and its port ranges admit (``ports`` ignored for protocols
    without ports); None when unknown."""
    kind = protocol_kind(protocol)
    if kind is None:
        return None
    if kind == "all":
        return [PortSpan("all")]
    if kind == "icmp":
        return [PortSpan("icmp", protocol=str(protocol).strip().lower())]
    if kind not in ("tcp", "udp"):
        return [PortSpan("other", protocol=kind)]
    return parse_ports(ports, kind)


# -- the shape -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """One source of an ingress rule: the argument it was written in and where."""

    text: str
    argument: str
    anchor: Anchor

    @property
    def public(self) -> bool:
        return is_public_source(self.text)


@dataclass(slots=True)
class Ingress:
    """One rule that allows traffic in: from ``sources``, over ``spans`` (None when the
    ports or protocol cannot be known). ``rule_set`` holds the arguments and their anchors;
    ``owner`` is the resource the rule protects (the security group, NSG or network)."""

    entity: Entity
    rule_set: RuleSet
    spans: list[PortSpan] | None
    sources: list[Source] = field(default_factory=list)
    owner: Entity | None = None

    def public_sources(self) -> list[Source]:
        return [s for s in self.sources if s.public]

    @property
    def is_public(self) -> bool:
        return any(s.public for s in self.sources)

    def exposes(self, ports: Iterable[int]) -> list[int]:
        """The ``ports`` this rule admits (TCP or UDP, or every protocol); none when the
        spans are unknown."""
        if self.spans is None:
            return []
        wanted = list(ports)
        return [p for p in wanted if any(s.covers(p) for s in self.spans)]

    @property
    def all_ports(self) -> bool:
        return self.spans is not None and any(s.all_ports for s in self.spans)

    def describe_spans(self) -> str:
        if self.spans is None:
            return "on unknown ports"
        return ", ".join(s.describe() for s in self.spans)


def sources_of(rule_set: RuleSet, *arguments: str) -> list[Source]:
    """The known string sources in ``arguments`` of a rule set (a string or a list of
    strings each), anchored on the argument."""
    out: list[Source] = []
    for name in arguments:
        if name not in rule_set.anchors:
            continue
        value = rule_set.values.get(name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                out.append(Source(item.strip(), name, rule_set.anchors[name]))
    return out


# Well-known ports the network rules ask about, by service.
SSH, RDP = 22, 3389
DATABASE_PORTS: dict[int, str] = {
    1433: "SQL Server",
    1521: "Oracle",
    3306: "MySQL",
    5432: "PostgreSQL",
    6379: "Redis",
    9200: "Elasticsearch",
    27017: "MongoDB",
    5984: "CouchDB",
    9042: "Cassandra",
    11211: "Memcached",
}
REMOTE_ADMIN_PORTS: dict[int, str] = {SSH: "SSH", RDP: "RDP"}
