"""The Cloud Storage rules on two multi-file projects: buckets with public IAM (a member, a
for_each binding whose roles come from terraform.tfvars, a policy from data.google_iam_policy),
a public default object ACL and the gcs backend's bucket without versioning; and a hardened
project that no rule may report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.rules.fixture_helpers import RuleFamily, analyze_clean, related

from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Severity
from tfguard.rules import registry

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(r.id for r in registry.all_rules() if r.id.startswith("google-storage-"))

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

STATE = at("buckets.tf", 'bucket" "state"')
ASSETS = at("buckets.tf", 'bucket" "assets"')
UPLOADS = at("buckets.tf", 'bucket" "uploads"')
ARCHIVE = at("buckets.tf", 'bucket" "archive"')
UPLOADS_MEMBERS = at("access.tf", 'members = ["allAuthenticatedUsers"]')


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_storage_findings_are_exact(insecure: ModuleResult) -> None:
    every_bucket = [
        "google-storage-bucket-access-logging",
        "google-storage-bucket-customer-key",
        "google-storage-bucket-versioning",
    ]
    expected = [
        *[(rule, *where) for rule in every_bucket for where in (STATE, ASSETS, UPLOADS, ARCHIVE)],
        ("google-storage-bucket-uniform-access", *ASSETS),
        ("google-storage-bucket-public-access-prevention", *ASSETS),
        ("google-storage-bucket-public-access-prevention", *UPLOADS),
        ("google-storage-bucket-retention-lock", *at("buckets.tf", "retention_policy {")),
        ("google-storage-bucket-no-public-iam", *at("access.tf", 'member = "allUsers"')),
        ("google-storage-bucket-no-public-iam", *UPLOADS_MEMBERS),
        ("google-storage-bucket-no-public-iam", *at("access.tf", 'members = ["allUsers"]')),
        ("google-storage-bucket-no-public-acl", *at("access.tf", '"READER:allUsers"')),
    ]
    assert triples(insecure) == sorted(expected)


def test_google_storage_bucket_versioning_is_high_for_the_state_bucket(
    insecure: ModuleResult,
) -> None:
    state = one(insecure, "google-storage-bucket-versioning", STATE)
    assert state.severity == Severity.HIGH and 'backend "gcs"' in state.message
    assert one(insecure, "google-storage-bucket-versioning", ASSETS).severity == Severity.MEDIUM


def test_google_storage_bucket_no_public_iam_grades_by_access(insecure: ModuleResult) -> None:
    # objectCreator comes from terraform.tfvars through for_each: anyone may upload.
    uploads = one(insecure, "google-storage-bucket-no-public-iam", UPLOADS_MEMBERS)
    assert uploads.severity == Severity.CRITICAL and "write" in uploads.message
    assert related(uploads) == [UPLOADS]
    assets = one(
        insecure, "google-storage-bucket-no-public-iam", at("access.tf", 'member = "allUsers"')
    )
    assert assets.severity == Severity.HIGH
    # The archive enforces public access prevention: the policy's grant is refused.
    archive = one(
        insecure, "google-storage-bucket-no-public-iam", at("access.tf", 'members = ["allUsers"]')
    )
    assert archive.severity == Severity.LOW and related(archive) == [ARCHIVE]


def test_without_tfvars_the_uploads_are_only_readable(tmp_path: Path) -> None:
    project = tmp_path / "insecure"
    shutil.copytree(INSECURE, project)
    (project / "terraform.tfvars").unlink()
    result = Engine().analyze_module(str(project))
    [uploads] = [
        f
        for f in FAMILY.mine(result)
        if f.rule_id == "google-storage-bucket-no-public-iam"
        and f.data["address"].startswith("google_storage_bucket_iam_binding")
    ]
    assert uploads.severity == Severity.HIGH


def test_hardened_storage_project_has_no_findings() -> None:
    result = analyze_clean(HARDENED)
    assert [
        (f.rule_id, Path(f.path).name, f.range.start.line + 1) for f in result.all_findings()
    ] == []
