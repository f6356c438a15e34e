"""Module calls: a called module analysed with its call's arguments; what the arguments cause
is reported on the argument in the caller, and outputs flow back (tfguard.calls)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import write_files

from tfguard.cli import main
from tfguard.engine import Engine, ModuleResult, fixes_for
from tfguard.findings import Finding, Severity
from tfguard.rules import registry
from tfguard.rules.base import Context, Rule

INGRESS = "aws-ec2-no-public-ingress"
CALLER = """module "sg" {
  source = "./modules/sg"
  cidrs  = ["0.0.0.0/0"]
}
"""
CHILD = """variable "cidrs" { type = list(string) }
resource "aws_security_group" "this" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.cidrs
  }
}
"""


def of_rule(result: ModuleResult, rule_id: str = INGRESS) -> list[Finding]:
    return [f for f in result.all_findings() if f.rule_id == rule_id]


def at(finding: Finding) -> tuple[str, int, int, int, int]:
    r = finding.range
    return Path(finding.path).name, r.start.line, r.start.character, r.end.line, r.end.character


def analyse(root: Path, files: dict[str, str], directory: str = ".") -> ModuleResult:
    write_files(root, files)
    return Engine().analyze_module(str(root / directory))


def test_the_argument_that_opens_a_called_security_group_is_flagged(tmp_path: Path) -> None:
    result = analyse(tmp_path, {"main.tf": CALLER, "modules/sg/main.tf": CHILD})
    (finding,) = of_rule(result)
    assert at(finding) == ("main.tf", 2, 2, 2, 24)  # cidrs  = ["0.0.0.0/0"]
    assert finding.severity is Severity.CRITICAL
    assert finding.message == (
        "module.sg: aws_security_group.this allows ingress from 0.0.0.0/0 (the whole "
        "internet) on port 22 (from the argument cidrs)"
    )
    child = tmp_path / "modules" / "sg" / "main.tf"
    first = finding.related[0]  # then where the values came from, if known
    assert (first.path, first.range.start.line) == (str(child), 6)
    assert first.message == "aws_security_group.this in ./modules/sg"
    assert finding.data["address"] == "module.sg.aws_security_group.this"
    assert finding.data["via"] == ["module.sg"]
    assert fixes_for(result, finding) == []  # the value to pass is the author's choice
    assert result.dependencies == (str(tmp_path / "modules" / "sg"),)
    # The module on its own has nothing to report: the range is unknown there.
    assert of_rule(Engine().analyze_module(str(child.parent))) == []
    # A private range passed: nothing.
    private = CALLER.replace("0.0.0.0/0", "10.0.0.0/8")
    assert of_rule(analyse(tmp_path, {"main.tf": private})) == []


def test_tfguard_scan_reports_it_on_the_caller(tmp_path: Path, capsys, monkeypatch) -> None:
    write_files(tmp_path, {"main.tf": CALLER, "modules/sg/main.tf": CHILD})
    monkeypatch.chdir(tmp_path)
    assert main(["scan", ".", "--format", "json", "--no-progress"]) == 1
    report = json.loads(capsys.readouterr().out)
    ingress = [f for f in report["findings"] if f["rule"] == INGRESS]
    assert [(f["path"], f["range"]["start"]["line"]) for f in ingress] == [("main.tf", 3)]


def test_a_finding_that_holds_for_any_input_stays_in_the_called_module(tmp_path: Path) -> None:
    child = CHILD.replace("var.cidrs", '["0.0.0.0/0"]')
    callers = CALLER + CALLER.replace('"sg"', '"sg2"')
    result = analyse(tmp_path, {"main.tf": callers, "modules/sg/main.tf": child})
    assert of_rule(result) == []  # not once per call in the caller
    alone = Engine().analyze_module(str(tmp_path / "modules" / "sg"))
    assert [at(f) for f in of_rule(alone)] == [("main.tf", 6, 4, 6, 31)]


def test_count_and_for_each_instances_get_their_own_arguments(tmp_path: Path) -> None:
    caller = """variable "ranges" {
  default = { dev = "10.0.0.0/8", prod = "0.0.0.0/0" }
}
module "per_env" {
  source   = "./modules/sg"
  for_each = var.ranges
  cidrs    = [each.value]
}
module "twice" {
  source = "./modules/sg"
  count  = 2
  cidrs  = count.index == 1 ? ["0.0.0.0/0"] : ["10.1.0.0/16"]
}
module "none" {
  source = "./modules/sg"
  count  = 0
  cidrs  = ["0.0.0.0/0"]
}
"""
    result = analyse(tmp_path, {"main.tf": caller, "modules/sg/main.tf": CHILD})
    messages = sorted(f.message.split(":")[0] for f in of_rule(result))
    assert messages == ['module.per_env["prod"]', "module.twice[1]"]
    same = caller.replace('count.index == 1 ? ["0.0.0.0/0"] : ["10.1.0.0/16"]', '["::/0"]')
    same = same.replace('"0.0.0.0/0" }', '"10.2.0.0/16" }')
    (merged,) = of_rule(analyse(tmp_path, {"main.tf": same}))
    assert merged.message.startswith("module.twice[0], module.twice[1]: ")  # one finding


def test_nested_calls_are_followed_and_cycles_stopped(tmp_path: Path) -> None:
    files = {
        "main.tf": 'module "app" {\n  source = "./modules/app"\n  open   = "0.0.0.0/0"\n}\n',
        "modules/app/main.tf": (
            'variable "open" {}\n'
            "locals { ranges = [var.open] }\n"
            'module "firewall" {\n  source = "../sg"\n  cidrs  = local.ranges\n}\n'
            # a module that calls its caller: not followed again
            'module "loop" {\n  source = "../loop"\n}\n'
        ),
        "modules/loop/main.tf": 'module "back" {\n  source = "../app"\n}\n',
        "modules/sg/main.tf": CHILD,
    }
    result = analyse(tmp_path, files)
    (finding,) = of_rule(result)
    assert at(finding) == ("main.tf", 2, 2, 2, 22)
    assert finding.message.startswith(
        "module.app → module.firewall: aws_security_group.this allows ingress"
    )
    assert finding.data["address"] == "module.app.module.firewall.aws_security_group.this"
    paths = [Path(r.path).relative_to(tmp_path).as_posix() for r in finding.related]
    assert paths[:2] == ["modules/app/main.tf", "modules/sg/main.tf"]
    assert not result.rule_errors


def test_outputs_flow_back_to_the_caller(tmp_path: Path) -> None:
    files = {
        "main.tf": """module "net" {
  source = "./modules/net"
  admin  = "0.0.0.0/0"
}
resource "aws_security_group" "root" {
  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [module.net.admin_range]
  }
}
""",
        "modules/net/main.tf": (
            'variable "admin" {}\noutput "admin_range" { value = var.admin }\n'
        ),
    }
    result = analyse(tmp_path, files)
    (finding,) = of_rule(result)
    assert at(finding) == ("main.tf", 9, 4, 9, 42)
    assert "aws_security_group.root allows ingress from 0.0.0.0/0" in finding.message


def test_a_callers_public_access_block_is_linked_to_the_bucket_a_module_creates(
    tmp_path: Path,
) -> None:
    files = {
        "main.tf": """variable "name" { default = "not-the-module-s" }
