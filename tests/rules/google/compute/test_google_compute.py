"""The Compute Engine rules on two multi-file projects: VMs, a for_each group and a template
with the usual mistakes (metadata through a local and terraform.tfvars, the default service
account, shielded VM flags turned off, project metadata without OS Login), and a hardened
project (dedicated service account, KMS disks, OS Login through a metadata item)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.rules.fixture_helpers import RuleFamily, analyze_clean

from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Severity
from tfguard.rules import registry

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    r.id
    for r in registry.all_rules()
    if r.id.startswith(("google-compute-instance-", "google-compute-project-metadata-"))
    or r.id == "google-compute-disk-customer-key"
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one

BASTION = at("instances.tf", '"google_compute_instance" "bastion"')
WORKER = at("instances.tf", '"google_compute_instance" "worker"')
BATCH = at("instances.tf", '"google_compute_instance_template" "batch"')


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def _boot_disk(nth: int) -> tuple[str, int]:
    lines = (INSECURE / "instances.tf").read_text(encoding="utf-8").splitlines()
    found = [i + 1 for i, line in enumerate(lines) if line == "  boot_disk {"]
    return "instances.tf", found[nth]


def test_insecure_compute_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        # bastion: serial console through local.common_metadata and terraform.tfvars
        ("google-compute-instance-ip-forwarding", *at("instances.tf", "can_ip_forward = true")),
        ("google-compute-disk-customer-key", *_boot_disk(0)),
        ("google-compute-instance-no-public-ip", *at("instances.tf", "access_config {}")),
        ("google-compute-instance-serial-port", *at("instances.tf", "= local.common_metadata")),
        (
            "google-compute-instance-block-project-ssh-keys",
            *at("instances.tf", "= local.common_metadata"),
        ),
        (
            "google-compute-instance-default-sa-full-scope",
            *at("instances.tf", "# full access"),
        ),
        ("google-compute-instance-shielded-vm", *at("instances.tf", "enable_vtpm        = false")),
        # worker (for_each): OS Login off, the default account by email, no secure boot
        ("google-compute-instance-secure-boot", *WORKER),
        ("google-compute-disk-customer-key", *_boot_disk(1)),
        (
            "google-compute-instance-block-project-ssh-keys",
            "instances.tf",
            at("instances.tf", 'enable-oslogin = "FALSE"')[1] - 1,
        ),
        ("google-compute-instance-os-login", *at("instances.tf", 'enable-oslogin = "FALSE"')),
        ("google-compute-instance-default-service-account", *at("instances.tf", "-compute@")),
        # the template: an N2D machine without Confidential Computing
        ("google-compute-instance-confidential", *BATCH),
        ("google-compute-disk-customer-key", *at("instances.tf", "  disk {")),
        (
            "google-compute-instance-shielded-vm",
            *at("instances.tf", "integrity_monitoring = false"),
        ),
        ("google-compute-disk-customer-key", *at("instances.tf", '"google_compute_disk" "data"')),
        # project metadata
        ("google-compute-project-metadata-os-login", *at("project.tf", "metadata = {")),
        ("google-compute-project-metadata-serial-port", *at("project.tf", "serial-port-enable")),
    ]
    assert triples(insecure) == sorted(expected)


def test_google_compute_instance_severities(insecure: ModuleResult) -> None:
    full = one(
        insecure,
        "google-compute-instance-default-sa-full-scope",
        at("instances.tf", "# full access"),
    )
    assert full.severity == Severity.HIGH
    info = one(insecure, "google-compute-instance-confidential", BATCH)
    assert info.severity == Severity.INFO
    # One instance, one service-account finding: the full-scope rule takes it.
    bastion = [f.rule_id for f in FAMILY.mine(insecure) if f.data["address"].endswith("bastion")]
    assert "google-compute-instance-default-service-account" not in bastion


def test_without_tfvars_the_serial_console_is_off(tmp_path: Path) -> None:
    project = tmp_path / "insecure"
    shutil.copytree(INSECURE, project)
    (project / "terraform.tfvars").unlink()
    found = {f.rule_id for f in FAMILY.mine(Engine().analyze_module(str(project)))}
    assert "google-compute-instance-serial-port" not in found
    # var.workers defaults to {}: the worker group has no instance at all.
    addresses = {f.data["address"] for f in FAMILY.mine(Engine().analyze_module(str(project)))}
    assert "google_compute_instance.worker" not in addresses


def test_project_os_login_silences_google_compute_instance_block_project_ssh_keys(
    tmp_path: Path,
) -> None:
    project = tmp_path / "insecure"
    shutil.copytree(INSECURE, project)
    (project / "project.tf").write_text(
        'resource "google_compute_project_metadata_item" "oslogin" {\n'
        '  key   = "enable-oslogin"\n'
        '  value = "TRUE"\n'
        "}\n",
        encoding="utf-8",
    )
    found = {f.rule_id for f in FAMILY.mine(Engine().analyze_module(str(project)))}
    assert "google-compute-instance-block-project-ssh-keys" not in found
    assert "google-compute-project-metadata-os-login" not in found
    # The worker still overrides it on the instance.
    assert "google-compute-instance-os-login" in found


def test_hardened_compute_project_has_no_findings() -> None:
    result = analyze_clean(HARDENED)
    assert [
        (f.rule_id, Path(f.path).name, f.range.start.line + 1) for f in result.all_findings()
    ] == []
