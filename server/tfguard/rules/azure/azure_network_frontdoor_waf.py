from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Present
from tfguard.rules.kit.declarative import Check


class AzureNetworkFrontdoorWaf(Check):
    id = "azure-network-frontdoor-waf"
    title = "Front Door endpoint has no web application firewall policy"
    severity = Severity.MEDIUM
    rationale = (
        "A Front Door frontend endpoint is the internet-facing entry of the applications "
        "behind it. Without a WAF policy link, injection attacks, known exploit payloads and "
        "abusive bots pass the edge untouched and reach the origins, which often trust Front "
        "Door's traffic."
    )
    remediation = (
        "Set web_application_firewall_policy_link_id on each frontend_endpoint to an "
        "azurerm_frontdoor_firewall_policy in Prevention mode with the managed rule sets "
        "(or, on Front Door Standard/Premium, attach a policy with "
        "azurerm_cdn_frontdoor_security_policy)."
    )
    links = (
        docs("frontdoor", "web_application_firewall_policy_link_id"),
        "https://learn.microsoft.com/en-us/azure/web-application-firewall/afds/afds-overview",
    )
    aliases = ("CKV_AZURE_121",)
    bad_example = """
resource "azurerm_frontdoor" "web" {
  name                = "fd-web"
  resource_group_name = "rg-web"

  frontend_endpoint {
    name      = "web"
    host_name = "fd-web.azurefd.net"
  }
}
"""
    good_example = """
resource "azurerm_frontdoor" "web" {
  name                = "fd-web"
  resource_group_name = "rg-web"

  frontend_endpoint {
    name                                    = "web"
    host_name                               = "fd-web.azurefd.net"
    web_application_firewall_policy_link_id = azurerm_frontdoor_firewall_policy.web.id
  }
}
"""
    resource_types = ("azurerm_frontdoor",)
    attribute = "frontend_endpoint.web_application_firewall_policy_link_id"
    condition = Present()
    message = "Front Door {address} has an endpoint without a WAF policy"
    missing_message = (
        "Front Door {address} has an endpoint without a WAF policy "
        "(no web_application_firewall_policy_link_id)"
    )
    fix_description = "No automatic fix: the WAF policy must be created and tuned first."