module "bucket" {
  source = "./modules/bucket"
}
resource "aws_s3_bucket_public_access_block" "b" {
  bucket                  = module.bucket.id
  block_public_acls       = true
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket_acl" "b" {
  bucket = module.bucket.id
  acl    = "public-read"
}
""",
        "modules/bucket/main.tf": """variable "name" { default = "acme-data" }
resource "aws_s3_bucket" "this" {
  bucket = var.name
}
output "id" { value = try(aws_s3_bucket.this.id, "") }
""",
    }
    result = analyse(tmp_path, files)
    child = str(tmp_path / "modules" / "bucket" / "main.tf")
    (flag,) = of_rule(result, "aws-s3-public-access-block")
    assert "block_public_policy = false" in flag.message
    assert (child, 1, "the bucket module.bucket.aws_s3_bucket.this") in [
        (r.path, r.range.start.line, r.message) for r in flag.related
    ]
    (acl,) = of_rule(result, "aws-s3-no-public-acl")
    # ignore_public_acls of the caller's block covers the module's bucket.
    assert acl.severity is Severity.LOW and "ignore_public_acls is on" in acl.message
    assert result.module is not None
    (bucket,) = result.module.targets(result.module.resources["aws_s3_bucket_acl.b"].expr("bucket"))
    assert bucket.address == "module.bucket.aws_s3_bucket.this"
    # Its arguments are the module's values, whatever the caller's variables say.
    assert result.module.attr_value(bucket, "bucket") == "acme-data"


def test_installed_registry_modules_are_read_and_never_downloaded(tmp_path: Path) -> None:
    caller = CALLER.replace('"./modules/sg"', '"acme/sg/aws"\n  version = "1.0.0"')
    files = {"main.tf": caller, ".terraform/modules/sg/main.tf": CHILD}
    assert of_rule(analyse(tmp_path, files)) == []  # not installed: nothing to read
    manifest = {
        "Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {
                "Key": "sg",
                "Source": "registry/acme/sg/aws",
                "Version": "1.0.0",
                "Dir": ".terraform/modules/sg",
            },
        ]
    }
    write_files(tmp_path, {".terraform/modules/modules.json": json.dumps(manifest)})
    (finding,) = of_rule(Engine().analyze_module(str(tmp_path)))
    assert at(finding) == ("main.tf", 3, 2, 3, 24)


@pytest.mark.parametrize(
    "files",
    [
        # in the caller, above the argument
        {
            "main.tf": CALLER.replace(
                "  cidrs", "  # tfguard:ignore:aws-ec2-no-public-ingress\n  cidrs"
            )
        },
        # in the called module, on the resource
        {
            "modules/sg/main.tf": CHILD.replace(
                "    cidr_blocks", "    # tfguard:ignore:aws-ec2-no-public-ingress\n    cidr_blocks"
            )
        },
    ],
)
def test_suppressions_in_the_caller_or_the_called_module_apply(
    tmp_path: Path, files: dict[str, str]
) -> None:
    write_files(tmp_path, {"main.tf": CALLER, "modules/sg/main.tf": CHILD})
    assert of_rule(analyse(tmp_path, files)) == []


def test_an_argument_whose_value_is_unknown_reports_nothing(tmp_path: Path) -> None:
    caller = 'variable "ranges" {}\n' + CALLER.replace('["0.0.0.0/0"]', "var.ranges")
    assert of_rule(analyse(tmp_path, {"main.tf": caller, "modules/sg/main.tf": CHILD})) == []


def test_the_argument_a_finding_exists_for_is_told_by_leaving_each_one_out(
    tmp_path: Path,
) -> None:
    # The group exists only when `enabled` is passed true: the finding is on `enabled`, not on
    # the arguments that come first or that the flagged attribute refers to.
    child = 'variable "enabled" { default = false }\nvariable "name" {}\n' + CHILD.replace(
        'resource "aws_security_group" "this" {',
        'resource "aws_security_group" "this" {\n  count = var.enabled ? 1 : 0\n  name  = var.name',
    ).replace("var.cidrs", '["0.0.0.0/0"]').replace(
        'variable "cidrs" { type = list(string) }\n', ""
    )
    caller = 'module "sg" {\n  source  = "./modules/sg"\n  name    = "web"\n  enabled = true\n}\n'
    (finding,) = of_rule(analyse(tmp_path, {"main.tf": caller, "modules/sg/main.tf": child}))
    assert at(finding) == ("main.tf", 3, 2, 3, 16)
    assert finding.message.endswith("(from the argument enabled)")


def test_editing_a_called_module_changes_the_callers_findings(tmp_path: Path) -> None:
    write_files(tmp_path, {"main.tf": CALLER, "modules/sg/main.tf": CHILD})
    engine = Engine()
    assert len(of_rule(engine.analyze_module(str(tmp_path)))) == 1
    assert len(of_rule(engine.analyze_module(str(tmp_path)))) == 1  # from the cache
    child = str(tmp_path / "modules" / "sg" / "main.tf")
    engine.set_overlay(child, CHILD.replace("var.cidrs", '["10.0.0.0/8"]'))
    assert of_rule(engine.analyze_module(str(tmp_path))) == []
    engine.drop_overlay(child)
    assert len(of_rule(engine.analyze_module(str(tmp_path)))) == 1


def test_following_calls_can_be_turned_off(tmp_path: Path) -> None:
    write_files(tmp_path, {"main.tf": CALLER, "modules/sg/main.tf": CHILD})
    engine = Engine()
    engine.follow_module_calls = False
    result = engine.analyze_module(str(tmp_path))
    assert of_rule(result) == [] and result.dependencies == ()


class _ReportsOnTheLinkedBucket(Rule):
    """A rule that reports on the bucket an ACL names (a resource of another module)."""

    id = "test-linked-bucket"
    title = "test"
    severity = Severity.LOW
    rationale = remediation = bad_example = good_example = ""

    def check(self, ctx: Context) -> Iterator[Finding]:
        for acl in ctx.module.of_type("aws_s3_bucket_acl"):
            for bucket in ctx.module.targets(acl.expr("bucket")):
                yield ctx.report(bucket, bucket.block, f"{bucket.address} is linked")


def test_a_finding_on_a_called_modules_resource_is_shown_on_the_call(
    tmp_path: Path, monkeypatch
) -> None:
    everything = registry.all_rules()
    monkeypatch.setattr(registry, "all_rules", lambda: [*everything, _ReportsOnTheLinkedBucket()])
    files = {
        "main.tf": 'module "bucket" {\n  source = "./modules/bucket"\n}\n'
        'resource "aws_s3_bucket_acl" "b" {\n  bucket = module.bucket.id\n  acl = "private"\n}\n',
        "modules/bucket/main.tf": 'resource "aws_s3_bucket" "this" {\n  bucket = "b"\n}\n'
        'output "id" { value = aws_s3_bucket.this.id }\n',
    }
    result = analyse(tmp_path, files)
    (finding,) = of_rule(result, "test-linked-bucket")
    assert at(finding) == ("main.tf", 0, 0, 0, 15)  # module "bucket"
    assert finding.message.startswith("module.bucket.aws_s3_bucket.this is linked")
    assert finding.related[0].path == str(tmp_path / "modules" / "bucket" / "main.tf")
    assert set(result.findings) == {str(tmp_path / "main.tf")}  # nothing in the module's file


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_reports_the_callers_of_a_changed_module(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    private = CHILD.replace("var.cidrs", '["10.0.0.0/8"]')
    write_files(
        tmp_path,
        {
            "live/main.tf": CALLER.replace("./modules", "../modules"),
            "modules/sg/main.tf": private,
            "other/main.tf": "locals {}\n",
        },
    )
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)
    (tmp_path / "modules" / "sg" / "main.tf").write_text(CHILD)  # now uses the argument
    monkeypatch.chdir(tmp_path)
    code = main(["scan", "--changed-since", "HEAD", "--format", "json", "--no-progress"])
    report = json.loads(capsys.readouterr().out)
    ingress = [f["path"] for f in report["findings"] if f["rule"] == INGRESS]
    assert code == 1 and ingress == ["live/main.tf"]  # the caller, though it did not change
