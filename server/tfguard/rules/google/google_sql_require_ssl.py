from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._sql import INSTANCE
from tfguard.rules.kit.fixing import set_attributes_fix
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_bool, as_string

_ENCRYPTED = frozenset({"ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"})


class GoogleSqlRequireSsl(Rule):
    id = "google-sql-require-ssl"
    title = "Cloud SQL instance accepts unencrypted connections"
    severity = Severity.HIGH
    rationale = (
        "Unless ssl_mode is ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED (or the "
        "older require_ssl = true), Cloud SQL accepts plaintext connections "
        "(ALLOW_UNENCRYPTED_AND_ENCRYPTED is the default): credentials and query results of "
        "any client that does not insist on TLS cross the network in the clear, and can be "
        "read or altered by anyone on the path. High with a public IP, medium on a private "
        "IP only."
    )
    remediation = (
        'Set settings.ip_configuration.ssl_mode = "ENCRYPTED_ONLY" (google provider 5.x '
        "and later; require_ssl was removed in 6.0), or connect only through the Auth Proxy "
        "and require TLS."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#ssl_mode",
        "https://cloud.google.com/sql/docs/postgres/configure-ssl-instance",
    )
    aliases = (
        "CKV_GCP_6",
        "AVD-GCP-0015",
        "GCP-0015",
        "google-sql-encrypt-in-transit-data",
    )
    bad_example = """
resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    ip_configuration {
      ipv4_enabled = false
      ssl_mode     = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"
    }
  }
}
"""
    good_example = """
resource "google_sql_database_instance" "db" {
  name             = "shop-db"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    ip_configuration {
      ipv4_enabled = false
      ssl_mode     = "ENCRYPTED_ONLY"
    }
  }
}
"""
    fix_description = (
        'Sets ssl_mode = "ENCRYPTED_ONLY" where ssl_mode or ip_configuration is written (not '
        "preferred: clients that do not use TLS can no longer connect)."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for entity in live(module, INSTANCE):
            hit = lookup(module, entity, "settings.ip_configuration.ssl_mode")[0]
            old = lookup(module, entity, "settings.ip_configuration.require_ssl")[0]
            ipv4 = lookup(module, entity, "settings.ip_configuration.ipv4_enabled")[0]
            if hit.present:
                value = as_string(hit.value)
                if value is UNKNOWN or value in _ENCRYPTED:
                    continue
                anchor, what = hit.anchor, f"ssl_mode {value}"
            elif old.present:
                if as_bool(old.value) is not False:
                    continue  # true (or unknown): TLS required
                anchor, what = old.anchor, "require_ssl = false"
            else:
                anchor, what = hit.anchor, "ssl_mode not set: ALLOW_UNENCRYPTED_AND_ENCRYPTED"
            private = ipv4.present and as_bool(ipv4.value) is False
            yield ctx.report(
                entity,
                anchor,
                f"Cloud SQL instance {entity.address} accepts unencrypted connections ({what})",
                severity=Severity.MEDIUM if private else None,
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return set_attributes_fix(
            module,
            finding,
            'Require TLS (ssl_mode = "ENCRYPTED_ONLY")',
            {"ssl_mode": '"ENCRYPTED_ONLY"'},
            literal_only=True,
            applicability="unsafe",
            consequence="clients without TLS can no longer connect",
        )
