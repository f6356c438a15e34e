from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureSecurityContactAlerts(Check):
    id = "azure-security-contact-alerts"
    title = "Defender for Cloud does not email its security alerts"
    severity = Severity.MEDIUM
    rationale = (
        "With alert_notifications = false, Defender for Cloud raises high-severity alerts "
        "(compromised VMs, credential theft, ransomware indicators) only in the portal; the "
        "security contact is never told, so an active attack can run unnoticed for days."
    )
    remediation = "Set alert_notifications = true on the azurerm_security_center_contact."
    links = (
        docs("security_center_contact", "alert_notifications"),
        "https://learn.microsoft.com/en-us/azure/defender-for-cloud/configure-email-notifications",
    )
    aliases = (
        "CKV_AZURE_21",
        "AVD-AZU-0044",
        "AZU-0044",
        "azure-securitycenter-alert-on-severe-notifications",
        "AVD-AZU-0063",
        "AZU-0063",
        "azure-securitycenter-email-alerts-disabled",
    )
    bad_example = """
resource "azurerm_security_center_contact" "main" {
  name  = "secops"
  email = "secops@contoso.com"
  alert_notifications = false
  alerts_to_admins    = true
}
"""
    good_example = """
resource "azurerm_security_center_contact" "main" {
  name  = "secops"
  email = "secops@contoso.com"
  alert_notifications = true
  alerts_to_admins    = true
}
"""
    resource_types = ("azurerm_security_center_contact",)
    attribute = "alert_notifications"
    condition = Equals(True)
    message = "Security contact {address} receives no alert emails ({attribute} = {value})"
    fix = SetValue("true", "Email security alerts")
