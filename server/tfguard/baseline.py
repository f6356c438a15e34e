"""Baselines: the findings a project has accepted for now, so that only new ones fail a build.

``tfguard scan --write-baseline FILE`` records every current finding; ``--baseline FILE`` (or
``baseline = "FILE"`` in ``.tfguard.hcl``, which the language server honours too) then hides the
recorded ones from the exit code and the reports (SARIF keeps them, marked as suppressed).

A finding is recorded by a fingerprint that survives unrelated edits: its rule id, its file
(relative to the baseline file's folder), the address of the resource it belongs to and its
source text with whitespace collapsed, never a line number. Inserting lines above a finding or
moving its block elsewhere keeps the fingerprint; changing the offending text itself makes a new
finding. Each fingerprint carries a count, so two identical findings need two entries. Entries
that no finding matches any more are *stale*: the scan counts them, and writing the baseline
again drops them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tfguard.config import ConfigError
from tfguard.findings import Finding, Range

VERSION = 1
# A multi-line finding (a long policy document) is fingerprinted by its first lines only.
MAX_SNIPPET_LINES = 50
SHOWN_SNIPPET = 120  # characters of the snippet written to the file, for reviewers

_SPACE = re.compile(r"\s+")


def snippet(line_text: Callable[[int], str], rng: Range) -> str:
    """The finding's source text, whitespace runs collapsed to one space."""
    parts: list[str] = []
    last = min(rng.end.line, rng.start.line + MAX_SNIPPET_LINES - 1)
    for number in range(rng.start.line, last + 1):
        line = line_text(number)
        begin = rng.start.character if number == rng.start.line else 0
        end = rng.end.character if number == rng.end.line else len(line)
        parts.append(line[begin:end])
    text = _SPACE.sub(" ", " ".join(parts)).strip()
    if not text:  # an empty range (the end of a file): the whole line says where it is
        text = _SPACE.sub(" ", line_text(rng.start.line)).strip()
    return text


def fingerprint(rule_id: str, path: str, address: str, text: str) -> str:
    payload = "\x00".join((rule_id, path, address, text)).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()[:32]


def address_of(finding: Finding) -> str:
    value = finding.data.get("address", "")
    return value if isinstance(value, str) else ""


def relative(path: str, root: str) -> str:
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # another drive
        rel = path
    return rel.replace(os.sep, "/")


@dataclass(frozen=True, slots=True)
class Entry:
    fingerprint: str
    rule: str
    path: str  # relative to the baseline file's folder, with "/"
    address: str
    snippet: str
    count: int = 1

    def to_json(self) -> dict[str, Any]:
        shown = self.snippet
        if len(shown) > SHOWN_SNIPPET:
            shown = shown[: SHOWN_SNIPPET - 3] + "..."
        return {
            "rule": self.rule,
            "path": self.path,
            "address": self.address,
            "snippet": shown,
            "fingerprint": self.fingerprint,
            "count": self.count,
        }


@dataclass(slots=True)
class Baseline:
    path: str  # absolute
    entries: dict[str, Entry] = field(default_factory=dict)

    @property
    def root(self) -> str:
        return os.path.dirname(self.path)

    def key(self, finding: Finding, line_text: Callable[[int], str]) -> str:
        rel = relative(finding.path, self.root)
        return fingerprint(
            finding.rule_id, rel, address_of(finding), snippet(line_text, finding.range)
        )

    def total(self) -> int:
        return sum(e.count for e in self.entries.values())

    def file_of(self, entry: Entry) -> str:
        return os.path.normpath(os.path.join(self.root, entry.path))

    def stale(self, used: Mapping[str, int], in_scope: Callable[[str], bool]) -> int:
        """How many counts of the entries whose file is ``in_scope`` no finding took
        (``used``: fingerprint -> findings that matched it)."""
        return sum(
            max(0, e.count - used.get(e.fingerprint, 0))
            for e in self.entries.values()
            if in_scope(self.file_of(e))
        )

    def keep_outside(self, old: Baseline, in_scope: Callable[[str], bool]) -> None:
        """Add the entries of ``old`` whose file this scan did not cover, so that writing a
        baseline for part of a project leaves the rest of the file as it was."""
        for entry in old.entries.values():
            path = old.file_of(entry)
            if in_scope(path):
                continue
            rel = relative(path, self.root)
            if rel != entry.path:  # another folder: the fingerprint names the path
                continue
            self.entries.setdefault(entry.fingerprint, entry)

    def matcher(self) -> Matcher:
        return Matcher(self)


