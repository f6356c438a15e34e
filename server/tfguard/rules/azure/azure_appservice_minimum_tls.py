from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._appservice import ALL_APPS, HEAD
from tfguard.rules.azure._support import AliasedCheck, docs
from tfguard.rules.kit.conditions import OneOf
from tfguard.rules.kit.declarative import SetValue


class AzureAppserviceMinimumTls(AliasedCheck):
    id = "azure-appservice-minimum-tls"
    title = "App Service accepts TLS versions older than 1.2"
    severity = Severity.MEDIUM
    rationale = (
        "TLS 1.0 and 1.1 are deprecated (RFC 8996) and fail PCI DSS; an app that accepts "
        "them lets old or downgraded clients send credentials and data over protocols with "
        "known weaknesses."
    )
    remediation = (
        'Set site_config { minimum_tls_version = "1.2" } (min_tls_version on the legacy '
        "azurerm_app_service and azurerm_function_app); it defaults to 1.2."
    )
    links = (
        docs("linux_web_app", "minimum_tls_version"),
        "https://learn.microsoft.com/en-us/azure/app-service/overview-tls",
    )
    aliases = (
        "CKV_AZURE_15",
        "CKV_AZURE_145",
        "CKV_AZURE_154",
        "AVD-AZU-0006",
        "AZU-0006",
        "azure-appservice-use-secure-tls-policy",
    )
    bad_example = f"""
{HEAD}
  https_only          = true

  site_config {{
    minimum_tls_version = "1.0"
  }}
}}
"""
    good_example = f"""
{HEAD}
  https_only          = true

  site_config {{
    minimum_tls_version = "1.2"
  }}
}}
"""
    resource_types = ALL_APPS
    attributes = ("site_config.minimum_tls_version", "site_config.min_tls_version")
    condition = OneOf("1.2", "1.3")
    default = "1.2"  # azurerm 3.x and 4.x: 1.2
    message = "{address} accepts TLS {value}: {attribute} {requirement}"
    fix = SetValue(
        '"1.2"',
        "Require TLS 1.2",
        "unsafe",
        consequence="clients limited to TLS 1.0 or 1.1 can no longer connect",
    )
