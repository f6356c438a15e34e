from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from tfguard.findings import Finding, Position, Range, Severity
from tfguard.fixes import Editor, Fix, TextEdit, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.aws._network import RULE_SET_TYPES, SG_TYPES, security_group_ingress
from tfguard.rules.base import Anchor, Context, Rule
from tfguard.rules.kit.fixing import Choice, literal_string, parent_block, variable_choice
from tfguard.rules.kit.instances import RuleSet
from tfguard.rules.kit.network import PortSpan, is_open_cidr
from tfguard.rules.kit.resources import addressable
from tfguard.rules.kit.values import as_bool
from tfguard.syntax import Block, Expr, ObjectItem, Reference, TupleExpr

# Remote administration, databases, caches, search, container and file-sharing ports.
SENSITIVE_PORTS = frozenset(
    {
        20,
        21,
        22,
        23,
        135,
        137,
        138,
        139,
        445,
        1433,
        1521,
        2375,
        2376,
        2379,
        3306,
        3389,
        5432,
        5601,
        5900,
        5984,
        6379,
        7001,
        8020,
        9042,
        9200,
        9300,
        11211,
        27017,
    }
)
WEB_PORTS = frozenset({80, 443})


def severity_for(span: PortSpan | None) -> Severity:
    if span is None:
        return Severity.HIGH
    if span.kind == "icmp":
        return Severity.LOW
    if span.all_ports:
        return Severity.CRITICAL
    if span.kind == "ports":
        if any(span.covers(p) for p in SENSITIVE_PORTS):
            return Severity.CRITICAL
        if span.low == span.high and span.low in WEB_PORTS:
            return Severity.LOW
    return Severity.HIGH


def _usually_public(spans: list[PortSpan | None]) -> bool:
    """Whether every span is a single HTTP/HTTPS port, which a service may open on purpose."""
    return all(
        s is not None and s.kind == "ports" and s.low == s.high and s.low in WEB_PORTS
        for s in spans
    )


def describe(span: PortSpan | None) -> str:
    return "on ports that could not be determined" if span is None else span.describe()


def join_spans(spans: list[PortSpan | None]) -> str:
    """``on port 22, port 443``: the spans of one argument, in order, without repeats."""
    texts = list(dict.fromkeys(describe(s) for s in spans))
    return ", ".join([texts[0], *(t.removeprefix("on ") for t in texts[1:])])


@dataclass(slots=True)
class _Exposure:
    """Every open rule reported on one argument (a dynamic block expands to many rules)."""

    rule: RuleSet
    anchor: Anchor
    argument: str
    cidrs: list[str] = field(default_factory=list)
    spans: list[PortSpan | None] = field(default_factory=list)


def _related(ctx: Context, entity: Entity) -> list[tuple[Entity, Anchor, str]]:
    if entity.type in SG_TYPES:
        return []
    attr = entity.attr("security_group_id")
    return [
        (sg, sg.block, f"the security group {sg.address}")
        for sg in ctx.module.targets(attr.value if attr else None)
        if sg.type in SG_TYPES
    ]


