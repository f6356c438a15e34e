"""Positions and diagnostics: engine code points ↔ the client's negotiated encoding.

The engine counts columns in Unicode code points. LSP clients count in UTF-16 code units by
default, or UTF-8 / UTF-32 when negotiated. Conversions need the text of the line, so callers
hand in a :class:`Lines` table built from the exact text the positions refer to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from lsprotocol import types

from tfguard.findings import Finding, Position, Range, Severity

UTF8 = types.PositionEncodingKind.Utf8.value
UTF16 = types.PositionEncodingKind.Utf16.value
UTF32 = types.PositionEncodingKind.Utf32.value

SOURCE = "tfguard"

DEFAULT_SEVERITY_MAP: Mapping[Severity, types.DiagnosticSeverity] = {
    Severity.CRITICAL: types.DiagnosticSeverity.Error,
    Severity.HIGH: types.DiagnosticSeverity.Error,
    Severity.MEDIUM: types.DiagnosticSeverity.Warning,
    Severity.LOW: types.DiagnosticSeverity.Information,
    Severity.INFO: types.DiagnosticSeverity.Hint,
}


def split_lines(text: str) -> list[str]:
    """Lines as the engine counts them: split on ``\\n``, a trailing ``\\r`` dropped."""
    lines = text.split("\n")
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def units_in(text: str, encoding: str) -> int:
    """How many code units of ``encoding`` the string ``text`` takes."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def to_client_character(line: str, column: int, encoding: str) -> int:
    """Code-point column → client code units (clamped to the line)."""
    column = max(0, min(column, len(line)))
    if encoding == UTF32 or line.isascii():
        return column
    return units_in(line[:column], encoding)


def from_client_character(line: str, units: int, encoding: str) -> int:
    """Client code units → code-point column; an offset inside a character rounds down."""
    units = max(0, units)
    if encoding == UTF32 or line.isascii():
        return min(units, len(line))
    if encoding == UTF8:
        data = line.encode("utf-8", "surrogatepass")[:units]
        return len(data.decode("utf-8", "ignore"))
    data16 = line.encode("utf-16-le", "surrogatepass")[: units * 2]
    return len(data16.decode("utf-16-le", "ignore"))


class Lines:
    """The lines of one text, for converting positions that refer to it."""

    __slots__ = ("_lines",)

    def __init__(self, lines: Sequence[str]) -> None:
        self._lines = lines

    @classmethod
    def of(cls, text: str) -> Lines:
        return cls(split_lines(text))

    def __len__(self) -> int:
        return len(self._lines)

    def line(self, index: int) -> str:
        if 0 <= index < len(self._lines):
            return self._lines[index]
        return ""

    def to_client(self, position: Position, encoding: str) -> types.Position:
        if position.line >= len(self._lines):
            # Past the end (a finding at end of file): the end of the last line.
            last = max(len(self._lines) - 1, 0)
            text = self.line(last)
            return types.Position(line=last, character=units_in(text, encoding))
        line = max(position.line, 0)
        text = self._lines[line]
        return types.Position(
            line=line, character=to_client_character(text, position.character, encoding)
        )

    def range_to_client(self, range_: Range, encoding: str) -> types.Range:
        return types.Range(
            start=self.to_client(range_.start, encoding),
            end=self.to_client(range_.end, encoding),
        )

    def from_client(self, position: types.Position, encoding: str) -> Position:
        if position.line >= len(self._lines):
            last = max(len(self._lines) - 1, 0)
            return Position(last, len(self.line(last)))
        text = self._lines[position.line]
        return Position(position.line, from_client_character(text, position.character, encoding))


LinesFor = Callable[[str], Lines | None]
"""Looks up the lines of another file (for related information), ``None`` if unreadable."""


def diagnostic_data(finding: Finding) -> dict[str, Any]:
    """What a code action needs to act on a diagnostic later, without re-analysing."""
    data: dict[str, Any] = {key: value for key, value in finding.data.items()}
    data["ruleId"] = finding.rule_id
    data["path"] = finding.path
    data["scopeLines"] = list(finding.scope_lines)
    return data


def finding_to_diagnostic(
    finding: Finding,
    lines: Lines,
    encoding: str,
    *,
    severity_map: Mapping[Severity, types.DiagnosticSeverity],
    doc_url: str | None,
    uri_for: Callable[[str], str],
    lines_for: LinesFor,
) -> types.Diagnostic:
    related: list[types.DiagnosticRelatedInformation] = []
    for item in finding.related:
        other = lines if item.path == finding.path else lines_for(item.path)
        if other is None:
            other = Lines([])
            rng = types.Range(
                start=types.Position(line=item.range.start.line, character=0),
                end=types.Position(line=item.range.end.line, character=0),
            )
        else:
            rng = other.range_to_client(item.range, encoding)
        related.append(
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=uri_for(item.path), range=rng),
                message=item.message,
            )
        )
    return types.Diagnostic(
        range=lines.range_to_client(finding.range, encoding),
        message=finding.message,
        severity=severity_map.get(finding.severity, DEFAULT_SEVERITY_MAP[finding.severity]),
        code=finding.rule_id,
        code_description=types.CodeDescription(href=doc_url) if doc_url else None,
        source=SOURCE,
        related_information=related or None,
        data=diagnostic_data(finding),
    )