class Matcher:
    """Takes findings out of a baseline, one count at a time."""

    def __init__(self, baseline: Baseline) -> None:
        self.baseline = baseline
        self.used: dict[str, int] = {}
        self.taken: dict[str, list[Finding]] = {}  # path -> the findings the baseline hid

    def take(self, finding: Finding, line_text: Callable[[int], str]) -> bool:
        key = self.baseline.key(finding, line_text)
        entry = self.baseline.entries.get(key)
        used = self.used.get(key, 0)
        if entry is None or used >= entry.count:
            return False
        self.used[key] = used + 1
        return True


def build(path: str, findings: Iterable[tuple[Finding, Callable[[int], str]]]) -> Baseline:
    """A baseline at ``path`` holding ``findings`` (each with the lines of its file)."""
    baseline = Baseline(os.path.abspath(path))
    for finding, line_text in findings:
        rel = relative(finding.path, baseline.root)
        text = snippet(line_text, finding.range)
        address = address_of(finding)
        key = fingerprint(finding.rule_id, rel, address, text)
        old = baseline.entries.get(key)
        count = old.count + 1 if old is not None else 1
        baseline.entries[key] = Entry(key, finding.rule_id, rel, address, text, count)
    return baseline


def dumps(baseline: Baseline) -> str:
    entries = sorted(
        baseline.entries.values(), key=lambda e: (e.path, e.rule, e.address, e.fingerprint)
    )
    payload = {"tool": "tfguard", "version": VERSION, "findings": [e.to_json() for e in entries]}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def write(baseline: Baseline) -> None:
    """Write the file atomically (a reader never sees half of it)."""
    temporary = f"{baseline.path}.tmp{os.getpid()}"
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(dumps(baseline))
        os.replace(temporary, baseline.path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def load(path: str) -> Baseline:
    """Read a baseline file; a bad one is a :class:`ConfigError` with its line and column."""
    path = os.path.abspath(path)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise ConfigError(path, 0, 0, "baseline file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(path, 0, 0, f"cannot read the baseline: {err}") from None
    return parse(path, text)


def parse(path: str, text: str) -> Baseline:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError(path, err.lineno - 1, err.colno - 1, f"invalid JSON: {err.msg}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        raise ConfigError(
            path, 0, 0, 'not a tfguard baseline: expected {"version": 1, "findings": [...]}'
        )
    version = doc.get("version")
    if version != VERSION:
        raise ConfigError(
            path, 0, 0, f"unsupported baseline version {version!r} (this tfguard reads {VERSION})"
        )
    baseline = Baseline(os.path.abspath(path))
    for index, item in enumerate(doc["findings"]):
        entry = _entry(path, index, item)
        old = baseline.entries.get(entry.fingerprint)
        if old is not None:
            entry = Entry(
                entry.fingerprint,
                entry.rule,
                entry.path,
                entry.address,
                entry.snippet,
                old.count + entry.count,
            )
        baseline.entries[entry.fingerprint] = entry
    return baseline


def _entry(path: str, index: int, item: object) -> Entry:
    where = f"findings[{index}]"
    if not isinstance(item, dict):
        raise ConfigError(path, 0, 0, f"{where}: expected an object")
    key = item.get("fingerprint")
    if not isinstance(key, str) or not key:
        raise ConfigError(path, 0, 0, f"{where}: missing or empty 'fingerprint'")
    count = item.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ConfigError(path, 0, 0, f"{where}: 'count' must be a positive integer")
    fields = {name: item.get(name, "") for name in ("rule", "path", "address", "snippet")}
    for name, value in fields.items():
        if not isinstance(value, str):
            raise ConfigError(path, 0, 0, f"{where}: {name!r} must be a string")
    return Entry(key, fields["rule"], fields["path"], fields["address"], fields["snippet"], count)
