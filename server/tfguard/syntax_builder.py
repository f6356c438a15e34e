"""Turn python-hcl2's Lark tree of one top-level item into the typed syntax model."""

from __future__ import annotations

import bisect
import re
from typing import Any

from lark import Token, Tree

from tfguard import hclparse
from tfguard.findings import Position, Range
from tfguard.syntax import (
    DYNAMIC,
    SPLAT,
    Attribute,
    BinaryOp,
    Block,
    Conditional,
    Expr,
    ForExpr,
    FunctionCall,
    Heredoc,
    Literal,
    ObjectExpr,
    ObjectItem,
    Reference,
    Step,
    Template,
    TopLevel,
    Traversal,
    TupleExpr,
    UnaryOp,
)

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_NEWLINE_TOKENS = {"NL_OR_COMMENT"}
_DIRECTIVES = {
    "template_if_start",
    "template_else",
    "template_endif",
    "template_for_start",
    "template_endfor",
}


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw

    def repl(m: re.Match[str]) -> str:
        code = m.group(1)
        if code[0] in "uU" and len(code) > 1:
            try:
                return chr(int(code[1:], 16))
            except ValueError:
                return m.group(0)
        return _SIMPLE_ESCAPES.get(code, m.group(0))

    return _ESCAPE.sub(repl, raw)


