from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._appservice import ALL_APPS, HEAD
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class AzureAppserviceRemoteDebugging(Check):
    id = "azure-appservice-remote-debugging"
    title = "App Service has remote debugging enabled"
    severity = Severity.HIGH
    rationale = (
        "Remote debugging opens debugger ports on the app's instances and lets an attached "
        "debugger read memory (secrets, tokens, customer data) and change execution. It is "
        "meant for short sessions and is often left on after one."
    )
    remediation = "Set site_config { remote_debugging_enabled = false } (the default)."
    links = (
        docs("linux_web_app", "remote_debugging_enabled"),
        "https://learn.microsoft.com/en-us/visualstudio/debugger/remote-debugging-azure-app-service",
    )
    aliases = ("CKV_AZURE_72", "CKV_AZURE_155")
    bad_example = f"""
{HEAD}
  https_only          = true

  site_config {{
    remote_debugging_enabled = true
  }}
}}
"""
    good_example = f"""
{HEAD}
  https_only          = true

  site_config {{
    remote_debugging_enabled = false
  }}
}}
"""
    resource_types = ALL_APPS
    attribute = "site_config.remote_debugging_enabled"
    condition = Equals(False)
    default = False  # azurerm 3.x and 4.x: false
    message = "{address} has remote debugging enabled ({attribute} = {value})"
    fix = SetValue("false", "Disable remote debugging")
