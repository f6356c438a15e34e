"""python-hcl2's grammar, built once per process, and readable syntax errors.

We parse with python-hcl2's own Lark grammar and post-lexer, but build the parser ourselves:
python-hcl2 writes its grammar cache into site-packages on first use, which fails (or costs
four seconds every time) where site-packages is read-only. Our cache lives in the user's cache
folder. Lark trees keep positions; python-hcl2's ``loads()`` would lose them.

The work of one parse is bounded: a text with a line longer than :data:`MAX_LINE_CHARS`, more
than :data:`MAX_BLOCK_CHARS` characters or (about) :data:`MAX_BLOCK_TOKENS` tokens is refused
before Lark sees it, and a tree nested deeper than :data:`MAX_NESTING` levels is refused before
anything recursive walks it. Each refusal is a :class:`SyntaxProblem` with ``limit`` set, placed
where the limit is exceeded.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
import tempfile
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2.parser as _hcl2_parser
import lark
from hcl2.postlexer import PostLexer
from hcl2.version import version as hcl2_version
from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

_lock = threading.Lock()
_parser: Lark | None = None

# Limits of one parse (one top-level block or attribute). Measured with this grammar: Lark and
# the syntax model cost about 20-40 us and 1-2 kB per token, and the model builder (like every
# walk over the model) recurses about 8 Python frames per level of nesting, so these keep any
# single block within a few seconds and a few hundred MB, and deep input within the default
# recursion limit with room to spare for the callers.
MAX_LINE_CHARS = 100_000
MAX_BLOCK_CHARS = 1_000_000
MAX_BLOCK_TOKENS = 50_000
MAX_NESTING = 64

# What opens a level of nesting in the tree: a nested block, and the expressions that hold
# expressions (a parenthesised expression is an ``expr_term`` that starts with ``(``).
NESTING_RULES = frozenset(
    {
        "block",
        "tuple",
        "object",
        "function_call",
        "interpolation",
        "template_if_start",
        "template_for_start",
        "conditional",
        "binary_op",
        "unary_op",
        "for_tuple_expr",
        "for_object_expr",
        "index_expr_term",
        "get_attr_expr_term",
        "attr_splat_expr_term",
        "full_splat_expr_term",
    }
)
_LEVEL_MARKS = "{[(?.=!<>&|+-*/%"
# An upper estimate of Lark's tokens: a quoted string without interpolation is three tokens
# (counted below), any other word or symbol at least one, and every line break one.
_STRING = re.compile(r'"(?:[^"\\\n$%]|\\.|[$%](?!\{))*"')
_TOKEN = re.compile(r'"(?:[^"\\\n$%]|\\.|[$%](?!\{))*"|\w+|[^\w\s]|\n')

_EXPRESSION_START = {
    "DBLQUOTE",
    "INT_LITERAL",
    "NAME",
    "LSQB",
    "LBRACE",
    "LPAR",
    "HEREDOC_TEMPLATE",
}

_TERMINALS = {
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LSQB": "'['",
    "RSQB": "']'",
    "LPAR": "'('",
    "RPAR": "')'",
    "EQ": "'='",
    "COLON": "':'",
    "COMMA": "','",
    "DOT": "'.'",
    "DBLQUOTE": "'\"'",
    "QMARK": "'?'",
    "NAME": "a name",
    "NL_OR_COMMENT": "a new line",
    "$END": "the end of the block",
    "INT_LITERAL": "a number",
    "FLOAT_LITERAL": "a number",
    "STRING_CHARS": "text",
    "INTERP_START": "'${'",
    "FOR_OBJECT_ARROW": "'=>'",
}


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """A parse error; ``line``/``column`` are 0-based and relative to the parsed text."""

    line: int
    column: int
    message: str
    limit: bool = False  # the text exceeds a limit of this module and was not analysed


class LimitExceeded(Exception):
    """A text parsed on its own inside a block (an interpolation in a heredoc) exceeds a limit:
    the block is not analysed. ``problem`` is placed in the block's text."""

    def __init__(self, problem: SyntaxProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def cache_dir() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    for candidate in (Path(base) / "tfguard", Path(tempfile.gettempdir()) / "tfguard-cache"):
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            if os.access(candidate, os.W_OK):
                return candidate
        except OSError:
            continue
    return None


# The parser tables, built from python-hcl2's grammar and shipped with tfguard, so that even
# the first run after an install does not build them (about a second): the first line names
# the grammar they are for (see :func:`shipped_key`), the rest is ``Lark.save`` compressed.
# tests/test_startup.py writes the file again when the installed grammar is another one.
SHIPPED_PARSER = Path(__file__).parent / "data" / "hcl2-parser.bin"


def shipped_key() -> bytes:
    """Which grammar and Lark release parser tables are for."""
    grammar = (Path(_hcl2_parser.__file__).parent / "hcl2.lark").read_bytes()
    digest = hashlib.sha256(grammar).hexdigest()[:16]
    return f"hcl2 {hcl2_version} lark {lark.__version__} grammar {digest} {_FLAVOUR}".encode()


# The options below that the tables depend on (a saved parser keeps its options).
_FLAVOUR = "lalr-tokens"


def _options() -> dict[str, Any]:
    return {
        "parser": "lalr",
        # Ranges come from the tokens (tfguard.syntax_builder): positions of rules are not
        # needed, and computing them for every node took a third of the parsing time.
        "propagate_positions": False,
        "postlex": PostLexer(),
        "rel_to": _hcl2_parser.__file__,
    }


def write_shipped_parser(path: Path = SHIPPED_PARSER) -> None:
    """Build the parser and write its tables to ``path`` (for :data:`SHIPPED_PARSER`)."""
    built = Lark.open("hcl2.lark", **_options())
    buffer = io.BytesIO()
    built.save(buffer, exclude_options=("postlex",))
    path.write_bytes(shipped_key() + b"\n" + zlib.compress(buffer.getvalue(), 9))


def _shipped() -> Lark | None:
    """The shipped parser, if it is for the installed grammar and Lark."""
    try:
        key, _, data = SHIPPED_PARSER.read_bytes().partition(b"\n")
        if key != shipped_key():
            return None
        loaded = Lark.__new__(Lark)
        # What ``Lark(cache=...)`` does with its own cache file.
        return loaded._load(io.BytesIO(zlib.decompress(data)), postlex=PostLexer())
    except (OSError, ValueError, EOFError, zlib.error, pickle.UnpicklingError, LarkError):
        return None


def _build() -> Lark:
    shipped = _shipped()
    if shipped is not None:
        return shipped
    folder = cache_dir()
    options = _options()
    if folder is not None:
        name = f"hcl2-{hcl2_version}-lark-{lark.__version__}-{_FLAVOUR}.grammar"
        options["cache"] = str(folder / name)
    try:
        return Lark.open("hcl2.lark", **options)
    except OSError:
        options.pop("cache", None)
        return Lark.open("hcl2.lark", **options)


def parser() -> Lark:
    global _parser
    if _parser is None:
        with _lock:
            if _parser is None:
                _parser = _build()
    return _parser


def parse(text: str, heredocs: Sequence[tuple[int, int]] = ()) -> Tree[Token] | SyntaxProblem:
    """Parse HCL text into a Lark tree (1-based positions), or describe why it does not parse
    or why it is not analysed. ``heredocs``: the ``(start, end)`` offsets of the closed
    heredocs in ``text``, each one token however long."""
    problem = size_problem(text, heredocs)
    if problem is not None:
        return problem
    lark_parser = parser()
    try:
        with _lock:
            tree: Tree[Token] = lark_parser.parse(text + "\n")
    except UnexpectedInput as err:
        return _describe(err, text)
    except RecursionError:
        return SyntaxProblem(0, 0, NESTED_TOO_DEEPLY, limit=True)
    except (LarkError, RuntimeError) as err:
        return SyntaxProblem(0, 0, f"cannot parse this block: {err}")
    # Every level of nesting has a token of its own with one of these characters: a text with
    # few of them (most blocks) cannot be too deep.
    if sum(map(text.count, _LEVEL_MARKS)) <= MAX_NESTING:
        return tree
    return nesting_problem(tree) or tree


NESTED_TOO_DEEPLY = "expression nested too deeply to analyse — not analysed"


def size_problem(text: str, heredocs: Sequence[tuple[int, int]] = ()) -> SyntaxProblem | None:
    """Why ``text`` is too large to parse: its first line longer than :data:`MAX_LINE_CHARS`,
    more than :data:`MAX_BLOCK_CHARS` characters, or more than :data:`MAX_BLOCK_TOKENS`
    tokens outside ``heredocs``; ``None`` when it is within the limits."""
    if len(text) > MAX_LINE_CHARS:
        for number, line in enumerate(text.split("\n")):
            if len(line.rstrip("\r")) > MAX_LINE_CHARS:
                message = f"line longer than {MAX_LINE_CHARS:,} characters — not analysed"
                return SyntaxProblem(number, 0, message, limit=True)
    if len(text) > MAX_BLOCK_CHARS:
        message = f"block larger than {MAX_BLOCK_CHARS:,} characters — not analysed"
        return SyntaxProblem(0, 0, message, limit=True)
    # Every token is at least one character: only a long text can have too many.
    if len(text) > MAX_BLOCK_TOKENS and _tokens(text, heredocs) > MAX_BLOCK_TOKENS:
        message = (
            f"block with more than {MAX_BLOCK_TOKENS:,} tokens (names, values, operators)"
            " — not analysed"
        )
        return SyntaxProblem(0, 0, message, limit=True)
    return None


def _tokens(text: str, heredocs: Sequence[tuple[int, int]]) -> int:
    count = 0
    pos = 0
    for start, end in (*sorted(heredocs), (len(text), len(text))):
        if start < pos:
            continue
        piece = text[pos:start]
        count += len(_TOKEN.findall(piece)) + 2 * len(_STRING.findall(piece)) + 1
        pos = end
    return count


def nesting_problem(tree: Tree[Token], nesting: int = 0) -> SyntaxProblem | None:
    """Where ``tree`` (the top-level items of a text, which are at level ``nesting``) first
    goes deeper than :data:`MAX_NESTING` levels, if it does. Iterative: this runs before
    anything that recurses over the tree."""
    stack: list[tuple[Tree[Token], int]] = []
    for body in reversed(tree.children):
        if isinstance(body, Tree):
            items = [item for item in body.children if isinstance(item, Tree)]
            stack.extend((item, nesting) for item in reversed(items))
    while stack:
        node, level = stack.pop()
        for child in reversed(node.children):
            if not isinstance(child, Tree):
                continue
            deeper = level
            if child.data in NESTING_RULES or (
                child.data == "expr_term"
                and child.children
                and isinstance(child.children[0], Token)
                and child.children[0].type == "LPAR"
            ):
                deeper += 1
            stack.append((child, deeper))
        if level > MAX_NESTING:
            return _too_deep(node)
    return None


def _too_deep(node: Tree[Token]) -> SyntaxProblem:
    what = "block" if node.data == "block" else "expression"
    message = f"{what} nested deeper than {MAX_NESTING} levels — not analysed"
    first = next(node.scan_values(lambda v: isinstance(v, Token) and v.line is not None), None)
    if first is None:
        return SyntaxProblem(0, 0, message, limit=True)
    line, column = int(first.line or 1), int(first.column or 1)
    return SyntaxProblem(max(line - 1, 0), max(column - 1, 0), message, limit=True)


def _token_text(token: Token) -> str:
    if token.type == "$END":
        return "the end of the block"
    if token.type == "NL_OR_COMMENT" or str(token).startswith("\n"):
        return "a line break"
    value = str(token).strip()
    if len(value) > 30:
        value = value[:27] + "..."
    return f"'{value}'"


def _expected_text(expected: set[str]) -> str:
    if expected & _EXPRESSION_START and len(expected) > 4:
        return "a value (a string, number, reference or expression)"
    names = sorted({_TERMINALS.get(name, name.lower()) for name in expected})
    if not names:
        return ""
    if len(names) > 5:
        names = [*names[:5], "..."]
    return " or ".join(names)


def _describe(err: UnexpectedInput, text: str) -> SyntaxProblem:
    line = max((err.line or 1) - 1, 0)
    column = max((err.column or 1) - 1, 0)
    if isinstance(err, UnexpectedEOF) or getattr(err, "token", None) == "$END":
        lines = text.split("\n")
        return SyntaxProblem(
            len(lines) - 1,
            len(lines[-1].rstrip("\r")),
            "unexpected end of block: a '}', ']' or ')' is missing",
        )
    if isinstance(err, UnexpectedCharacters):
        char = err.char if err.char not in ("\n", "\r") else "line break"
        message = f"unexpected character {char!r}" if len(char) == 1 else f"unexpected {char}"
        if err.char == '"' or _in_unterminated_string(text, line, column):
            message = "unterminated string: a closing '\"' is missing on this line"
        return SyntaxProblem(line, column, message)
    token = getattr(err, "token", None)
    expected: set[str] = set(getattr(err, "expected", None) or ())
    found = _token_text(token) if isinstance(token, Token) else "input"
    if isinstance(token, Token) and token.type == "$END":
        lines = text.split("\n")
        line, column = len(lines) - 1, len(lines[-1].rstrip("\r"))
    elif isinstance(token, Token) and str(token).startswith("\n"):
        # Lark places a newline token at the end of the previous line.
        pass
    wanted = _expected_text(expected)
    message = f"unexpected {found}" + (f", expected {wanted}" if wanted else "")
    if expected == {"RBRACE"} or (isinstance(token, Token) and token.type == "$END"):
        message = "unclosed block: a '}' is missing"
    return SyntaxProblem(line, column, message)


def _in_unterminated_string(text: str, line: int, column: int) -> bool:
    lines = text.split("\n")
    if line >= len(lines):
        return False
    return lines[line][:column].count('"') % 2 == 1
