from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.google._iam import BIGQUERY_THINGS, describe_public, grant_related, public_grants
from tfguard.rules.kit.instances import instance_evaluators, nested_rule_sets
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.storage import is_public_member
from tfguard.rules.kit.values import UNKNOWN, as_string

_WRITERS = frozenset({"WRITER", "OWNER", "ROLES/BIGQUERY.DATAEDITOR", "ROLES/BIGQUERY.DATAOWNER"})


class GoogleBigqueryDatasetNoPublicAccess(Rule):
    id = "google-bigquery-dataset-no-public-access"
    title = "BigQuery dataset or table is accessible to allUsers or allAuthenticatedUsers"
    severity = Severity.HIGH
    rationale = (
        'An access block with special_group = "allAuthenticatedUsers" or iam_member = '
        '"allUsers", a google_bigquery_dataset_access of the same kind, or dataset / table '
        "IAM for those members lets anyone (with any Google account, or none) query the "
        "tables: analytics datasets usually hold customer records and events in bulk. "
        "Writer and owner roles also let them change or delete the data (critical)."
    )
    remediation = (
        "Remove the public access entry or IAM member; share with groups of your domain "
        "(group_by_email, domain) or through authorized views."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/bigquery_dataset#access",
        "https://cloud.google.com/bigquery/docs/control-access-to-resources-iam",
    )
    aliases = (
        "CKV_GCP_15",
        "CKV_GCP_100",
        "AVD-GCP-0046",
        "GCP-0046",
        "google-bigquery-no-public-access",
    )
    bad_example = """
resource "google_bigquery_dataset" "events" {
  dataset_id = "events"
  location   = "EU"

  access {
    role          = "OWNER"
    user_by_email = "analytics@shop-prod-4a1c.iam.gserviceaccount.com"
  }

  access {
    role          = "READER"
    special_group = "allAuthenticatedUsers"
  }
}
"""
    good_example = """
resource "google_bigquery_dataset" "events" {
  dataset_id = "events"
  location   = "EU"

  access {
    role          = "OWNER"
    user_by_email = "analytics@shop-prod-4a1c.iam.gserviceaccount.com"
  }

  access {
    role           = "READER"
    group_by_email = "analysts@example.com"
  }
}
"""
    fix_description = "No automatic fix: decide who needs the data before removing access."

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        seen: set[int] = set()
        for entity in live(module, "google_bigquery_dataset"):
            evaluators = instance_evaluators(module, entity)
            for access in nested_rule_sets(module, entity, "access", evaluators):
                for key in ("special_group", "iam_member"):
                    who = as_string(access.get(key))
                    if who is UNKNOWN or not is_public_member(who):
                        continue
                    anchor = access.anchor(key)
                    if id(anchor) in seen:
                        continue
                    seen.add(id(anchor))
                    role = as_string(access.get("role"))
                    writes = role is not UNKNOWN and str(role).upper() in _WRITERS
                    yield ctx.report(
                        entity,
                        anchor,
                        f"BigQuery dataset {entity.address} gives {who} the {role} role",
                        severity=Severity.CRITICAL if writes else None,
                    )
        for entity in live(module, "google_bigquery_dataset_access"):
            for key in ("special_group", "iam_member"):
                attr = entity.attr(key)
                who = as_string(module.cached_value(attr.value)) if attr is not None else UNKNOWN
                if attr is None or who is UNKNOWN or not is_public_member(who):
                    continue
                role = as_string(module.attr_value(entity, "role"))
                writes = role is not UNKNOWN and str(role).upper() in _WRITERS
                yield ctx.report(
                    entity,
                    attr,
                    f"{entity.address} gives {who} the {role} role on its dataset",
                    severity=Severity.CRITICAL if writes else None,
                )
        for grant in public_grants(module, BIGQUERY_THINGS):
            role = grant.permissions[0] if grant.permissions else ""
            writes = role.upper() in _WRITERS
            yield ctx.report(
                grant.entity,
                grant.principal_anchor or grant.entity.block,
                describe_public(
                    grant,
                    "A BigQuery table of"
                    if grant.thing == "bigquery_table"
                    else "BigQuery dataset",
                ),
                severity=Severity.CRITICAL if writes else None,
                related=grant_related(grant),
            )
