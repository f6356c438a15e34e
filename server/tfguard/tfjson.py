"""Terraform's JSON configuration syntax (``*.tf.json``, ``*.tofu.json``) read into the same
syntax model as HCL, with the exact range of every key and value.

The file is one JSON object whose keys are block types. Labels are nested object keys
(``{"resource": {"aws_s3_bucket": {"logs": {...}}}}``), a body is an object (or an array of
objects for several blocks with the same labels), and strings are templates:
``"${var.cidrs}"`` is the value of ``var.cidrs`` itself, ``"app-${var.env}"`` a string built
from it. A ``"//"`` key in a body is a comment, so ``"//": "tfguard:ignore:<rule>"`` is a
suppression, placed like a ``#`` comment (on the line above the key it applies to, or on its
line).

JSON cannot tell a nested block from an argument whose value is an object, and tfguard has
no provider schemas, so it decides by shape: in a resource, data source, provider or
``terraform`` body an object (or a non-empty array of objects) is a nested block, except for
the meta-arguments and the arguments that hold maps (``tags``, ``labels``...); the bodies of
``module``, ``variable``, ``output`` and ``locals`` hold arguments only (but ``validation``,
``precondition`` and ``postcondition`` blocks). Rules read both forms of repeated blocks
(``ingress { }`` and ``ingress = [{ }]``) alike, so the choice does not change findings.

A block's header is its innermost label key (``"logs"``): findings about a whole block are
shown there. Ranges are absolute (every block is placed at line 0).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping

from cachetools import LRUCache
from lark import Token, Tree

from tfguard import encoding, hclparse
from tfguard.document import CommentAt, ParsedFile, Problem
from tfguard.findings import Position, Range
from tfguard.jsontree import JsonError, JsonMember, JsonNode, parse, raw_offsets
from tfguard.scanner import ScanResult, line_starts_of
from tfguard.syntax import (
    Attribute,
    Block,
    Computed,
    Expr,
    Literal,
    ObjectExpr,
    ObjectItem,
    Placed,
    Template,
    TupleExpr,
)
from tfguard.syntax_builder import SyntaxBuilder

CONFIG_SUFFIXES = (".tf.json", ".tofu.json")
COMMENT_KEY = "//"

# How many labels a top-level block type has (others have none).
LABELS = {
    "resource": 2,
    "data": 2,
    "ephemeral": 2,
    "module": 1,
    "variable": 1,
    "output": 1,
    "provider": 1,
    "check": 1,
}
# Nested block types with one label: ``"dynamic": {"ingress": {...}}``.
NESTED_LABELS = frozenset({"dynamic", "provisioner", "backend", "provider_meta"})
# Bodies of arguments only, with the nested block types they may still hold.
ARGUMENT_BODIES: dict[str, frozenset[str]] = {
    "module": frozenset(),
    "variable": frozenset({"validation"}),
    "output": frozenset({"precondition"}),
    "locals": frozenset(),
    "required_providers": frozenset(),
    "import": frozenset(),
    "moved": frozenset(),
    "removed": frozenset({"lifecycle", "provisioner"}),
}
META_ARGUMENTS = frozenset(
    {"count", "for_each", "depends_on", "provider", "providers", "source", "version"}
)
# Arguments whose value is a map, never a nested block.
MAP_ARGUMENTS = frozenset(
    {
        "tags",
        "tags_all",
        "labels",
        "user_labels",
        "resource_labels",
        "annotations",
        "metadata",
        "variables",
        "environment_variables",
        "app_settings",
        "parameters",
        "triggers",
        "triggers_replace",
        "context",
        "attributes",
        "properties",
        "settings",
        "options",
    }
)
# Arguments whose strings are expressions rather than templates (``"depends_on":
# ["aws_s3_bucket.logs"]``, a variable's ``"type": "list(string)"``).
EXPRESSION_ARGUMENTS = frozenset(
    {"depends_on", "ignore_changes", "replace_triggered_by", "provider", "providers"}
)
EXPRESSION_ARGUMENTS_IN = {
    "variable": frozenset({"type"}),
    "moved": frozenset({"from", "to"}),
    "removed": frozenset({"from"}),
    "import": frozenset({"to", "provider"}),
}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")

_trees: LRUCache[str, Tree[Token] | hclparse.SyntaxProblem] = LRUCache(maxsize=4096)
_trees_lock = threading.Lock()


def is_config_json(path: str) -> bool:
    return path.endswith(CONFIG_SUFFIXES)


class TfJsonFile(ParsedFile):
    """A ``.tf.json`` file: the same interface as an HCL :class:`ParsedFile`."""

    def __init__(
        self,
        path: str,
        text: str,
        previous: ParsedFile | None = None,
        replaced: Mapping[int, bytes] | None = None,
    ) -> None:
        # Not the HCL reader: the whole file is one JSON document, read again on a change.
        self.path = path
        self.text = text
        self.replaced = replaced
        bad = encoding.problems(text, replaced)
        self.binary = bool(bad) and encoding.is_binary(text)
        self.scan = ScanResult(text, line_starts_of(text), (), (), (), ())
        self.items: list[Placed] = []
        self.problems: list[Problem] = []
        self.parsed_items = {}
        self.comments: list[CommentAt] = []
        self.encoding_problems = [
            Problem(Range(Position(b.line, b.column), Position(b.line, b.column + 1)), b.message)
            for b in bad
        ]
        if not self.binary:
            _Reader(self).read()


class _Reader:
    def __init__(self, parsed: TfJsonFile) -> None:
        self.parsed = parsed
        self.text = parsed.text
        self.path = parsed.path

    # -- positions ---------------------------------------------------------------------------

    def pos(self, offset: int) -> Position:
        return self.parsed.position(offset)

    def span(self, start: int, end: int) -> Range:
        return Range(self.pos(start), self.pos(end))

    def node_range(self, node: JsonNode) -> Range:
        return self.span(node.start, node.end)

    def key_range(self, member: JsonMember) -> Range:
        return self.span(member.key_start, member.key_end)

    def problem(self, start: int, end: int, message: str) -> None:
        self.parsed.problems.append(Problem(self.span(start, max(end, start + 1)), message))

    # -- the document ------------------------------------------------------------------------

    def read(self) -> None:
        if not self.text.strip():
            return  # an empty file declares nothing (Terraform reads it as an empty body)
        try:
            root = parse(self.text)
        except JsonError as err:
            at = self.pos(min(err.offset, len(self.text)))
            line = self.parsed.line_text(at.line)
            end = Position(at.line, max(len(line), at.character + 1))
            self.parsed.problems.append(Problem(Range(at, end), f"invalid JSON: {err.message}"))
            return
        if root.kind != "object":
            self.problem(
                root.start,
                root.end,
                "a Terraform JSON file must hold one object whose keys are block types "
                '("resource", "variable", ...)',
            )
            return
        for member in root.members:
            if member.key == COMMENT_KEY:
                self.comment(member)
                continue
            labels = LABELS.get(member.key, 0)
            for block in self.labeled(member.key, labels, member, (), ()):
                self.parsed.items.append(Placed(block, self.path, 0))

    def comment(self, member: JsonMember) -> None:
        value = member.value
        text = value.value if value.kind == "string" else self.text[value.start : value.end]
        self.parsed.comments.append(CommentAt(self.span(member.key_start, value.end), str(text)))

    # -- blocks ------------------------------------------------------------------------------

    def labeled(
        self,
        block_type: str,
        labels_left: int,
        member: JsonMember,
        labels: tuple[str, ...],
        label_ranges: tuple[Range, ...],
    ) -> list[Block]:
        """The blocks of ``member`` (whose key is the block type or the last label read)."""
        node = member.value
        if labels_left == 0:
            return self.bodies(block_type, member, labels, label_ranges)
        levels = [node]
        if node.kind == "array" and node.items and all(i.kind == "object" for i in node.items):
            levels = node.items  # the same level split over several objects
        elif node.kind != "object":
            what = f'the labels of a "{block_type}" block'
            self.problem(node.start, node.end, f"{what} must be JSON object keys")
            return []
        out: list[Block] = []
        for inner in (m for level in levels for m in level.members):
            if inner.key == COMMENT_KEY:
                self.comment(inner)
                continue
            out.extend(
                self.labeled(
                    block_type,
                    labels_left - 1,
                    inner,
                    (*labels, inner.key),
                    (*label_ranges, self.key_range(inner)),
                )
            )
        return out

    def bodies(
        self,
        block_type: str,
        member: JsonMember,
        labels: tuple[str, ...],
        label_ranges: tuple[Range, ...],
    ) -> list[Block]:
        node = member.value
        header = self.key_range(member)
        if node.kind == "object":
            return [self.block(block_type, labels, label_ranges, header, member.key_start, node)]
        if node.kind == "array" and all(item.kind == "object" for item in node.items):
            if len(node.items) == 1:  # one block: shown on its key, like an object
                item = node.items[0]
                return [
                    self.block(block_type, labels, label_ranges, header, member.key_start, item)
                ]
            # Several blocks: each one's header is its opening brace (the key is shared).
            return [
                self.block(
                    block_type,
                    labels,
                    label_ranges,
                    self.span(item.start, item.start + 1),
                    item.start,
                    item,
                )
                for item in node.items
            ]
        self.problem(
            node.start,
            node.end,
            f'the body of a "{block_type}" block must be a JSON object (or an array of objects)',
        )
        return []

    def block(
        self,
        block_type: str,
        labels: tuple[str, ...],
        label_ranges: tuple[Range, ...],
        header: Range,
        start: int,
        body: JsonNode,
    ) -> Block:
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        allowed_blocks = ARGUMENT_BODIES.get(block_type)
        expressions = EXPRESSION_ARGUMENTS_IN.get(block_type, frozenset())
        for member in body.members:
            name = member.key
            if name == COMMENT_KEY:
                self.comment(member)
                continue
            if name in NESTED_LABELS and allowed_blocks is None and member.value.kind == "object":
                blocks.extend(self.labeled(name, 1, member, (), ()))
                continue
            if self.is_block(name, member.value, allowed_blocks):
                blocks.extend(self.bodies(name, member, (), ()))
                continue
            expression = name in EXPRESSION_ARGUMENTS or name in expressions
            value = self.expr(member.value, expression, name == "providers")
            attributes[name] = Attribute(
                name, self.key_range(member), value, self.span(member.key_start, member.value.end)
            )
        # The header is the innermost label (or the type key): there a finding about the
        # whole block is shown, and a comment above it applies to the block.
        type_range = header
        return Block(
            block_type,
            labels,
            type_range,
            label_ranges if label_ranges else (),
            self.span(start, body.end),
            self.pos(body.start),
            self.pos(body.end - 1),
            attributes,
            blocks,
        )

    def is_block(self, name: str, value: JsonNode, allowed: frozenset[str] | None) -> bool:
        if allowed is not None and name not in allowed:
            return False
        if name in META_ARGUMENTS or name in MAP_ARGUMENTS:
            return False
        if value.kind == "object":
            return _names_only(value)
        if value.kind == "array" and value.items:
            return all(item.kind == "object" and _names_only(item) for item in value.items)
        return False

    # -- expressions -------------------------------------------------------------------------

    def expr(
        self, node: JsonNode, expression: bool = False, values_expression: bool = False
    ) -> Expr:
        rng = self.node_range(node)
        text = self.text[node.start : node.end]
        if node.kind == "string":
            if expression:
                return self.parse_expression(node.value, node.start + 1, node, rng)
            return self.template(node, rng, text)
        if node.kind == "array":
            return TupleExpr(rng, text, tuple(self.expr(i, expression) for i in node.items))
        if node.kind == "object":
            items: list[ObjectItem] = []
            for member in node.members:
                key: Expr
                key_name: str | None = member.key
                key_text = self.text[member.key_start : member.key_end]
                key_range = self.key_range(member)
                if "${" in member.key:
                    key_node = JsonNode("string", member.key_start, member.key_end, member.key)
                    key = self.template(key_node, key_range, key_text)
                    key_name = None
                else:
                    key = Literal(key_range, key_text, member.key)
                value = self.expr(member.value, expression or values_expression)
                items.append(
                    ObjectItem(key, key_name, value, self.span(member.key_start, member.value.end))
                )
            return ObjectExpr(rng, text, tuple(items))
        return Literal(rng, text, node.value)

    def template(self, node: JsonNode, rng: Range, text: str) -> Expr:
        value: str = node.value
        if "${" not in value and "%{" not in value:
            return Literal(rng, text, value)
        offsets = raw_offsets(self.text, node)
        parts: list[str | Expr] = []
        literal: list[str] = []
        directives = False
        i = 0
        while i < len(value):
            if value.startswith(("$${", "%%{"), i):
                literal.append(value[i + 1 : i + 3])
                i += 3
                continue
            if value.startswith(("${", "%{"), i):
                close = _matching_brace(value, i + 2)
                if close < 0:
                    self.problem(
                        offsets[i], offsets[-1], f"this {value[i : i + 2]} is never closed by '}}'"
                    )
                    return Computed(rng, text)
                inner = value[i + 2 : close]
                if value[i] == "%":
                    directives = True
                else:
                    lead = 1 if inner.startswith("~") else 0
                    trail = 1 if inner.endswith("~") and len(inner) > lead else 0
                    inner = inner[lead : len(inner) - trail]
                    if literal:
                        parts.append("".join(literal))
                        literal = []
                    start = offsets[i + 2 + lead]
                    end = offsets[close - trail]
                    parts.append(self.parse_expression(inner, start, None, self.span(start, end)))
                i = close + 1
                continue
            literal.append(value[i])
            i += 1
        if literal:
            parts.append("".join(literal))
        if not directives and len(parts) == 1 and isinstance(parts[0], Expr):
            return parts[0]  # "${x}" is the value of x itself, of whatever type
        if not directives and all(isinstance(p, str) for p in parts):
            return Literal(rng, text, "".join(p for p in parts if isinstance(p, str)))
        return Template(rng, text, tuple(parts), directives)

    def parse_expression(self, source: str, offset: int, node: JsonNode | None, rng: Range) -> Expr:
        """``source`` (an expression written in a JSON string that starts at ``offset``)
        parsed as HCL and placed there."""
        stripped = source.strip()
        lead = len(source) - len(source.lstrip())
        if node is not None and "\\" in self.text[node.start : node.end]:
            at = rng.start  # escapes: the columns inside are approximate
        else:
            at = self.pos(offset + lead)
        wrapped = "x = " + stripped
        with _trees_lock:
            tree = _trees.get(stripped)
        if tree is None:
            tree = hclparse.parse(wrapped)
            with _trees_lock:
                _trees[stripped] = tree
        if isinstance(tree, hclparse.SyntaxProblem):
            column = at.character + max(tree.column - 4, 0) if tree.line == 0 else at.character
            where = Position(at.line, column)
            message = tree.message
            self.parsed.problems.append(
                Problem(Range(where, Position(where.line, where.character + 1)), message)
            )
            return Computed(rng, stripped)
        try:
            items = SyntaxBuilder(wrapped, line_shift=at.line, col_shift=at.character - 4).start(
                tree
            )
        except (hclparse.LimitExceeded, RecursionError, ValueError, IndexError, AssertionError):
            self.parsed.problems.append(Problem(rng, "cannot read this expression"))
            return Computed(rng, stripped)
        if len(items) == 1 and isinstance(items[0], Attribute):
            return items[0].value
        return Computed(rng, stripped)


def _names_only(node: JsonNode) -> bool:
    """An object whose keys could all be argument or block names (a map has other keys)."""
    return all(_IDENTIFIER.match(m.key) or m.key == COMMENT_KEY for m in node.members)


def _matching_brace(text: str, pos: int) -> int:
    """The offset of the ``}`` closing an interpolation whose body starts at ``pos``."""
    depth = 0
    quote = False
    i = pos
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                quote = False
        elif ch == '"':
            quote = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return -1
