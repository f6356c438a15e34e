"""python-hcl2's grammar, built once per process, and readable syntax errors.

We parse with python-hcl2's own Lark grammar and post-lexer, but build the parser ourselves:
python-hcl2 writes its grammar cache into site-packages on first use, which fails (or costs
four seconds every time) where site-packages is read-only. Our cache lives in the user's cache
folder. Lark trees keep positions; python-hcl2's ``loads()`` would lose them.
"""

from __future__ import annotations

import os
import tempfile
import threading
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


def _build() -> Lark:
    folder = cache_dir()
    options: dict[str, Any] = {
        "parser": "lalr",
        "propagate_positions": True,
        "postlex": PostLexer(),
        "rel_to": _hcl2_parser.__file__,
    }
    if folder is not None:
        name = f"hcl2-{hcl2_version}-lark-{lark.__version__}.grammar"
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


def parse(text: str) -> Tree[Token] | SyntaxProblem:
    """Parse HCL text into a Lark tree (1-based positions), or describe why it does not parse."""
    lark_parser = parser()
    try:
        with _lock:
            tree: Tree[Token] = lark_parser.parse(text + "\n")
        return tree
    except UnexpectedInput as err:
        return _describe(err, text)
    except RecursionError:
        return SyntaxProblem(0, 0, "expression nested too deeply to analyse")
    except (LarkError, RuntimeError) as err:
        return SyntaxProblem(0, 0, f"cannot parse this block: {err}")


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
