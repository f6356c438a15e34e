""".tfguard.hcl: per-rule ``enabled``/``severity``, ``exclude`` globs, ``minimum_severity``,
``baseline`` (a file of accepted findings, relative to this file; see :mod:`tfguard.baseline`).

```hcl
minimum_severity = "low"
exclude          = ["legacy/**", "**/examples/*.tf"]
baseline         = "tfguard-baseline.json"

rule "aws-kms-key-rotation" {
  enabled  = true
  severity = "high"
}

policy "acme-s3-owner-tag" {      # a project rule: see tfguard.policies
  title          = "S3 buckets carry an owner tag"
  severity       = "medium"
  resource_types = ["aws_s3_bucket"]
  attribute      = "tags.owner"
  operator       = "exists"
}
```

A bad file gives one :class:`ConfigError` with its file, line and column.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache

from tfguard.document import ParsedFile
from tfguard.evaluate import Evaluator, fully_known
from tfguard.findings import Severity
from tfguard.policies import PolicyError, UserPolicy, parse_policy
from tfguard.rules import registry
from tfguard.rules.base import Rule
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
    # ``baseline = "tfguard-baseline.json"``: the absolute path of the baseline file, and where
    # the setting stands in this file (0-based line, column) for errors about that file.
    baseline: str | None = None
    baseline_at: tuple[int, int] = (0, 0)
    # The project's own rules (``policy "<id>" { ... }``, see :mod:`tfguard.policies`).
    policies: tuple[Rule, ...] = ()

    @property
    def root(self) -> str | None:
        return os.path.dirname(self.path) if self.path else None

    def is_excluded(self, path: str) -> bool:
        if not self.exclude or self.root is None:
            return False
        rel = os.path.relpath(path, self.root).replace(os.sep, "/")
        return any(glob_matches(pattern, rel) for pattern in self.exclude)


@dataclass(frozen=True, slots=True)
class Settings:
    """Editor-side overrides, applied on top of the configuration file."""

    minimum_severity: Severity | None = None
    disabled_rules: frozenset[str] = frozenset()
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    # Files larger than this are not analysed (in the editor: a scan analyses every file).
    max_file_bytes: int | None = None


# Glob tokens: a literal character, or one of these wildcards.
_ONE = 0  # ``?``: one character other than ``/``
_STAR = 1  # ``*``: a run of characters other than ``/``
_ANY = 2  # ``**`` not followed by ``/``: any run of characters
_DIRS = 3  # ``**/``: nothing, or any run of characters that ends with ``/``
_SKIPPABLE = (_STAR, _ANY, _DIRS)
_MAX_STEPS = 4096  # remembered transitions per glob; past that they are forgotten and refill


def _tokens(pattern: str) -> tuple[str | int, ...]:
    pattern = pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    out: list[str | int] = []

    def add(token: str | int) -> None:
        # Runs that mean the same as one wildcard become that wildcard: ``**/**/`` is
        # ``**/``, and ``**`` next to ``*`` or ``**/`` is ``**``.
        last = out[-1] if out else None
        if token in (_DIRS, _STAR) and last == token:
            return
        if token in _SKIPPABLE and last == _ANY:
            return
        if token == _ANY:
            while out and out[-1] in _SKIPPABLE:
                out.pop()
        out.append(token)

    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            add(_DIRS)
            i += 3
        elif pattern.startswith("**", i):
            add(_ANY)
            i += 2
        elif pattern[i] == "*":
            add(_STAR)
            i += 1
        elif pattern[i] == "?":
            add(_ONE)
            i += 1
        else:
            add(pattern[i])
            i += 1
    if pattern.endswith("/"):
        add(_ANY)
    return tuple(out)


class _Glob:
    """An exclude glob, matched by running its automaton over the path one character at a
    time (a set of pattern positions, never backtracking): the time is linear in the path,
    where a regular expression takes exponential time on ``**/**/**/…/x.tf``. Transitions are
    remembered, so a warm glob costs one dictionary read per character."""

    def __init__(self, pattern: str) -> None:
        self.tokens = _tokens(pattern)
        self.start = self._closure((0,))
        self._steps: dict[tuple[frozenset[int], str], frozenset[int]] = {}

    def _closure(self, states: tuple[int, ...] | list[int]) -> frozenset[int]:
        """``states`` and the positions reachable from them by matching a wildcard to nothing.
        A negative state ``-1 - i`` is inside ``**/`` at ``i``: it has consumed characters and
        leaves only on a ``/``."""
        tokens = self.tokens
        out: set[int] = set()
        for i in states:
            while i not in out:
                out.add(i)
                if i < 0 or i >= len(tokens) or tokens[i] not in _SKIPPABLE:
                    break
                i += 1
        return frozenset(out)

    def _step(self, states: frozenset[int], char: str) -> frozenset[int]:
        tokens = self.tokens
        moved: list[int] = []
        for state in states:
            i = -1 - state if state < 0 else state
            if i >= len(tokens):
                continue
            token = tokens[i]
            if state < 0 or token == _DIRS:
                moved.append(-1 - i)
                if char == "/":
                    moved.append(i + 1)
            elif token == _ANY or (token == _STAR and char != "/"):
                moved.append(i)
            elif (token == _ONE and char != "/") or token == char:
                moved.append(i + 1)
        return self._closure(moved)

    def match(self, path: str) -> bool:
        steps = self._steps
        states = self.start
        for char in path:
            key = (states, char)
            following = steps.get(key)
            if following is None:
                following = self._step(states, char)
                if len(steps) >= _MAX_STEPS:
                    steps.clear()
                steps[key] = following
            if not following:
                return False
            states = following
        return len(self.tokens) in states


@lru_cache(maxsize=256)
def _glob(pattern: str) -> _Glob:
    return _Glob(pattern)


def glob_matches(pattern: str, path: str) -> bool:
    """Whether ``path`` (relative, ``/``-separated) matches the exclude glob ``pattern``:
    ``*`` and ``?`` stay within a folder name, ``**/`` is any number of folders, another
    ``**`` is anything, and a pattern ending with ``/`` matches everything below it."""
    return _glob(pattern).match(path)


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
    baseline: str | None = None
    baseline_at = (0, 0)
    policies: list[UserPolicy] = []
    taken = set(registry.ids())
    for placed in parsed.items:
        node = placed.node
        line = placed.line
        if isinstance(node, Attribute):
            if node.name == "minimum_severity":
                minimum = _severity(path, line, node.value)
            elif node.name == "exclude":
                exclude = _string_list(path, line, node.value)
            elif node.name == "baseline":
                baseline = _baseline_path(path, line, node.value)
                baseline_at = (node.name_range.start.line + line, node.name_range.start.character)
            else:
                _fail(path, line, node.value, f"unknown setting {node.name!r}", at=node)
        elif node.type == "rule":
            rule_id, cfg = _rule(path, line, node)
            rules[rule_id] = cfg
        elif node.type == "policy":
            try:
                policy = parse_policy(path, line, node, taken)
            except PolicyError as err:
                raise ConfigError(path, err.at[0], err.at[1], err.message) from None
            taken.add(policy.id)
            policies.append(policy)
        else:
            raise ConfigError(
                path,
                node.type_range.start.line + line,
                node.type_range.start.character,
                f"unknown block {node.type!r}: only 'rule \"<id>\" {{ ... }}' and "
                "'policy \"<id>\" { ... }' blocks are allowed",
            )
    registry.register_policies(path, policies)
    return Config(path, minimum, exclude, rules, baseline, baseline_at, tuple(policies))


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


def _baseline_path(path: str, line: int, expr: Expr) -> str:
    value = Evaluator().eval(expr)
    if not isinstance(value, str) or not value.strip():
        _fail(path, line, expr, "baseline must be a file name, relative to this file")
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)), value))


def _rule(path: str, line: int, block: Block) -> tuple[str, RuleConfig]:
    if len(block.labels) != 1:
        raise ConfigError(
            path,
            block.type_range.start.line + line,
            block.type_range.start.character,
            'a rule block takes one label, the rule id: rule "aws-s3-no-public-acl" { ... }',
        )
    rule = registry.builtin(block.labels[0])
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
