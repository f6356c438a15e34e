"""The rule framework: one rule is one class with its metadata, examples, check and fix."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from tfguard import provenance
from tfguard.findings import Finding, Range, Related, Severity
from tfguard.fixes import Fix
from tfguard.module import Entity, Module
from tfguard.syntax import Attribute, Block, Expr, ObjectItem

DOCS_BASE = "https://github.com/tfguard/tfguard/blob/main/docs/rules/"

Anchor = Attribute | Block | Expr | ObjectItem | Range


def anchor_range(node: Anchor) -> Range:
    """The range a finding is shown on: a block's header, not its whole body."""
    if isinstance(node, Range):
        return node
    if isinstance(node, Block):
        return node.header_range
    return node.range


class Rule:
    id: ClassVar[str]
    title: ClassVar[str]
    severity: ClassVar[Severity]
    rationale: ClassVar[str]
    remediation: ClassVar[str]
    links: ClassVar[tuple[str, ...]] = ()
    # The same check in other scanners: Checkov (CKV_AWS_20), Trivy/tfsec (AVD-AWS-0092,
    # AWS-0092, aws-s3-no-public-access-with-acl).
    aliases: ClassVar[tuple[str, ...]] = ()
    # Examples are HCL; a line ``# file: NAME`` starts another file (the first is main.tf).
    bad_example: ClassVar[str]
    good_example: ClassVar[str]
    # How many findings of this rule the bad example must produce.
    bad_example_findings: ClassVar[int] = 1
    # What the rule's fix does, or why there is no safe automatic fix.
    fix_description: ClassVar[str] = "No automatic fix: the right change depends on intent."
    # Resource types whose blocks the rule checks each on its own: what it reports about one
    # of them depends on that block, on the blocks it refers to and on blocks of other types,
    # never on another block of these types, and every finding is on one of them. The editor
    # then re-checks only the blocks an edit changed (see tfguard.incremental).
    subject_types: ClassVar[tuple[str, ...]] = ()

    @property
    def doc_url(self) -> str:
        return f"{DOCS_BASE}{self.id}.md"

    def check(self, ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError(f"rule {self.id} has no check")

    @property
    def has_fix(self) -> bool:
        """Whether the rule can offer fixes at all."""
        return type(self).fixes is not Rule.fixes

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        """The fixes for one of this rule's findings, the preferred one first (none by
        default). Build edits with :class:`tfguard.fixes.Editor`."""
        return []


def _value_of(at: Anchor) -> Expr | None:
    """The expression whose value a finding on ``at`` is about."""
    if isinstance(at, (Attribute, ObjectItem)):
        return at.value
    if isinstance(at, Expr):
        return at
    return None


@dataclass(slots=True)
class Context:
    """What a rule sees of one module, and how it reports."""

    module: Module
    rule: Rule
    findings: list[Finding] = field(default_factory=list)

    def report(
        self,
        entity: Entity,
        at: Anchor,
        message: str,
        *,
        related: Iterable[tuple[Entity, Anchor, str]] = (),
        severity: Severity | None = None,
        data: Mapping[str, Any] | None = None,
        evaluated: Expr | None = None,
    ) -> Finding:
        """Report a finding on ``at``. When the value that makes it was evaluated through
        variables, tfvars entries, locals or conditionals, the steps are added to ``related``
        (:mod:`tfguard.provenance`): for the expression ``evaluated``, by default the value of
        the attribute or object item (or the expression) ``at`` is."""
        rel = anchor_range(at)
        scope = entity.block.scope_of(rel)
        lines: list[int] = []
        for r in scope:
            line = entity.abs(r).start.line
            if line not in lines:
                lines.append(line)
        block_range = entity.abs(entity.block.range)
        explained = [Related(e.path, e.abs(anchor_range(a)), msg) for e, a, msg in related]
        source = evaluated if evaluated is not None else _value_of(at)
        if source is not None:
            for step in provenance.steps(self.module, source, entity.path, entity.placed.line):
                if all((r.path, r.range) != (step.path, step.range) for r in explained):
                    explained.append(step.related())
        finding = Finding(
            rule_id=self.rule.id,
            severity=severity if severity is not None else self.rule.severity,
            message=message,
            path=entity.path,
            range=entity.abs(rel),
            related=tuple(explained),
            scope_lines=tuple(lines),
            block_lines=(block_range.start.line, block_range.end.line),
            data={"address": entity.address, **(data or {})},
        )
        self.findings.append(finding)
        return finding

    # Helpers shared by many rules ---------------------------------------------------------

    def resources(self, *types: str) -> list[Entity]:
        return self.module.of_type(*types)

    def value(self, expr: Expr | None) -> Any:
        return self.module.value(expr)

    def attr_value(self, entity: Entity, name: str, default: Any = None) -> Any:
        return self.module.attr_value(entity, name, default)
