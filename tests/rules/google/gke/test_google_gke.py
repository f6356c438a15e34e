"""The GKE rules on two multi-file projects: clusters with their default pool, inline node
pools and a separate google_container_node_pool (values from terraform.tfvars, a data source
for the default service account, google provider 4.x defaults), and a hardened project with
for_each node pools and google 6.x defaults, which no rule may report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.rules.fixture_helpers import RuleFamily, analyze_clean

from tfguard.engine import Engine, ModuleResult
from tfguard.rules import registry

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(r.id for r in registry.all_rules() if r.id.startswith("google-gke-"))

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

MAIN = at("clusters.tf", '"google_container_cluster" "main"')
EDGE = at("clusters.tf", '"google_container_cluster" "edge"')
AUTOPILOT = at("clusters.tf", '"google_container_cluster" "autopilot"')


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def _node_config_of_main() -> tuple[str, int]:
    lines = (INSECURE / "clusters.tf").read_text(encoding="utf-8").splitlines()
    first = lines.index("  node_config {")
    return "clusters.tf", first + 1


def test_insecure_gke_findings_are_exact(insecure: ModuleResult) -> None:
    main_nodes = _node_config_of_main()
    web_pool = at("clusters.tf", "    node_config {")
    cluster_wide = [
        "google-gke-binary-authorization",
        "google-gke-intranode-visibility",
        "google-gke-network-policy",
        "google-gke-resource-labels",
        "google-gke-secrets-encryption",
        "google-gke-workload-identity",
    ]
    expected = [
        *[(rule, *MAIN) for rule in cluster_wide],
        ("google-gke-master-authorized-networks", *MAIN),
        ("google-gke-private-nodes", *MAIN),
        # enable_legacy_abac = var.legacy_abac: true in terraform.tfvars
        ("google-gke-legacy-abac", *at("clusters.tf", "= var.legacy_abac")),
        ("google-gke-logging", *at("clusters.tf", 'logging_service    = "none"')),
        ("google-gke-release-channel", *at("clusters.tf", '"UNSPECIFIED"')),
        # the default pool: no service account, cloud-platform scope, no secure boot
        ("google-gke-node-default-sa-full-scope", *main_nodes),
        ("google-gke-node-secure-boot", *main_nodes),
        *[(rule, *EDGE) for rule in cluster_wide],
        ("google-gke-no-client-certificate", *at("clusters.tf", "issue_client_certificate")),
        ("google-gke-control-plane-not-public", *at("clusters.tf", '"0.0.0.0/0"')),
        # the inline pool "web"
        ("google-gke-node-auto-repair", *at("clusters.tf", "    management {")),
        ("google-gke-node-auto-upgrade", *at("clusters.tf", "auto_upgrade = false")),
        ("google-gke-node-secure-boot", *web_pool),
        ("google-gke-node-metadata-server", *at("clusters.tf", '"GCE_METADATA"')),
        # Autopilot: only settings Google does not manage
        ("google-gke-binary-authorization", *AUTOPILOT),
        ("google-gke-master-authorized-networks", *AUTOPILOT),
        ("google-gke-private-nodes", *AUTOPILOT),
        ("google-gke-resource-labels", *AUTOPILOT),
        ("google-gke-secrets-encryption", *AUTOPILOT),
        # the separate pool
        ("google-gke-node-auto-repair", *at("pools.tf", "  management {")),
        ("google-gke-node-cos-image", *at("pools.tf", "var.batch_image")),
        ("google-gke-node-default-service-account", *at("pools.tf", "default.email")),
        ("google-gke-node-legacy-metadata-endpoints", *at("pools.tf", "disable-legacy")),
        ("google-gke-node-integrity-monitoring", *at("pools.tf", "integrity_monitoring = f")),
    ]
    assert triples(insecure) == sorted(expected)


def test_google_gke_node_findings_name_the_pool(insecure: ModuleResult) -> None:
    web = one(insecure, "google-gke-node-metadata-server", at("clusters.tf", '"GCE_METADATA"'))
    assert web.message.startswith("Inline node pool web of google_container_cluster.edge")
    full = one(insecure, "google-gke-node-default-sa-full-scope", _node_config_of_main())
    assert full.message.startswith("The default node pool of google_container_cluster.main")
    batch = one(
        insecure, "google-gke-node-default-service-account", at("pools.tf", "default.email")
    )
    assert batch.message.startswith("Node pool google_container_node_pool.batch")


def test_google_gke_node_auto_repair_default_follows_the_provider_major(tmp_path: Path) -> None:
    # With google 5.x, a management block without auto_repair means true: silent.
    project = tmp_path / "insecure"
    shutil.copytree(INSECURE, project)
    versions = project / "versions.tf"
    versions.write_text(
        versions.read_text(encoding="utf-8").replace('">= 4.60, < 5.0"', '"~> 5.40"'),
        encoding="utf-8",
    )
    found = {
        (f.rule_id, f.data["address"]) for f in FAMILY.mine(Engine().analyze_module(str(project)))
    }
    assert ("google-gke-node-auto-repair", "google_container_node_pool.batch") not in found
    assert ("google-gke-node-auto-repair", "google_container_cluster.edge") not in found
    # Without any constraint the default cannot be known: silent as well.
    versions.write_text('provider "google" {\n  project = var.project_id\n}\n', encoding="utf-8")
    found = {f.rule_id for f in FAMILY.mine(Engine().analyze_module(str(project)))}
    assert "google-gke-node-auto-repair" not in found
    # google-gke-shielded-nodes: the 4.x default (true) no longer known, still silent.
    assert "google-gke-shielded-nodes" not in found


def test_google_gke_shielded_nodes_default_false_before_4(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'terraform {\n  required_providers {\n    google = {\n      source  = "hashicorp/google"\n'
        '      version = "~> 3.90"\n    }\n  }\n}\n\n'
        'resource "google_container_cluster" "old" {\n  name     = "old"\n'
        '  location = "europe-west1"\n  network  = "shop"\n}\n',
        encoding="utf-8",
    )
    found = [f for f in Engine().analyze_module(str(tmp_path)).all_findings()]
    assert [f.rule_id for f in found if f.rule_id == "google-gke-shielded-nodes"] == [
        "google-gke-shielded-nodes"
    ]


def test_without_tfvars_legacy_abac_and_the_batch_image_are_defaults(tmp_path: Path) -> None:
    project = tmp_path / "insecure"
    shutil.copytree(INSECURE, project)
    (project / "terraform.tfvars").unlink()
    found = {f.rule_id for f in FAMILY.mine(Engine().analyze_module(str(project)))}
    assert "google-gke-legacy-abac" not in found
    assert "google-gke-node-cos-image" not in found


def test_hardened_gke_project_has_no_findings() -> None:
    result = analyze_clean(HARDENED)
    assert [
        (f.rule_id, Path(f.path).name, f.range.start.line + 1) for f in result.all_findings()
    ] == []
