"""Reading a provider's release: required_providers in both forms, the lock file, majors."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import write_files

from tfguard.engine import Engine
from tfguard.module import Module
from tfguard.rules.kit.providers import admits_release, majors, provider_versions, since_major
from tfguard.rules.kit.resources import ignores_changes
from tfguard.rules.kit.values import UNKNOWN
from tfguard.versions import admits


def module_of(folder: Path, files: dict[str, str | bytes]) -> Module:
    write_files(folder, files)
    result = Engine().analyze_module(str(folder))
    assert result.module is not None
    return result.module


def required(entries: str, extra: str = "") -> dict[str, str | bytes]:
    text = f"terraform {{\n  required_providers {{\n{entries}  }}\n}}\n{extra}"
    return {"versions.tf": text}


def lock(name: str, version: str) -> dict[str, str | bytes]:
    entry = f'provider "registry.terraform.io/hashicorp/{name}" {{\n  version = "{version}"\n}}\n'
    return {".terraform.lock.hcl": entry}


@pytest.mark.parametrize(
    ("entries", "constraints"),
    [
        ('    aws = "~> 5.0"\n', ("~> 5.0",)),  # the legacy form
        ('    aws = { source = "hashicorp/aws", version = ">= 5.1" }\n', (">= 5.1",)),
        ('    aws = { version = "< 6.0" }\n', ("< 6.0",)),  # no source: hashicorp/<local name>
        ('    aws = { source = "aws", version = "5.2.0" }\n', ("5.2.0",)),  # implied namespace
        (
            '    amazon = { source = "registry.terraform.io/hashicorp/aws", version = "~> 5.9" }\n',
            ("~> 5.9",),
        ),
        ('    aws = { source = "acme/aws", version = "~> 1.0" }\n', ()),  # another provider
        ('    aws = { source = "hashicorp/aws" }\n', ()),  # no version
        ('    random = "~> 3.6"\n', ()),
    ],
)
def test_constraints_of_a_provider_by_source_or_local_name(
    tmp_path: Path, entries: str, constraints: tuple[str, ...]
) -> None:
    versions = provider_versions(module_of(tmp_path, required(entries)), "aws")
    assert versions.constraints == constraints
    assert versions.readable and versions.locked is None


def test_every_block_adds_its_constraint_and_the_lock_file_its_release(tmp_path: Path) -> None:
    files = {
        **required('    aws = ">= 5.0"\n'),
        "more.tf": 'terraform {\n  required_providers {\n    aws = "< 5.90"\n  }\n}\n',
        **lock("aws", "5.88.0"),
    }
    versions = provider_versions(module_of(tmp_path, files), "aws")
    assert sorted(versions.constraints) == ["< 5.90", ">= 5.0"]
    assert versions.locked == "5.88.0" and versions.locked_release == (5, 88, 0)


@pytest.mark.parametrize(
    "entries",
    [
        '    aws = { source = "hashicorp/aws", version = var.aws }\n',
        '    aws = { source = "hashicorp/aws", version = "latest" }\n',
        "    aws = var.anything\n",
    ],
    ids=["unknown-version", "no-syntax", "unknown-entry"],
)
def test_an_entry_that_cannot_be_read_is_said(tmp_path: Path, entries: str) -> None:
    files = {**required(entries), "variables.tf": 'variable "aws" {}\nvariable "anything" {}\n'}
    module = module_of(tmp_path, files)
    assert not provider_versions(module, "aws").readable
    assert majors(module, "aws") is None
    assert admits_release(module, "aws", "5.88.0")  # what cannot be read counts as yes


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, True),
        (required('    aws = "~> 5.0"\n'), True),  # admits 5.88 and later 5.x
        (required('    aws = "~> 5.40.0"\n'), False),
        (required('    aws = ">= 5.0, < 5.88"\n'), False),
        (lock("aws", "5.88.0"), True),
        (lock("aws", "5.87.3"), False),
        (lock("aws", "6.0.0-beta1"), False),  # a pre-release lock is not trusted
        ({**required('    aws = "~> 5.0"\n'), **lock("aws", "5.80.0")}, False),
    ],
    ids=["nothing", "pessimistic", "too-narrow", "upper-bound", "lock", "old-lock", "beta", "both"],
)
def test_admits_release(tmp_path: Path, files: dict[str, str | bytes], expected: bool) -> None:
    assert admits_release(module_of(tmp_path, files), "aws", "5.88.0") is expected


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, None),
        (required('    azurerm = "~> 3.117"\n'), {3}),
        (required('    azurerm = ">= 3.0, < 5.0"\n'), {3, 4}),
        (required('    azurerm = ">= 4.1"\n'), set(range(4, 13))),
        (lock("azurerm", "4.23.0"), {4}),
        # A lock the constraints admit decides; a stale one is replaced by init -upgrade.
        ({**required('    azurerm = ">= 3.0"\n'), **lock("azurerm", "3.100.0")}, {3}),
        ({**required('    azurerm = "~> 4.0"\n'), **lock("azurerm", "3.100.0")}, {4}),
        (required('    azurerm = ">= 5.0, < 4.0"\n'), None),  # no release meets it
    ],
)
def test_majors(tmp_path: Path, files: dict[str, str | bytes], expected: set[int] | None) -> None:
    found = majors(module_of(tmp_path, files), "azurerm")
    assert found == (frozenset(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ("", UNKNOWN),
        ('    google = "~> 4.80"\n', "before"),
        ('    google = "~> 5.0"\n', "since"),
        ('    google = "~> 5.0"\n    google-beta = "~> 4.0"\n', UNKNOWN),  # either may serve
        ('    google-beta = ">= 5.1"\n', "since"),
        ('    google = ">= 4.0"\n', UNKNOWN),
    ],
)
def test_since_major(tmp_path: Path, entries: str, expected: object) -> None:
    module = module_of(tmp_path, required(entries) if entries else {"main.tf": ""})
    assert since_major(module, ("google", "google-beta"), 5, "before", "since") == expected


def test_ignore_changes_names_the_argument_or_all(tmp_path: Path) -> None:
    module = module_of(
        tmp_path,
        {
            "main.tf": 'resource "x_a" "one" {\n  lifecycle {\n    ignore_changes = [tags]\n'
            '  }\n}\nresource "x_a" "all" {\n  lifecycle {\n    ignore_changes = all\n  }\n}\n'
            'resource "x_a" "none" {\n  tags = {}\n}\n'
        },
    )
    one, everything, none = module.of_type("x_a")
    assert ignores_changes(one, "tags") and not ignores_changes(one, "name")
    assert ignores_changes(everything, "name")
    assert not ignores_changes(none, "tags")


@pytest.mark.parametrize(
    ("constraint", "at_least", "below", "expected"),
    [
        ("~> 5.0", "5.88.0", None, True),  # a release past every probe of the grid
        ("~> 6.0", "6.23.0", None, True),
        ("~> 5.40.0", "5.88.0", None, False),
        ("!= 5.88.0, >= 5.88.0", "5.88.0", None, True),  # 5.88.1
        (">= 3.0", "4.0.0", "5.0.0", True),
        ("~> 3.117", "4.0.0", "5.0.0", False),
        ("< 1.11", "1.11.0", None, False),
        ("nonsense", "1.0.0", None, None),
    ],
)
def test_admits_probes_the_lower_bound(
    constraint: str, at_least: str, below: str | None, expected: bool | None
) -> None:
    assert admits(constraint, at_least=at_least, below=below) is expected
