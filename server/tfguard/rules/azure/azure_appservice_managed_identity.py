from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._appservice import ALL_APPS, HEAD
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Present
from tfguard.rules.kit.declarative import Check, InsertBlock


class AzureAppserviceManagedIdentity(Check):
    id = "azure-appservice-managed-identity"
    title = "App Service has no managed identity"
    severity = Severity.LOW
    rationale = (
        "An app without a managed identity must hold secrets (storage keys, SQL passwords, "
        "client secrets) in app settings or code to call other Azure services; those leak "
        "through the portal, deployment logs and backups. A managed identity gets tokens "
        "from the platform with nothing to store or rotate."
    )
    remediation = (
        'Add identity { type = "SystemAssigned" } (or a user-assigned identity) and grant it '
        "roles on the resources the app calls, then remove the stored secrets."
    )
    links = (
        docs("linux_web_app", "identity"),
        "https://learn.microsoft.com/en-us/azure/app-service/overview-managed-identity",
    )
    aliases = (
        "CKV_AZURE_16",
        "AVD-AZU-0002",
        "AZU-0002",
        "azure-appservice-account-identity-registered",
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

  site_config {{}}

  identity {{
    type = "SystemAssigned"
  }}
}}
"""
    resource_types = ALL_APPS
    attribute = "identity"
    condition = Present()
    message = "{address} has no managed identity"
    missing_message = "{address} has no managed identity (no identity block)"
    fix = InsertBlock('identity {\n  type = "SystemAssigned"\n}', "Add a system-assigned identity")
    fix_description = 'Adds identity { type = "SystemAssigned" }.'
