from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.write_only import SecretArgumentWriteOnly

REGISTRY_DOCS = "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/"


class GoogleSecretArgumentWriteOnly(SecretArgumentWriteOnly):
    id = "google-secret-argument-write-only"
    title = "Secret stored in state where a write-only argument exists"
    severity = Severity.HIGH
    rationale = (
        "google_sql_user.password and google_secret_manager_secret_version.secret_data are "
        "saved in plain text in the Terraform state and in plan files, so anyone who can "
        "read the state bucket can read the database password or the secret. Since "
        "Terraform 1.11 the google provider offers write-only twins (password_wo, "
        "secret_data_wo) that are sent to Google Cloud but never persisted."
    )
    remediation = (
        "Use the write-only argument with its version (password_wo + password_wo_version, "
        "secret_data_wo + secret_data_wo_version), fed from an ephemeral value (ephemeral "
        '"random_password", or an ephemeral "google_secret_manager_secret_version" read), '
        "and bump the _wo_version whenever the value must change. For Cloud SQL, IAM "
        'database authentication (type = "CLOUD_IAM_USER" or "CLOUD_IAM_SERVICE_ACCOUNT") '
        "needs no password at all."
    )
    links = (
        "https://developer.hashicorp.com/terraform/language/resources/ephemeral/write-only",
        f"{REGISTRY_DOCS}sql_user#password_wo",
        f"{REGISTRY_DOCS}secret_manager_secret_version#secret_data_wo",
    )
    aliases = ()
    bad_example = """
resource "google_sql_user" "app" {
  name     = "app"
  instance = "db-main"
  password = var.db_password
}
"""
    good_example = """
ephemeral "random_password" "db" {
  length = 32
}

resource "google_sql_user" "app" {
  name                = "app"
  instance            = "db-main"
  password_wo         = ephemeral.random_password.db.result
  password_wo_version = 1
}
"""
    fix_description = (
        "Renames the argument to its write-only twin, adds <name>_wo_version = 1 beside it "
        "and a comment. The value stays the same: on an existing Cloud SQL user the next "
        "apply sends the same password again, while a Secret Manager secret version is "
        "replaced (the same data gets a new version number, and the old version is "
        "destroyed unless deletion_policy keeps it, so whatever reads that number stops "
        'finding it). For a literal password, or one from a resource "random_password" that '
        "only write-only-capable arguments read, a second fix feeds the argument from an "
        'ephemeral "random_password" (a new block, or the existing one made ephemeral), which '
        "sets a new random password. Offered only when every Terraform release "
        "required_version allows has write-only arguments (1.11 and later; or no "
        "required_version), when the google provider allowed and locked (google-beta for a "
        "resource that names it) has them (6.23.0 and later) and the random provider has "
        "ephemeral passwords (3.7.0 and later), and when nothing else reads the argument. "
        "Both fixes are unsafe (tfguard fix --unsafe-fixes)."
    )

    provider = "google"
