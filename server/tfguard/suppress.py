"""Inline suppressions: ``# tfguard:ignore:<id>``, and the tfsec, Trivy and Checkov forms.

- ``tfguard:ignore:<id>[,<id>...][:exp:YYYY-MM-DD] [reason]`` (``#`` or ``//``), on the finding's
  line or on the line(s) directly above the attribute, nested block or block that owns it;
- ``tfsec:ignore:<id>`` and ``trivy:ignore:<id>`` (same placement, ``:exp:`` too), matched
  through rule aliases so that teams keep their comments when they migrate;
- ``checkov:skip=<CKV_ID>[:reason]`` anywhere inside the block.

An expired suppression no longer suppresses and is reported; a ``tfguard`` suppression naming
an unknown rule is reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tfguard.document import CommentAt
from tfguard.findings import Finding, Range, Severity

SUPPRESSION_RULE_ID = "tfguard-suppression"

_IGNORE = re.compile(
    r"(?P<tool>tfguard|tfsec|trivy):ignore:(?P<ids>[A-Za-z0-9_.,*-]+?)"
    r"(?::exp:(?P<exp>\S+))?(?=\s|$)(?P<reason>.*)$"
)
_CHECKOV = re.compile(r"checkov:skip=(?P<ids>[A-Za-z0-9_,-]+)(?::(?P<reason>.*))?")


@dataclass(slots=True, eq=False)
class Suppression:
    path: str
    range: Range
    form: str  # tfguard | tfsec | trivy | checkov
    rule_ids: tuple[str, ...]
    reason: str
    expires: dt.date | None
    expired: bool
    bad_date: bool = False
    used: bool = False
    unknown_ids: tuple[str, ...] = field(default=())

    @property
    def line(self) -> int:
        return self.range.start.line


def parse_suppressions(
    path: str, comments: Iterable[CommentAt], today: dt.date | None = None
) -> list[Suppression]:
    today = today or dt.date.today()
    found: list[Suppression] = []
    for comment in comments:
        body = comment.text.lstrip("#/* ").rstrip("*/ ").strip()
        m = _IGNORE.search(body)
        if m is not None:
            expires: dt.date | None = None
            bad_date = False
            if m.group("exp"):
                try:
                    expires = dt.date.fromisoformat(m.group("exp"))
                except ValueError:
                    bad_date = True
            ids = tuple(i for i in m.group("ids").split(",") if i)
            found.append(
                Suppression(
                    path,
                    comment.range,
                    m.group("tool"),
                    ids,
                    m.group("reason").strip(),
                    expires,
                    expired=expires is not None and expires < today,
                    bad_date=bad_date,
                )
            )
            continue
        c = _CHECKOV.search(body)
        if c is not None:
            ids = tuple(i for i in c.group("ids").split(",") if i)
            found.append(
                Suppression(
                    path,
                    comment.range,
                    "checkov",
                    ids,
                    (c.group("reason") or "").strip(),
                    None,
                    False,
                )
            )
    return found


class Suppressor:
    """Decides which findings of one file are suppressed, and reports problem suppressions."""

    def __init__(
        self,
        suppressions: list[Suppression],
        comment_lines: set[int],
        resolve: Callable[[str], str | None],
    ) -> None:
        # ``resolve`` maps an id or alias to a rule id (None when unknown).
        self.suppressions = suppressions
        self.comment_lines = comment_lines
        self.resolve = resolve
        self.by_line: dict[int, list[Suppression]] = {}
        for s in suppressions:
            self.by_line.setdefault(s.line, []).append(s)
            if s.form == "tfguard":
                s.unknown_ids = tuple(i for i in s.rule_ids if resolve(i) is None)

    def _matches(self, s: Suppression, finding: Finding) -> bool:
        for name in s.rule_ids:
            if name == "*" and s.form == "tfguard":
                return True
            if self.resolve(name) == finding.rule_id:
                return True
        return False

    def _candidates(self, finding: Finding) -> list[Suppression]:
        lines = {finding.range.start.line}
        for scope_line in finding.scope_lines or (finding.range.start.line,):
            lines.add(scope_line)
            above = scope_line - 1
            # A run of comment lines directly above the owner may each hold a suppression.
            while above >= 0 and above in self.comment_lines:
                lines.add(above)
                above -= 1
        out = [s for line in lines for s in self.by_line.get(line, ()) if s.form != "checkov"]
        if finding.block_lines is not None:
            first, last = finding.block_lines
            out.extend(
                s for s in self.suppressions if s.form == "checkov" and first <= s.line <= last
            )
        return out

    def is_suppressed(self, finding: Finding) -> bool:
        if finding.is_configuration_error or finding.rule_id == SUPPRESSION_RULE_ID:
            return False
        for s in self._candidates(finding):
            if self._matches(s, finding):
                if s.expired or s.bad_date:
                    continue
                s.used = True
                return True
        return False

    def problems(self, path: str) -> list[Finding]:
        out: list[Finding] = []
        for s in self.suppressions:
            where = ", ".join(s.rule_ids)
            if s.expired and s.expires is not None:
                message = (
                    f"suppression of {where} expired on {s.expires.isoformat()}: "
                    "it no longer suppresses anything"
                )
            elif s.bad_date:
                message = "suppression has an invalid expiry date: use :exp:YYYY-MM-DD"
            elif s.unknown_ids:
                message = f"suppression names an unknown rule: {', '.join(s.unknown_ids)}"
            else:
                continue
            out.append(
                Finding(
                    SUPPRESSION_RULE_ID,
                    Severity.LOW,
                    message,
                    path,
                    s.range,
                    data={"form": s.form, "ruleIds": list(s.rule_ids)},
                )
            )
        return out
