from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live


class AzureNetworkAppgwWaf(Check):
    id = "azure-network-appgw-waf"
    title = "Application Gateway does not run a web application firewall"
    severity = Severity.MEDIUM
    rationale = (
        "An Application Gateway publishes web applications to the internet. Without its WAF "
        "(a waf_configuration with enabled = true, or a firewall policy), requests carrying "
        "SQL injection, cross-site scripting, Log4Shell-style payloads or bot traffic reach "
        "the backends unfiltered; the OWASP core rule set blocks most of them at the edge."
    )
    remediation = (
        "Use the WAF_v2 sku tier and attach an azurerm_web_application_firewall_policy with "
        'firewall_policy_id (policy_settings mode "Prevention"), or set '
        "waf_configuration { enabled = true }."
    )
    links = (
        docs("application_gateway", "waf_configuration"),
        docs("web_application_firewall_policy"),
        "https://learn.microsoft.com/en-us/azure/web-application-firewall/ag/ag-overview",
    )
    aliases = ("CKV_AZURE_120",)
    bad_example = """
resource "azurerm_application_gateway" "web" {
  name                = "agw-web"
  location            = "westeurope"
  resource_group_name = "rg-web"

  sku {
    name     = "WAF_v2"
    tier     = "WAF_v2"
    capacity = 2
  }

  waf_configuration {
    enabled          = false
    firewall_mode    = "Prevention"
    rule_set_version = "3.2"
  }
}
"""
    good_example = """
resource "azurerm_application_gateway" "web" {
  name                = "agw-web"
  location            = "westeurope"
  resource_group_name = "rg-web"
  firewall_policy_id  = azurerm_web_application_firewall_policy.web.id

  sku {
    name     = "WAF_v2"
    tier     = "WAF_v2"
    capacity = 2
  }
}

resource "azurerm_application_gateway" "internal" {
  name                = "agw-internal"
  location            = "westeurope"
  resource_group_name = "rg-web"

  sku {
    name     = "WAF_v2"
    tier     = "WAF_v2"
    capacity = 2
  }

  waf_configuration {
    enabled          = true
    firewall_mode    = "Prevention"
    rule_set_version = "3.2"
  }
}
"""
    resource_types = ("azurerm_application_gateway",)
    attribute = "waf_configuration.enabled"
    condition = Equals(True)
    message = "Application Gateway {address} has its WAF turned off ({attribute} = {value})"
    missing_message = (
        "Application Gateway {address} runs no WAF: no firewall_policy_id and no waf_configuration"
    )
    fix_description = (
        "No automatic fix: a WAF needs the WAF_v2 tier and a policy tuned for the "
        "application (Detection mode first, then Prevention)."
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        # A firewall policy attached to the gateway (or to every listener) is a WAF too.
        return [
            e
            for e in live(module, *self.resource_types)
            if e.attr("firewall_policy_id") is None
            and not all(h.present for h in lookup(module, e, "http_listener.firewall_policy_id"))
        ]
