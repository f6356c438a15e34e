from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._network import narrow_sources_fixes, not_all_ports, report_public
from tfguard.rules.kit.network import RDP, Ingress


def _rdp(ingress: Ingress) -> str | None:
    return "RDP (port 3389)" if not_all_ports(ingress) and ingress.exposes([RDP]) else None


class GoogleComputeFirewallNoPublicRdp(Rule):
    id = "google-compute-firewall-no-public-rdp"
    title = "Firewall rule admits RDP from the whole internet"
    severity = Severity.CRITICAL
    rationale = (
        "A google_compute_firewall ingress rule that allows port 3389 (TCP or UDP) from "
        "0.0.0.0/0 or ::/0 puts the Windows remote desktop of every instance it targets on "
        "the internet. RDP is among the most attacked services: credential stuffing and "
        "pre-authentication vulnerabilities (BlueKeep) turn it into the first step of "
        "ransomware intrusions."
    )
    remediation = (
        "Restrict source_ranges to the administrators' ranges, or close the port and reach "
        "the instances through Identity-Aware Proxy TCP forwarding (source range "
        "35.235.240.0/20) or a bastion."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_firewall",
        "https://cloud.google.com/compute/docs/instances/connecting-to-windows",
        "https://cloud.google.com/iap/docs/using-tcp-forwarding",
    )
    aliases = (
        "CKV_GCP_3",
        "AVD-GCP-0070",
        "GCP-0070",
        "google-compute-no-open-rdp-access",
    )
    bad_example = """
resource "google_compute_firewall" "rdp" {
  name    = "allow-rdp"
  network = "main"

  allow {
    protocol = "tcp"
    ports    = ["3389"]
  }

  source_ranges = ["0.0.0.0/0", "::/0"]
}
"""
    good_example = """
resource "google_compute_firewall" "rdp" {
  name    = "allow-rdp-from-iap"
  network = "main"

  allow {
    protocol = "tcp"
    ports    = ["3389"]
  }

  source_ranges = ["35.235.240.0/20"]
}

resource "google_compute_firewall" "block_rdp" {
  name    = "deny-rdp"
  network = "main"

  deny {
    protocol = "tcp"
    ports    = ["3389"]
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
        yield from report_public(ctx, _rdp, "port 3389")

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return narrow_sources_fixes(module, finding)
