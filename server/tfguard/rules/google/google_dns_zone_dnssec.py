from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import Equals, OneOf
from tfguard.rules.kit.declarative import Check, SetValue, When
from tfguard.rules.kit.resources import ignores_changes


class GoogleDnsZoneDnssec(Check):
    id = "google-dns-zone-dnssec"
    title = "Public DNS zone does not enable DNSSEC"
    severity = Severity.MEDIUM
    rationale = (
        "Without DNSSEC, resolvers cannot tell a genuine answer for the zone from a forged "
        "one: cache poisoning and on-path attackers can redirect the domain's users, mail and "
        "certificate validation to their own servers. Cloud DNS signs a public zone only when "
        'dnssec_config.state is "on" (the default is "off").'
    )
    remediation = (
        'Add dnssec_config { state = "on" } to the public google_dns_managed_zone, then '
        "publish the DS record Cloud DNS shows at the domain's registrar."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/dns_managed_zone#dnssec_config",
        "https://cloud.google.com/dns/docs/dnssec-config",
    )
    aliases = (
        "CKV_GCP_16",
        "AVD-GCP-0013",
        "GCP-0013",
        "google-dns-enable-dnssec",
    )
    bad_example = """
resource "google_dns_managed_zone" "public" {
  name     = "example-com"
  dns_name = "example.com."
}
"""
    good_example = """
resource "google_dns_managed_zone" "public" {
  name     = "example-com"
  dns_name = "example.com."

  dnssec_config {
    state = "on"
  }
}

resource "google_dns_managed_zone" "internal" {
  name       = "internal"
  dns_name   = "internal.example.com."
  visibility = "private"

  private_visibility_config {
    networks {
      network_url = "projects/app/global/networks/main"
    }
  }
}
"""
    resource_types = ("google_dns_managed_zone",)
    attribute = "dnssec_config.state"
    condition = OneOf("on", "transfer")
    default = "off"  # google provider, all majors
    only_if = (When("visibility", Equals("public"), "public"),)
    message = "Public DNS zone {address} has DNSSEC {value}"
    missing_message = "Public DNS zone {address} does not enable DNSSEC"
    fix = SetValue('"on"', "Enable DNSSEC")
    fix_description = (
        'Sets dnssec_config.state = "on" (adding the block when needed). Resolvers validate '
        "the zone once its DS record is published at the registrar."
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        # DNSSEC managed outside Terraform (lifecycle ignore_changes) cannot be read here.
        return [e for e in super().subjects(module) if not ignores_changes(e, "dnssec_config")]
