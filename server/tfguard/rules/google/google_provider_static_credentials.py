from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._support import PROVIDER_NAMES
from tfguard.syntax import FunctionCall


class GoogleProviderStaticCredentials(Rule):
    id = "google-provider-static-credentials"
    title = "Google provider authenticates with a service-account key"
    severity = Severity.MEDIUM
    rationale = (
        'credentials in a provider "google" block (a key file path, file(...), a '
        "variable or the JSON itself) means Terraform runs with a long-lived "
        "service-account key. Such keys never expire, usually belong to a highly privileged "
        "deployment account, and live in CI secrets, laptops and sometimes the repository, "
        "which is where they leak from. Short-lived credentials remove the key altogether."
    )
    remediation = (
        "Remove credentials: in CI use workload identity federation (for example "
        "google-github-actions/auth with workload_identity_provider), locally use "
        "gcloud auth application-default login, and switch identities with "
        "impersonate_service_account. Then delete the key."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/guides/provider_reference#authentication",
        "https://cloud.google.com/iam/docs/workload-identity-federation-with-deployment-pipelines",
        "https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys",
    )
    bad_example = """
provider "google" {
  project     = "shop-prod-4a1c"
  region      = "europe-west1"
  credentials = file("terraform-deployer.json")
}
"""
    good_example = """
provider "google" {
  project                     = "shop-prod-4a1c"
  region                      = "europe-west1"
  impersonate_service_account = "terraform@shop-prod-4a1c.iam.gserviceaccount.com"
}
"""
    fix_description = (
        "No automatic fix: the pipeline must first authenticate another way (workload "
        "identity federation or impersonation)."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for provider in ctx.module.providers:
            if not provider.block.labels or provider.block.labels[0] not in PROVIDER_NAMES:
                continue
            attr = provider.attr("credentials")
            if attr is None:
                continue
            value = ctx.module.cached_value(attr.value)
            if value is None:
                continue  # credentials = null: Application Default Credentials
            if isinstance(value, str) and "private_key" in value:
                continue  # key JSON written in place: terraform-secret-key-material reports it
            how = "a key file" if isinstance(attr.value, FunctionCall) else "a service-account key"
            yield ctx.report(
                provider,
                attr,
                f'provider "{provider.block.labels[0]}" authenticates with {how} '
                "(credentials): a long-lived key instead of short-lived credentials",
            )
