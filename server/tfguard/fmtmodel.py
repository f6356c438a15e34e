"""A model of the line layout ``terraform fmt`` gives a file (hclwrite's formatter), to check
that the text a fix writes needs no reformatting.

hclwrite cuts every line into cells: the *lead* (up to an attribute's ``=``), the *assign*
cell (the ``=`` and the value, when the value closes every bracket it opens on that line) and
a trailing *comment*. Then it

- indents each line by two spaces per bracket level still open (counted line by line: a line
  that opens brackets is indented at the level before them, a line that closes them at the
  level after);
- puts one space between the ``=`` and the value;
- aligns the ``=`` of consecutive lines that have an assign cell one column after the longest
  lead: a blank line, a comment line, a nested block's header or closing brace, or a value
  spread over several lines (``tags = {``) ends the run;
- aligns the trailing comments of consecutive lines that have one, one column after the longest
  code;
- leaves heredoc bodies (and the closing marker) alone, and a heredoc ends a run.

This model rewrites exactly that whitespace (indentation, the blanks around ``=``, the blanks
before a trailing comment, trailing blanks) and nothing else: the spacing between the tokens
of an expression is taken as written. :func:`format_text` is the model, :func:`unformatted`
the lines it would change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_OPEN = "([{"
_CLOSE = ")]}"


@dataclass(slots=True)
class _Token:
    kind: str  # name, string, open, close, equal, comment, heredoc, other
    start: int  # column in its line
    end: int


@dataclass(slots=True)
class _Line:
    text: str
    tokens: list[_Token] = field(default_factory=list)
    opaque: bool = False  # a heredoc's body or closing marker, or inside a /* */ comment


def _lex(text: str) -> list[_Line]:
    """The lines of ``text`` (``\\r`` dropped) with their tokens; heredoc bodies are opaque."""
    lines = [_Line(raw[:-1] if raw.endswith("\r") else raw) for raw in text.split("\n")]
    heredoc: str | None = None
    in_block_comment = False
    for line in lines:
        s = line.text
        if heredoc is not None:
            line.opaque = True
            if s.strip() == heredoc:
                heredoc = None
            continue
        if in_block_comment:
            line.opaque = True
            end = s.find("*/")
            if end < 0:
                continue
            in_block_comment = False
            if s[end + 2 :].strip():
                line.opaque = True  # code after a comment that began above: left alone
            continue
        i, n = 0, len(s)
        while i < n:
            c = s[i]
            if c in " \t":
                i += 1
                continue
            if c == "#" or s.startswith("//", i):
                line.tokens.append(_Token("comment", i, n))
                break
            if s.startswith("/*", i):
                end = s.find("*/", i + 2)
                if end < 0:
                    in_block_comment = True
                    line.tokens.append(_Token("comment", i, n))
                    break
                line.tokens.append(_Token("comment", i, end + 2))
                i = end + 2
                continue
            if c == '"':
                end = _string_end(s, i)
                line.tokens.append(_Token("string", i, end))
                i = end
                continue
            if s.startswith("<<", i):
                j = i + 2 + (1 if s.startswith("<<-", i) else 0)
                k = j
                while k < n and (s[k].isalnum() or s[k] in "_-"):
                    k += 1
                if k > j:
                    heredoc = s[j:k]
                    line.tokens.append(_Token("heredoc", i, k))
                    i = k
                    continue
            if c in _OPEN:
                line.tokens.append(_Token("open", i, i + 1))
            elif c in _CLOSE:
                line.tokens.append(_Token("close", i, i + 1))
            elif c == "=" and s[i + 1 : i + 2] not in ("=", ">"):
                line.tokens.append(_Token("equal", i, i + 1))
            elif c.isalnum() or c == "_":
                j = i
                while j < n and (s[j].isalnum() or s[j] in "_-"):
                    j += 1
                line.tokens.append(_Token("name", i, j))
                i = j
                continue
            else:  # operators: one token per run of symbol characters
                j = i + 1
                while j < n and s[j] in "=!<>&|:?.,+-*/%" and not s.startswith("//", j):
                    j += 1
                line.tokens.append(_Token("other", i, j))
                i = j
                continue
            i += 1
    return lines


def _string_end(s: str, i: int) -> int:
    """The column after the string that starts at ``i`` (interpolations may hold strings)."""
    depth = 0
    j = i + 1
    while j < len(s):
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if depth == 0 and c == '"':
            return j + 1
        if c in "$%" and s.startswith("{", j + 1) and not s.startswith(c, j - 1):
            depth += 1
            j += 2
            continue
        if depth and c == "{":
            depth += 1
        elif depth and c == "}":
            depth -= 1
        elif depth and c == '"':
            j = _string_end(s, j)
            continue
        j += 1
    return len(s)


def _bracket_change(token: _Token) -> int:
    return 1 if token.kind == "open" else -1 if token.kind == "close" else 0


@dataclass(slots=True)
class _Cells:
    """One line cut like hclwrite cuts it (columns into the line's text)."""

    code: list[_Token]  # the tokens before a trailing comment
    comment: _Token | None
    equal: _Token | None  # the "=" that starts the assign cell, if the line has one
    net: int  # brackets opened minus closed (up to a heredoc's opener)


def _cells(line: _Line) -> _Cells:
    tokens = line.tokens
    comment = tokens[-1] if len(tokens) > 1 and tokens[-1].kind == "comment" else None
    code = tokens[:-1] if comment is not None else tokens
    net = 0
    for token in code:
        net += _bracket_change(token)
        if token.kind == "heredoc":
            break
    equal = None
    for i, token in enumerate(code):
        if i > 0 and token.kind == "equal":
            if sum(_bracket_change(t) for t in code[i:]) == 0:
                equal = token
            break
    return _Cells(code, comment, equal, net)


def format_text(text: str, reindent: bool = True) -> str:
    """``text`` with the whitespace hclwrite sets rewritten as it would write it; with
    ``reindent`` false, every line keeps its indentation (a file indented with tabs) and only
    the blanks after it are laid out."""
    eol = "\r\n" if "\r\n" in text else "\n"
    lines = _lex(text)
    cells: list[_Cells | None] = [None if ln.opaque else _cells(ln) for ln in lines]
    # Indentation (formatIndent).
    indents: list[int] = []
    level: list[int] = []
    prefix: list[str] = []  # the indentation written, kept without reindent
    for ln, cell in zip(lines, cells, strict=True):
        prefix.append(ln.text[: len(ln.text) - len(ln.text.lstrip(" \t"))])
        if cell is None or not ln.tokens:
            level.append(0)
            continue
        if cell.net > 0:
            level.append(2 * len(indents))
            indents.append(cell.net)
        elif cell.net < 0:
            closed = -cell.net
            while closed > 0 and indents:
                if closed > indents[-1]:
                    closed -= indents.pop()
                elif closed < indents[-1]:
                    indents[-1] -= closed
                    closed = 0
                else:
                    indents.pop()
                    closed = 0
            level.append(2 * len(indents))
        else:
            level.append(2 * len(indents))
    if not reindent:
        level = [len(p) for p in prefix]
    # The lead, assign and comment texts of each line, without the blanks between them.
    leads: list[str] = []
    assigns: list[str | None] = []
    comments: list[str | None] = []
    for ln, cell in zip(lines, cells, strict=True):
        if cell is None or not ln.tokens:
            leads.append(ln.text if cell is None else "")
            assigns.append(None)
            comments.append(None)
            continue
        s = ln.text
        code_end = cell.code[-1].end
        first = cell.code[0].start
        if cell.equal is not None:
            leads.append(s[first : cell.equal.start].rstrip())
            value = s[cell.equal.end : code_end].strip()
            assigns.append("=" + (" " + value if value else ""))
        else:
            leads.append(s[first:code_end].rstrip())
            assigns.append(None)
        comments.append(s[cell.comment.start :].rstrip() if cell.comment is not None else None)
    # The "=" column of each run of lines with an assign cell (formatCells).
    eq_pad: list[int] = [0] * len(lines)
    i = 0
    while i < len(lines):
        if assigns[i] is None:
            i += 1
            continue
        j = i
        while j < len(lines) and assigns[j] is not None:
            j += 1
        widest = max(level[k] + len(leads[k]) for k in range(i, j))
        for k in range(i, j):
            eq_pad[k] = widest - (level[k] + len(leads[k])) + 1
        i = j
    codes: list[str] = []
    for k, ln in enumerate(lines):
        if cells[k] is None:
            codes.append(ln.text)
            continue
        assign = assigns[k]
        indent = " " * level[k] if reindent else prefix[k]
        code = indent + leads[k] if leads[k] else ""
        if assign is not None:
            code += " " * eq_pad[k] + assign
        codes.append(code)
    # Trailing comments of consecutive lines line up one column after the longest code.
    out = list(codes)
    i = 0
    while i < len(lines):
        if comments[i] is None:
            i += 1
            continue
        j = i
        while j < len(lines) and comments[j] is not None:
            j += 1
        widest = max(len(codes[k]) for k in range(i, j))
        for k in range(i, j):
            out[k] = f"{codes[k]}{' ' * (widest - len(codes[k]) + 1)}{comments[k]}"
        i = j
    return eol.join(out)


def unformatted(text: str) -> list[int]:
    """The lines (0-based) that :func:`format_text` would change."""
    before = [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]
    after = format_text(text).replace("\r\n", "\n").split("\n")
    return [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]


def run_of(text: str, line: int) -> range:
    """The lines whose layout depends on ``line``'s: its run of ``=``-aligned lines (or the
    line alone)."""
    lines = _lex(text)
    if not 0 <= line < len(lines):
        return range(line, line)

    def assigns(k: int) -> bool:
        ln = lines[k]
        return not ln.opaque and bool(ln.tokens) and _cells(ln).equal is not None

    if not assigns(line):
        return range(line, line + 1)
    first = line
    while first > 0 and assigns(first - 1):
        first -= 1
    last = line
    while last + 1 < len(lines) and assigns(last + 1):
        last += 1
    return range(first, last + 1)
