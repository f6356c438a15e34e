"""In-process tests of the LSP layer's pure parts: conversions, settings, scheduling, edits."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types

from tfguard.findings import Finding, Position, Range, Severity
from tfguard.lsp import actions
from tfguard.lsp.convert import (
    Lines,
    finding_to_diagnostic,
    from_client_character,
    to_client_character,
    units_in,
)
from tfguard.lsp.scheduler import Debouncer, Lane, SerialWorker
from tfguard.lsp.settings import LspSettings, parse_settings
from tfguard.lsp.workspace_scan import _order, in_workspace

ENCODINGS = ("utf-8", "utf-16", "utf-32")
CODECS = {"utf-8": ("utf-8", 1), "utf-16": ("utf-16-le", 2), "utf-32": ("utf-32-le", 4)}
line_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=40
)


# -- positions ----------------------------------------------------------------------------------


@given(line_text, st.data())
def test_client_units_round_trip(line: str, data: st.DataObject) -> None:
    column = data.draw(st.integers(min_value=0, max_value=len(line)))
    for encoding in ENCODINGS:
        codec, width = CODECS[encoding]
        units = to_client_character(line, column, encoding)
        assert units == len(line[:column].encode(codec)) // width
        assert from_client_character(line, units, encoding) == column


@given(line_text, st.integers(min_value=0, max_value=200))
def test_offsets_inside_a_character_round_down(line: str, units: int) -> None:
    for encoding in ENCODINGS:
        column = from_client_character(line, units, encoding)
        assert 0 <= column <= len(line)
        assert units_in(line[:column], encoding) <= units
        if column < len(line):
            assert units_in(line[: column + 1], encoding) > units


def test_positions_past_the_end_are_clamped() -> None:
    lines = Lines.of("a = 1\nb = 😀\n")
    assert lines.to_client(Position(9, 0), "utf-16") == types.Position(line=2, character=0)
    assert lines.to_client(Position(1, 99), "utf-16") == types.Position(line=1, character=6)
    assert lines.from_client(types.Position(line=1, character=99), "utf-8") == Position(1, 5)
    assert Lines.of("x\r\ny").line(0) == "x"


def _finding(**changes: object) -> Finding:
    base: dict[str, object] = {
        "rule_id": "aws-s3-no-public-acl",
        "severity": Severity.MEDIUM,
        "message": "public",
        "path": "/w/main.tf",
        "range": Range.of(1, 2, 1, 8),
        "scope_lines": (1, 0),
        "data": {"address": "aws_s3_bucket.a", "ruleId": "spoofed"},
    }
    base.update(changes)
    return Finding(**base)  # type: ignore[arg-type]


def test_finding_to_diagnostic() -> None:
    lines = Lines.of('resource "x" "y" {\n  😀 = "public-read"\n}\n')
    diag = finding_to_diagnostic(
        _finding(),
        lines,
        "utf-16",
        severity_map={Severity.MEDIUM: types.DiagnosticSeverity.Information},
        doc_url="https://example.invalid/rule.md",
        uri_for=lambda p: "file://" + p,
        lines_for=lambda p: None,
    )
    assert diag.range == types.Range(
        start=types.Position(line=1, character=2), end=types.Position(line=1, character=9)
    )
    assert diag.severity == types.DiagnosticSeverity.Information
    assert diag.code == "aws-s3-no-public-acl" and diag.source == "tfguard"
    assert diag.code_description == types.CodeDescription(href="https://example.invalid/rule.md")
    assert diag.data == {
        "address": "aws_s3_bucket.a",
        "ruleId": "aws-s3-no-public-acl",  # the engine's id wins over rule data
        "path": "/w/main.tf",
        "scopeLines": [1, 0],
    }


# -- settings -----------------------------------------------------------------------------------


def _resolve(name: str) -> str | None:
    return {"a": "rule-a", "alias-a": "rule-a", "b": "rule-b"}.get(name)


def test_settings_defaults_and_values() -> None:
    assert parse_settings(None, _resolve) == (LspSettings(), [])
    settings, problems = parse_settings(
        {
            "tfguard": {
                "minimumSeverity": "Medium",
                "disabledRules": ["alias-a", "b"],
                "severityMap": {"low": "hint", "critical": "Warning"},
                "debounceMs": 0,
                "workspaceScan": False,
                "unknownKey": 1,
            }
        },
        _resolve,
    )
    assert problems == []
    assert settings.minimum_severity == Severity.MEDIUM
    assert settings.disabled_rules == frozenset({"rule-a", "rule-b"})
    assert settings.severity_map[Severity.LOW] == types.DiagnosticSeverity.Hint
    assert settings.severity_map[Severity.CRITICAL] == types.DiagnosticSeverity.Warning
    assert settings.severity_map[Severity.HIGH] == types.DiagnosticSeverity.Error
    assert settings.debounce_ms == 0 and settings.workspace_scan is False


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"minimumSeverity": 3}, "minimumSeverity must be a string"),
        ({"minimumSeverity": "urgent"}, "unknown severity"),
        ({"disabledRules": ["a", "zzz"]}, "unknown rule 'zzz'"),
        ({"disabledRules": [1]}, "list of rule ids"),
        ({"severityMap": {"loud": "error"}}, "unknown severity"),
        ({"severityMap": {"high": "fatal"}}, "severityMap.high"),
        ({"severityMap": []}, "must be an object"),
        ({"debounceMs": True}, "must be a number"),
        ({"debounceMs": 1.5}, "whole number"),
        ({"debounceMs": float("inf")}, "whole number"),
        ({"debounceMs": 10_001}, "whole number"),
        ({"workspaceScan": 1}, "true or false"),
        ([1, 2], "must be an object"),
    ],
)
def test_bad_settings_fall_back(raw: object, fragment: str) -> None:
    settings, problems = parse_settings(raw, _resolve)
    assert len(problems) == 1 and fragment in problems[0]
    if isinstance(raw, dict) and "disabledRules" in raw and raw["disabledRules"] == ["a", "zzz"]:
        assert settings.disabled_rules == frozenset({"rule-a"})  # the good ids stay
    else:
        assert settings == LspSettings()


# -- scheduling ---------------------------------------------------------------------------------


def test_worker_runs_interactive_work_first_and_merges_waiting_jobs() -> None:
    gate = threading.Event()
    order: list[str] = []
    worker = SerialWorker()
    try:
        blocker = worker.submit("blocker", gate.wait, Lane.INTERACTIVE)
        time.sleep(0.05)  # the blocker is running; everything below waits
        bg1 = worker.submit("bg1", lambda: order.append("bg1"), Lane.BACKGROUND)
        bg2 = worker.submit("bg2", lambda: order.append("bg2"), Lane.BACKGROUND)
        edit = worker.submit("edit", lambda: order.append("edit"), Lane.INTERACTIVE)
        again = worker.submit("edit", lambda: order.append("edit again"), Lane.INTERACTIVE)
        promoted = worker.submit("bg2", lambda: order.append("unused"), Lane.INTERACTIVE)
        assert again is edit and promoted is bg2
        gate.set()
        for future in (blocker, bg1, bg2, edit):
            future.result(timeout=5)
        assert order == ["edit", "bg2", "bg1"]
    finally:
        worker.stop()


def test_worker_survives_errors_and_cancels_waiting_jobs() -> None:
    gate = threading.Event()
    worker = SerialWorker()
    try:

        def boom() -> None:
            raise ValueError("boom")

        failing = worker.submit("fail", boom, Lane.INTERACTIVE)
        with pytest.raises(ValueError, match="boom"):
            failing.result(timeout=5)
        worker.submit("block", gate.wait, Lane.INTERACTIVE)
        time.sleep(0.05)
        waiting = worker.submit(("discover", "/w"), lambda: 1, Lane.BACKGROUND)
        assert worker.cancel_waiting(lambda key: isinstance(key, tuple)) == 1
        assert waiting.cancelled()
        gate.set()
        assert worker.submit("after", lambda: 42, Lane.BACKGROUND).result(timeout=5) == 42
    finally:
        worker.stop()


async def test_debouncer_keeps_only_the_last_schedule() -> None:
    calls: list[str] = []
    debouncer = Debouncer(asyncio.get_running_loop())
    for index in range(5):
        debouncer.schedule("doc", 30, lambda i=index: calls.append(f"doc{i}"))  # type: ignore[misc]
    debouncer.schedule("other", 30, lambda: calls.append("other"))
    assert debouncer.is_pending("doc")
    await asyncio.sleep(0.15)
    assert sorted(calls) == ["doc4", "other"]
    debouncer.schedule("now", 0, lambda: calls.append("now"))  # 0 ms runs at once
    assert calls[-1] == "now" and not debouncer.is_pending("now")
    debouncer.schedule("cancelled", 20, lambda: calls.append("cancelled"))
    debouncer.cancel_all()
    await asyncio.sleep(0.05)
    assert "cancelled" not in calls


# -- workspace ----------------------------------------------------------------------------------


def test_in_workspace_and_scan_order() -> None:
    roots = ["/w/repo"]
    assert in_workspace("/w/repo/a/main.tf", roots)
    assert not in_workspace("/w/repository/main.tf", roots)
    assert not in_workspace("/w/repo/.terraform/modules/x/main.tf", roots)
    assert not in_workspace("/w/repo/a/.terragrunt-cache/b/main.tf", roots)
    assert _order(["/w/b", "/w/a", "/w/c", "/w/a"], ["/w/c", "/w/zzz"]) == ["/w/c", "/w/a", "/w/b"]


# -- code actions -------------------------------------------------------------------------------


def _view(text: str, path: str = "/w/main.tf") -> actions.DocumentView:
    return actions.DocumentView("file://" + path, path, text, 3)


def test_ignore_edit_indentation_merge_and_crlf() -> None:
    text = 'resource "a" "b" {\n\tingress {\n\t\tcidr = "x"\n\t}\n}\n'
    edit = actions.ignore_edit(_view(text), "rule-a", 2, "utf-16")
    assert edit is not None and edit.new_text == "\t\t# tfguard:ignore:rule-a\n"
    assert edit.range.start == types.Position(line=2, character=0)

    merged = "x {\n  // tfguard:ignore:rule-b:exp:2030-01-01 why\n  y = 1\n}\n"
    edit = actions.ignore_edit(_view(merged), "rule-a", 2, "utf-16")
    assert edit is not None and edit.new_text == ",rule-a"
    assert edit.range.start == types.Position(line=1, character=len("  // tfguard:ignore:rule-b"))
    assert actions.ignore_edit(_view(merged), "RULE-B", 2, "utf-16") is None  # already there

    crlf = "x {\r\n  y = 1\r\n}\r\n"
    edit = actions.ignore_edit(_view(crlf), "rule-a", 1, "utf-16")
    assert edit is not None and edit.new_text == "  # tfguard:ignore:rule-a\r\n"
    assert actions.ignore_edit(_view(crlf), "rule-a", 40, "utf-16") is None


def _diagnostic(code: str, scope: list[int]) -> types.Diagnostic:
    return types.Diagnostic(
        range=types.Range(
            start=types.Position(line=2, character=2), end=types.Position(line=2, character=5)
        ),
        message="m",
        code=code,
        source="tfguard",
        data={"scopeLines": scope},
    )


def _titles(view: actions.DocumentView, diagnostic: types.Diagnostic, **kw: bool) -> list[str]:
    found = actions.actions_for(view, diagnostic, None, "utf-16", lazy=False, **kw)
    return [a.title for a in found]


def test_actions_for_diagnostic_data_and_json_files() -> None:
    view = _view("a {\n  b {\n    c = 1\n  }\n}\n")
    assert _titles(view, _diagnostic("r", [2, 1, 0])) == [
        "Ignore r for this line",
        "Ignore r for this resource",
        "Explain r",
    ]
    single = actions.actions_for(view, _diagnostic("r", [0]), None, "utf-16", lazy=True)
    assert [a.title for a in single] == ["Ignore r for this resource", "Explain r"]
    assert single[0].edit is None and single[0].data["line"] == 0  # type: ignore[index]
    # the last analysis is older than the text: lines may have moved, no edit offered
    assert _titles(view, _diagnostic("r", [2, 0]), current=False) == ["Explain r"]
    assert _titles(view, _diagnostic("syntax", [2])) == []
    json_view = _view('{"resource": {}}\n', "/w/main.tf.json")
    assert _titles(json_view, _diagnostic("r", [0])) == ["Explain r"]
