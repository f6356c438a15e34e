from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._iam import attached_statements, open_to_everyone
from tfguard.rules.base import Context, Rule

_TYPES = (
    "aws_opensearch_domain",
    "aws_elasticsearch_domain",
    "aws_opensearch_domain_policy",
    "aws_elasticsearch_domain_policy",
)


class OpensearchPolicyPublic(Rule):
    id = "aws-opensearch-policy-public"
    title = "OpenSearch access policy lets anyone call the domain"
    severity = Severity.CRITICAL
    rationale = (
        'An access policy statement that allows Principal "*" without a condition on the '
        "caller (an IP range, a VPC endpoint, an account) opens the domain's API to everyone "
        "who can reach the endpoint: without fine-grained access control, anonymous requests "
        "read, write and delete every index. Public Elasticsearch clusters opened this way are "
        "behind many large data leaks."
    )
    remediation = (
        "Name the IAM roles that may call the domain, or restrict the wildcard with an "
        "aws:SourceIp / aws:SourceVpce condition; keep the domain in a VPC and enable "
        "fine-grained access control."
    )
    links = (
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/opensearch_domain_policy",
    )
    bad_example = """
resource "aws_opensearch_domain" "logs" {
  domain_name = "logs"
}

data "aws_iam_policy_document" "logs" {
  statement {
    actions   = ["es:*"]
    resources = ["${aws_opensearch_domain.logs.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_opensearch_domain_policy" "logs" {
  domain_name     = aws_opensearch_domain.logs.domain_name
  access_policies = data.aws_iam_policy_document.logs.json
}
"""
    good_example = """
resource "aws_opensearch_domain" "logs" {
  domain_name = "logs"
}

data "aws_iam_policy_document" "logs" {
  statement {
    actions   = ["es:ESHttpGet", "es:ESHttpPost"]
    resources = ["${aws_opensearch_domain.logs.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:role/log-shipper"]
    }
  }
}

resource "aws_opensearch_domain_policy" "logs" {
  domain_name     = aws_opensearch_domain.logs.domain_name
  access_policies = data.aws_iam_policy_document.logs.json
}
"""
    fix_description = (
        "No automatic fix: which roles or networks must keep reaching the domain is known "
        "only to the owner."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for st, holder in attached_statements(ctx.module, *_TYPES):
            if not open_to_everyone(st):
                continue
            related = [] if st.entity is holder else [(holder, holder.block, "the domain policy")]
            where = (
                holder.address
                if st.entity is holder
                else f"{st.entity.address} (the policy of {holder.address})"
            )
            yield ctx.report(
                st.entity,
                st.anchor,
                f'{where} lets any principal ("*") call the OpenSearch domain without a '
                "condition on the caller",
                related=related,
            )
