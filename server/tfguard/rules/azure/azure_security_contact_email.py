from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check


class AzureSecurityContactEmail(Check):
    id = "azure-security-contact-email"
    title = "Defender for Cloud security contact has no email address"
    severity = Severity.LOW
    rationale = (
        "Microsoft uses the security contact's email address to reach you about "
        "compromised resources and to deliver Defender alerts. An empty address means "
        "nobody is told."
    )
    remediation = "Set email to a monitored team mailbox (not a person's address)."
    links = (
        docs("security_center_contact", "email"),
        "https://learn.microsoft.com/en-us/azure/defender-for-cloud/configure-email-notifications",
    )
    aliases = (
        "CKV_AZURE_131",
        "AVD-AZU-0062",
        "AZU-0062",
        "azure-securitycenter-security-contact-email",
    )
    bad_example = """
resource "azurerm_security_center_contact" "main" {
  name                = "secops"
  email               = ""
  alert_notifications = true
  alerts_to_admins    = true
}
"""
    good_example = """
resource "azurerm_security_center_contact" "main" {
  name                = "secops"
  email               = "secops@contoso.com"
  alert_notifications = true
  alerts_to_admins    = true
}
"""
    resource_types = ("azurerm_security_center_contact",)
    attribute = "email"
    condition = NotEmpty()
    message = "Security contact {address} has an empty email address"
    missing_message = "Security contact {address} has no email address"
    fix_description = "No automatic fix: the mailbox must be chosen."
