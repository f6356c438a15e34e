"""Network ACL entries that admit SSH, RDP or all traffic from the whole internet.

NACL entries are evaluated in rule-number order and the first match wins, so an allow entry is
not reported for a port that a lower-numbered deny entry of the same ACL already blocks for the
same open range. When the order cannot be known (an unknown rule number), a deny entry that
could come first is assumed to do so: the rule stays silent rather than guess.

The stateless return-traffic range (an allow from ``from_port >= 1024`` up to 65535, which AWS
documents for public subnets) is not reported for RDP even though 3389 falls inside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tfguard.evaluate import UNKNOWN
from tfguard.findings import Finding, Severity
from tfguard.module import Entity
from tfguard.rules.aws._network import port_span
from tfguard.rules.base import Anchor, Context, Rule
from tfguard.rules.kit.instances import (
    RuleSet,
    instance_evaluators,
    nested_rule_sets,
    resource_rule_sets,
)
from tfguard.rules.kit.network import PortSpan, is_open_cidr
from tfguard.rules.kit.values import as_bool, as_number

ADMIN_PORTS = {22: "SSH", 3389: "RDP"}
ACL_TYPES = ("aws_network_acl", "aws_default_network_acl")
CIDR_ARGUMENTS = ("cidr_block", "ipv6_cidr_block")
EPHEMERAL_START = 1024


@dataclass(slots=True)
class Entry:
    rule: RuleSet
    acl: Entity | None  # the ACL the entry belongs to, when it is in the module
    group: str | None  # entries of one ACL share it: the ACL's address, or the id expression
    number: int | None
    action: str | None  # "allow", "deny", or None when unknown
    span: PortSpan | None
    open_families: dict[str, tuple[str, Anchor]]  # "ipv4"/"ipv6" → (cidr, anchor)
    unknown_source: bool  # a source range that could not be evaluated


def _entry(
    rule: RuleSet, acl: Entity | None, group: str | None, number_key: str, action_key: str
) -> Entry:
    action = rule.values.get(action_key)
    families: dict[str, tuple[str, Anchor]] = {}
    unknown = False
    for name, family in zip(CIDR_ARGUMENTS, ("ipv4", "ipv6"), strict=True):
        anchor = rule.anchors.get(name)
        if anchor is None:
            continue
        value = rule.values.get(name)
        if value is UNKNOWN:
            unknown = True
        elif is_open_cidr(value):
            families[family] = (str(value).strip(), anchor)
    return Entry(
        rule,
        acl,
        group,
        _rule_number(rule.values.get(number_key)),
        action.strip().lower() if isinstance(action, str) else None,
        port_span(rule.values, "protocol"),
        families,
        unknown,
    )


def _entries(ctx: Context) -> list[Entry]:
    module = ctx.module
    entries: list[Entry] = []
    for parent in ctx.resources(*ACL_TYPES):
        evaluators = instance_evaluators(module, parent)
        for rule in nested_rule_sets(module, parent, "ingress", evaluators):
            entries.append(_entry(rule, parent, parent.address, "rule_no", "action"))
    for resource in ctx.resources("aws_network_acl_rule"):
        attr = resource.attr("network_acl_id")
        acls = [t for t in module.targets(attr.value if attr else None) if t.type in ACL_TYPES]
        acl = acls[0] if len(acls) == 1 else None
        group = acl.address if acl is not None else (attr.value.text if attr else None)
        for rule in resource_rule_sets(module, resource):
            egress = rule.values.get("egress", False) if "egress" in rule.anchors else False
            if as_bool(egress) is not False:
                continue  # an egress entry, or unknown direction
            entries.append(_entry(rule, acl, group, "rule_number", "rule_action"))
    return entries


def _may_block(deny: Entry, allow: Entry, family: str, port: int) -> bool:
    """Whether ``deny`` could stop ``allow``'s traffic on ``port`` from the open range."""
    if deny is allow or deny.group is None or deny.group != allow.group:
        return False
    if deny.action not in ("deny", None):
        return False
    if deny.number is not None and allow.number is not None and deny.number >= allow.number:
        return False
    if family not in deny.open_families and not deny.unknown_source:
        return False
    return deny.span is None or deny.span.covers(port)


