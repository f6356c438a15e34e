"""User policies: a team's own rules, written in ``.tfguard.hcl`` on the declarative layer.

```hcl
policy "acme-s3-owner-tag" {
  title          = "S3 buckets carry an owner tag"
  severity       = "medium"
  resource_types = ["aws_s3_bucket"]
  attribute      = "tags.owner"
  operator       = "exists"
}

policy "acme-db-backups" {
  title          = "Databases keep a week of backups and are private"
  severity       = "high"
  resource_types = ["aws_db_instance"]
  all {
    attribute = "backup_retention_period"
    operator  = "greater_than_or_equal"
    value     = 7
  }
  all {
    attribute = "publicly_accessible"
    operator  = "not_equals"
    value     = true
  }
}
```

The vocabulary mirrors Checkov's YAML attribute policies, so a team can port theirs line by
line: ``attribute`` (a path: ``tags.owner``, ``site_config.minimum_tls_version``),
``operator`` (:data:`OPERATORS`), ``value``, and ``all { ... }`` / ``any { ... }`` groups that
nest. A policy runs like a built-in rule: on every live resource of ``resource_types``, in the
editor and the CLI, with the same suppressions (``# tfguard:ignore:acme-s3-owner-tag``),
severity settings and SARIF metadata. Unknown values never fail a policy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfguard.evaluate import Evaluator, fully_known
from tfguard.findings import Finding, Severity
from tfguard.module import Entity, Module
from tfguard.rules.base import Anchor, Context, Rule
from tfguard.rules.kit import conditions as c
from tfguard.rules.kit.paths import ABSENT, Hit, lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, Value, as_string
from tfguard.syntax import Attribute, Block, Expr

POLICY_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _regex(pattern: str, negate: bool) -> c.Condition:
    compiled = re.compile(pattern)

    def test(value: Value) -> Any:
        if value is ABSENT:
            return negate
        text = as_string(value)
        if text is UNKNOWN or not fully_known(text):
            return UNKNOWN
        found = compiled.match(text) is not None  # anchored at the start, like Checkov
        return not found if negate else found

    word = "must not match" if negate else "must match"
    return c.Satisfies(test, f"{word} {pattern!r}")


def _above(limit: float, strict: bool, lower: bool) -> c.Condition:
    def test(value: Value) -> Any:
        base = c.AtLeast(limit) if lower else c.AtMost(limit)
        verdict = base.test(value)
        if verdict is True and strict:
            return c.NotEquals(limit).test(value)
        return verdict

    word = ("greater than" if lower else "less than") + ("" if strict else " or equal to")
    return c.Satisfies(test, f"must be {word} {c.render(limit)}")


def _number(value: Value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("needs a number as value")
    return value


def _list(value: Value) -> tuple[Value, ...]:
    if not isinstance(value, list):
        raise ValueError("needs a list as value")
    return tuple(value)


# operator → (needs a value, build the condition from the value)
OPERATORS: dict[str, tuple[bool, Callable[[Value], c.Condition]]] = {
    "equals": (True, lambda v: c.Equals(v)),
    "not_equals": (True, lambda v: c.NotEquals(v)),
    "exists": (False, lambda v: c.Present()),
    "not_exists": (False, lambda v: c.Absent()),
    "one_of": (True, lambda v: c.OneOf(*_list(v))),
    "not_one_of": (True, lambda v: c.NotOneOf(*_list(v))),
    "contains": (True, lambda v: c.Contains(v)),
    "not_contains": (True, lambda v: c.NotContains(v)),
    "greater_than": (True, lambda v: _above(_number(v), True, True)),
    "greater_than_or_equal": (True, lambda v: _above(_number(v), False, True)),
    "less_than": (True, lambda v: _above(_number(v), True, False)),
    "less_than_or_equal": (True, lambda v: _above(_number(v), False, False)),
    "regex_match": (True, lambda v: _regex(_text(v), False)),
    "not_regex_match": (True, lambda v: _regex(_text(v), True)),
    "is_empty": (False, lambda v: c.Not(c.NotEmpty())),
    "is_not_empty": (False, lambda v: c.NotEmpty()),
}


def _text(value: Value) -> str:
    if not isinstance(value, str):
        raise ValueError("needs a string as value")
    re.compile(value)
    return value


# -- the condition tree ------------------------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    attribute: str
    operator: str
    condition: c.Condition

    def evaluate(self, module: Module, entity: Entity) -> tuple[Any, Hit | None]:
        """(verdict, the first failing place) over every place the path reaches."""
        verdicts = []
        for hit in lookup(module, entity, self.attribute):
            verdict = self.condition.test(hit.value)
            if verdict is False:
                return False, hit
            verdicts.append(verdict)
        return (UNKNOWN if any(v is UNKNOWN for v in verdicts) else True), None

    def describe(self) -> str:
        return f"{self.attribute} {self.condition.describe()}"


@dataclass(frozen=True)
class Group:
    kind: str  # "all" or "any"
    parts: tuple[Leaf | Group, ...]

    def evaluate(self, module: Module, entity: Entity) -> tuple[Any, Hit | None]:
        results = [p.evaluate(module, entity) for p in self.parts]
        if self.kind == "all":
            for verdict, hit in results:
                if verdict is False:
                    return False, hit
            return (UNKNOWN if any(v is UNKNOWN for v, _ in results) else True), None
        if any(v is True for v, _ in results):
            return True, None
        if any(v is UNKNOWN for v, _ in results):
            return UNKNOWN, None
        return False, next((h for _, h in results if h is not None), None)

    def describe(self) -> str:
        joiner = " and " if self.kind == "all" else " or "
        inner = joiner.join(p.describe() for p in self.parts)
        return f"({inner})" if len(self.parts) > 1 else inner


class UserPolicy(Rule):
    """A rule built from a ``policy`` block of a configuration file."""

    def __init__(
        self,
        policy_id: str,
        title: str,
        severity: Severity,
        resource_types: tuple[str, ...],
        condition: Leaf | Group,
        source: tuple[str, int],
        message: str | None = None,
        remediation: str | None = None,
        rationale: str | None = None,
    ) -> None:
        self.id = policy_id  # type: ignore[misc]
        self.title = title  # type: ignore[misc]
        self.severity = severity  # type: ignore[misc]
        self.resource_types = resource_types
        self.condition = condition
        self.source = source  # (config path, 0-based line of the policy block)
        self.message = message
        self.rationale = rationale or f"A project policy defined in {Path(source[0]).name}."  # type: ignore[misc]
        self.remediation = remediation or f"Make {condition.describe()}."  # type: ignore[misc]
        self.bad_example = ""  # type: ignore[misc]
        self.good_example = ""  # type: ignore[misc]
        self.fix_description = "No automatic fix: a project policy."  # type: ignore[misc]

    @property
    def doc_url(self) -> str:
        return f"{Path(self.source[0]).as_uri()}#L{self.source[1] + 1}"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for entity in live(ctx.module, *self.resource_types):
            verdict, hit = self.condition.evaluate(ctx.module, entity)
            if verdict is not False:
                continue
            anchor: Anchor = hit.anchor if hit is not None else entity.block
            text = self.message or f"{entity.address}: {self.condition.describe()}"
            yield ctx.report(
                entity,
                anchor,
                text.replace("{address}", entity.address),
                data={"policy": self.id},
            )


# -- reading policy blocks ---------------------------------------------------------------------


class PolicyError(ValueError):
    """A policy block that cannot be used; ``at`` is its (0-based line, column) in the file."""

    def __init__(self, at: tuple[int, int], message: str) -> None:
        super().__init__(message)
        self.at = at
        self.message = message


def _at(node: Attribute | Block | Expr, line: int) -> tuple[int, int]:
    if isinstance(node, Attribute):
        start = node.name_range.start
    elif isinstance(node, Block):
        start = node.type_range.start
    else:
        start = node.range.start
    return (start.line + line, start.character)


def _value(attr: Attribute) -> Value:
    return Evaluator().eval(attr.value)


def _string(attr: Attribute, line: int, what: str) -> str:
    value = _value(attr)
    if not isinstance(value, str) or not value.strip():
        raise PolicyError(_at(attr.value, line), f"{what} must be a non-empty string")
    return value


CONDITION_KEYS = frozenset({"attribute", "operator", "value"})
POLICY_KEYS = (
    frozenset({"title", "severity", "resource_types", "message", "remediation", "rationale"})
    | CONDITION_KEYS
)


def _leaf(block: Block, line: int) -> Leaf | None:
    attrs = block.attributes
    if not (CONDITION_KEYS & attrs.keys()):
        return None
    if "attribute" not in attrs or "operator" not in attrs:
        missing = "attribute" if "attribute" not in attrs else "operator"
        raise PolicyError(_at(block, line), f"a condition needs {missing} = ...")
    path = _string(attrs["attribute"], line, "attribute")
    if any(not part for part in path.split(".")):
        raise PolicyError(_at(attrs["attribute"].value, line), f"bad attribute path {path!r}")
    operator = _string(attrs["operator"], line, "operator")
    spec = OPERATORS.get(operator)
    if spec is None:
        choices = ", ".join(sorted(OPERATORS))
        raise PolicyError(
            _at(attrs["operator"].value, line),
            f"unknown operator {operator!r} (expected one of: {choices})",
        )
    needs_value, build = spec
    value: Value = None
    if needs_value:
        if "value" not in attrs:
            raise PolicyError(
                _at(attrs["operator"], line), f"operator {operator} needs value = ..."
            )
        value = _value(attrs["value"])
        if not fully_known(value):
            raise PolicyError(_at(attrs["value"].value, line), "value must be a constant")
    elif "value" in attrs:
        raise PolicyError(_at(attrs["value"], line), f"operator {operator} takes no value")
    try:
        condition = build(value)
    except (ValueError, re.error) as err:
        where = attrs["value"].value if "value" in attrs else attrs["operator"].value
        raise PolicyError(_at(where, line), f"operator {operator} {err}") from None
    return Leaf(path, operator, condition)


def _condition(block: Block, line: int, kind: str) -> Leaf | Group:
    """The condition of a policy block or an all/any group."""
    parts: list[Leaf | Group] = []
    leaf = _leaf(block, line)
    if leaf is not None:
        parts.append(leaf)
    for child in block.blocks:
        if child.type not in ("all", "any"):
            raise PolicyError(
                _at(child, line), f"unexpected block {child.type!r}: only all {{}} and any {{}}"
            )
        if child.labels:
            raise PolicyError(_at(child, line), f"an {child.type} block takes no label")
        for attr in child.attributes.values():
            if attr.name not in CONDITION_KEYS:
                raise PolicyError(_at(attr, line), f"unknown condition setting {attr.name!r}")
        parts.append(_condition(child, line, child.type))
    if not parts:
        raise PolicyError(
            _at(block, line),
            "a policy needs a condition: attribute and operator, or all { } / any { } blocks",
        )
    if len(parts) == 1 and (kind == "all" or isinstance(parts[0], Group)):
        return parts[0]
    return Group(kind, tuple(parts))


def parse_policy(path: str, line: int, block: Block, taken: set[str]) -> UserPolicy:
    """A :class:`UserPolicy` from a ``policy "<id>" { ... }`` block (``line``: the block's
    first line in the file); ``taken`` holds the ids already in use."""
    if len(block.labels) != 1:
        raise PolicyError(
            _at(block, line), 'a policy block takes one label, its id: policy "acme-rule" { }'
        )
    policy_id = block.labels[0]
    label_at = (block.label_ranges[0].start.line + line, block.label_ranges[0].start.character)
    if not POLICY_ID.match(policy_id):
        raise PolicyError(label_at, f"bad policy id {policy_id!r}: use lower case, digits and -")
    if policy_id in taken:
        raise PolicyError(label_at, f"the id {policy_id!r} is already used by another rule")
    attrs = block.attributes
    for attr in attrs.values():
        if attr.name not in POLICY_KEYS:
            raise PolicyError(_at(attr, line), f"unknown policy setting {attr.name!r}")
    if "title" not in attrs:
        raise PolicyError(_at(block, line), "a policy needs a title")
    title = _string(attrs["title"], line, "title")
    severity = Severity.MEDIUM
    if "severity" in attrs:
        try:
            severity = Severity.parse(_string(attrs["severity"], line, "severity"))
        except ValueError as err:
            raise PolicyError(_at(attrs["severity"].value, line), str(err)) from None
    if "resource_types" not in attrs:
        raise PolicyError(_at(block, line), "a policy needs resource_types = [...]")
    types = _value(attrs["resource_types"])
    if not isinstance(types, list) or not types or not all(isinstance(t, str) and t for t in types):
        raise PolicyError(
            _at(attrs["resource_types"].value, line),
            "resource_types must be a non-empty list of resource types",
        )
    texts = {
        key: _string(attrs[key], line, key)
        for key in ("message", "remediation", "rationale")
        if key in attrs
    }
    condition = _condition(block, line, "all")
    return UserPolicy(
        policy_id,
        title,
        severity,
        tuple(types),
        condition,
        (path, _at(block, line)[0]),
        texts.get("message"),
        texts.get("remediation"),
        texts.get("rationale"),
    )
