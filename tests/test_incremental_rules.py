"""Incremental rules (tfguard.incremental) give exactly a from-scratch analysis after every edit.

An engine that keeps rule results from one analysis to the next, fed a random sequence of
edits (characters, lines, whole blocks that add or remove resources, variables, locals,
companions, suppressions), is compared after each edit with a fresh engine that keeps nothing.
The modules edited are every rule's examples and the fixture projects of the test suite.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tfguard.engine import Engine, ModuleResult
from tfguard.incremental import TrackedModule
from tfguard.rules import registry
from tfguard.rules.examples import example_files

TESTS = Path(__file__).parent
SUFFIXES = (".tf", ".tofu", ".tfvars", ".tf.json")


def _rule_examples() -> list[tuple[str, dict[str, str]]]:
    out = []
    for rule in registry.all_rules():
        for kind, example in (("bad", rule.bad_example), ("good", rule.good_example)):
            out.append((f"{rule.id}:{kind}", example_files(example)))
    return out


def _fixture_projects() -> list[tuple[str, dict[str, str]]]:
    out = []
    directories = sorted(
        {p.parent for suffix in SUFFIXES for p in TESTS.rglob(f"*{suffix}") if p.is_file()}
    )
    for directory in directories:
        files = {
            p.name: p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(directory.iterdir())
            if p.is_file() and p.name.endswith(SUFFIXES)
        }
        if files and sum(len(t) for t in files.values()) < 60_000:
            out.append((str(directory.relative_to(TESTS)), files))
    return out


MODULES = _rule_examples() + _fixture_projects()

PIECES = [
    "\n",
    "\n\n\n",
    "x",
    '"',
    "{",
    "}",
    "=",
    "0.0.0.0/0",
    "true",
    "false",
    "  count = 0\n",
    '  bucket = "acme-logs"\n',
    "# tfguard:ignore\n",
    "# tfguard:ignore[*]\n",
    'resource "aws_s3_bucket" "extra" {\n  bucket = "acme-extra"\n}\n',
    'resource "aws_s3_bucket_versioning" "extra" {\n  bucket = aws_s3_bucket.extra.id\n'
    '  versioning_configuration {\n    status = "Enabled"\n  }\n}\n',
    'resource "aws_s3_bucket_public_access_block" "extra" {\n'
    "  bucket                  = aws_s3_bucket.extra.id\n  block_public_acls       = true\n"
    "  block_public_policy     = true\n  ignore_public_acls      = true\n"
    "  restrict_public_buckets = true\n}\n",
    'resource "aws_security_group" "extra" {\n  ingress {\n    from_port   = 22\n'
    '    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [var.open]\n  }\n}\n',
    'resource "aws_security_group_rule" "extra" {\n  type              = "ingress"\n'
    '  from_port         = 0\n  to_port           = 65535\n  protocol          = "tcp"\n'
    '  cidr_blocks       = ["0.0.0.0/0"]\n  security_group_id = aws_security_group.extra.id\n}\n',
    'variable "open" {\n  default = "0.0.0.0/0"\n}\n',
    'locals {\n  open = "0.0.0.0/0"\n  enabled = false\n}\n',
    'resource "aws_kms_key" "extra" {\n  enable_key_rotation = local.enabled\n}\n',
    'data "aws_iam_policy_document" "extra" {\n  statement {\n    actions   = ["*"]\n'
    '    resources = ["*"]\n  }\n}\n',
    'output "extra" {\n  value = aws_s3_bucket.extra.arn\n}\n',
]

# An edit: which file, where (0..1 of it), how much to remove (lines at a line start, else
# characters), which piece to insert, and whether at a line start.
Edit = tuple[float, float, int, int, bool]


def _apply(files: dict[str, str], edit: Edit) -> tuple[str, str]:
    which, where, remove, piece, at_line = edit
    names = sorted(files)
    name = names[min(int(which * len(names)), len(names) - 1)]
    text = files[name]
    if at_line:
        lines = text.split("\n")
        at = min(int(where * len(lines)), len(lines))
        lines[at : at + remove] = PIECES[piece].split("\n")
        return name, "\n".join(lines)
    at = min(int(where * len(text)), len(text))
    return name, text[:at] + PIECES[piece] + text[at + remove :]


def _fingerprint(result: ModuleResult) -> object:
    return (
        {path: list(findings) for path, findings in sorted(result.findings.items())},
        sorted(result.rule_errors),
        sorted(result.file_errors.items()),
        {
            path: [(s.line, s.form, s.rule_ids, s.used) for s in found]
            for path, found in sorted(result.suppressions.items())
        },
    )


def _check_sequence(root: Path, files: dict[str, str], edits: list[Edit]) -> int:
    """Apply ``edits`` one by one; after each, the incremental engine's result must be the
    fresh engine's. Returns how many rule units the incremental engine reused."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    incremental = Engine()
    incremental.incremental = True
    current = dict(files)
    for name, text in current.items():
        incremental.set_overlay(str(root / name), text)
    reused = 0
    for step in [None, *edits]:
        if step is not None:
            name, text = _apply(current, step)
            current[name] = text
            incremental.set_overlay(str(root / name), text)
        fresh = Engine()
        for other, other_text in current.items():
            fresh.set_overlay(str(root / other), other_text)
        got = incremental.analyze_module(str(root))
        reused += incremental._rule_cache.stats.units_reused
        want = fresh.analyze_module(str(root))
        assert _fingerprint(got) == _fingerprint(want), f"after {step!r}"
    return reused


