from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEquals, OneOf
from tfguard.rules.kit.declarative import Check, SetValue, When


class GoogleComputeSslPolicyTls(Check):
    id = "google-compute-ssl-policy-tls"
    title = "SSL policy accepts TLS versions older than 1.2"
    severity = Severity.MEDIUM
    rationale = (
        "A load balancer's SSL policy with min_tls_version TLS_1_0 or TLS_1_1 (TLS_1_0 is the "
        "default) negotiates protocol versions that are deprecated by RFC 8996, lack modern "
        "cipher suites and are refused by PCI DSS. Clients that can speak TLS 1.2 can be "
        "downgraded, and the COMPATIBLE profile keeps CBC and 3DES suites available."
    )
    remediation = (
        'Set min_tls_version = "TLS_1_2" on the google_compute_ssl_policy (with the MODERN '
        "or RESTRICTED profile)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_ssl_policy#min_tls_version",
        "https://cloud.google.com/load-balancing/docs/ssl-policies-concepts",
    )
    aliases = (
        "CKV_GCP_4",
        "AVD-GCP-0039",
        "GCP-0039",
        "google-compute-use-secure-tls-policy",
    )
    bad_example = """
resource "google_compute_ssl_policy" "web" {
  name    = "web"
  profile = "MODERN"
}
"""
    good_example = """
resource "google_compute_ssl_policy" "web" {
  name            = "web"
  profile         = "MODERN"
  min_tls_version = "TLS_1_2"
}
"""
    resource_types = ("google_compute_ssl_policy",)
    attribute = "min_tls_version"
    condition = OneOf("TLS_1_2", "TLS_1_3")
    default = "TLS_1_0"  # google provider, all majors
    # The RESTRICTED profile offers only TLS 1.2 suites, whatever the minimum says.
    only_if = (When("profile", NotEquals("RESTRICTED"), "COMPATIBLE"),)
    message = "SSL policy {address} accepts {value}"
    missing_message = "SSL policy {address} accepts TLS 1.0 and 1.1 (min_tls_version not set)"
    fix = SetValue(
        '"TLS_1_2"',
        "Require TLS 1.2",
        applicability="unsafe",
        consequence="clients limited to TLS 1.0/1.1 can no longer connect",
    )
    fix_description = (
        'Sets min_tls_version = "TLS_1_2" (not preferred: clients limited to TLS 1.0/1.1 '
        "can no longer connect)."
    )
