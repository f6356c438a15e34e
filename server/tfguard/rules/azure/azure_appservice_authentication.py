from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.azure._appservice import ALL_APPS, HEAD
from tfguard.rules.azure._support import docs
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_bool

# (path, default when the block exists but the flag is left out)
_FLAGS = (("auth_settings_v2.auth_enabled", False), ("auth_settings.enabled", None))


class AzureAppserviceAuthentication(Rule):
    id = "azure-appservice-authentication"
    title = "App Service does not use built-in authentication"
    severity = Severity.LOW
    rationale = (
        "App Service authentication (Easy Auth) rejects unauthenticated requests before they "
        "reach the code and validates Entra ID or other provider tokens in the platform. "
        "Apps that implement their own authentication may not need it, hence the low "
        "severity; internal tools and APIs without any authentication are common findings."
    )
    remediation = (
        "Add auth_settings_v2 { auth_enabled = true, require_authentication = true } with an "
        "active_directory_v2 (or other) provider, or confirm the app authenticates requests "
        "itself."
    )
    links = (
        docs("linux_web_app", "auth_settings_v2"),
        "https://learn.microsoft.com/en-us/azure/app-service/overview-authentication-authorization",
    )
    aliases = (
        "CKV_AZURE_13",
        "CKV_AZURE_56",
        "AVD-AZU-0003",
        "AZU-0003",
        "azure-appservice-authentication-enabled",
    )
    bad_example = f"""
{HEAD}
  https_only          = true

  site_config {{}}

  auth_settings {{
    enabled = false
  }}
}}
"""
    good_example = f"""
{HEAD}
  https_only          = true

  site_config {{}}

  auth_settings_v2 {{
    auth_enabled           = true
    require_authentication = true

    active_directory_v2 {{
      client_id            = var.api_client_id
      tenant_auth_endpoint = "https://login.microsoftonline.com/${{var.tenant_id}}/v2.0"
    }}

    login {{}}
  }}
}}
"""
    fix_description = "No automatic fix: an identity provider must be registered first."

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for app in live(module, *ALL_APPS):
            verdicts = []
            anchor = None
            for path, default in _FLAGS:
                hit = lookup(module, app, path)[0]
                block_present = hit.present or hit.missing == (path.split(".")[1],)
                if not block_present:
                    continue
                value = as_bool(hit.value) if hit.present else default
                verdicts.append(value)
                if value is False and anchor is None:
                    anchor = hit.anchor
            if any(v is not False for v in verdicts):
                continue  # enabled, or unknown
            yield ctx.report(
                app,
                anchor if anchor is not None else app.block,
                f"{app.address} does not use App Service authentication",
            )
