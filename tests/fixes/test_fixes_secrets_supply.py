"""Quick fixes of the secret, IAM, state/backend and supply-chain rules: the exact edits of
each named fix, the multi-file fixes, and the cases where no fix is offered.

Every fix a test obtains also goes through the property check of ``tests/test_fixes.py``
(the result parses, the finding is gone, no new finding, untouched lines byte-identical)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from tests.conftest import write_files
from tests.test_fixes import check_fix

from tfguard.engine import Engine, ModuleResult, fixes_for
from tfguard.findings import Finding
from tfguard.fixer import fix_module
from tfguard.fixes import Fix, apply_edits
from tfguard.rules import registry
from tfguard.rules.base import Rule

RULES_DIR = Path(__file__).parent.parent / "rules"
SHA = "5d4a3f0c9b8e7d6c5b4a39281706f5e4d3c2b1a0"
OTHER_SHA = "0123456789abcdef0123456789abcdef01234567"


def rule(rule_id: str) -> Rule:
    found = registry.get(rule_id)
    assert found is not None
    return found


def scan(folder: Path, files: dict[str, str | bytes]) -> ModuleResult:
    write_files(folder, files)
    return Engine().analyze_module(str(folder))


def of_rule(result: ModuleResult, rule_id: str) -> list[Finding]:
    return [f for f in result.all_findings() if f.rule_id == rule_id]


def checked(folder: Path, result: ModuleResult, finding: Finding) -> list[Fix]:
    """The fixes of a finding, each verified by the property check."""
    fixes = fixes_for(result, finding)
    if any(f.preferred for f in fixes):  # the fix tools apply comes first
        assert fixes[0].preferred
    for fix in fixes:
        check_fix(str(folder), rule(finding.rule_id), finding, fix, result)
    return fixes


def only_fixes(folder: Path, files: dict[str, str | bytes], rule_id: str) -> list[Fix]:
    result = scan(folder, files)
    [finding] = of_rule(result, rule_id)
    return checked(folder, result, finding)


def after(folder: Path, fix: Fix) -> ModuleResult:
    """The module analysed with the fix applied (in overlays; the files stay as they are)."""
    engine = Engine()
    for name, text in applied(fix).items():
        engine.set_overlay(str(folder / name), text)
    return engine.analyze_module(str(folder))


def applied(fix: Fix) -> dict[str, str]:
    """File name → its text after the fix, for every file the fix touches."""
    out: dict[str, str] = {}
    for path in sorted(fix.paths):
        source = Path(path)
        before = source.read_bytes().decode("utf-8") if source.exists() else ""
        out[source.name] = apply_edits(before, [e for e in fix.edits if e.path == path])
    return out


# -- password -> password_wo -------------------------------------------------------------------

DB = """resource "aws_db_instance" "app" {
  identifier        = "app"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  username          = "app"
  password          = %s
}
"""


def test_password_becomes_write_only_with_its_version(tmp_path: Path) -> None:
    [fix] = only_fixes(tmp_path, {"main.tf": DB % "var.db_password"}, WRITE_ONLY)
    assert fix.title == (
        "Use the write-only password_wo (needs Terraform >= 1.11; resets the password of an "
        "existing resource unless handled)"
    )
    assert applied(fix) == {
        "main.tf": """resource "aws_db_instance" "app" {
  identifier        = "app"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  username          = "app"
  # Write-only: kept out of the state (needs Terraform >= 1.11). On an existing resource
  # the next apply resets the password (some AWS provider releases leave it empty):
  # check it afterwards, and bump password_wo_version to send this value again.
  password_wo         = var.db_password
  password_wo_version = 1
}
"""
    }


WRITE_ONLY = "aws-secret-argument-write-only"
EPHEMERAL = "terraform-random-password-not-ephemeral"
RESET_COMMENT = (
    "  # Write-only, from an ephemeral password (needs Terraform >= 1.11). On an existing\n"
    "  # resource the next apply RESETS the password to a new random value kept in no\n"
    "  # state: store it in the same run (secret_string_wo) or plan it with its users.\n"
)


def test_literal_password_also_gets_the_ephemeral_pattern(tmp_path: Path) -> None:
    same, full = only_fixes(tmp_path, {"main.tf": DB % '"Sup3r-S3cret-2024"'}, WRITE_ONLY)
    assert 'password_wo         = "Sup3r-S3cret-2024"' in applied(same)["main.tf"]
    assert full.title == (
        "Use password_wo from a new ephemeral random_password (needs Terraform >= 1.11; "
        "RESETS the password of an existing resource to a new random value)"
    )
    assert applied(full) == {
        "main.tf": """ephemeral "random_password" "app_password" {
  length           = 30
  min_lower        = 1
  min_upper        = 1
  min_numeric      = 1
  override_special = "!#$%&*()-_=+[]{}<>:?"
}

resource "aws_db_instance" "app" {
  identifier        = "app"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  username          = "app"
"""
        + RESET_COMMENT
        + """  password_wo         = ephemeral.random_password.app_password.result
  password_wo_version = 1
}
"""
    }


GENERATOR = """resource "random_password" "db" {
  length  = 32
  special = true
}

