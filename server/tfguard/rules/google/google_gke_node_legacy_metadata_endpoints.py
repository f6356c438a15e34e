from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._gke import NodeCheck
from tfguard.rules.kit.conditions import Equals


class GoogleGkeNodeLegacyMetadataEndpoints(NodeCheck):
    id = "google-gke-node-legacy-metadata-endpoints"
    title = "GKE node pool re-enables the legacy metadata endpoints"
    severity = Severity.HIGH
    rationale = (
        "The v0.1 and v1beta1 metadata endpoints answer without the Metadata-Flavor header, "
        "so a server-side request forgery in any pod (an image fetcher, a webhook) can read "
        "the node's service-account token and kube-env. GKE disables them by default; "
        'metadata = { disable-legacy-endpoints = "false" } turns them back on.'
    )
    remediation = 'Remove disable-legacy-endpoints from node_config.metadata, or set it to "true".'
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#metadata",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/protecting-cluster-metadata#disable-legacy-apis",
    )
    aliases = (
        "AVD-GCP-0048",
        "GCP-0048",
        "google-gke-metadata-endpoints-disabled",
    )
    bad_example = """
resource "google_container_node_pool" "general" {
  name     = "general"
  cluster  = "projects/app/locations/europe-west1/clusters/main"
  location = "europe-west1"

  node_config {
    machine_type    = "e2-standard-4"
    service_account = "gke-nodes@app.iam.gserviceaccount.com"

    metadata = {
      disable-legacy-endpoints = "false"
    }
  }
}
"""
    good_example = """
resource "google_container_node_pool" "general" {
  name     = "general"
  cluster  = "projects/app/locations/europe-west1/clusters/main"
  location = "europe-west1"

  node_config {
    machine_type    = "e2-standard-4"
    service_account = "gke-nodes@app.iam.gserviceaccount.com"

    metadata = {
      disable-legacy-endpoints = "true"
    }
  }
}
"""
    attribute = "node_config.metadata.disable-legacy-endpoints"
    condition = Equals(True)
    default = True  # GKE 1.12 and later
    message = "{pool} re-enables the legacy metadata endpoints"
    fix_description = (
        'No automatic fix: the value sits in the metadata map; set it to "true" or remove '
        "the key (the node pool is re-created)."
    )
