"""Start-up: the shipped parser tables and the rule catalogue are current (each is written
again here when it is not, and the test then fails so that the new file gets committed), and
what they let a start skip is really skipped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tfguard import hclparse
from tfguard.rules import registry

SAMPLE = 'resource "aws_s3_bucket" "b" {\n  bucket = "x-${var.a}"\n  tags   = { a = [1, 2] }\n}\n'


def test_the_shipped_parser_is_for_the_installed_grammar() -> None:
    current = hclparse.SHIPPED_PARSER.read_bytes().partition(b"\n")[0]
    if current != hclparse.shipped_key():
        hclparse.write_shipped_parser()
        raise AssertionError(
            f"{hclparse.SHIPPED_PARSER.name} was for another grammar ({current.decode()}): "
            "written again, commit it"
        )
    shipped = hclparse._shipped()
    assert shipped is not None
    built = hclparse.Lark.open("hcl2.lark", **hclparse._options())
    assert shipped.parse(SAMPLE) == built.parse(SAMPLE)


def test_the_rule_catalogue_is_current() -> None:
    wanted = {"sources": registry.sources_digest(), "rules": registry.index_entries()}
    current = json.loads(registry.INDEX.read_text(encoding="utf-8"))
    if current != wanted:
        registry.write_index()
        raise AssertionError(f"{registry.INDEX.name} was stale: written again, commit it")


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


def test_a_lookup_by_id_or_alias_imports_one_rule_module() -> None:
    out = _run(
        "import sys\n"
        "from tfguard.rules import registry\n"
        "rule = registry.get('CKV_AWS_20')\n"
        "print(rule.id)\n"
        "print(registry.get('syntax'))\n"
        "print(sum(1 for m in sys.modules if m.startswith('tfguard.rules.aws.aws_')))\n"
        "print(any(r is rule for r in registry.all_rules()))\n"
    ).split()
    assert out[0] == "aws-s3-no-public-acl"
    assert out[1] == "None"  # a name no rule has is answered without importing them all
    assert int(out[2]) < 5
    assert out[3] == "True"  # one instance of each rule, however it was found


def test_version_imports_nothing_of_the_scanner() -> None:
    out = _run(
        "import runpy, sys, io, contextlib\n"
        "sys.argv = ['tfguard', '--version']\n"
        "buffer = io.StringIO()\n"
        "with contextlib.redirect_stdout(buffer):\n"
        "    try:\n"
        "        runpy.run_module('tfguard', run_name='__main__')\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(buffer.getvalue().strip())\n"
        "print(sorted(m for m in sys.modules if m.startswith(('tfguard.', 'lark', 'hcl2'))))\n"
    ).splitlines()
    assert out[0].startswith("tfguard ")
    assert out[1] == "[]"


def test_a_stale_catalogue_costs_a_full_import_never_a_wrong_rule(tmp_path: Path) -> None:
    stale = tmp_path / "index.json"
    entries = registry.index_entries()
    # The catalogue says the public-ACL rule lives where the versioning rule does.
    for entry in entries:
        if entry["id"] == "aws-s3-no-public-acl":
            entry["module"] = "tfguard.rules.aws.aws_s3_versioning"
            entry["class"] = "S3Versioning"
    stale.write_text(json.dumps({"sources": "stale", "rules": entries}), encoding="utf-8")
    out = _run(
        "from pathlib import Path\n"
        "from tfguard.rules import registry\n"
        f"registry.INDEX = Path({str(stale)!r})\n"
        "print(registry.get('aws-s3-no-public-acl').id)\n"
        "print(registry.get('no-such-rule'))\n"
    ).split()
    assert out == ["aws-s3-no-public-acl", "None"]