"""


def test_managed_random_password_is_turned_ephemeral(tmp_path: Path) -> None:
    files = {"main.tf": GENERATOR + DB % "random_password.db.result"}
    _same, full = only_fixes(tmp_path, files, WRITE_ONLY)
    assert full.title.startswith("Make random_password.db ephemeral and feed password_wo ")
    assert applied(full)["main.tf"] == (
        'ephemeral "random_password" "db" {\n'
        + GENERATOR.split("\n", 1)[1]
        + (DB % "random_password.db.result").replace(
            "  password          = random_password.db.result\n",
            RESET_COMMENT
            + "  password_wo         = ephemeral.random_password.db.result\n"
            + "  password_wo_version = 1\n",
        )
    )


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        (
            'output "db_password" {\n  value     = random_password.db.result\n'
            "  sensitive = true\n}\n",
            "an output reads the generator: a new ephemeral value would differ from it",
        ),
        (
            'resource "aws_ssm_parameter" "p" {\n  name  = "p"\n  type  = "String"\n'
            "  value = random_password.db.bcrypt_hash\n}\n",
            "another attribute of the generator is read",
        ),
        (
            "locals {\n  pw = random_password.db.result\n}\n",
            "a local reads it",
        ),
    ],
    ids=["output", "other-attribute", "local"],
)
def test_no_ephemeral_pattern_when_something_else_reads_the_generator(
    tmp_path: Path, extra: str, why: str
) -> None:
    files = {"main.tf": GENERATOR + DB % "random_password.db.result" + "\n" + extra}
    fixes = only_fixes(tmp_path, files, WRITE_ONLY)
    assert [f.title.split(" (")[0] for f in fixes] == ["Use the write-only password_wo"], why


@pytest.mark.parametrize(
    "files",
    [
        {"versions.tf": 'terraform {\n  required_providers {\n    random = "~> 3.6.0"\n  }\n}\n'},
        {
            ".terraform.lock.hcl": 'provider "registry.terraform.io/hashicorp/random" {\n'
            '  version = "3.6.3"\n}\n'
        },
    ],
    ids=["constraint", "lock-file"],
)
def test_no_ephemeral_pattern_without_a_random_provider_that_has_it(
    tmp_path: Path, files: dict[str, str | bytes]
) -> None:
    fixes = only_fixes(tmp_path, {"main.tf": DB % '"Sup3r-S3cret-2024"', **files}, WRITE_ONLY)
    assert len(fixes) == 1 and "ephemeral" not in fixes[0].title


@pytest.mark.parametrize(
    "files",
    [
        {"versions.tf": 'terraform {\n  required_providers {\n    aws = "~> 5.40.0"\n  }\n}\n'},
        {
            "versions.tf": "terraform {\n  required_providers {\n    aws = {\n"
            '      source  = "hashicorp/aws"\n      version = "< 5.88"\n    }\n  }\n}\n'
        },
        {
            ".terraform.lock.hcl": 'provider "registry.terraform.io/hashicorp/aws" {\n'
            '  version = "5.87.0"\n}\n'
        },
    ],
    ids=["legacy-constraint", "object-constraint", "lock-file"],
)
def test_no_write_only_fix_with_an_aws_provider_without_it(
    tmp_path: Path, files: dict[str, str | bytes]
) -> None:
    assert only_fixes(tmp_path, {"main.tf": DB % "var.db_password", **files}, WRITE_ONLY) == []
    generator = {"main.tf": GENERATOR + DB % "random_password.db.result", **files}
    result = scan(tmp_path, generator)
    [finding] = of_rule(result, EPHEMERAL)
    assert fixes_for(result, finding) == []


def test_a_recent_aws_provider_keeps_the_fix(tmp_path: Path) -> None:
    lock = 'provider "registry.terraform.io/hashicorp/aws" {\n  version = "6.2.0"\n}\n'
    files: dict[str, str | bytes] = {"main.tf": DB % "var.db_password", ".terraform.lock.hcl": lock}
    assert len(only_fixes(tmp_path, files, WRITE_ONLY)) == 1


def test_keepers_have_no_ephemeral_form(tmp_path: Path) -> None:
    generator = GENERATOR.replace("  special = true\n", '  keepers = { id = "1" }\n')
    fixes = only_fixes(
        tmp_path, {"main.tf": generator + DB % "random_password.db.result"}, WRITE_ONLY
    )
    assert len(fixes) == 1


@pytest.mark.parametrize(
    ("constraint", "reported", "offered"),
    [
        (None, True, True),
        ('">= 1.11"', True, True),
        ('"~> 1.12"', True, True),
        ('">= 1.5"', True, False),  # 1.5 to 1.10 would reject password_wo
        ('"~> 1.9.0"', False, False),  # forbids 1.11: nothing to report, nothing to fix
        ('"< 1.11"', False, False),
    ],
)
def test_write_only_fix_needs_every_allowed_release_to_have_it(
    tmp_path: Path, constraint: str | None, reported: bool, offered: bool
) -> None:
    version = f"terraform {{\n  required_version = {constraint}\n}}\n\n" if constraint else ""
    result = scan(tmp_path, {"main.tf": version + DB % '"Sup3r-S3cret-2024"'})
    found = of_rule(result, WRITE_ONLY)
    assert bool(found) is reported
    fixes = [fix for f in found for fix in checked(tmp_path, result, f)]
    assert bool(fixes) is offered
    if offered:
        assert all("Terraform >= 1.11" in fix.title for fix in fixes)


@pytest.mark.parametrize(
    ("reader", "offered"),
    [
        ("value     = aws_db_instance.app.password", False),
        ("value     = aws_db_instance.app", False),
        ("value     = aws_db_instance.app.endpoint", True),
        ("depends_on = [aws_db_instance.app]\n  value      = 1", True),
    ],
    ids=["argument", "whole-object", "other-attribute", "depends-on"],
)
def test_no_rename_when_the_argument_is_read(tmp_path: Path, reader: str, offered: bool) -> None:
    output = f'output "db" {{\n  {reader}\n  sensitive = true\n}}\n'
    fixes = only_fixes(tmp_path, {"main.tf": DB % "var.db_password" + output}, WRITE_ONLY)
    assert bool(fixes) is offered


def test_one_line_block_gets_no_rename(tmp_path: Path) -> None:
    files = {"main.tf": 'resource "aws_db_instance" "app" { password = var.db_password }\n'}
    assert only_fixes(tmp_path, files, WRITE_ONLY) == []


# -- terraform-random-password-not-ephemeral ------------------------------------------------


def test_generator_and_all_its_plain_readers_move_together(tmp_path: Path) -> None:
    secret = """
resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = "app/db"
  secret_string = jsonencode({ password = random_password.db.result })
}
"""
    files = {"main.tf": GENERATOR + DB % "random_password.db.result" + secret}
    result = scan(tmp_path, files)
    [finding] = of_rule(result, EPHEMERAL)
    [fix] = checked(tmp_path, result, finding)
    assert fix.title == (
        "Make random_password.db ephemeral and feed aws_db_instance.app.password_wo, "
        "aws_secretsmanager_secret_version.db.secret_string_wo (needs Terraform >= 1.11; "
        "RESETS the password of existing resources to a new random value)"
    )
    text = applied(fix)["main.tf"]
    assert text.startswith('ephemeral "random_password" "db" {\n')
    assert (
        "  # state; aws_secretsmanager_secret_version.db gets the same value in that apply.\n"
        "  password_wo         = ephemeral.random_password.db.result\n"
        "  password_wo_version = 1\n"
    ) in text
    assert (
        "  # state; aws_db_instance.app gets the same value in that apply.\n"
        "  secret_string_wo         = jsonencode({ password = ephemeral.random_password.db.result"
        " })\n"
        "  secret_string_wo_version = 1\n"
    ) in text
    # The write-only finding of the database is fixed by the same edit.
    assert len(of_rule(result, WRITE_ONLY)) == 2
    assert of_rule(after(tmp_path, fix), WRITE_ONLY) == []


def test_write_only_readers_keep_their_password(tmp_path: Path) -> None:
    files = {"main.tf": rule(EPHEMERAL).bad_example.lstrip("\n")}
    [fix] = only_fixes(tmp_path, files, EPHEMERAL)
    assert fix.title == (
        "Make random_password.db ephemeral (needs Terraform >= 1.11; existing resources keep "
        "their password until their _wo_version is bumped)"
    )
    assert applied(fix)["main.tf"] == files["main.tf"].replace(
        'resource "random_password"', 'ephemeral "random_password"'
    ).replace("= random_password.db.result", "= ephemeral.random_password.db.result")


def test_mixed_readers_would_get_different_passwords(tmp_path: Path) -> None:
    secret = """
