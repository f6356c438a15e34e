from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._appservice import ALL_APPS, HEAD
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureAppserviceHttpsOnly(Check):
    id = "azure-appservice-https-only"
    title = "App Service or Function App accepts plain HTTP"
    severity = Severity.HIGH
    rationale = (
        "Without https_only, the app answers plain HTTP: session cookies, bearer tokens, "
        "form posts and function keys travel unencrypted and can be captured or modified on "
        "any network between the user and Azure. With it, App Service redirects HTTP to "
        "HTTPS before the app sees the request."
    )
    remediation = "Set https_only = true (it defaults to false)."
    links = (
        docs("linux_web_app", "https_only"),
        "https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-bindings#enforce-https",
    )
    aliases = (
        "CKV_AZURE_14",
        "CKV_AZURE_70",
        "CKV_AZURE_153",
        "AVD-AZU-0004",
        "AZU-0004",
        "azure-appservice-enforce-https",
        "AVD-AZU-0072",
        "AZU-0072",
        "azure-appservice-web-app-https-only",
    )
    bad_example = f"""
{HEAD}

  site_config {{}}
}}
"""
    good_example = f"""
{HEAD}
  https_only          = true

  site_config {{}}
}}
"""
    resource_types = ALL_APPS
    attribute = "https_only"
    condition = Equals(True)
    default = False  # azurerm 3.x and 4.x: false
    message = "{address} accepts plain HTTP ({attribute} = {value})"
    missing_message = "{address} accepts plain HTTP: https_only defaults to false"
    fix = SetValue(
        "true",
        "Redirect HTTP to HTTPS",
        "unsafe",
        consequence="clients that call the app over plain HTTP are redirected",
    )
