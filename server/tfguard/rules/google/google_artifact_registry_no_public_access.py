from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.google._iam import ARTIFACT_THINGS
from tfguard.rules.google._public_iam import PublicIamRule


class GoogleArtifactRegistryNoPublicAccess(PublicIamRule):
    id = "google-artifact-registry-no-public-access"
    title = "Artifact Registry repository is accessible to allUsers or allAuthenticatedUsers"
    severity = Severity.HIGH
    rationale = (
        "A public reader role publishes every image and package of the repository: "
        "proprietary code, internal hostnames and the secrets that too often end up baked "
        "into image layers. A public writer role is worse: anyone can push a poisoned image "
        "that clusters then pull and run."
    )
    remediation = (
        "Remove allUsers / allAuthenticatedUsers; grant roles/artifactregistry.reader to the "
        "node and CI service accounts that pull, and use a separate repository for images "
        "that are meant to be public."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/artifact_registry_repository_iam",
        "https://cloud.google.com/artifact-registry/docs/access-control",
    )
    aliases = ("CKV_GCP_101",)
    bad_example = """
resource "google_artifact_registry_repository_iam_member" "public" {
  location   = "europe"
  repository = "images"
  role       = "roles/artifactregistry.reader"
  member     = "allUsers"
}
"""
    good_example = """
resource "google_artifact_registry_repository_iam_member" "nodes" {
  location   = "europe"
  repository = "images"
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:gke-nodes@shop-prod-4a1c.iam.gserviceaccount.com"
}
"""
    things = ARTIFACT_THINGS
    what = "Artifact Registry repository"
