"""Whatever is typed, analysis never raises, and every finding points inside the text."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tfguard.engine import Engine
from tfguard.rules import registry
from tfguard.rules.examples import example_files

SOURCES = [
    text
    for rule in registry.all_rules()
    for example in (rule.bad_example, rule.good_example)
    for name, text in example_files(example).items()
    if name.endswith((".tf", ".tofu", ".tfvars"))
]
NOISE = [
    "{",
    "}",
    '"',
    "\n",
    "=",
    "<<EOF\n",
    "EOF",
    "${",
    "#",
    "/*",
    "*/",
    "[",
    "]",
    ",",
    "\\",
    "\t",
    "é",
    "🚀",
    "\r\n",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    source=st.sampled_from(SOURCES),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 8), st.sampled_from(NOISE)), max_size=4
    ),
)
def test_any_edit_of_a_real_configuration_is_analysed_without_error(
    source: str, edits: list[tuple[float, int, str]]
) -> None:
    text = source
    for where, remove, insert in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + remove :]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "main.tf"
        path.write_text(text, encoding="utf-8", newline="")
        result = Engine().analyze_module(folder)
    assert not result.rule_errors, result.rule_errors
    lines = text.split("\n")
    for finding in result.all_findings():
        start, end = finding.range.start, finding.range.end
        assert 0 <= start.line < len(lines) and 0 <= end.line < len(lines) + 1
        assert start <= end
        assert finding.message
