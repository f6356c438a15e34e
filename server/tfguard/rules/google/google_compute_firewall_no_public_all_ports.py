from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._network import narrow_sources_fixes, report_public
from tfguard.rules.kit.network import Ingress


def _all(ingress: Ingress) -> str | None:
    if not ingress.all_ports or ingress.spans is None:
        return None
    if any(s.kind == "all" for s in ingress.spans):
        return "every protocol and port"
    protocols = sorted({s.protocol.upper() for s in ingress.spans if s.all_ports})
    return f"every {'/'.join(protocols)} port"


class GoogleComputeFirewallNoPublicAllPorts(Rule):
    id = "google-compute-firewall-no-public-all-ports"
    title = "Firewall rule admits every port from the whole internet"
    severity = Severity.CRITICAL
    rationale = (
        'An allow block with protocol "all", or TCP/UDP without ports (or 0-65535), from '
        "0.0.0.0/0 or ::/0 exposes every service the targeted instances run, including the "
        "ones nobody meant to publish: SSH and RDP, databases, debug and metrics endpoints, "
        "the kubelet. Anything listening becomes reachable from the internet, and the rule "
        "keeps exposing whatever is installed later."
    )
    remediation = (
        'List only the ports the service needs in allow.ports (for example ["443"]) and '
        "restrict source_ranges to the clients that need them."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_firewall#allow",
        "https://cloud.google.com/firewall/docs/firewalls",
    )
    aliases = (
        "CKV2_GCP_12",
        "AVD-GCP-0072",
        "GCP-0072",
        "google-compute-disable-allow-all-ports",
    )
    bad_example = """
resource "google_compute_firewall" "open" {
  name    = "allow-everything"
  network = "main"

  allow {
    protocol = "all"
  }

  source_ranges = ["0.0.0.0/0"]
}
"""
    good_example = """
resource "google_compute_firewall" "web" {
  name    = "allow-https"
  network = "main"

  allow {
    protocol = "tcp"
    ports    = ["443"]
  }

  source_ranges = ["0.0.0.0/0"]
  target_tags   = ["web"]
}

resource "google_compute_firewall" "internal" {
  name    = "allow-internal"
  network = "main"

  allow {
    protocol = "all"
  }

  source_ranges = ["10.0.0.0/8"]
}
"""
    fix_description = (
        "Not preferred (both change who can connect): removes 0.0.0.0/0 and ::/0 from "
        "source_ranges when other ranges remain, or replaces the list with a new variable "
        "<rule>_source_ranges declared in variables.tf without a default. Listing the ports "
        "the service needs is left to the author."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        yield from report_public(ctx, _all, "every port")

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return narrow_sources_fixes(module, finding)
