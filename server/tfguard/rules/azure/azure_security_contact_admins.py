from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureSecurityContactAdmins(Check):
    id = "azure-security-contact-admins"
    title = "Defender for Cloud alerts are not sent to subscription owners"
    severity = Severity.LOW
    rationale = (
        "A single security contact address is a single point of failure (a left employee, "
        "a full mailbox). alerts_to_admins also sends high-severity alerts to the "
        "subscription's owners, who can act on them."
    )
    remediation = "Set alerts_to_admins = true on the azurerm_security_center_contact."
    links = (
        docs("security_center_contact", "alerts_to_admins"),
        "https://learn.microsoft.com/en-us/azure/defender-for-cloud/configure-email-notifications",
    )
    aliases = ("CKV_AZURE_22",)
    bad_example = """
resource "azurerm_security_center_contact" "main" {
  name  = "secops"
  email = "secops@contoso.com"
  alert_notifications = true
  alerts_to_admins    = false
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
    attribute = "alerts_to_admins"
    condition = Equals(True)
    message = "Security contact {address} does not copy subscription owners ({attribute} = {value})"
    fix = SetValue("true", "Send alerts to subscription owners")
