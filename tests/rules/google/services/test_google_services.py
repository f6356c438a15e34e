"""The rules of the other Google services (BigQuery, Pub/Sub, Cloud Run, Cloud Functions,
Dataproc, log sinks) on two multi-file projects: one with public datasets (a dataset access
switched on by terraform.tfvars), open ingress and unprotected log exports, and a hardened
one that no rule may report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.rules.fixture_helpers import RuleFamily, analyze_clean, related

from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "google-bigquery-dataset-no-public-access",
        "google-bigquery-dataset-customer-key",
        "google-pubsub-topic-customer-key",
        "google-cloudrun-ingress",
        "google-cloudfunctions-ingress",
        "google-dataproc-no-public-ip",
        "google-logging-sink-bucket-lock",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_services_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        ("google-bigquery-dataset-customer-key", *at("data.tf", 'dataset" "events"')),
        ("google-bigquery-dataset-no-public-access", *at("data.tf", "special_group")),
        ("google-bigquery-dataset-no-public-access", *at("data.tf", 'member     = "allUsers"')),
        ("google-pubsub-topic-customer-key", *at("data.tf", '"google_pubsub_topic"')),
        ("google-cloudrun-ingress", *at("compute.tf", '"google_cloud_run_v2_service"')),
        ("google-cloudfunctions-ingress", *at("compute.tf", '"ALLOW_ALL"')),
        ("google-dataproc-no-public-ip", *at("compute.tf", "internal_ip_only = false")),
        ("google-logging-sink-bucket-lock", *at("compute.tf", "destination")),
    ]
    assert triples(insecure) == sorted(expected)


def test_google_bigquery_dataset_no_public_access_grades_by_role(insecure: ModuleResult) -> None:
    reader = one(insecure, "google-bigquery-dataset-no-public-access", at("data.tf", "special"))
    assert reader.severity == Severity.HIGH
    editor = one(insecure, "google-bigquery-dataset-no-public-access", at("data.tf", '"allUsers"'))
    assert editor.severity == Severity.CRITICAL and "table" in editor.message


def test_google_logging_sink_bucket_lock_relates_the_bucket(insecure: ModuleResult) -> None:
    sink = one(insecure, "google-logging-sink-bucket-lock", at("compute.tf", "destination"))
    assert related(sink) == [at("compute.tf", 'bucket" "audit"')]


def test_without_tfvars_the_reports_access_is_not_created(tmp_path: Path) -> None:
    project = tmp_path / "insecure"
    shutil.copytree(INSECURE, project)
    (project / "terraform.tfvars").unlink()
    found = [f.data["address"] for f in FAMILY.mine(Engine().analyze_module(str(project)))]
    assert "google_bigquery_dataset_access.reports" not in found


def test_hardened_services_project_has_no_findings() -> None:
    result = analyze_clean(HARDENED)
    assert [
        (f.rule_id, Path(f.path).name, f.range.start.line + 1) for f in result.all_findings()
    ] == []