def _exposed_ports(allow: Entry) -> list[int]:
    span = allow.span
    if span is None or span.kind not in ("all", "ports"):
        return []
    ports = []
    for port in ADMIN_PORTS:
        if not span.covers(port):
            continue
        if (
            span.kind == "ports"
            and port != 22
            and span.low >= EPHEMERAL_START
            and span.high >= 65535
        ):
            continue  # the return-traffic range of a stateless ACL
        ports.append(port)
    return ports


class VpcNaclNoPublicIngress(Rule):
    id = "aws-vpc-nacl-no-public-ingress"
    title = "Network ACL allows SSH, RDP or all traffic from the whole internet"
    severity = Severity.HIGH
    rationale = (
        "A network ACL is the subnet-level guard behind security groups. An allow entry for "
        "SSH (22), RDP (3389) or all traffic from 0.0.0.0/0 or ::/0 removes that guard for "
        "the ports attackers scan first, so one permissive security group is enough to expose "
        "every instance of the subnet. Allowing all traffic is reported as medium: it is the "
        "AWS default, but it leaves the security groups as the only control."
    )
    remediation = (
        "Deny 22 and 3389 from 0.0.0.0/0 and ::/0 with lower rule numbers than any broad "
        "allow, or allow administrative ports only from your VPN or office ranges; reach "
        "instances through SSM Session Manager instead of opening SSH or RDP."
    )
    links = (
        "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
        "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html",
    )
    aliases = (
        "CKV_AWS_231",
        "CKV_AWS_232",
        "AVD-AWS-0105",
        "AWS-0105",
        "aws-ec2-no-public-ingress-acl",
    )
    bad_example = """
resource "aws_network_acl" "public" {
  vpc_id = aws_vpc.main.id
}

resource "aws_network_acl_rule" "ssh" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}
"""
    good_example = """
resource "aws_network_acl" "public" {
  vpc_id = aws_vpc.main.id

  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "deny"
    cidr_block = "0.0.0.0/0"
    from_port  = 22
    to_port    = 22
  }

  ingress {
    rule_no    = 110
    protocol   = "tcp"
    action     = "deny"
    cidr_block = "0.0.0.0/0"
    from_port  = 3389
    to_port    = 3389
  }

  ingress {
    rule_no    = 200
    protocol   = "-1"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}
"""
    fix_description = (
        "No automatic fix: replacing the source range or adding deny entries needs rule "
        "numbers and ranges only the author knows."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        entries = _entries(ctx)
        by_group: dict[str | None, list[Entry]] = {}
        for entry in entries:
            by_group.setdefault(entry.group, []).append(entry)
        seen: set[tuple[int, int]] = set()
        for allow in entries:
            if allow.action != "allow" or not allow.open_families:
                continue
            span = allow.span
            ports = _exposed_ports(allow)
            if span is None or not ports:
                continue
            for family, (cidr, anchor) in allow.open_families.items():
                open_ports = [
                    p
                    for p in ports
                    if not any(_may_block(d, allow, family, p) for d in by_group[allow.group])
                ]
                if not open_ports:
                    continue
                key = (id(allow.rule.entity), id(anchor))
                if key in seen:
                    continue
                seen.add(key)
                named = ", ".join(f"{ADMIN_PORTS[p]} ({p})" for p in open_ports)
                if span.all_ports:
                    what = f"all traffic ({span.describe()}, including {named})"
                    severity = Severity.MEDIUM
                else:
                    what = named
                    severity = self.severity
                entity = allow.rule.entity
                related = []
                if allow.acl is not None and allow.acl is not entity:
                    related.append(
                        (allow.acl, allow.acl.block, f"the network ACL {allow.acl.address}")
                    )
                yield ctx.report(
                    entity,
                    anchor,
                    f"{entity.address} allows {what} from {cidr} (the whole internet)",
                    severity=severity,
                    related=related,
                    data={"cidr": cidr, "ports": open_ports, "allPorts": span.all_ports},
                )


def _rule_number(value: object) -> int | None:
    number = as_number(value)
    return None if number is UNKNOWN else int(number)