class Ec2NoPublicIngress(Rule):
    id = "aws-ec2-no-public-ingress"
    subject_types = RULE_SET_TYPES
    title = "Security group allows ingress from the whole internet"
    severity = Severity.CRITICAL
    rationale = (
        "An ingress rule open to 0.0.0.0/0 or ::/0 exposes the port to every host on the "
        "internet. Administrative and database ports (SSH, RDP, MySQL, PostgreSQL, Redis, "
        "Elasticsearch...) are scanned within minutes of exposure and brute-forced or exploited; "
        "all-ports rules expose every service the instance runs. The severity follows the "
        "ports: critical for all ports and sensitive ports, high for others, low for a single "
        "HTTP/HTTPS port or ICMP."
    )
    remediation = (
        "Restrict the source to known ranges (the VPC's CIDR, a VPN or office range, or a "
        "security group), and reach administrative ports through SSM Session Manager or a "
        "bastion instead of the internet."
    )
    links = (
        "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html",
    )
    aliases = (
        "CKV_AWS_24",
        "CKV_AWS_25",
        "CKV_AWS_260",
        "CKV_AWS_277",
        "AVD-AWS-0107",
        "AWS-0107",
        "aws-ec2-no-public-ingress-sgr",
    )
    bad_example = """
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "bastion" {
  name   = "bastion"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "rdp" {
  security_group_id = aws_security_group.bastion.id
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_ipv6         = "::/0"
}
"""
    bad_example_findings = 2
    good_example = """
resource "aws_security_group" "bastion" {
  name   = "bastion"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}

resource "aws_vpc_security_group_ingress_rule" "https_from_vpc" {
  security_group_id = aws_security_group.bastion.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "10.0.0.0/16"
}
"""
    fix_description = (
        "Narrows the open range where it is written: to the VPC's own range "
        "(aws_vpc.x.cidr_block, or ipv6_cidr_block when the VPC has one) when the security "
        "group's vpc_id names an aws_vpc of the module, or to a new variable "
        "<group>_allowed_cidrs (a string <group>_allowed_cidr for cidr_ipv4/cidr_ipv6), "
        "declared in variables.tf without a default so that a plan asks who may connect; "
        "other entries of the list are kept. The VPC range comes first, except for a single "
        "HTTP/HTTPS port, which may be public on purpose (if it is, suppress the finding with "
        "a reason). For a rule on port 22 (SSH) or 3389 (RDP) it also offers removing the rule "
        "(the last inline ingress block becomes ingress = [], which is what removes it from "
        "AWS). Every one of these fixes is unsafe: it changes who can connect, so tfguard fix "
        "applies it only with --unsafe-fixes. Not offered when the open range comes from a "
        "variable, a local or a tfvars file: that value may serve other rules and "
        "environments, so where to narrow it is the author's call."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        exposures: dict[tuple[int, int], _Exposure] = {}
        for ingress in security_group_ingress(ctx.module):
            span = ingress.spans[0] if ingress.spans else None
            for source in ingress.public_sources():
                key = (id(ingress.entity), id(source.anchor))
                exposure = exposures.setdefault(
                    key, _Exposure(ingress.rule_set, source.anchor, source.argument)
                )
                if source.text not in exposure.cidrs:
                    exposure.cidrs.append(source.text)
                if span not in exposure.spans:
                    exposure.spans.append(span)
        for exposure in exposures.values():
            entity = exposure.rule.entity
            severity = max(severity_for(s) for s in exposure.spans)
            ports = join_spans(exposure.spans)
            cidrs = " and ".join(exposure.cidrs)
            public = ""
            if _usually_public(exposure.spans):
                public = (
                    "; if this is meant to be public (a website, a load balancer), suppress it "
                    "with a reason"
                )
            yield ctx.report(
                entity,
                exposure.anchor,
                f"{entity.address} allows ingress from {cidrs} (the whole internet) {ports}"
                + public,
                severity=severity,
                related=_related(ctx, entity),
                data={
                    "attribute": exposure.argument,
                    "cidr": exposure.cidrs[0],
                    "cidrs": exposure.cidrs,
                    "ports": [
                        [s.low, s.high] if s is not None and s.kind == "ports" else None
                        for s in exposure.spans
                    ],
                },
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        target = _cidr_argument(module, finding)
        if target is None:
            return []
        entity, name, value = target
        ipv6 = name in ("ipv6_cidr_blocks", "cidr_ipv6")
        single = name in ("cidr_ipv4", "cidr_ipv6")
        group = _security_group(module, entity)
        owner = group if group is not None else entity
        edits_for = _single_edits if single else _list_edits
        if single and not _open_literal(value):
            return []  # a value from elsewhere: see fix_description
        if not single and (not isinstance(value, TupleExpr) or not _open_items(value)):
            return []
        editor = Editor(module)
        cidr = "::/0" if ipv6 else "0.0.0.0/0"
        narrowings: list[tuple[str, list[TextEdit]]] = []
        vpc = _vpc_range(module, group, ipv6)
        if vpc is not None:
            edits = edits_for(editor, entity, value, vpc, replace_with_single=True)
            narrowings.append((f"Replace {cidr} with the VPC's range {vpc}", edits))
        family = "ipv6_" if ipv6 else ""
        variable = f"{owner.name}_allowed_{family}cidr{'' if single else 's'}"
        kind = "IPv6" if ipv6 else "IPv4"
        choice: Choice = variable_choice(
            module,
            entity,
            variable,
            f"{kind} source range{'' if single else 's'} (CIDR) allowed to reach "
            f"{owner.address}, in place of {cidr}",
            "string" if single else "list(string)",
            f"a new variable var.{variable}",
        )
        edits = edits_for(editor, entity, value, choice.expr, replace_with_single=False)
        asks = " (a plan asks for its value)" if choice.edits else ""
        by_variable = (
            f"Replace {cidr} with {choice.label}{asks}",
            [*edits, *choice.edits],
        )
        ports = finding.data.get("ports") or []
        web = bool(ports) and all(p in ([80, 80], [443, 443]) for p in ports)
        if web:
            narrowings.insert(0, by_variable)
        else:
            narrowings.append(by_variable)
        # Narrowing changes who can connect: never applied unattended (a port that is
        # usually public may be public on purpose; then the finding is suppressed instead).
        consequence = "hosts outside the new range can no longer connect"
        if web:
            consequence = "a website or load balancer meant to be public stops being reachable"
        fixes = [Fix(title, tuple(edits), "unsafe", consequence) for title, edits in narrowings]
        admin = {22: "SSH", 3389: "RDP"}
        if ports and all(isinstance(p, list) and p[0] == p[1] and p[0] in admin for p in ports):
            removal = _removal(module, editor, finding, entity)
            if removal is not None:
                label = admin[int(ports[0][0])]
                fixes.append(
                    Fix(
                        f"Remove the {label} rule ({removal[0]})",
                        removal[1],
                        "unsafe",
                        f"nobody can connect over {label} any more",
                    )
                )
        return fixes


# -- fixes ---------------------------------------------------------------------------------


def _cidr_argument(module: Module, finding: Finding) -> tuple[Entity, str, Expr] | None:
    """The entity, argument name and value expression of the argument a finding is on (a
    block's attribute or an object item of the attribute form)."""
    entity = entity_for(module, finding)
    name = finding.data.get("attribute")
    if entity is None or not isinstance(name, str):
        return None
    for block in entity.block.walk_blocks():
        for attr in block.attributes.values():
            if entity.abs(attr.range) == finding.range and attr.name == name:
                return entity, name, attr.value
            if isinstance(attr.value, TupleExpr):
                for item in attr.value.items:
                    for obj_item in getattr(item, "items", ()):
                        if (
                            isinstance(obj_item, ObjectItem)
                            and entity.abs(obj_item.range) == finding.range
                            and obj_item.key_name == name
                        ):
                            return entity, name, obj_item.value
    return None


def _open_literal(expr: Expr) -> bool:
    return is_open_cidr(literal_string(expr))


def _open_items(value: TupleExpr) -> list[int]:
    """Indexes of the list items that are open ranges written in place."""
    return [i for i, item in enumerate(value.items) if _open_literal(item)]


def _single_edits(
    editor: Editor, entity: Entity, value: Expr, text: str, *, replace_with_single: bool
) -> list[TextEdit]:
    return [TextEdit(entity.path, entity.abs(value.range), text)]


def _list_edits(
    editor: Editor, entity: Entity, value: Expr, text: str, *, replace_with_single: bool
) -> list[TextEdit]:
    """Edits that take the open items out of a list: ``text`` is one range that replaces the
    first of them (``replace_with_single``), or a list expression that the remaining
    entries are concatenated with."""
    assert isinstance(value, TupleExpr)
    items = value.items
    open_ = _open_items(value)
    kept = [i for i in range(len(items)) if i not in open_]
    path = entity.path

    def drop(indexes: list[int]) -> list[TextEdit]:
        edits: list[TextEdit] = []
        last_kept = max(kept)
        for i in indexes:
            if i < last_kept:  # up to the next item: the separator goes too
                span = Range(entity.abs(items[i].range).start, entity.abs(items[i + 1].range).start)
                edits.append(TextEdit(path, span, ""))
        trailing = [i for i in indexes if i > last_kept]
        if trailing:
            span = Range(
                entity.abs(items[last_kept].range).end, entity.abs(items[max(trailing)].range).end
            )
            edits.append(TextEdit(path, span, ""))
        return edits

    if replace_with_single:
        if any(items[i].text.strip() == text for i in kept):
            return drop(open_)  # the range is in the list already
        first = TextEdit(path, entity.abs(items[open_[0]].range), text)
        rest = open_[1:]
        if not rest:
            return [first]
        kept.append(open_[0])
        kept.sort()
        return [first, *drop(rest)]
    if not kept:
        return [TextEdit(path, entity.abs(value.range), text)]
    whole = entity.abs(value.range)
    return [
        TextEdit(path, Range(whole.start, whole.start), "concat("),
        *drop(open_),
        TextEdit(path, Range(whole.end, whole.end), f", {text})"),
    ]


def _security_group(module: Module, entity: Entity) -> Entity | None:
    if entity.type in SG_TYPES:
        return entity
    groups = [g for g in module.targets(entity.expr("security_group_id")) if g.type in SG_TYPES]
    return groups[0] if len(groups) == 1 else None


def _vpc_range(module: Module, group: Entity | None, ipv6: bool) -> str | None:
    """``aws_vpc.x.cidr_block`` (``ipv6_cidr_block``) when the group's ``vpc_id`` is exactly
    ``aws_vpc.x.id`` (directly or through a local) of a VPC written once; for IPv6 only when
    the VPC has an IPv6 range."""
    if group is None:
        return None
    expr = group.expr("vpc_id")
    for _ in range(5):
        if not isinstance(expr, Reference):
            return None
        steps = expr.steps
        if expr.root == "local" and len(steps) == 2 and isinstance(steps[1], str):
            local = module.locals.get(steps[1])
            expr = local.attribute.value if local is not None else None
            continue
        break
    if not isinstance(expr, Reference) or len(expr.steps) != 3 or expr.steps[2] != "id":
        return None
    vpc = module.resolve(expr)
    if vpc is None or vpc.type != "aws_vpc" or not addressable(vpc):
        return None
    if not ipv6:
        return f"{vpc.address}.cidr_block"
    has_ipv6 = as_bool(
        module.attr_value(vpc, "assign_generated_ipv6_cidr_block", False)
    ) is True or any(vpc.attr(n) is not None for n in ("ipv6_cidr_block", "ipv6_ipam_pool_id"))
    return f"{vpc.address}.ipv6_cidr_block" if has_ipv6 else None


def _own_lines(editor: Editor, entity: Entity, block: Block) -> tuple[int, int] | None:
    """The lines a block occupies alone, with the comment lines right above it; None when
    it shares a line with something else."""
    r = entity.abs(block.range)
    if editor.line(entity, r.start.line)[: r.start.character].strip():
        return None
    tail = editor.line(entity, r.end.line)[r.end.character :].strip()
    if tail and not tail.startswith(("#", "//")):
        return None
    first = r.start.line
    while first > 0 and editor.line(entity, first - 1).strip().startswith(("#", "//")):
        first -= 1
    return first, r.end.line


def _removal(
    module: Module, editor: Editor, finding: Finding, entity: Entity
) -> tuple[str, tuple[TextEdit, ...]] | None:
    """(how, edits) that remove the rule a finding is on: a standalone rule resource, or an
    inline ingress block (the last one becomes ``ingress = []``)."""
    name = finding.data.get("attribute")
    holder: Block | None = None
    for block in entity.block.walk_blocks():
        attr = block.attributes.get(str(name))
        if attr is not None and entity.abs(attr.range) == finding.range:
            holder = block
    if holder is None:
        return None
    if holder is entity.block:
        if entity.type in SG_TYPES or module.referrers.get(entity.address):
            return None  # something refers to the rule: removing it would break that
        lines = _own_lines(editor, entity, entity.block)
        if lines is None:
            return None
        first, last = _with_blank(editor, entity, *lines)
        return f"delete {entity.address}", (editor.delete_lines(entity, first, last),)
    if holder.type != "ingress" or parent_block(entity.block, holder) is not entity.block:
        return None  # a dynamic block's content: it stands for many rules
    lines = _own_lines(editor, entity, holder)
    if lines is None:
        return None
    others = [b for b in entity.block.blocks_of("ingress") if b is not holder]
    dynamic = [b for b in entity.block.blocks_of("dynamic") if b.labels == ("ingress",)]
    if others or dynamic or entity.attr("ingress") is not None:
        first, last = _with_blank(editor, entity, *lines)
        return "delete the ingress block", (editor.delete_lines(entity, first, last),)
    standalone = (
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
    )
    if any(e.type in standalone for e, _ in module.referrers.get(entity.address, [])):
        # With rule resources on the group, ingress = [] would revoke theirs too, and without
        # it Terraform stops managing the inline rule instead of revoking it.
        return None
    first, last = lines
    indent = editor.indent_of(entity, entity.abs(holder.range).start.line)
    end = Position(last, len(editor.line(entity, last)))
    edit = TextEdit(entity.path, Range(Position(first, 0), end), f"{indent}ingress = []")
    return "its last ingress block becomes ingress = []", (edit,)


def _with_blank(editor: Editor, entity: Entity, first: int, last: int) -> tuple[int, int]:
    """Lines to delete: these, and one blank line next to them when it would otherwise be
    left doubled, at the top of a block or file, or before a closing brace."""
    total = len(editor.file(entity).text.split("\n"))
    before = editor.line(entity, first - 1) if first > 0 else None
    after = editor.line(entity, last + 1) if last + 1 < total else None
    before_blank = before is not None and not before.strip()
    after_blank = after is not None and not after.strip()
    opens = before is None or before.rstrip().endswith("{")
    closes = after is None or after.strip().startswith("}")
    if before_blank and (after_blank or closes):
        return first - 1, last
    if after_blank and opens:
        return first, last + 1
    return first, last
