from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.terraform._common import Setting, StateStore, all_stores, constant_string

# store type → argument → how to recognise a credential in its text:
#   "secret": any non-empty value; "json": inline JSON key content (a path is fine);
#   "userinfo": "user:password"; "dsn": a connection string that carries a password.
CREDENTIALS: dict[str, dict[str, str]] = {
    "s3": {
        "access_key": "secret",
        "secret_key": "secret",
        "token": "secret",
        "assume_role_with_web_identity.web_identity_token": "secret",
    },
    "azurerm": {
        "access_key": "secret",
        "sas_token": "secret",
        "client_secret": "secret",
        "client_certificate": "secret",
        "client_certificate_password": "secret",
        "oidc_token": "secret",
    },
    "gcs": {"credentials": "json", "access_token": "secret"},
    "http": {"password": "secret"},
    "consul": {"access_token": "secret", "http_auth": "userinfo"},
    "pg": {"conn_str": "dsn"},
    "kubernetes": {"token": "secret", "password": "secret", "client_key": "secret"},
    "cos": {"secret_id": "secret", "secret_key": "secret", "security_token": "secret"},
    "oss": {"access_key": "secret", "secret_key": "secret", "security_token": "secret"},
    "remote": {"token": "secret"},
    "cloud": {"token": "secret"},
    "etcdv3": {"password": "secret"},
    "swift": {"password": "secret", "application_credential_secret": "secret"},
    "artifactory": {"password": "secret"},
    "manta": {"key_material": "secret"},
    # OpenTofu encryption key providers authenticate like the matching backends.
    "aws_kms": {"access_key": "secret", "secret_key": "secret", "token": "secret"},
    "gcp_kms": {"credentials": "json", "access_token": "secret"},
    "openbao": {"token": "secret"},
}

_DSN_PASSWORD = re.compile(r"(?:^|\s)password\s*=\s*\S", re.I)


def looks_like_credential(kind: str, text: str) -> bool:
    text = text.strip()
    if not text:
        return False
    if kind == "json":
        return text.startswith("{")
    if kind == "userinfo":
        _user, sep, password = text.partition(":")
        return bool(sep and password)
    if kind == "dsn":
        if _DSN_PASSWORD.search(text):
            return True
        try:
            return bool(urlsplit(text).password)
        except ValueError:
            return False
    return True


def literal_credentials(store: StateStore) -> Iterator[Setting]:
    """Every credential written out literally in the store."""
    table = CREDENTIALS.get(store.type, {})
    for setting in store.settings:
        kind = table.get(setting.name)
        if kind is None:
            continue
        text = constant_string(setting.expr)
        if text is not None and looks_like_credential(kind, text):
            yield setting


class BackendStaticCredentials(Rule):
    id = "terraform-backend-static-credentials"
    title = "Static credentials written in a state backend configuration"
    severity = Severity.CRITICAL
    rationale = (
        "Access keys, SAS tokens, client secrets, passwords and service-account keys written "
        "in a backend block, a cloud block, a terraform_remote_state config or an OpenTofu key "
        "provider are committed with the code and copied into .terraform/terraform.tfstate. "
        "Whoever reads the repository gets the state, and the state holds every other secret."
    )
    remediation = (
        "Remove the value and rotate the credential. Let the backend read credentials from "
        "the environment (AWS_PROFILE or an assumed role, ARM_USE_OIDC / ARM_ACCESS_KEY, "
        "GOOGLE_CREDENTIALS, TF_HTTP_PASSWORD, TF_TOKEN_<host>), preferably short-lived ones "
        "from OIDC federation in CI, or pass them with -backend-config from a file that is "
        "not committed."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/backend#credentials-and-sensitive-data",
        "https://developer.hashicorp.com/terraform/language/backend/s3#credentials-and-shared-configuration",
    )
    aliases = ()
    bad_example = """
terraform {
  backend "azurerm" {
    storage_account_name = "acmetfstate"
    container_name       = "tfstate"
    key                  = "network.tfstate"
    access_key           = "bXktc3RvcmFnZS1hY2NvdW50LWtleS1ub3QtcmVhbA=="
  }
}
"""
    good_example = """
terraform {
  backend "azurerm" {
    storage_account_name = "acmetfstate"
    container_name       = "tfstate"
    key                  = "network.tfstate"
    use_oidc             = true
    use_azuread_auth     = true
  }
}
"""
    fix_description = (
        "No automatic fix: the credential must be rotated and supplied another way; removing "
        "it alone breaks terraform init."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for store in all_stores(ctx.module):
            for setting in literal_credentials(store):
                yield ctx.report(
                    store.entity,
                    setting.anchor,
                    f"{store.label} sets {setting.name} to a literal "
                    "credential: it is committed with the code and grants access to the state",
                    data={"argument": setting.name, "storeType": store.type, "store": store.kind},
                )
