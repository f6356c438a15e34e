"""The write-only table for every provider: which rule reports which resource, the release each
argument needs, and what the fixes say an existing resource goes through (Azure and Google
resources; the AWS fixes are pinned in test_fixes_secrets_supply.py).

Every fix a test obtains also goes through the property check of ``tests/test_fixes.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import write_files
from tests.test_fixes import check_fix

from tfguard.engine import Engine, ModuleResult, fixes_for
from tfguard.findings import Finding
from tfguard.fixes import Fix, apply_edits
from tfguard.rules import registry
from tfguard.rules.kit.write_only import supports_write_only
from tfguard.writeonly import WriteOnly, write_only_table

AWS = "aws-secret-argument-write-only"
AZURE = "azure-secret-argument-write-only"
GOOGLE = "google-secret-argument-write-only"
EPHEMERAL = "terraform-random-password-not-ephemeral"

MSSQL = """resource "azurerm_mssql_server" "app" {
  name                         = "sql-app"
  resource_group_name          = "rg-app"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = %s
}
"""
KEY_VAULT_SECRET = """resource "azurerm_key_vault_secret" "db" {
  name         = "db-password"
  key_vault_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
  value        = var.db_password
}
"""
SQL_USER = """resource "google_sql_user" "app" {%s
  name     = "app"
  instance = "db-main"
  password = %s
}
"""
SECRET_VERSION = """resource "google_secret_manager_secret_version" "db" {
  secret      = "projects/acme/secrets/db"
  secret_data = var.db_password
}
"""


def scan(folder: Path, files: dict[str, str | bytes]) -> ModuleResult:
    write_files(folder, files)
    return Engine().analyze_module(str(folder))


def of_rule(result: ModuleResult, rule_id: str) -> list[Finding]:
    return [f for f in result.all_findings() if f.rule_id == rule_id]


def fixes_of(folder: Path, files: dict[str, str | bytes], rule_id: str) -> list[Fix]:
    """The fixes of the one finding of ``rule_id``, each verified by the property check."""
    result = scan(folder, files)
    [finding] = of_rule(result, rule_id)
    rule = registry.get(rule_id)
    assert rule is not None
    fixes = fixes_for(result, finding)
    for fix in fixes:
        check_fix(str(folder), rule, finding, fix, result)
    return fixes


def applied(fix: Fix) -> str:
    [path] = fix.paths
    before = Path(path).read_text(encoding="utf-8")
    return apply_edits(before, list(fix.edits))


def test_each_provider_rule_covers_its_own_resources(tmp_path: Path) -> None:
    files = {
        "main.tf": MSSQL % "var.sql_password"
        + KEY_VAULT_SECRET
        + SQL_USER % ("", "var.db_password")
        + SECRET_VERSION
        + 'resource "aws_ssm_parameter" "p" {\n  name  = "p"\n  type  = "SecureString"\n'
        "  value = var.db_password\n}\n"
    }
    result = scan(tmp_path, files)
    assert [f.data["address"] for f in of_rule(result, AWS)] == ["aws_ssm_parameter.p"]
    assert sorted(f.data["address"] for f in of_rule(result, AZURE)) == [
        "azurerm_key_vault_secret.db",
        "azurerm_mssql_server.app",
    ]
    assert sorted(f.data["address"] for f in of_rule(result, GOOGLE)) == [
        "google_secret_manager_secret_version.db",
        "google_sql_user.app",
    ]


def test_sql_server_password_is_sent_again_not_reset(tmp_path: Path) -> None:
    [fix] = fixes_of(tmp_path, {"main.tf": MSSQL % "var.sql_password"}, AZURE)
    assert fix.title == (
        "Use the write-only administrator_login_password_wo (needs Terraform >= 1.11; sends "
        "the same password to an existing resource again)"
    )
    assert fix.applicability == "unsafe"
    assert fix.consequence == "sends the password of an existing resource again"
    assert applied(fix) == (
        MSSQL.replace(
            "  administrator_login_password = %s\n",
            "  # Write-only: kept out of the state (needs Terraform >= 1.11). On an existing "
            "resource\n"
            "  # the next apply sends this password again (it stays the same); bump\n"
            "  # administrator_login_password_wo_version whenever the password must change.\n"
            "  administrator_login_password_wo         = var.sql_password\n"
            "  administrator_login_password_wo_version = 1\n",
        )
    )


def test_key_vault_secret_gets_a_new_version(tmp_path: Path) -> None:
    [fix] = fixes_of(tmp_path, {"main.tf": KEY_VAULT_SECRET}, AZURE)
    assert "an existing secret gets a new version with the same value" in fix.title
    assert fix.consequence == "creates a new version of an existing secret"
    assert "stores this value again as a new version" in applied(fix)


def test_secret_manager_version_is_replaced(tmp_path: Path) -> None:
    result = scan(tmp_path, {"main.tf": SECRET_VERSION})
    [finding] = of_rule(result, GOOGLE)
    assert "replaces the version (by default destroying the old one)" in finding.message
    [fix] = fixes_of(tmp_path, {"main.tf": SECRET_VERSION}, GOOGLE)
    assert "replaces an existing secret version" in fix.title
    assert fix.consequence == "replaces an existing secret version"
    text = applied(fix)
    assert "destroyed unless deletion_policy keeps it" in text
    assert "secret_data_wo_version = 1" in text


def test_literal_cloud_sql_password_gets_an_ephemeral_generator(tmp_path: Path) -> None:
    same, full = fixes_of(tmp_path, {"main.tf": SQL_USER % ("", '"Sup3r-S3cret-2024"')}, GOOGLE)
    assert 'password_wo         = "Sup3r-S3cret-2024"' in applied(same)
    text = applied(full)
    assert text.startswith('ephemeral "random_password" "app_password" {\n')
    assert (
        "  # state: store it in the same run (a Secret Manager version's secret_data_wo)\n"
        "  # or plan it with its users.\n"
        "  password_wo         = ephemeral.random_password.app_password.result\n"
    ) in text
    assert "RESETS the password of an existing resource" in full.title


def required(entries: str) -> dict[str, str | bytes]:
    return {"versions.tf": f"terraform {{\n  required_providers {{\n{entries}  }}\n}}\n"}


def lock(name: str, version: str) -> dict[str, str | bytes]:
    entry = f'provider "registry.terraform.io/hashicorp/{name}" {{\n  version = "{version}"\n}}\n'
    return {".terraform.lock.hcl": entry}


@pytest.mark.parametrize(
    ("provider_files", "sql_server", "key_vault"),
    [
        ({}, True, True),
        (required('    azurerm = "~> 4.0"\n'), True, True),
        (required('    azurerm = "~> 4.21.0"\n'), True, False),  # value_wo came in 4.23.0
        (lock("azurerm", "4.22.0"), True, False),
        (lock("azurerm", "4.20.0"), False, False),
        (required('    azurerm = "~> 3.117"\n'), False, False),
    ],
    ids=["nothing", "major", "4.21", "lock-4.22", "lock-4.20", "3.x"],
)
def test_each_azure_argument_needs_its_own_release(
    tmp_path: Path, provider_files: dict[str, str | bytes], sql_server: bool, key_vault: bool
) -> None:
    server = {"main.tf": MSSQL % "var.sql_password", **provider_files}
    assert bool(fixes_of(tmp_path / "server", server, AZURE)) is sql_server
    secret = {"main.tf": KEY_VAULT_SECRET, **provider_files}
    assert bool(fixes_of(tmp_path / "secret", secret, AZURE)) is key_vault


@pytest.mark.parametrize(
    ("meta", "provider_files", "offered"),
    [
        ("", required('    google = "~> 6.0"\n'), True),  # 6.23 and later admitted
        ("", required('    google = "~> 6.20.0"\n'), False),
        ("", lock("google", "6.22.0"), False),
        ("\n  provider = google-beta", lock("google", "6.22.0"), True),  # beta is not locked
        ("\n  provider = google-beta", lock("google-beta", "6.22.0"), False),
    ],
    ids=["major", "6.20", "lock", "beta-unlocked", "beta-locked"],
)
def test_google_arguments_need_6_23_of_the_provider_that_serves_them(
    tmp_path: Path, meta: str, provider_files: dict[str, str | bytes], offered: bool
) -> None:
    files = {"main.tf": SQL_USER % (meta, "var.db_password"), **provider_files}
    assert bool(fixes_of(tmp_path, files, GOOGLE)) is offered


def test_an_aws_provider_constraint_past_the_probes_keeps_the_fix(tmp_path: Path) -> None:
    db = (
        'resource "aws_db_instance" "app" {\n  identifier        = "app"\n'
        '  engine            = "postgres"\n  instance_class    = "db.t4g.micro"\n'
        '  allocated_storage = 20\n  username          = "app"\n'
        "  password          = var.db_password\n}\n"
    )
    files = {"main.tf": db, **required('    aws = "~> 5.0"\n')}  # admits 5.88 and later 5.x
    assert len(fixes_of(tmp_path, files, AWS)) == 1


@pytest.mark.parametrize(
    ("provider_files", "offered"),
    [({}, True), (lock("azurerm", "4.20.0"), False)],
    ids=["recent", "too-old"],
)
def test_random_password_readers_are_renamed_only_with_a_provider_that_has_them(
    tmp_path: Path, provider_files: dict[str, str | bytes], offered: bool
) -> None:
    generator = 'resource "random_password" "sql" {\n  length = 24\n}\n\n'
    files = {"main.tf": generator + MSSQL % "random_password.sql.result", **provider_files}
    fixes = fixes_of(tmp_path, files, EPHEMERAL)
    assert bool(fixes) is offered
    if offered:
        [fix] = fixes
        assert "  # state: store it in the same run (a Key Vault secret's value_wo)\n" in applied(
            fix
        )


def test_an_argument_without_a_known_first_release_is_not_gated(tmp_path: Path) -> None:
    result = scan(tmp_path, {"main.tf": KEY_VAULT_SECRET, **lock("azurerm", "3.0.0")})
    assert result.module is not None
    [entity] = result.module.of_type("azurerm_key_vault_secret")
    known = write_only_table()["azurerm_key_vault_secret"]["value"]
    assert not supports_write_only(result.module, entity, known)
    unknown = WriteOnly(known.resource_type, known.argument, known.write_only, known.version)
    assert supports_write_only(result.module, entity, unknown)


def test_every_table_entry_names_its_provider_and_first_release() -> None:
    for arguments in write_only_table().values():
        for spec in arguments.values():
            assert spec.provider in ("aws", "azurerm", "google"), spec
            assert spec.since is not None and spec.version == f"{spec.write_only}_version"
