from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._network import narrow_sources_fixes, report_public
from tfguard.rules.kit.network import DATABASE_PORTS, RDP, SSH, Ingress, PortSpan

# Ports reported by the SSH, RDP and database rules (and every-port rules by their own).
_COVERED = frozenset({SSH, RDP, *DATABASE_PORTS})
# File transfer, remote shells, Windows file sharing, VNC, container and cluster control
# planes, admin consoles: high when public.
SENSITIVE_PORTS: dict[int, str] = {
    20: "FTP data",
    21: "FTP",
    23: "Telnet",
    135: "MS RPC",
    137: "NetBIOS",
    138: "NetBIOS",
    139: "NetBIOS",
    445: "SMB",
    2375: "Docker",
    2376: "Docker TLS",
    2379: "etcd",
    5601: "Kibana",
    5900: "VNC",
    7001: "WebLogic",
    8020: "HDFS",
    9300: "Elasticsearch transport",
    10250: "kubelet",
}
WEB_PORTS = frozenset({80, 443})


def _covered(span: PortSpan) -> bool:
    return span.all_ports or any(span.covers(p) for p in _COVERED)


def _describe(spans: list[PortSpan]) -> str:
    """``TCP ports 8080, 8443``, ``UDP port 53``, ``protocol esp``."""
    by_protocol: dict[str, list[str]] = {}
    others: list[str] = []
    for span in spans:
        if span.kind == "ports":
            text = str(span.low) if span.low == span.high else f"{span.low}-{span.high}"
            by_protocol.setdefault(span.protocol.upper(), []).append(text)
        elif span.kind == "other":
            others.append(f"protocol {span.protocol}")
    parts = [
        f"{protocol} port{'s' if len(ports) > 1 else ''} {', '.join(ports)}"
        for protocol, ports in by_protocol.items()
    ]
    return ", ".join(parts + others)


def _other(ingress: Ingress) -> str | None:
    spans = ingress.spans
    if spans is None or ingress.all_ports:
        return None
    if any(_covered(s) for s in spans):
        return None  # reported by the SSH, RDP or database rule
    return _describe(spans) or None


def _severity(ingress: Ingress) -> Severity:
    spans = [s for s in ingress.spans or [] if s.kind != "icmp"]
    if any(s.kind == "ports" and any(s.covers(p) for p in SENSITIVE_PORTS) for s in spans):
        return Severity.HIGH
    if spans and all(s.kind == "ports" and s.low == s.high and s.low in WEB_PORTS for s in spans):
        return Severity.LOW
    return Severity.MEDIUM


class GoogleComputeFirewallNoPublicIngress(Rule):
    id = "google-compute-firewall-no-public-ingress"
    title = "Firewall rule admits traffic from the whole internet"
    severity = Severity.MEDIUM
    rationale = (
        "An ingress rule open to 0.0.0.0/0 or ::/0 lets every host on the internet reach the "
        "ports it lists on the instances it targets. That is right for a public web front "
        "end and wrong for almost everything else: FTP, Telnet, SMB, VNC, Docker and kubelet "
        "APIs, admin consoles and custom application ports are scanned continuously. The "
        "severity follows the ports: high for file transfer, remote shells and control "
        "planes, low for a single HTTP/HTTPS port, medium otherwise. SSH, RDP, database "
        "ports and every-port rules have rules of their own."
    )
    remediation = (
        "Restrict source_ranges to the clients that need the service (or use source_tags / "
        "source_service_accounts inside the network), and put internet-facing HTTP(S) behind "
        "a load balancer, whose proxies reach the backends from 130.211.0.0/22 and "
        "35.191.0.0/16."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_firewall",
        "https://cloud.google.com/firewall/docs/firewalls",
        "https://cloud.google.com/load-balancing/docs/firewall-rules",
    )
    aliases = (
        "AVD-GCP-0027",
        "GCP-0027",
        "google-compute-no-public-ingress",
        "CKV_GCP_75",
        "CKV_GCP_77",
        "CKV_GCP_106",
    )
    bad_example = """
resource "google_compute_firewall" "ftp" {
  name    = "allow-ftp"
  network = "main"

  allow {
    protocol = "tcp"
    ports    = ["20-21"]
  }

  source_ranges = ["0.0.0.0/0"]
}
"""
    good_example = """
resource "google_compute_firewall" "lb_health_checks" {
  name    = "allow-lb-health-checks"
  network = "main"

  allow {
    protocol = "tcp"
    ports    = ["80", "443"]
  }

  source_ranges = ["130.211.0.0/22", "35.191.0.0/16"]
}

resource "google_compute_firewall" "ping" {
  name    = "allow-icmp"
  network = "main"

  allow {
    protocol = "icmp"
  }

  source_ranges = ["0.0.0.0/0"]
}
"""
    fix_description = (
        "Not preferred (both change who can connect): removes 0.0.0.0/0 and ::/0 from "
        "source_ranges when other ranges remain, or replaces the list with a new variable "
        "<rule>_source_ranges declared in variables.tf without a default. Public ICMP is not "
        "reported."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        yield from report_public(ctx, _other, "these ports", _severity)

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return narrow_sources_fixes(module, finding)