resource "aws_secretsmanager_secret_version" "db" {
  secret_id                = "app/db"
  secret_string_wo         = random_password.db.result
  secret_string_wo_version = 1
}
"""
    files = {"main.tf": GENERATOR + DB % "random_password.db.result" + secret}
    assert only_fixes(tmp_path, files, EPHEMERAL) == []


# -- literal secret -> var -----------------------------------------------------------------

LITERAL = "terraform-secret-literal"
NEW_VARIABLE = """variable "app_password" {
  type        = string
  sensitive   = true
  description = "Secret for aws_db_instance.app password; the literal it replaced must be rotated"
}
"""


def test_literal_moves_to_a_new_variables_file(tmp_path: Path) -> None:
    [fix] = only_fixes(tmp_path, {"main.tf": DB % '"Sup3r-S3cret-2024"'}, LITERAL)
    assert fix.title == (
        "Move the secret to a new sensitive variable var.app_password (no default: set it at "
        "run time, and rotate the old value)"
    )
    assert applied(fix) == {
        "main.tf": DB % "var.app_password",
        "variables.tf": NEW_VARIABLE,
    }


def test_literal_variable_is_appended_under_a_free_name(tmp_path: Path) -> None:
    existing = 'variable "app_password" {\r\n  type = string\r\n}\r\n'
    files: dict[str, str | bytes] = {
        "main.tf": DB % '"Sup3r-S3cret-2024"',
        "variables.tf": existing,
        "terraform.tfvars": 'app_password_2 = ""\n',
    }
    [fix] = only_fixes(tmp_path, files, LITERAL)
    renamed = NEW_VARIABLE.replace("app_password", "app_password_3")
    assert applied(fix) == {
        "main.tf": DB % "var.app_password_3",
        "variables.tf": existing + "\r\n" + renamed.replace("\n", "\r\n"),
    }


def test_new_variables_file_takes_the_line_endings_of_the_module(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"main.tf": (DB % '"Sup3r-S3cret-2024"').replace("\n", "\r\n")}
    [fix] = only_fixes(tmp_path, files, LITERAL)
    assert applied(fix)["variables.tf"] == NEW_VARIABLE.replace("\n", "\r\n")


def test_literal_local_keeps_its_name(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "main.tf": 'locals {\n  api_token = "tok_9f8e7d6c5b4a39281706" # rotate me\n}\n'
    }
    [fix] = only_fixes(tmp_path, files, LITERAL)
    assert applied(fix) == {
        "main.tf": "locals {\n  api_token = var.api_token # rotate me\n}\n",
        "variables.tf": 'variable "api_token" {\n'
        "  type        = string\n"
        "  sensitive   = true\n"
        '  description = "Secret for local.api_token; the literal it replaced must be rotated"\n'
        "}\n",
    }


def test_fix_all_declares_one_variable_per_literal(tmp_path: Path) -> None:
    write_files(tmp_path, {"main.tf": rule(LITERAL).bad_example.lstrip("\n")})
    outcome = fix_module(Engine(), str(tmp_path), rules={LITERAL})
    assert not outcome.rejected
    variables = outcome.after[str(tmp_path / "variables.tf")]
    assert variables.count('variable "app_password"') == 1
    assert variables.count('variable "api_token"') == 1
    assert "password          = var.app_password\n" in outcome.after[str(tmp_path / "main.tf")]


@pytest.mark.parametrize(
    ("files", "why"),
    [
        (
            {
                "main.tf": 'variable "grafana_admin_password" {\n  type = string\n}\n',
                "terraform.tfvars": 'grafana_admin_password = "hunter2hunter2"\n',
            },
            "a .tfvars file holds values, not references",
        ),
        (
            {
                "main.tf": 'variable "grafana" {\n  default = { admin_password = "hunter2hunter2"'
                " }\n}\n"
            },
            "a variable default cannot refer to another variable",
        ),
        (
            {
                "main.tf": 'locals {\n  db_password = "Sup3r-S3cret-2024"\n}\n\n'
                'output "dsn" {\n  value = "postgres://app:${local.db_password}@db/app"\n}\n'
            },
            "an output not marked sensitive would make Terraform reject the sensitive value",
        ),
        (
            {
                "main.tf": 'locals {\n  passwords = ["Sup3r-S3cret-2024"]\n}\n\n'
                'resource "aws_ssm_parameter" "p" {\n  for_each = toset(local.passwords)\n'
                '  name     = "p"\n  type     = "SecureString"\n  value    = each.value\n}\n'
            },
            "for_each cannot take a sensitive value",
        ),
        (
            {
                "main.tf": 'module "db" {\n  source   = "./db"\n  password = "Sup3r-S3cret-2024"'
                '\n}\n\noutput "endpoint" {\n  value = module.db.endpoint\n}\n'
            },
            "a module output derived from the input would turn sensitive",
        ),
    ],
    ids=["tfvars", "variable-default", "plain-output", "for-each", "module-output"],
)
def test_no_variable_fix_where_it_cannot_work(
    tmp_path: Path, files: dict[str, str | bytes], why: str
) -> None:
    result = scan(tmp_path, files)
    found = of_rule(result, LITERAL)
    assert found, why
    assert [fix for f in found for fix in fixes_for(result, f)] == [], why


def test_depends_on_does_not_block_the_variable_fix(tmp_path: Path) -> None:
    output = 'output "ready" {\n  value      = true\n  depends_on = [aws_db_instance.app]\n}\n'
    files: dict[str, str | bytes] = {"main.tf": DB % '"Sup3r-S3cret-2024"' + output}
    [fix] = only_fixes(tmp_path, files, LITERAL)
    assert "password          = var.app_password\n" in applied(fix)["main.tf"]


def test_a_sensitive_output_does_not_block_the_variable_fix(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "main.tf": 'locals {\n  db_password = "Sup3r-S3cret-2024"\n}\n\n'
        'output "dsn" {\n  value     = "postgres://app:${local.db_password}@db/app"\n'
        "  sensitive = true\n}\n"
    }
    [fix] = only_fixes(tmp_path, files, LITERAL)
    assert "db_password = var.db_password\n" in applied(fix)["main.tf"]


# -- supply chain: what terraform init recorded -----------------------------------------------

REGISTRY = "terraform-module-registry-version"
GIT_REF = "terraform-module-git-ref"
PROVIDER = "terraform-provider-version-constraint"
REQUIRED = "terraform-required-version"
VPC = 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n\n  name = "main"\n}\n'


def manifest(*records: tuple[str, str, str | None]) -> str:
    """A .terraform/modules/modules.json as terraform init writes it."""
    rows = ['{"Key": "", "Source": "", "Dir": "."}']
    for key, source, version in records:
        pinned = f', "Version": "{version}"' if version else ""
        rows.append(
            f'{{"Key": "{key}", "Source": "{source}"{pinned}, "Dir": ".terraform/modules/{key}"}}'
        )
    return '{"Modules": [' + ", ".join(rows) + "]}"


MANIFEST = ".terraform/modules/modules.json"


def test_registry_module_is_pinned_to_the_installed_release(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "main.tf": VPC,
        MANIFEST: manifest(("vpc", "registry.acme.example/terraform-aws-modules/vpc/aws", "5.8.1")),
    }
    [fix] = only_fixes(tmp_path, files, REGISTRY)
    assert fix.title == ("Pin module.vpc to version 5.8.1 (the release terraform init installed)")
    assert applied(fix) == {
        "main.tf": 'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n'
        '  version = "5.8.1"\n\n  name = "main"\n}\n'
    }


def test_empty_registry_version_is_replaced(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "main.tf": VPC.replace('/aws"\n', '/aws"\n  version = ""\n'),
        MANIFEST: manifest(("vpc", "terraform-aws-modules/vpc/aws", "5.8.1")),
    }
    [fix] = only_fixes(tmp_path, files, REGISTRY)
    # The run the fix writes in is aligned as terraform fmt aligns it.
    assert applied(fix)["main.tf"] == VPC.replace("source = ", "source  = ").replace(
        '/aws"\n', '/aws"\n  version = "5.8.1"\n'
    )


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {MANIFEST: manifest(("vpc", "terraform-aws-modules/vpc/google", "5.8.1"))},
        {MANIFEST: manifest(("network", "terraform-aws-modules/vpc/aws", "5.8.1"))},
        {MANIFEST: "{not json"},
        {MANIFEST: manifest(("vpc", "terraform-aws-modules/vpc/aws", None))},
    ],
    ids=["not-initialised", "other-source", "other-key", "broken-manifest", "no-version"],
)
def test_no_registry_version_without_a_matching_install(
    tmp_path: Path, extra: dict[str, str | bytes]
) -> None:
    # A placeholder such as "<pin me>" is not a valid constraint: every plan would fail.
    assert only_fixes(tmp_path, {"main.tf": VPC, **extra}, REGISTRY) == []


NETWORK = 'module "network" {\n  source = "%s"\n}\n'


@pytest.mark.parametrize(
    ("source", "recorded", "git", "pinned", "was"),
    [
        (
            "git::https://github.com/acme/net.git?ref=main",
            "git::https://github.com/acme/net.git?ref=main",
            {"HEAD": "ref: refs/heads/main\n", "refs/heads/main": SHA + "\n"},
            f"git::https://github.com/acme/net.git?ref={SHA}",
            'ref "main"',
        ),
        (
            "git::https://github.com/acme/net.git",
            "git::https://github.com/acme/net.git",
            {"HEAD": "ref: refs/heads/trunk\n", "packed-refs": f"{SHA} refs/heads/trunk\n"},
            f"git::https://github.com/acme/net.git?ref={SHA}",
            "the default branch",
        ),
        (
            "github.com/acme/net//modules/vpc?ref=v1.2.0",
            "git::https://github.com/acme/net.git?ref=v1.2.0//modules/vpc",
            {"HEAD": SHA + "\n"},
            f"github.com/acme/net//modules/vpc?ref={SHA}",
            'ref "v1.2.0"',
        ),
        (
            "git@github.com:acme/net.git?ref=5d4a3f0",
            "git::ssh://git@github.com/acme/net.git?ref=5d4a3f0",
            {"HEAD": SHA + "\n"},
            f"git@github.com:acme/net.git?ref={SHA}",
            'ref "5d4a3f0"',
        ),
    ],
    ids=["branch", "default-branch", "shorthand-tag-subdir", "short-sha"],
)
def test_git_source_is_pinned_to_the_checked_out_commit(
    tmp_path: Path, source: str, recorded: str, git: dict[str, str], pinned: str, was: str
) -> None:
    files: dict[str, str | bytes] = {
        "main.tf": NETWORK % source,
        MANIFEST: manifest(("network", recorded, None)),
        **{f".terraform/modules/network/.git/{name}": text for name, text in git.items()},
    }
    [fix] = only_fixes(tmp_path, files, GIT_REF)
    assert fix.title == (
        f"Pin module.network to commit {SHA[:12]}, which terraform init installed for {was} "
        "(run terraform init again)"
    )
    assert applied(fix) == {
        "main.tf": 'module "network" {\n'
        f"  # was {was}; pinned to the commit terraform init installed\n"
        f'  source = "{pinned}"\n}}\n'
    }


@pytest.mark.parametrize(
    ("source", "recorded", "head"),
    [
        ("git::https://github.com/acme/net.git?ref=main", None, SHA),
        (
            "git::https://github.com/acme/net.git?ref=main",
            "git::https://github.com/acme/net.git?ref=develop",
            SHA,
        ),
        ("git::https://github.com/acme/net.git?ref=main&depth=1", "same", SHA),
        ("git::https://github.com/acme/net.git?ref=main", "same", "ref: refs/heads/../../x"),
        ("git::https://github.com/acme/net.git?ref=abc1234", "same", SHA),
        ("git::https://github.com/acme/net.git?ref=${var.ref}", "same", SHA),
    ],
    ids=[
        "not-installed",
        "installed-other-ref",
        "shallow",
        "unsafe-ref",
        "short-sha-mismatch",
        "interpolated",
    ],
)
def test_no_git_pin_without_a_trustworthy_commit(
    tmp_path: Path, source: str, recorded: str | None, head: str
) -> None:
    files: dict[str, str | bytes] = {
        "main.tf": NETWORK % source,
        "variables.tf": 'variable "ref" {\n  type    = string\n  default = "main"\n}\n',
        ".terraform/modules/network/.git/HEAD": head + "\n",
    }
    if recorded is not None:
        files[MANIFEST] = manifest(("network", source if recorded == "same" else recorded, None))
    assert only_fixes(tmp_path, files, GIT_REF) == []


def test_git_checkout_outside_the_directory_is_not_read(tmp_path: Path) -> None:
    module = tmp_path / "root"
    files: dict[str, str | bytes] = {
        "root/main.tf": NETWORK % "git::https://github.com/acme/net.git?ref=main",
        "root/" + MANIFEST: '{"Modules": [{"Key": "network", "Source": '
        '"git::https://github.com/acme/net.git?ref=main", "Dir": "../elsewhere"}]}',
        "elsewhere/.git/HEAD": SHA + "\n",
    }
    write_files(tmp_path, files)
    result = Engine().analyze_module(str(module))
    [finding] = of_rule(result, GIT_REF)
    assert fixes_for(result, finding) == []


LOCK = 'provider "registry.terraform.io/hashicorp/%s" {\n  version = "%s"\n}\n'


def test_provider_constraint_comes_from_the_lock_file(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "main.tf": rule(PROVIDER).bad_example.split("# file:")[0].strip("\n") + "\n",
        ".terraform.lock.hcl": LOCK % ("aws", "5.80.0"),
    }
    [fix] = only_fixes(tmp_path, files, PROVIDER)
    assert fix.title == 'Constrain aws to "~> 5.80" (the lock file selects 5.80.0)'
    assert applied(fix)["main.tf"] == (
        'terraform {\n  required_version = ">= 1.10"\n\n  required_providers {\n    aws = {\n'
        '      source  = "hashicorp/aws"\n      version = "~> 5.80"\n    }\n  }\n}\n'
    )


@pytest.mark.parametrize(
    ("entry", "locked", "fixed"),
    [
        ('random = ">= 0"', "3.7.2", 'random = "~> 3.7"'),
        (
            'random = { source = "hashicorp/random" }',
            "3.7.2",
            'random = { source = "hashicorp/random", version = "~> 3.7" }',
        ),
        ("random = {}", "3.7.2", 'random = { version = "~> 3.7" }'),
        (
            'random = {\n      version = ">= 0.0.0"\n    }',
            "0.9.1",
            'random = {\n      version = "~> 0.9.1"\n    }',
        ),
    ],
    ids=["legacy-string", "one-line-object", "empty-object", "before-1.0"],
)
def test_provider_constraint_in_every_form(
    tmp_path: Path, entry: str, locked: str, fixed: str
) -> None:
    body = "terraform {\n  required_providers {\n    %s\n  }\n}\n"
    files: dict[str, str | bytes] = {
        "main.tf": body % entry,
        ".terraform.lock.hcl": LOCK % ("random", locked),
    }
    [fix] = only_fixes(tmp_path, files, PROVIDER)
    assert applied(fix)["main.tf"] == body % fixed


@pytest.mark.parametrize(
    "lock",
    [None, LOCK % ("random", "5.80.0"), LOCK % ("aws", "6.0.0-beta1")],
    ids=["no-lock-file", "other-provider", "pre-release"],
)
def test_no_provider_constraint_without_a_usable_locked_release(
    tmp_path: Path, lock: str | None
) -> None:
    files: dict[str, str | bytes] = {
        "main.tf": 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }'
        "\n  }\n}\n"
    }
    if lock is not None:
        files[".terraform.lock.hcl"] = lock
    assert only_fixes(tmp_path, files, PROVIDER) == []


BACKEND = 'terraform {\n  backend "s3" {\n    bucket = "acme-state"\n  }\n}\n'


@pytest.mark.parametrize(
    ("pin_file", "content", "constraint"),
    [
        (".terraform-version", "1.10.5\n", "~> 1.10"),
        (".opentofu-version", "v1.9.1\r\n", "~> 1.9"),
        (".tool-versions", "python 3.12.1\nterraform 1.11.2 1.10.0\n", "~> 1.11"),
        ("../.terraform-version", "# team pin\n1.10.5\n", "~> 1.10"),
    ],
    ids=["tfenv", "tenv-crlf", "asdf", "parent-directory"],
)
def test_required_version_follows_the_pinned_release(
    tmp_path: Path, pin_file: str, content: str, constraint: str
) -> None:
    module = tmp_path / "live"
    files: dict[str, str | bytes] = {"live/main.tf": BACKEND, f"live/{pin_file}": content}
    write_files(tmp_path, files)
    result = Engine().analyze_module(str(module))
    [finding] = of_rule(result, REQUIRED)
    [fix] = checked(module, result, finding)
    assert applied(fix)["main.tf"] == BACKEND.replace(
        "terraform {\n", f'terraform {{\n  required_version = "{constraint}"\n\n'
    )


def test_required_version_block_is_added_before_the_provider(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "main.tf": '# AWS\nprovider "aws" {\n  region = "eu-west-1"\n}\n',
        ".terraform-version": "1.10.5\n",
    }
    [fix] = only_fixes(tmp_path, files, REQUIRED)
    assert fix.title == 'Require Terraform/OpenTofu "~> 1.10" (.terraform-version pins 1.10.5)'
    assert applied(fix)["main.tf"] == (
        'terraform {\n  required_version = "~> 1.10"\n}\n\n'
        '# AWS\nprovider "aws" {\n  region = "eu-west-1"\n}\n'
    )


@pytest.mark.parametrize(
    "pins",
    [
        {},
        {".terraform-version": "latest\n"},
        {".tool-versions": "terraform latest:^1.9\n"},
        {".git/HEAD": "ref: refs/heads/main\n", "../.terraform-version": "1.10.5\n"},
    ],
    ids=["nothing", "latest", "asdf-latest", "above-the-repository"],
)
def test_no_required_version_without_a_pinned_release(tmp_path: Path, pins: dict[str, str]) -> None:
    module = tmp_path / "repo"
    write_files(tmp_path, {"repo/main.tf": BACKEND, **{f"repo/{n}": t for n, t in pins.items()}})
    result = Engine().analyze_module(str(module))
    [finding] = of_rule(result, REQUIRED)
    assert fixes_for(result, finding) == []


# -- state bucket: deny plain HTTP ---------------------------------------------------------------

TLS = "aws-s3-state-bucket-secure-transport"
STATE_BUCKET = 'resource "aws_s3_bucket" "state" {\n  bucket = "acme-terraform-state"\n}\n\n'


def test_deny_statement_joins_a_policy_document(tmp_path: Path) -> None:
    document = """data "aws_iam_policy_document" "state" {
  statement {
    sid       = "AllowCi"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.state.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/ci"]
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.state.json
}
"""
    [fix] = only_fixes(tmp_path, {"main.tf": STATE_BUCKET + document}, TLS)
    assert fix.title == (
        "Deny requests to aws_s3_bucket.state made without TLS (a statement added to its "
        "bucket policy)"
    )
    added = """
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
"""
    assert applied(fix)["main.tf"] == STATE_BUCKET + document.replace(
        "  }\n}\n", "  }\n" + added, 1
    )


def test_deny_statement_joins_a_jsonencode_list(tmp_path: Path) -> None:
    policy = """resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:role/ci" }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.state.arn}/*"
      }
    ]
  })
}
"""
    [fix] = only_fixes(tmp_path, {"main.tf": STATE_BUCKET + policy}, TLS)
    assert applied(fix)["main.tf"] == STATE_BUCKET + policy.replace(
        "      }\n    ]",
        """      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      }
    ]""",
    )


@pytest.mark.parametrize(
    "rest",
    [
        "",
        'data "aws_iam_policy_document" "state" {\n  statement {\n'
        '    actions   = ["s3:GetObject"]\n    resources = ["*"]\n  }\n}\n\n'
        'resource "aws_s3_bucket_policy" "state" {\n'
        "  bucket = aws_s3_bucket.state.id\n  policy = data.aws_iam_policy_document.state.json\n"
        '}\n\nresource "aws_iam_policy" "reader" {\n'
        "  policy = data.aws_iam_policy_document.state.json\n}\n",
    ],
    ids=["no-policy-in-the-module", "shared-document"],
)
def test_no_deny_statement_where_it_would_replace_or_leak(tmp_path: Path, rest: str) -> None:
    result = scan(tmp_path, {"main.tf": STATE_BUCKET + rest})
    [finding] = of_rule(result, TLS)
    assert fixes_for(result, finding) == []


# -- the fixture projects ----------------------------------------------------------------------

# The secret, state, supply-chain and IAM rules: the ones the fixture projects here exercise.
MINE = ("terraform-", "opentofu-", "aws-iam-")
MINE_TOO = frozenset(
    {
        "aws-provider-static-credentials",
        "aws-s3-state-bucket-secure-transport",
        "aws-secret-argument-write-only",
    }
)
MY_RULES = frozenset(
    r.id for r in registry.all_rules() if r.id.startswith(MINE) or r.id in MINE_TOO
)
INIT_RECORDS: dict[str, str | bytes] = {
    MANIFEST: manifest(
        ("vpc", "registry.acme.example/terraform-aws-modules/vpc/aws", "5.8.1"),
        ("network", "git::https://github.com/acme/terraform-network.git", None),
        ("dns", "git::https://github.com/acme/terraform-dns.git?ref=main", None),
        ("tagging", "git::ssh://git@github.com/acme/terraform-tagging.git?ref=v1.4.2", None),
    ),
    ".terraform/modules/network/.git/HEAD": "ref: refs/heads/main\n",
    ".terraform/modules/network/.git/refs/heads/main": SHA + "\n",
    ".terraform/modules/dns/.git/HEAD": OTHER_SHA + "\n",
    ".terraform/modules/tagging/.git/HEAD": SHA + "\n",
    ".terraform.lock.hcl": LOCK % ("aws", "5.80.0") + LOCK % ("tls", "4.0.6"),
    ".terraform-version": "1.10.5\n",
}


@pytest.mark.parametrize(
    ("project", "extra", "expected"),
    [
        (
            "secrets/fixtures/insecure",
            {},
            {
                ("aws-secret-argument-write-only", "database.tf", 7),
                ("aws-secret-argument-write-only", "database.tf", 20),
                ("aws-secret-argument-write-only", "app.tf", 45),
                ("aws-secret-argument-write-only", "app.tf", 57),
                ("terraform-secret-literal", "locals.tf", 2),
                ("terraform-secret-literal", "locals.tf", 3),
                ("terraform-secret-literal", "locals.tf", 9),
                ("terraform-secret-literal", "app.tf", 23),
                ("terraform-secret-literal", "app.tf", 45),
                ("terraform-output-secret-not-sensitive", "outputs.tf", 0),
                ("terraform-output-secret-not-sensitive", "outputs.tf", 4),
                ("terraform-output-secret-not-sensitive", "outputs.tf", 10),
                ("terraform-variable-secret-not-sensitive", "variables.tf", 4),
                ("terraform-variable-secret-not-sensitive", "variables.tf", 19),
                ("terraform-variable-secret-not-sensitive", "variables.tf", 29),
            },
        ),
        ("iam/fixtures/insecure", {}, set()),
        (
            "state/insecure",
            {},
            {
                ("terraform-backend-s3-encryption", "backend.tf", 2),
                ("terraform-backend-plain-http", "backend.tf", 10),
                ("aws-s3-state-bucket-secure-transport", "policy.tf", 15),
            },
        ),
        (
            "state/opentofu",
            {},
            {
                ("opentofu-encryption-not-enforced", "main.tofu", 31),
                ("opentofu-encryption-not-enforced", "main.tofu", 40),
            },
        ),
        (
            "supply_chain/project",
            INIT_RECORDS,
            {
                ("terraform-module-registry-version", "modules.tf", 1),
                ("terraform-module-git-ref", "modules.tf", 18),
                ("terraform-module-git-ref", "modules.tf", 22),
                ("terraform-module-git-ref", "modules.tf", 26),
                ("terraform-module-source-plain-http", "modules.tf", 34),
                ("terraform-provider-version-constraint", "versions.tf", 2),
                ("terraform-provider-version-constraint", "versions.tf", 6),
                ("terraform-required-version", "versions.tf", 0),
            },
        ),
    ],
    ids=["secrets", "iam", "state", "opentofu", "supply-chain"],
)
def test_every_fix_on_the_fixture_projects(
    tmp_path: Path, project: str, extra: dict[str, str | bytes], expected: set[tuple[str, str, int]]
) -> None:
    folder = tmp_path / "module"
    shutil.copytree(RULES_DIR / project, folder)
    result = scan(folder, extra)
    fixed: set[tuple[str, str, int]] = set()
    for finding in result.all_findings():
        if finding.rule_id in MY_RULES and checked(folder, result, finding):
            fixed.add((finding.rule_id, os.path.basename(finding.path), finding.range.start.line))
    assert fixed == expected
    # Fix-all (run again while it changes something, like a user would) fixes them all and
    # breaks nothing.
    engine = Engine()
    for _ in range(3):
        outcome = fix_module(engine, str(folder), rules=MY_RULES, unsafe=True)
        assert not outcome.rejected
        if not outcome.after:
            break
        outcome.apply_to(engine)
    final = engine.analyze_module(str(folder))
    mine_before = [f for f in result.all_findings() if f.rule_id in MY_RULES]
    mine_after = [f for f in final.all_findings() if f.rule_id in MY_RULES]
    assert len(mine_after) == len(mine_before) - len(expected)
    # No syntax or validation error the project did not have (a fixture may refer to a
    # module it does not declare).
    errors_before = {f.message for f in result.all_findings() if f.is_configuration_error}
    errors_after = {f.message for f in final.all_findings() if f.is_configuration_error}
    assert errors_after <= errors_before
