from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.azure._appservice import ALL_APPS, HEAD
from tfguard.rules.azure._support import AliasedCheck, docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_string

# The legacy function apps say it with client_cert_mode alone.
_MODE_ONLY = ("azurerm_function_app", "azurerm_function_app_slot")


class AzureAppserviceClientCertificates(AliasedCheck):
    id = "azure-appservice-client-certificates"
    title = "App Service does not require client certificates"
    severity = Severity.LOW
    rationale = (
        "For APIs called by known systems (partners, devices, internal services), mutual TLS "
        "rejects callers without a trusted certificate before any application code runs, "
        "which stops credential stuffing and token replay from arbitrary hosts. Apps serving "
        "browsers usually cannot use it, hence the low severity."
    )
    remediation = (
        "Set client_certificate_enabled = true (client_cert_enabled on the legacy "
        'resources) with client_certificate_mode = "Required", and validate the certificate '
        "in the app."
    )
    links = (
        docs("linux_web_app", "client_certificate_enabled"),
        "https://learn.microsoft.com/en-us/azure/app-service/app-service-web-configure-tls-mutual-auth",
    )
    aliases = (
        "CKV_AZURE_17",
        "AVD-AZU-0001",
        "AZU-0001",
        "azure-appservice-require-client-cert",
    )
    bad_example = f"""
{HEAD}
  https_only          = true

  site_config {{}}
}}
"""
    good_example = f"""
{HEAD}
  https_only                 = true
  client_certificate_enabled = true
  client_certificate_mode    = "Required"

  site_config {{}}
}}
"""
    resource_types = ALL_APPS
    attributes = ("client_certificate_enabled", "client_cert_enabled")
    condition = Equals(True)
    default = False  # azurerm 3.x and 4.x: false
    message = "{address} does not require client certificates ({attribute} = {value})"
    missing_message = "{address} does not require client certificates"
    fix_description = (
        "No automatic fix: every caller needs a certificate first, and browser-facing apps "
        "cannot require one."
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        out = []
        for app in live(module, *self.resource_types):
            if app.type in _MODE_ONLY and app.attr("client_cert_mode") is not None:
                mode = as_string(module.attr_value(app, "client_cert_mode"))
                if not isinstance(mode, str) or mode.lower() == "required":
                    continue  # required (or unknown)
            out.append(app)
        return out
