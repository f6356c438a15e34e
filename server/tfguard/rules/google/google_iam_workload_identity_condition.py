from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEmpty, Present
from tfguard.rules.kit.declarative import Check, When


class GoogleIamWorkloadIdentityCondition(Check):
    id = "google-iam-workload-identity-condition"
    title = "Workload identity provider accepts tokens without an attribute condition"
    severity = Severity.HIGH
    rationale = (
        "An OIDC workload identity pool provider for a shared issuer (GitHub Actions, "
        "GitLab, Terraform Cloud) without attribute_condition accepts a token from any "
        "repository or organization on that platform: anyone can write a workflow that "
        "exchanges its token for access to the pool, and every service account the pool is "
        "allowed to impersonate is then theirs. The condition is what ties the pool to your "
        "repositories."
    )
    remediation = (
        'Set attribute_condition, for example assertion.repository_owner == "my-org" (and '
        "restrict the service accounts' principalSet bindings to specific repositories)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/iam_workload_identity_pool_provider#attribute_condition",
        "https://cloud.google.com/iam/docs/workload-identity-federation-with-deployment-pipelines#conditions",
    )
    aliases = (
        "CKV_GCP_118",
        "AVD-GCP-0068",
        "GCP-0068",
        "google-iam-no-conditions-workload-identity-pool-provider",
    )
    bad_example = """
resource "google_iam_workload_identity_pool_provider" "github" {
  workload_identity_pool_id          = "ci"
  workload_identity_pool_provider_id = "github"

  attribute_mapping = {
    "google.subject"       = "assertion.sub"
    "attribute.repository" = "assertion.repository"
  }

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}
"""
    good_example = """
resource "google_iam_workload_identity_pool_provider" "github" {
  workload_identity_pool_id          = "ci"
  workload_identity_pool_provider_id = "github"
  attribute_condition                = "assertion.repository_owner == \\"shop-org\\""

  attribute_mapping = {
    "google.subject"       = "assertion.sub"
    "attribute.repository" = "assertion.repository"
  }

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}
"""
    resource_types = ("google_iam_workload_identity_pool_provider",)
    attribute = "attribute_condition"
    condition = NotEmpty()
    # OIDC providers: an AWS or SAML provider trusts one account or IdP already.
    only_if = (When("oidc", Present()),)
    message = "Workload identity provider {address} has an empty attribute_condition"
    missing_message = (
        "Workload identity provider {address} has no attribute_condition: any identity of the "
        "issuer can use the pool"
    )
    fix_description = "No automatic fix: the condition names your organization or repositories."
