from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleDnsZoneNoRsasha1(Check):
    id = "google-dns-zone-no-rsasha1"
    title = "DNSSEC key uses the RSASHA1 algorithm"
    severity = Severity.MEDIUM
    rationale = (
        "RSASHA1 signs with SHA-1, for which chosen-prefix collisions are practical; RFC 8624 "
        "says it must not be used for signing, and validating resolvers are dropping support, "
        "so a zone signed with it may be treated as insecure. Cloud DNS offers RSASHA256, "
        "RSASHA512 and ECDSA keys."
    )
    remediation = (
        'Set algorithm = "rsasha256" (or "ecdsap256sha256") in every '
        "dnssec_config.default_key_specs block, and roll the keys over."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/dns_managed_zone#algorithm",
        "https://cloud.google.com/dns/docs/dnssec-advanced",
        "https://www.rfc-editor.org/rfc/rfc8624",
    )
    aliases = (
        "CKV_GCP_17",
        "AVD-GCP-0012",
        "GCP-0012",
        "google-dns-no-rsa-sha1",
    )
    bad_example = """
resource "google_dns_managed_zone" "public" {
  name     = "example-com"
  dns_name = "example.com."

  dnssec_config {
    state = "on"

    default_key_specs {
      algorithm  = "rsasha1"
      key_length = 2048
      key_type   = "keySigning"
    }
  }
}
"""
    good_example = """
resource "google_dns_managed_zone" "public" {
  name     = "example-com"
  dns_name = "example.com."

  dnssec_config {
    state = "on"

    default_key_specs {
      algorithm  = "rsasha256"
      key_length = 2048
      key_type   = "keySigning"
    }
  }
}
"""
    resource_types = ("google_dns_managed_zone",)
    attribute = "dnssec_config.default_key_specs.algorithm"
    condition = NotEquals("rsasha1", ignore_case=True)
    message = "DNSSEC key spec of {address} uses {value}"
    fix = SetValue(
        '"rsasha256"',
        "Use RSASHA256",
        applicability="unsafe",
        consequence="the zone's keys roll over and the registrar's DS record must follow",
    )
    fix_description = (
        'Sets algorithm = "rsasha256" (not preferred: Cloud DNS rolls the zone\'s keys, and '
        "the DS record at the registrar must follow)."
    )
