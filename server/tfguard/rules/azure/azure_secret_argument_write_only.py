from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.write_only import SecretArgumentWriteOnly


class AzureSecretArgumentWriteOnly(SecretArgumentWriteOnly):
    id = "azure-secret-argument-write-only"
    title = "Secret stored in state where a write-only argument exists"
    severity = Severity.HIGH
    rationale = (
        "azurerm_mssql_server.administrator_login_password, "
        "azurerm_postgresql_flexible_server.administrator_password and "
        "azurerm_key_vault_secret.value are saved in plain text in the Terraform state and in "
        "plan files, so anyone who can read the state storage account can read the database "
        "administrator's password or the secret. Since Terraform 1.11 the azurerm provider "
        "offers write-only twins (administrator_login_password_wo, administrator_password_wo, "
        "value_wo) that are sent to Azure but never persisted."
    )
    remediation = (
        "Use the write-only argument with its version (administrator_login_password_wo + "
        "administrator_login_password_wo_version), fed from an ephemeral value (ephemeral "
        '"random_password", or an ephemeral "azurerm_key_vault_secret" read), and bump the '
        "_wo_version whenever the value must change. For SQL and PostgreSQL servers, "
        "Microsoft Entra authentication (azuread_administrator with "
        "azuread_authentication_only = true, or authentication { password_auth_enabled = "
        "false }) removes the administrator password altogether."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/resources/ephemeral/write-only",
        docs("mssql_server", "administrator_login_password_wo"),
        docs("postgresql_flexible_server", "administrator_password_wo"),
        docs("key_vault_secret", "value_wo"),
    )
    aliases = ()
    bad_example = """
resource "azurerm_mssql_server" "app" {
  name                         = "sql-app"
  resource_group_name          = "rg-app"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = var.sql_admin_password
  minimum_tls_version          = "1.2"
}
"""
    good_example = """
ephemeral "random_password" "sql_admin" {
  length = 32
}

resource "azurerm_mssql_server" "app" {
  name                                    = "sql-app"
  resource_group_name                     = "rg-app"
  location                                = "westeurope"
  version                                 = "12.0"
  administrator_login                     = "sqladmin"
  administrator_login_password_wo         = ephemeral.random_password.sql_admin.result
  administrator_login_password_wo_version = 1
  minimum_tls_version                     = "1.2"
}
"""
    fix_description = (
        "Renames the argument to its write-only twin, adds <name>_wo_version = 1 beside it "
        "and a comment. The value stays the same: on an existing SQL or PostgreSQL server "
        "the next apply sends the same password again, and a Key Vault secret gets a new "
        "version holding the same value (its versioned id changes). For a literal password, "
        'or one from a resource "random_password" that only write-only-capable arguments '
        'read, a second fix feeds the argument from an ephemeral "random_password" (a new '
        "block, or the existing one made ephemeral), which sets a new random password. "
        "Offered only when every Terraform release required_version allows has write-only "
        "arguments (1.11 and later; or no required_version), when the azurerm provider "
        "allowed and locked has the argument (4.21.0 and later for the SQL and PostgreSQL "
        "servers, 4.23.0 and later for Key Vault secrets) and the random provider has "
        "ephemeral passwords (3.7.0 and later), and when nothing else reads the argument. "
        "Both fixes are unsafe (tfguard fix --unsafe-fixes)."
    )

    provider = "azurerm"
