from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureSecurityDefenderStandard(Check):
    id = "azure-security-defender-standard"
    title = "Microsoft Defender for Cloud plan is on the Free tier"
    severity = Severity.MEDIUM
    rationale = (
        "The Free tier of Defender for Cloud only assesses configuration; threat detection "
        "(alerts on brute force, malware, suspicious SQL, key vault access anomalies, "
        "crypto-mining on containers) needs the Standard tier of each plan. A plan declared "
        "in code on Free is a deliberate gap in detection for that resource type."
    )
    remediation = (
        'Set tier = "Standard" for the plan (VirtualMachines, SqlServers, StorageAccounts, '
        "KeyVaults, Containers, AppServices, Arm...), accepting its per-resource cost."
    )
    links = (
        docs("security_center_subscription_pricing", "tier"),
        "https://learn.microsoft.com/en-us/azure/defender-for-cloud/defender-for-cloud-introduction",
    )
    aliases = (
        "CKV_AZURE_19",
        "CKV_AZURE_55",
        "CKV_AZURE_61",
        "CKV_AZURE_69",
        "CKV_AZURE_79",
        "CKV_AZURE_84",
        "CKV_AZURE_85",
        "CKV_AZURE_86",
        "CKV_AZURE_87",
        "CKV_AZURE_234",
        "AVD-AZU-0045",
        "AZU-0045",
        "azure-securitycenter-enable-standard-subscription",
    )
    bad_example = """
resource "azurerm_security_center_subscription_pricing" "servers" {
  tier          = "Free"
  resource_type = "VirtualMachines"
}
"""
    good_example = """
resource "azurerm_security_center_subscription_pricing" "servers" {
  tier          = "Standard"
  resource_type = "VirtualMachines"
}
"""
    resource_types = ("azurerm_security_center_subscription_pricing",)
    attribute = "tier"
    condition = Equals("Standard", ignore_case=True)
    per_instance = True  # plans are often written once with for_each over a map
    message = "Defender plan {address} is on the {value} tier: threat detection is off"
    fix = SetValue(
        '"Standard"',
        "Use the Standard tier",
        "unsafe",
        consequence="the plan is billed per protected resource",
    )
    fix_description = 'Sets tier = "Standard". Unsafe: the plan is billed per resource.'