class SyntaxBuilder:
    """Builds the model of one parsed text; positions relative to that text."""

    def __init__(self, source: str, line_shift: int = 0, col_shift: int = 0) -> None:
        # ``source`` is the original text (comments intact) the tree's offsets point into.
        self.source = source
        self.line_shift = line_shift
        self.col_shift = col_shift  # applies to the first line only (embedded expressions)

    # -- positions ---------------------------------------------------------------------------

    def _pos(self, line: int, column: int) -> Position:
        line0 = line - 1
        col0 = column - 1
        if line0 == 0:
            col0 += self.col_shift
        return Position(line0 + self.line_shift, col0)

    def _tokens(self, node: Tree[Token] | Token, last: bool) -> Token | None:
        if isinstance(node, Token):
            if node.type in _NEWLINE_TOKENS:
                return None
            return node
        children = reversed(node.children) if last else node.children
        for child in children:
            if isinstance(child, (Tree, Token)):
                tok = self._tokens(child, last)
                if tok is not None:
                    return tok
        return None

    def _range_offsets(self, node: Tree[Token] | Token) -> tuple[Range, int, int]:
        first = self._tokens(node, last=False)
        last = self._tokens(node, last=True)
        if first is None or last is None:
            return Range(Position(0, 0), Position(0, 0)), 0, 0
        start_pos = int(first.start_pos or 0)
        # Operator tokens may carry a merged leading newline (python-hcl2's post-lexer).
        value = str(first)
        lead = len(value) - len(value.lstrip("\n \t"))
        start = self._offset_position(start_pos + lead) if lead else None
        end_pos = int(last.end_pos or 0)
        end_text = str(last)
        trail = len(end_text) - len(end_text.rstrip("\r\n"))
        end_pos -= trail
        if start is None:
            start = self._pos(int(first.line or 1), int(first.column or 1))
        end = self._offset_position(end_pos) if trail else None
        if end is None:
            end = self._pos(int(last.end_line or 1), int(last.end_column or 1))
        return Range(start, end), start_pos + lead, end_pos

    _line_starts: list[int] | None = None

    def _offset_position(self, offset: int) -> Position:
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in re.finditer("\n", self.source))]
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return self._pos(line + 1, offset - self._line_starts[line] + 1)

    def _range_text(self, node: Tree[Token] | Token) -> tuple[Range, str]:
        rng, start, end = self._range_offsets(node)
        return rng, self.source[start:end]

    # -- bodies ------------------------------------------------------------------------------

    def body(self, tree: Tree[Token]) -> list[TopLevel]:
        items: list[TopLevel] = []
        for child in tree.children:
            if not isinstance(child, Tree):
                continue
            if child.data == "attribute":
                items.append(self.attribute(child))
            elif child.data == "block":
                items.append(self.block(child))
        return items

    def start(self, tree: Tree[Token]) -> list[TopLevel]:
        body = tree.children[0]
        assert isinstance(body, Tree)
        return self.body(body)

    def _name(self, node: Tree[Token] | Token) -> str:
        tok = self._tokens(node, last=False)
        return str(tok) if tok is not None else ""

    def attribute(self, tree: Tree[Token]) -> Attribute:
        name_node = tree.children[0]
        value_node = tree.children[-1]
        name_range, _ = self._range_text(name_node)
        value = self.expr(value_node)
        return Attribute(
            self._name(name_node),
            name_range,
            value,
            Range(name_range.start, value.range.end),
        )

    def block(self, tree: Tree[Token]) -> Block:
        labels: list[str] = []
        label_ranges: list[Range] = []
        block_type = ""
        type_range = Range(Position(0, 0), Position(0, 0))
        lbrace = rbrace = Position(0, 0)
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        duplicates: list[Attribute] = []
        for child in tree.children:
            if isinstance(child, Token):
                if child.type == "LBRACE":
                    lbrace = self._pos(int(child.line or 1), int(child.column or 1))
                elif child.type == "RBRACE":
                    rbrace = self._pos(int(child.line or 1), int(child.column or 1))
                continue
            kind = child.data
            if kind == "body":
                for item in self.body(child):
                    if isinstance(item, Attribute):
                        earlier = attributes.get(item.name)
                        if earlier is not None:
                            duplicates.append(earlier)
                        attributes[item.name] = item
                    else:
                        blocks.append(item)
            elif kind == "new_line_or_comment":
                continue
            elif not block_type:
                block_type = self._name(child)
                type_range, _ = self._range_text(child)
            else:
                rng, _ = self._range_text(child)
                label_ranges.append(rng)
                if kind == "string":
                    labels.append(self._string_value(child))
                else:
                    labels.append(self._name(child))
        end = Position(rbrace.line, rbrace.character + 1)
        return Block(
            block_type,
            tuple(labels),
            type_range,
            tuple(label_ranges),
            Range(type_range.start, end),
            lbrace,
            rbrace,
            attributes,
            blocks,
            duplicates,
        )

    def _string_value(self, tree: Tree[Token]) -> str:
        parts: list[str] = []
        for part in tree.children:
            if isinstance(part, Tree):
                for tok in part.children:
                    if isinstance(tok, Token):
                        parts.append(_unescape(str(tok)))
        return "".join(parts)

    # -- expressions -------------------------------------------------------------------------

    def expr(self, node: Tree[Token] | Token) -> Expr:
        if isinstance(node, Token):
            rng, text = self._range_text(node)
            return Literal(rng, text, str(node))
        kind = node.data
        method = getattr(self, "_x_" + str(kind), None)
        if method is None:
            rng, text = self._range_text(node)
            return Literal(rng, text, None) if kind == "literal_value" else Template(rng, text, ())
        result: Expr = method(node)
        return result

    def _subtrees(self, node: Tree[Token]) -> list[Tree[Token]]:
        return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]

    def _x_expr_term(self, node: Tree[Token]) -> Expr:
        inner = self._subtrees(node)
        if len(inner) == 1 and not any(
            isinstance(c, Token) and c.type == "LPAR" for c in node.children
        ):
            return self.expr(inner[0])
        # Parenthesised expression: keep the inner expression, but with the parens' range.
        expr = self.expr(inner[0])
        return expr

    def _x_int_lit(self, node: Tree[Token]) -> Expr:
        rng, text = self._range_text(node)
        return Literal(rng, text, int(text))

    def _x_float_lit(self, node: Tree[Token]) -> Expr:
        rng, text = self._range_text(node)
        return Literal(rng, text, float(text))

    def _x_literal_value(self, node: Tree[Token]) -> Expr:
        rng, text = self._range_text(node)
        value: bool | None = {"true": True, "false": False}.get(text)
        return Literal(rng, text, value)

    def _x_identifier(self, node: Tree[Token]) -> Expr:
        rng, text = self._range_text(node)
        return Reference(rng, text, (text,))

    def _x_string(self, node: Tree[Token]) -> Expr:
        rng, text = self._range_text(node)
        parts: list[str | Expr] = []
        directives = False
        for part in node.children:
            if not isinstance(part, Tree):
                continue
            for piece in part.children:
                if isinstance(piece, Token):
                    if piece.type == "ESCAPED_INTERPOLATION" or piece.type == "ESCAPED_DIRECTIVE":
                        parts.append(str(piece)[1:])
                    else:
                        parts.append(_unescape(str(piece)))
                elif piece.data == "interpolation":
                    parts.append(self.expr(self._subtrees(piece)[0]))
                elif piece.data in _DIRECTIVES:
                    directives = True
                    for sub in self._subtrees(piece):
                        if sub.data != "identifier":
                            parts.append(self.expr(sub))
        if not directives and all(isinstance(p, str) for p in parts):
            return Literal(rng, text, "".join(p for p in parts if isinstance(p, str)))
        return Template(rng, text, tuple(_merge_text(parts)), directives)

    def _x_template_string(self, node: Tree[Token]) -> Expr:
        rng, text = self._range_text(node)
        return Literal(rng, text, _unescape(text[2:-2]))

    def _x_heredoc_template(self, node: Tree[Token]) -> Expr:
        return self._heredoc(node, trim=False)

    def _x_heredoc_template_trim(self, node: Tree[Token]) -> Expr:
        return self._heredoc(node, trim=True)

    def _heredoc(self, node: Tree[Token], trim: bool) -> Expr:
        rng, start, end = self._range_offsets(node)
        text = self.source[start:end]
        header, _, rest = text.partition("\n")
        marker = header.lstrip("<-").strip()
        body_lines = rest.split("\n")[:-1]  # the last line is the closing marker
        body_start_offset = start + len(header) + 1
        if trim:
            indents = [len(ln) - len(ln.lstrip(" \t")) for ln in body_lines if ln.strip()]
            cut = min(indents) if indents else 0
            body = "".join(ln[cut:].rstrip("\r") + "\n" for ln in body_lines)
        else:
            cut = 0
            body = "".join(ln.rstrip("\r") + "\n" for ln in body_lines)
        parts, directives = self._template_parts(body, body_start_offset, trim=cut)
        return Heredoc(rng, text, tuple(parts), marker, directives)

    def _template_parts(
        self, body: str, source_offset: int, trim: int
    ) -> tuple[list[str | Expr], bool]:
        """Split heredoc text into literal text and parsed ``${ }`` interpolations."""
        if "${" not in body and "%{" not in body:
            return [body.replace("$${", "${").replace("%%{", "%{")], False
        parts: list[str | Expr] = []
        directives = False
        i = 0
        literal: list[str] = []
        while i < len(body):
            if body.startswith("$${", i) or body.startswith("%%{", i):
                literal.append(body[i + 1 : i + 3])
                i += 3
                continue
            if body.startswith("${", i) or body.startswith("%{", i):
                close = _matching_brace(body, i + 2)
                if close < 0:
                    literal.append(body[i:])
                    break
                inner = body[i + 2 : close]
                if body[i] == "%":
                    directives = True
                else:
                    parts.append("".join(literal))
                    literal = []
                    parts.append(self._embedded(inner, body, i + 2, source_offset, trim))
                i = close + 1
                continue
            literal.append(body[i])
            i += 1
        parts.append("".join(literal))
        return _merge_text(parts), directives

    def _embedded(self, inner: str, body: str, at: int, source_offset: int, trim: int) -> Expr:
        """Parse an interpolation inside a heredoc; position it in the source."""
        body_line = body.count("\n", 0, at)
        line_start = body.rfind("\n", 0, at) + 1
        column = at - line_start + trim
        # The position of the body line in the source.
        source_line_start = source_offset
        for _ in range(body_line):
            source_line_start = self.source.index("\n", source_line_start) + 1
        base = self._offset_position(source_line_start)
        stripped = inner.strip()
        lead = len(inner) - len(inner.lstrip())
        parsed = hclparse.parse("x = " + stripped)
        rng = Range(
            Position(base.line, column + lead),
            Position(base.line, column + lead + len(stripped)),
        )
        if isinstance(parsed, hclparse.SyntaxProblem):
            if parsed.limit:  # too deep to analyse: so is the block
                column_shift = column + lead - 4 if parsed.line == 0 else 0
                raise hclparse.LimitExceeded(
                    hclparse.SyntaxProblem(
                        base.line + parsed.line, parsed.column + column_shift, parsed.message, True
                    )
                )
            return Template(rng, stripped, ())
        sub = SyntaxBuilder("x = " + stripped, line_shift=base.line, col_shift=column + lead - 4)
        items = sub.start(parsed)
        if len(items) == 1 and isinstance(items[0], Attribute):
            return items[0].value
        return Template(rng, stripped, ())

    def _x_tuple(self, node: Tree[Token]) -> Expr:
        rng, text = self._range_text(node)
        return TupleExpr(rng, text, tuple(self.expr(c) for c in self._subtrees(node)))

    def _x_object(self, node: Tree[Token]) -> Expr:
        rng, text = self._range_text(node)
        items: list[ObjectItem] = []
        for elem in self._subtrees(node):
            key_node, value_node = self._subtrees(elem)[0], self._subtrees(elem)[-1]
            key_inner = self._subtrees(key_node)
            key_expr = self.expr(key_inner[0]) if key_inner else self.expr(key_node.children[0])
            key_name: str | None = None
            if isinstance(key_expr, Reference) and len(key_expr.steps) == 1:
                key_name = key_expr.root
            elif isinstance(key_expr, Literal) and isinstance(key_expr.value, str):
                key_name = key_expr.value
            elif key_expr.text and not key_inner:
                key_name = key_expr.text
            value = self.expr(value_node)
            items.append(
                ObjectItem(key_expr, key_name, value, Range(key_expr.range.start, value.range.end))
            )
        return ObjectExpr(rng, text, tuple(items))

    def _x_function_call(self, node: Tree[Token]) -> Expr:
        rng, text = self._range_text(node)
        names = [
            self._name(c) for c in node.children if isinstance(c, Tree) and c.data == "identifier"
        ]
        args: list[Expr] = []
        expand = False
        for c in node.children:
            if isinstance(c, Tree) and c.data == "arguments":
                for a in c.children:
                    if isinstance(a, Token) and a.type == "ELLIPSIS":
                        expand = True
                    elif isinstance(a, Tree) and a.data != "new_line_or_comment":
                        args.append(self.expr(a))
        return FunctionCall(rng, text, "::".join(names), tuple(args), expand)

    def _x_conditional(self, node: Tree[Token]) -> Expr:
        rng, text = self._range_text(node)
        cond, yes, no = (self.expr(c) for c in self._subtrees(node))
        return Conditional(rng, text, cond, yes, no)

    def _x_binary_op(self, node: Tree[Token]) -> Expr:
        rng, text = self._range_text(node)
        left_node, term = self._subtrees(node)[:2]
        op_tree, right_node = self._subtrees(term)[0], self._subtrees(term)[-1]
        op = self._name(op_tree).strip()
        return BinaryOp(rng, text, op, self.expr(left_node), self.expr(right_node))

    def _x_unary_op(self, node: Tree[Token]) -> Expr:
        rng, text = self._range_text(node)
        op = str(node.children[0]).strip()
        return UnaryOp(rng, text, op, self.expr(self._subtrees(node)[0]))

    def _traversal(self, node: Tree[Token]) -> Expr:
        """get_attr / index / splat chains: flatten into a Reference when rooted at a name."""
        rng, text = self._range_text(node)
        steps: list[Step] = []
        index_exprs: list[Expr] = []
        current: Tree[Token] | Token = node
        suffixes: list[Tree[Token]] = []
        while isinstance(current, Tree) and current.data in (
            "get_attr_expr_term",
            "index_expr_term",
            "attr_splat_expr_term",
            "full_splat_expr_term",
            "expr_term",
        ):
            subs = self._subtrees(current)
            if current.data == "expr_term":
                if len(subs) != 1 or any(
                    isinstance(c, Token) and c.type == "LPAR" for c in current.children
                ):
                    break
                current = subs[0]
                continue
            suffixes.append(subs[1])
            current = subs[0]
        for suffix in reversed(suffixes):
            self._steps(suffix, steps, index_exprs)
        root: Expr
        if isinstance(current, Tree) and current.data == "identifier":
            name = self._name(current)
            return Reference(rng, text, (name, *steps), tuple(index_exprs))
        root = self.expr(current)
        return Traversal(rng, text, root, tuple(steps), tuple(index_exprs))

    def _steps(self, suffix: Tree[Token], steps: list[Step], index_exprs: list[Expr]) -> None:
        kind = suffix.data
        if kind == "get_attr":
            steps.append(self._name(self._subtrees(suffix)[0]))
        elif kind == "short_index":
            steps.append(int(str(suffix.children[-1])))
        elif kind == "braces_index":
            idx = self.expr(self._subtrees(suffix)[0])
            if (
                isinstance(idx, Literal)
                and isinstance(idx.value, (str, int))
                and not isinstance(idx.value, bool)
            ):
                steps.append(idx.value)
            else:
                steps.append(DYNAMIC)
                index_exprs.append(idx)
        elif kind in ("attr_splat", "full_splat"):
            steps.append(SPLAT)
            for sub in self._subtrees(suffix):
                self._steps(sub, steps, index_exprs)

    _x_get_attr_expr_term = _traversal
    _x_index_expr_term = _traversal
    _x_attr_splat_expr_term = _traversal
    _x_full_splat_expr_term = _traversal

    def _for_intro(self, intro: Tree[Token]) -> tuple[str | None, str, Expr]:
        names = [self._name(c) for c in self._subtrees(intro) if c.data == "identifier"]
        exprs = [c for c in self._subtrees(intro) if c.data != "identifier"]
        collection = self.expr(exprs[0])
        if len(names) == 2:
            return names[0], names[1], collection
        return None, names[0], collection

    def _for(self, node: Tree[Token], is_object: bool) -> Expr:
        rng, text = self._range_text(node)
        subs = self._subtrees(node)
        intro = subs[0]
        key_var, value_var, collection = self._for_intro(intro)
        cond_tree = next((s for s in subs if s.data == "for_cond"), None)
        bodies = [self.expr(s) for s in subs[1:] if s.data != "for_cond"]
        condition = self.expr(self._subtrees(cond_tree)[0]) if cond_tree is not None else None
        key = bodies[0] if is_object and len(bodies) > 1 else None
        value = bodies[-1]
        return ForExpr(rng, text, collection, key_var, value_var, key, value, condition, is_object)

    def _x_for_tuple_expr(self, node: Tree[Token]) -> Expr:
        return self._for(node, is_object=False)

    def _x_for_object_expr(self, node: Tree[Token]) -> Expr:
        return self._for(node, is_object=True)


def _merge_text(parts: list[str | Any]) -> list[str | Expr]:
    out: list[str | Expr] = []
    for p in parts:
        if isinstance(p, str):
            if not p:
                continue
            if out and isinstance(out[-1], str):
                out[-1] = out[-1] + p
                continue
        out.append(p)
    return out


def _matching_brace(text: str, pos: int) -> int:
    """The offset of the ``}`` closing an interpolation whose body starts at ``pos``."""
    depth = 0
    in_string = False
    i = pos
    while i < len(text):
        ch = text[i]
        if in_string:
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return -1