edits_strategy = st.lists(
    st.tuples(
        st.floats(0, 1),
        st.floats(0, 1),
        st.integers(0, 2),
        st.integers(0, len(PIECES) - 1),
        st.booleans(),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(module=st.sampled_from(MODULES), edits=edits_strategy)
def test_random_edits_give_the_from_scratch_result(
    tmp_path_factory: pytest.TempPathFactory,
    module: tuple[str, dict[str, str]],
    edits: list[Edit],
) -> None:
    _check_sequence(tmp_path_factory.mktemp("module"), module[1], edits)


def test_every_rule_example_and_fixture_survives_a_few_edits(tmp_path: Path) -> None:
    """Deterministic sweep: every module of the list gets three random edits."""
    chooser = random.Random(15)
    reused = 0
    for index, (_, files) in enumerate(MODULES):
        edits = [
            (
                chooser.random(),
                chooser.random(),
                chooser.randrange(3),
                chooser.randrange(len(PIECES)),
                chooser.random() < 0.5,
            )
            for _ in range(3)
        ]
        reused += _check_sequence(tmp_path / str(index), files, edits)
    assert reused > 0  # the comparison is of reused results, not of two fresh analyses


def test_an_edit_in_one_block_reruns_only_the_rules_that_read_it(tmp_path: Path) -> None:
    groups = "".join(
        f'resource "aws_security_group" "sg_{i}" {{\n  description = "group {i}"\n'
        f'  ingress {{\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n'
        f'    cidr_blocks = ["0.0.0.0/0"]\n  }}\n}}\n\n'
        f'resource "aws_s3_bucket" "b_{i}" {{\n  bucket = "acme-{i}"\n}}\n\n'
        for i in range(30)
    )
    main = tmp_path / "main.tf"
    main.write_text(groups, encoding="utf-8")
    engine = Engine()
    engine.incremental = True
    engine.set_overlay(str(main), groups)
    first = engine.analyze_module(str(tmp_path))
    assert engine._rule_cache.stats.units_reused == 0
    edited = groups.replace('"group 7"', '"group seven"')
    engine.set_overlay(str(main), edited)
    second = engine.analyze_module(str(tmp_path))
    stats = engine._rule_cache.stats
    # The security group rules re-check one group; the bucket rules reuse all 30 results.
    assert stats.units_reused > 30 * 3
    assert stats.units_run < 10
    assert len(second.all_findings()) == len(first.all_findings())
    # Lines inserted above everything: nothing re-runs, every finding moves down.
    moved = "\n\n" + edited
    engine.set_overlay(str(main), moved)
    third = engine.analyze_module(str(tmp_path))
    stats = engine._rule_cache.stats
    assert stats.findings_shifted == len(third.all_findings()) > 0
    assert [f.range.start.line for f in third.all_findings()] == [
        f.range.start.line + 2 for f in second.all_findings()
    ]


def test_a_changed_variable_starts_every_rule_afresh(tmp_path: Path) -> None:
    text = (
        'variable "cidr" {\n  default = "10.0.0.0/8"\n}\n\n'
        'resource "aws_security_group" "sg" {\n  ingress {\n    from_port   = 22\n'
        '    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [var.cidr]\n  }\n}\n'
    )
    main = tmp_path / "main.tf"
    main.write_text(text, encoding="utf-8")
    engine = Engine()
    engine.incremental = True
    engine.set_overlay(str(main), text)
    before = engine.analyze_module(str(tmp_path))
    assert "aws-ec2-no-public-ingress" not in {f.rule_id for f in before.all_findings()}
    engine.set_overlay(str(main), text.replace("10.0.0.0/8", "0.0.0.0/0"))
    after = engine.analyze_module(str(tmp_path))
    assert engine._rule_cache.stats.units_reused == 0
    assert "aws-ec2-no-public-ingress" in {f.rule_id for f in after.all_findings()}


def test_a_value_computed_once_is_a_read_for_every_rule_that_uses_it(tmp_path: Path) -> None:
    """A value computed once per analysis and reused (Module.cached_value) counts, for each
    unit of rule work that uses it, as a read of what computing it read."""
    text = (
        'resource "aws_kms_key" "k" {\n  description = "logs"\n}\n\n'
        'resource "aws_s3_bucket" "b" {\n  bucket = "acme-${aws_kms_key.k.description}"\n}\n'
    )
    main = tmp_path / "main.tf"
    main.write_text(text, encoding="utf-8")
    module = TrackedModule(str(tmp_path), {str(main): Engine().parsed(str(main))})
    expr = module.resources["aws_s3_bucket.b"].expr("bucket")
    assert expr is not None
    module.recorder.push()
    assert module.cached_value(expr) == "acme-logs"
    first = module.recorder.pop()
    module.recorder.push()
    assert module.cached_value(expr) == "acme-logs"  # computed once: reused
    second = module.recorder.pop()
    assert ("E", "aws_kms_key.k") in first.all_keys()
    assert ("E", "aws_kms_key.k") in second.all_keys()
    assert not second.keys  # by reference to the reads of the first computation
    module.recorder.push()
    assert [e.address for e in module.of_type("aws_kms_key")] == ["aws_kms_key.k"]
    assert ("T", "aws_kms_key") in module.recorder.pop().keys


def test_a_memo_entry_is_a_read_of_what_its_computation_read(tmp_path: Path) -> None:
    text = 'resource "aws_s3_bucket" "b" {\n  bucket = "acme"\n}\n'
    main = tmp_path / "main.tf"
    main.write_text(text, encoding="utf-8")
    module = TrackedModule(str(tmp_path), {str(main): Engine().parsed(str(main))})
    module.recorder.push()
    if "names" not in module.memo:
        module.memo["names"] = [e.name for e in module.of_type("aws_s3_bucket")]
    module.recorder.pop()
    module.recorder.push()
    assert module.memo["names"] == ["b"]
    later = module.recorder.pop()
    assert ("T", "aws_s3_bucket") in later.all_keys()


def test_rules_share_state_through_the_memo_only() -> None:
    """A per-analysis cache of a rule's own (keyed by the module) would hide what computing it
    read from the rules that reuse it: what rules share lives in ``module.memo``."""
    rules = Path(registry.__file__).parent
    offenders = [
        str(path.relative_to(rules))
        for path in sorted(rules.rglob("*.py"))
        if any(
            word in path.read_text(encoding="utf-8")
            for word in ("WeakKeyDictionary", "WeakValueDictionary", "import weakref")
        )
    ]
    assert offenders == [], "keep per-analysis state in module.memo: " + ", ".join(offenders)
