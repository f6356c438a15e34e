"""The typed syntax model: blocks, attributes and classified expressions with exact ranges.

Ranges in a model are relative to the first line of the top-level item they were parsed from
(columns are absolute, because an item always starts at the beginning of a line). A parsed item
is cached by its text and shared wherever that text appears; :class:`Placed` pins one to a
file and a line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tfguard.findings import Position, Range
from tfguard.memo import per_node

# A step of a reference: an attribute name, a literal index, or SPLAT / DYNAMIC markers.
SPLAT = "[*]"
DYNAMIC = "[?]"
Step = str | int


@dataclass(slots=True, eq=False)
class Expr:
    range: Range
    text: str
    # What :func:`tfguard.memo.per_node` remembers for this node, freed with it.
    _memo: dict[str, Any] | None = field(default=None, init=False, repr=False)

    def children(self) -> tuple[Expr, ...]:
        return ()

    def walk(self) -> Iterator[Expr]:
        yield self
        for child in self.children():
            yield from child.walk()

    def references(self) -> Iterator[Reference]:
        # An expression is immutable and shared between analyses while its block's text is
        # unchanged: its references are listed once. A reference itself is not in its memo,
        # so that the memo never refers back to its node (the node is then freed as soon as
        # the parse cache drops it, without waiting for the cycle collector).
        if isinstance(self, Reference):
            yield self
        yield from per_node("references", self, self._find_references)

    def _find_references(self) -> tuple[Reference, ...]:
        return tuple(n for n in self.walk() if isinstance(n, Reference) and n is not self)


@dataclass(slots=True, eq=False)
class Literal(Expr):
    value: str | int | float | bool | None


@dataclass(slots=True, eq=False)
class Computed(Expr):
    """A value that is not written anywhere tfguard can read: known only after apply (a
    plan's ``after_unknown``), or an argument of a called module's resource that could not
    be evaluated. It always evaluates to unknown."""


@dataclass(slots=True, eq=False)
class Template(Expr):
    """A quoted string with interpolations (or directives); ``parts`` are text or expressions."""

    parts: tuple[str | Expr, ...]
    has_directives: bool = False

    def children(self) -> tuple[Expr, ...]:
        return tuple(p for p in self.parts if isinstance(p, Expr))


@dataclass(slots=True, eq=False)
class Heredoc(Expr):
    parts: tuple[str | Expr, ...]
    marker: str
    has_directives: bool = False

    def children(self) -> tuple[Expr, ...]:
        return tuple(p for p in self.parts if isinstance(p, Expr))

    @property
    def literal(self) -> str | None:
        if self.has_directives or any(isinstance(p, Expr) for p in self.parts):
            return None
        return "".join(p for p in self.parts if isinstance(p, str))


@dataclass(slots=True, eq=False)
class Reference(Expr):
    """``var.x``, ``aws_s3_bucket.b.id``, ``local.m["k"]``: a traversal rooted at a name."""

    steps: tuple[Step, ...]
    index_exprs: tuple[Expr, ...] = ()
    _address: str | None = field(default=None, init=False, repr=False)
    _address_known: bool = field(default=False, init=False, repr=False)

    @property
    def root(self) -> str:
        return str(self.steps[0])

    def children(self) -> tuple[Expr, ...]:
        return self.index_exprs

    def names(self) -> tuple[str, ...]:
        """The leading attribute names, up to the first index or splat."""
        out: list[str] = []
        for step in self.steps:
            if not isinstance(step, str) or step in (SPLAT, DYNAMIC):
                break
            out.append(step)
        return tuple(out)

    def address(self) -> str | None:
        """The address of the object this refers to: ``aws_s3_bucket.b``, ``data.x.y``,
        ``var.v``, ``local.l``, ``module.m``; ``None`` for ``each``/``count``/``self``..."""
        if not self._address_known:
            self._address = self._compute_address()
            self._address_known = True
        return self._address

    def _compute_address(self) -> str | None:
        names = [s for s in self.steps if isinstance(s, str) and s not in (SPLAT, DYNAMIC)]
        root = self.root
        if root in ("data", "ephemeral") and len(names) >= 3:
            return ".".join(names[:3])
        if root in ("var", "local", "module") and len(names) >= 2:
            return ".".join(names[:2])
        if root in ("each", "count", "self", "path", "terraform", "null"):
            return None
        if len(names) >= 2:
            return ".".join(names[:2])
        return None


@dataclass(slots=True, eq=False)
class Traversal(Expr):
    """Attribute access or indexing on something that is not a name: ``foo()[0].x``."""

    source: Expr
    steps: tuple[Step, ...]
    index_exprs: tuple[Expr, ...] = ()

    def children(self) -> tuple[Expr, ...]:
        return (self.source, *self.index_exprs)


@dataclass(slots=True, eq=False)
class FunctionCall(Expr):
    name: str
    args: tuple[Expr, ...]
    expand_final: bool = False

    def children(self) -> tuple[Expr, ...]:
        return self.args


@dataclass(slots=True, eq=False)
class TupleExpr(Expr):
    items: tuple[Expr, ...]

    def children(self) -> tuple[Expr, ...]:
        return self.items


@dataclass(slots=True, eq=False)
class ObjectItem:
    key: Expr
    key_name: str | None  # the key when it is a bare name or a literal string
    value: Expr
    range: Range


@dataclass(slots=True, eq=False)
class ObjectExpr(Expr):
    items: tuple[ObjectItem, ...]

    def children(self) -> tuple[Expr, ...]:
        return tuple(e for item in self.items for e in (item.key, item.value))

    def get(self, key: str) -> ObjectItem | None:
        found = None
        for item in self.items:
            if item.key_name == key:
                found = item
        return found


@dataclass(slots=True, eq=False)
class Conditional(Expr):
    condition: Expr
    true: Expr
    false: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.condition, self.true, self.false)


@dataclass(slots=True, eq=False)
class BinaryOp(Expr):
    op: str
    left: Expr
    right: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(slots=True, eq=False)
class UnaryOp(Expr):
    op: str
    operand: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)


@dataclass(slots=True, eq=False)
class ForExpr(Expr):
    collection: Expr
    key_var: str | None
    value_var: str
    key: Expr | None  # object form: the key expression
    value: Expr
    condition: Expr | None
    is_object: bool

    def children(self) -> tuple[Expr, ...]:
        extra = tuple(e for e in (self.key, self.condition) if e is not None)
        return (self.collection, self.value, *extra)


@dataclass(slots=True, eq=False)
class Attribute:
    name: str
    name_range: Range
    value: Expr
    range: Range


@dataclass(slots=True, eq=False)
class Block:
    type: str
    labels: tuple[str, ...]
    type_range: Range
    label_ranges: tuple[Range, ...]
    range: Range
    lbrace: Position
    rbrace: Position  # the position of the closing ``}``
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    # Arguments set again later in the same block (Terraform rejects them): the earlier
    # definitions, in source order; ``attributes`` holds the last one of each name.
    duplicates: list[Attribute] = field(default_factory=list)
    _memo: dict[str, Any] | None = field(default=None, init=False, repr=False)

    @property
    def header_range(self) -> Range:
        end = self.label_ranges[-1].end if self.label_ranges else self.type_range.end
        return Range(self.type_range.start, end)

    def attr(self, name: str) -> Attribute | None:
        return self.attributes.get(name)

    def blocks_of(self, block_type: str) -> list[Block]:
        return [b for b in self.blocks if b.type == block_type]

    def block(self, block_type: str) -> Block | None:
        for b in self.blocks:
            if b.type == block_type:
                return b
        return None

    def walk_blocks(self) -> Iterator[Block]:
        yield self
        for b in self.blocks:
            yield from b.walk_blocks()

    def expressions(self) -> Iterator[Expr]:
        """Every expression of this block and its nested blocks."""
        for a in self.attributes.values():
            yield from a.value.walk()
        for b in self.blocks:
            yield from b.expressions()

    def scope_of(self, target: Range) -> list[Range]:
        """Ranges of the attribute and blocks that contain ``target``, innermost first."""
        chain: list[Range] = []
        node: Block | None = self
        while node is not None:
            chain.append(node.range)
            inner: Block | None = None
            for a in node.attributes.values():
                if a.range.contains(target):
                    chain.append(a.range)
                    break
            else:
                for b in node.blocks:
                    if b.range.contains(target):
                        inner = b
                        break
            node = inner
        chain.reverse()
        return chain


TopLevel = Block | Attribute


@dataclass(slots=True, eq=False)
class Placed:
    """A top-level item pinned to a file and a line."""

    node: TopLevel
    path: str
    line: int  # the line (0-based) of the item's first line in the file

    def abs(self, r: Range) -> Range:
        return r.shifted(self.line)
