from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._network import narrow_sources_fixes, not_all_ports, report_public
from tfguard.rules.kit.network import SSH, Ingress


def _ssh(ingress: Ingress) -> str | None:
    return "SSH (port 22)" if not_all_ports(ingress) and ingress.exposes([SSH]) else None


class GoogleComputeFirewallNoPublicSsh(Rule):
    id = "google-compute-firewall-no-public-ssh"
    title = "Firewall rule admits SSH from the whole internet"
    severity = Severity.CRITICAL
    rationale = (
        "A google_compute_firewall ingress rule that allows TCP port 22 from 0.0.0.0/0 or "
        "::/0 lets every host on the internet try to log in to the instances it targets (all "
        "instances of the network when target_tags and target_service_accounts are left "
        "out). Exposed SSH is scanned within minutes and brute-forced or hit with the next "
        "OpenSSH vulnerability; the network's other defences never get a say."
    )
    remediation = (
        "Restrict source_ranges to the ranges administrators connect from, or close the port "
        "and connect through Identity-Aware Proxy TCP forwarding (source range "
        "35.235.240.0/20) or OS Login behind a bastion."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_firewall",
        "https://cloud.google.com/iap/docs/using-tcp-forwarding",
        "https://cloud.google.com/firewall/docs/firewalls",
    )
    aliases = (
        "CKV_GCP_2",
        "AVD-GCP-0071",
        "GCP-0071",
        "google-compute-restrict-ssh-access",
    )
    bad_example = """
resource "google_compute_firewall" "ssh" {
  name    = "allow-ssh"
  network = "main"

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }

  source_ranges = ["0.0.0.0/0"]
}
"""
    good_example = """
resource "google_compute_firewall" "ssh" {
  name    = "allow-ssh-from-iap"
  network = "main"

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }

  source_ranges = ["35.235.240.0/20"]
  target_tags   = ["ssh"]
}

resource "google_compute_firewall" "ssh_off" {
  name     = "allow-ssh-break-glass"
  network  = "main"
  disabled = true

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }

  source_ranges = ["0.0.0.0/0"]
}
"""
    fix_description = (
        "Not preferred (both change who can connect): removes 0.0.0.0/0 and ::/0 from "
        "source_ranges when other ranges remain, or replaces the list with a new variable "
        "<rule>_source_ranges declared in variables.tf without a default, so a plan asks who "
        "may connect. Not offered when the open range comes from a variable or a local."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        yield from report_public(ctx, _ssh, "port 22")

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return narrow_sources_fixes(module, finding)
