from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import literal_string
from tfguard.rules.kit.values import as_bool

# Arguments that hold a long-lived service principal credential.
CREDENTIALS = ("client_secret", "client_certificate_password", "client_certificate")
# Placeholders that are not credentials.
_PLACEHOLDERS = frozenset({"", "null", "none", "redacted", "changeme-not-used"})


class AzureProviderStaticCredentials(Rule):
    id = "azure-provider-static-credentials"
    title = "azurerm provider authenticates with a service principal secret or certificate"
    severity = Severity.MEDIUM
    rationale = (
        "client_secret (or a client certificate and its password) in the provider block "
        "means Terraform runs as a service principal with a long-lived credential: it is "
        "valid for months or years, usually holds Owner or Contributor on a subscription, "
        "and lives in variables, tfvars files and CI settings from which it leaks. Written "
        "literally it is already leaked to everyone with the repository."
    )
    remediation = (
        "Remove client_secret / client_certificate from the provider and authenticate with "
        "OIDC workload identity federation in CI (use_oidc = true with a federated "
        "credential on the app registration), a managed identity on self-hosted runners "
        "(use_msi = true), or the Azure CLI locally. Then delete the secret from the app "
        "registration."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/guides/service_principal_oidc",
        "https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation",
    )
    aliases = ()
    bad_example = """
variable "arm_client_secret" {
  type      = string
  sensitive = true
}

provider "azurerm" {
  features {}
  subscription_id = "00000000-0000-0000-0000-000000000000"
  tenant_id       = "11111111-1111-1111-1111-111111111111"
  client_id       = "22222222-2222-2222-2222-222222222222"
  client_secret   = var.arm_client_secret
}
"""
    good_example = """
provider "azurerm" {
  features {}
  subscription_id = "00000000-0000-0000-0000-000000000000"
  tenant_id       = "11111111-1111-1111-1111-111111111111"
  client_id       = "22222222-2222-2222-2222-222222222222"
  use_oidc        = true
}
"""
    fix_description = (
        "No automatic fix: a federated credential (or managed identity) must be set up for "
        "the pipeline before the secret can go."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for provider in module.providers:
            if provider.block.labels[:1] != ("azurerm",):
                continue
            attrs = [a for name in CREDENTIALS if (a := provider.attr(name)) is not None]
            if not attrs:
                continue
            literal = [
                a.name
                for a in attrs
                if (text := literal_string(a.value)) is not None
                and text.strip().lower() not in _PLACEHOLDERS
            ]
            oidc = as_bool(module.attr_value(provider, "use_oidc", False)) is True
            if literal:
                severity = Severity.CRITICAL
                how = f"a hard-coded {literal[0]}"
            else:
                severity = self.severity
                how = "a long-lived " + " and ".join(a.name for a in attrs)
            alias = module.attr_value(provider, "alias", None)
            label = 'provider "azurerm"' + (f" ({alias})" if isinstance(alias, str) else "")
            note = " (use_oidc is also set)" if oidc else ""
            yield ctx.report(
                provider,
                attrs[0],
                f"{label} authenticates with {how}{note}: use OIDC federation (use_oidc = "
                "true) or a managed identity instead",
                severity=severity,
                data={"attributes": [a.name for a in attrs], "literal": literal},
            )
