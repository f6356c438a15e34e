from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, Value, as_string

_INSTANCES = (
    "google_compute_instance",
    "google_compute_instance_template",
    "google_compute_region_instance_template",
)
_CLUSTERS = ("google_container_cluster",)


def _is_default(value: Value) -> Value:
    text = as_string(value)
    if text is UNKNOWN:
        return UNKNOWN
    name = str(text).strip().rstrip("/")
    return name == "default" or name.endswith("/networks/default")


class GoogleComputeDefaultNetworkInUse(Rule):
    id = "google-compute-default-network-in-use"
    title = "Instance or cluster runs on the default network"
    severity = Severity.MEDIUM
    rationale = (
        "The default network of a project comes with the firewall rules default-allow-ssh and "
        "default-allow-rdp, open to 0.0.0.0/0 on every instance, and default-allow-internal, "
        "open between all of them. A VM whose network_interface names the default network, "
        "or a GKE cluster that leaves network unset (it then uses default), inherits those "
        "rules: its SSH and RDP ports are reachable from the internet unless someone deleted "
        "the rules by hand, which Terraform cannot see."
    )
    remediation = (
        "Create a custom-mode google_compute_network with explicit firewall rules and name it "
        "(or its subnetwork) in network_interface, or in the cluster's network and "
        "subnetwork; then delete the default network (google_project auto_create_network = "
        "false for new projects)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_instance#network",
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#network",
        "https://cloud.google.com/vpc/docs/vpc#default-network",
    )
    bad_example = """
resource "google_compute_instance" "web" {
  name         = "web"
  machine_type = "e2-small"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
  }
}
"""
    good_example = """
resource "google_compute_instance" "web" {
  name         = "web"
  machine_type = "e2-small"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "projects/app/regions/europe-west1/subnetworks/web"
  }
}
"""

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for entity in live(module, *_INSTANCES):
            for hit in lookup(module, entity, "network_interface.network"):
                if hit.present:
                    if _is_default(hit.value) is True:
                        yield ctx.report(
                            entity,
                            hit.anchor,
                            f"{entity.address} is attached to the default network, whose "
                            "firewall admits SSH and RDP from the internet",
                        )
                    continue
                if hit.missing != ("network",):
                    continue  # no network_interface at all
                sub = hit.holder.attr("subnetwork")
                if sub is not None and _is_default(module.cached_value(sub.value)) is True:
                    yield ctx.report(
                        entity,
                        sub,
                        f"{entity.address} is attached to the default subnetwork of the "
                        "default network, whose firewall admits SSH and RDP from the internet",
                    )
        for entity in live(module, *_CLUSTERS):
            attr = entity.attr("network")
            value = "default" if attr is None else module.cached_value(attr.value)
            if _is_default(value) is not True:
                continue
            how = (
                "leaves network unset (the default network)"
                if attr is None
                else ("runs on the default network")
            )
            yield ctx.report(
                entity,
                attr if attr is not None else entity.block,
                f"GKE cluster {entity.address} {how}, whose firewall admits SSH and RDP to "
                "its nodes from the internet",
            )
