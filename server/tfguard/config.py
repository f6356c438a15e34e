""".tfguard.hcl: per-rule ``enabled``/``severity``, ``exclude`` globs, ``minimum_severity``.

```hcl
minimum_severity = "low"
exclude          = ["legacy/**", "**/examples/*.tf"]

rule "aws-kms-key-rotation" {
  enabled  = true
  severity = "high"
}
```

A bad file gives one :class:`ConfigError` with its file, line and column.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

from tfguard.document import ParsedFile
from tfguard.evaluate import Evaluator, fully_known
from tfguard.findings import Severity
from tfguard.rules import registry
from tfguard.syntax import Attribute, Block, Expr

CONFIG_NAME = ".tfguard.hcl"


class ConfigError(Exception):
    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line + 1}:{column + 1}: {message}")
        self.path = path
        self.line = line  # 0-based
        self.column = column
        self.message = message


@dataclass(frozen=True, slots=True)
class RuleConfig:
    enabled: bool = True
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class Config:
    path: str | None = None
    minimum_severity: Severity = Severity.INFO
    exclude: tuple[str, ...] = ()
    rules: dict[str, RuleConfig] = field(default_factory=dict)

    @property
    def root(self) -> str | None:
        return os.path.dirname(self.path) if self.path else None

    def is_excluded(self, path: str) -> bool:
        if not self.exclude or self.root is None:
            return False
        rel = os.path.relpath(path, self.root).replace(os.sep, "/")
        return any(_glob(pattern).fullmatch(rel) for pattern in self.exclude)


@dataclass(frozen=True, slots=True)
class Settings:
    """Editor-side overrides, applied on top of the configuration file."""

    minimum_severity: Severity | None = None
    disabled_rules: frozenset[str] = frozenset()
    severity_overrides: dict[str, Severity] = field(default_factory=dict)


@lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    i = 0
    pattern = pattern.strip().lstrip("./") if pattern.startswith("./") else pattern.strip()
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    if pattern.endswith("/"):
        out.append(".*")
    return re.compile("".join(out))


def find_config(start: str) -> str | None:
    """The nearest .tfguard.hcl in ``start`` (a directory or file) or a parent directory."""
    current = os.path.abspath(start)
    if not os.path.isdir(current):
        current = os.path.dirname(current)
    while True:
        candidate = os.path.join(current, CONFIG_NAME)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def load_config(path: str) -> Config:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(path, 0, 0, f"cannot read the configuration: {err}") from None
    return parse_config(path, text)


def parse_config(path: str, text: str) -> Config:
    parsed = ParsedFile(path, text)
    if parsed.problems:
        p = parsed.problems[0]
        raise ConfigError(path, p.range.start.line, p.range.start.character, p.message)
    minimum = Severity.INFO
    exclude: tuple[str, ...] = ()
    rules: dict[str, RuleConfig] = {}
    for placed in parsed.items:
        node = placed.node
        line = placed.line
        if isinstance(node, Attribute):
            if node.name == "minimum_severity":
                minimum = _severity(path, line, node.value)
            elif node.name == "exclude":
                exclude = _string_list(path, line, node.value)
            else:
                _fail(path, line, node.value, f"unknown setting {node.name!r}", at=node)
        elif node.type == "rule":
            rule_id, cfg = _rule(path, line, node)
            rules[rule_id] = cfg
        else:
            raise ConfigError(
                path,
                node.type_range.start.line + line,
                node.type_range.start.character,
                f"unknown block {node.type!r}: only 'rule \"<id>\" {{ ... }}' blocks are allowed",
            )
    return Config(path, minimum, exclude, rules)


def _fail(path: str, line: int, expr: Expr, message: str, at: Attribute | None = None) -> None:
    start = at.name_range.start if at is not None else expr.range.start
    raise ConfigError(path, start.line + line, start.character, message)


def _severity(path: str, line: int, expr: Expr) -> Severity:
    value = Evaluator().eval(expr)
    if not isinstance(value, str):
        _fail(path, line, expr, "severity must be a string: info, low, medium, high or critical")
    try:
        return Severity.parse(value)
    except ValueError as err:
        _fail(path, line, expr, str(err))
        raise


def _string_list(path: str, line: int, expr: Expr) -> tuple[str, ...]:
    value = Evaluator().eval(expr)
    if not fully_known(value) or not isinstance(value, list):
        _fail(path, line, expr, "exclude must be a list of glob strings")
    if not all(isinstance(v, str) for v in value):
        _fail(path, line, expr, "exclude must be a list of glob strings")
    return tuple(value)


def _rule(path: str, line: int, block: Block) -> tuple[str, RuleConfig]:
    if len(block.labels) != 1:
        raise ConfigError(
            path,
            block.type_range.start.line + line,
            block.type_range.start.character,
            'a rule block takes one label, the rule id: rule "aws-s3-no-public-acl" { ... }',
        )
    rule = registry.get(block.labels[0])
    if rule is None:
        r = block.label_ranges[0]
        raise ConfigError(
            path, r.start.line + line, r.start.character, f"unknown rule {block.labels[0]!r}"
        )
    enabled = True
    severity: Severity | None = None
    for attr in block.attributes.values():
        if attr.name == "enabled":
            value = Evaluator().eval(attr.value)
            if not isinstance(value, bool):
                _fail(path, line, attr.value, "enabled must be true or false")
            enabled = bool(value)
        elif attr.name == "severity":
            severity = _severity(path, line, attr.value)
        else:
            _fail(path, line, attr.value, f"unknown rule setting {attr.name!r}", at=attr)
    if block.blocks:
        b = block.blocks[0]
        raise ConfigError(
            path,
            b.type_range.start.line + line,
            b.type_range.start.character,
            f"unexpected block {b.type!r} inside a rule block",
        )
    return rule.id, RuleConfig(enabled, severity)
