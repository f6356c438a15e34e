from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.values import UNKNOWN


class GoogleGkeReleaseChannel(Check):
    id = "google-gke-release-channel"
    title = "GKE cluster opts out of release channels"
    severity = Severity.LOW
    rationale = (
        'release_channel { channel = "UNSPECIFIED" } takes the cluster off GKE\'s release '
        "channels: node versions and security patches are then applied only when someone "
        "upgrades by hand, and the cluster drifts towards versions that leave support. A "
        "cluster created without a release_channel block is enrolled in a channel by GKE, "
        "so only the explicit opt-out is reported."
    )
    remediation = (
        'Set release_channel { channel = "REGULAR" } (or STABLE / RAPID) and control timing '
        "with maintenance windows and exclusions."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#release_channel",
        "https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels",
    )
    aliases = ("CKV_GCP_70",)
    bad_example = """
resource "google_container_cluster" "main" {
  name                     = "main"
  location                 = "europe-west1"
  network                  = "main"
  subnetwork               = "gke"
  remove_default_node_pool = true
  initial_node_count       = 1

  release_channel {
    channel = "UNSPECIFIED"
  }
}
"""
    good_example = """
resource "google_container_cluster" "main" {
  name                     = "main"
  location                 = "europe-west1"
  network                  = "main"
  subnetwork               = "gke"
  remove_default_node_pool = true
  initial_node_count       = 1

  release_channel {
    channel = "REGULAR"
  }
}
"""
    resource_types = ("google_container_cluster",)
    attribute = "release_channel.channel"
    condition = NotEquals("UNSPECIFIED")
    default = UNKNOWN  # left out: GKE enrols the cluster in a channel
    message = "GKE cluster {address} is not enrolled in a release channel"
    fix = SetValue(
        '"REGULAR"',
        "Enrol the cluster in the REGULAR channel",
        applicability="unsafe",
        consequence="GKE upgrades the cluster on the channel's schedule",
    )
    fix_description = (
        'Sets release_channel.channel = "REGULAR" (not preferred: GKE then upgrades the '
        "cluster and its nodes on the channel's schedule)."
    )
