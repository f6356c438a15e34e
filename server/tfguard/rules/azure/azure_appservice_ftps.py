from __future__ import annotations

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.azure._appservice import CURRENT_APPS, HEAD, LEGACY
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import OneOf
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.values import UNKNOWN, Value


class AzureAppserviceFtps(Check):
    id = "azure-appservice-ftps"
    title = "App Service allows plain FTP deployments"
    severity = Severity.MEDIUM
    rationale = (
        'ftps_state = "AllAllowed" lets deployment tools upload code over plain FTP: the '
        "publishing credentials and the code itself cross the network unencrypted, and a "
        "captured credential lets anyone replace the application."
    )
    remediation = (
        'Set site_config { ftps_state = "Disabled" } (the default for current web and '
        'function apps) or "FtpsOnly" if FTP deployment is still needed; prefer zip deploy '
        "or CI with Entra ID."
    )
    links = (
        docs("linux_web_app", "ftps_state"),
        "https://learn.microsoft.com/en-us/azure/app-service/deploy-ftp#enforce-ftps",
    )
    aliases = ("CKV_AZURE_78", "AVD-AZU-0071", "AZU-0071", "azure-appservice-enforce-ftps")
    bad_example = f"""
{HEAD}
  https_only          = true

  site_config {{
    ftps_state = "AllAllowed"
  }}
}}
"""
    good_example = f"""
{HEAD}
  https_only          = true

  site_config {{
    ftps_state = "FtpsOnly"
  }}
}}
"""
    resource_types = (*CURRENT_APPS, *LEGACY)
    attribute = "site_config.ftps_state"
    condition = OneOf("Disabled", "FtpsOnly")
    message = "{address} allows plain FTP ({attribute} = {value})"
    fix = SetValue(
        '"FtpsOnly"',
        "Allow FTPS only",
        "unsafe",
        consequence="deployment tools using plain FTP stop working",
    )
    fix_description = (
        'Sets ftps_state = "FtpsOnly". Unsafe: deployment tools using plain FTP stop '
        "working."
    )

    def default_for(self, module: Module, entity: Entity) -> Value:
        # azurerm 3.x and 4.x: "Disabled" for the current resources; the legacy ones leave
        # it to Azure (AllAllowed on old sites), which cannot be read from the code.
        return UNKNOWN if entity.type in LEGACY else "Disabled"
