from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._appservice import ALL_APPS, HEAD
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureAppserviceHttp2(Check):
    id = "azure-appservice-http2"
    title = "App Service does not offer HTTP/2"
    severity = Severity.INFO
    rationale = (
        "HTTP/2 is only offered over TLS and fixes head-of-line blocking and header "
        "overhead of HTTP/1.1; several scanners and benchmarks ask for it. It is a hardening "
        "and performance setting more than a vulnerability, hence informational."
    )
    remediation = "Set site_config { http2_enabled = true }."
    links = (
        docs("linux_web_app", "http2_enabled"),
        "https://learn.microsoft.com/en-us/azure/app-service/configure-common#configure-general-settings",
    )
    aliases = (
        "CKV_AZURE_18",
        "CKV_AZURE_67",
        "AVD-AZU-0005",
        "AZU-0005",
        "azure-appservice-enable-http2",
    )
    bad_example = f"""
{HEAD}
  https_only          = true

  site_config {{}}
}}
"""
    good_example = f"""
{HEAD}
  https_only          = true

  site_config {{
    http2_enabled = true
  }}
}}
"""
    resource_types = ALL_APPS
    attribute = "site_config.http2_enabled"
    condition = Equals(True)
    default = False  # azurerm 3.x and 4.x: false
    message = "{address} does not offer HTTP/2 ({attribute} = {value})"
    missing_message = "{address} does not offer HTTP/2"
    fix = SetValue("true", "Enable HTTP/2")
