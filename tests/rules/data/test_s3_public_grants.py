"""The S3 adapter of the public-storage family: every public ACL and public bucket-policy
statement as a PublicGrant (the two rules that read them are pinned by the fixture tests)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write_files

from tfguard.engine import Engine
from tfguard.module import Module
from tfguard.rules.aws._s3 import AclGrant, PolicyGrant, public_grants
from tfguard.rules.kit.storage import PublicGrant

BUCKETS = """
resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}

resource "aws_s3_bucket" "docs" {
  bucket = "acme-docs"
}

resource "aws_s3_bucket_acl" "site" {
  bucket = aws_s3_bucket.site.id
  acl    = "public-read-write"
}

resource "aws_s3_bucket_acl" "docs" {
  bucket = aws_s3_bucket.docs.id
  access_control_policy {
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
      }
      permission = "READ"
    }
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/LogDelivery"
      }
      permission = "WRITE"
    }
    owner {
      id = "owner"
    }
  }
}

data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = ["vpce-1a2b3c4d"]
    }
  }
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = data.aws_iam_policy_document.read.json
}

resource "aws_s3_bucket_policy" "docs" {
  bucket = aws_s3_bucket.docs.id
  policy = data.aws_iam_policy_document.read.json
}

resource "aws_s3_bucket_policy" "elsewhere" {
  bucket = "bucket-of-another-stack"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:PutObject"
      Resource  = "arn:aws:s3:::bucket-of-another-stack/*"
    }]
  })
}
"""


def module_of(folder: Path) -> Module:
    write_files(folder, {"main.tf": BUCKETS})
    result = Engine().analyze_module(str(folder))
    assert result.module is not None
    return result.module


def test_public_acls_and_policy_statements_are_public_grants(tmp_path: Path) -> None:
    module = module_of(tmp_path)
    grants = public_grants(module)
    assert all(isinstance(g, PublicGrant) for g in grants)
    acls = [g for g in grants if isinstance(g, AclGrant)]
    policies = [g for g in grants if isinstance(g, PolicyGrant)]
    assert len(acls) + len(policies) == len(grants)

    canned, grant = acls  # the LogDelivery group is not the public
    assert (canned.entity.address, canned.setting, canned.group) == (
        "aws_s3_bucket_acl.site",
        "public-read-write",
        None,
    )
    assert (canned.access, canned.who) == ("write", "anyone")
    assert canned.target is not None and canned.target.address == "aws_s3_bucket.site"
    assert (grant.setting, grant.access, grant.who) == (
        "READ",
        "list",
        "anyone with an AWS account",
    )
    assert grant.group == "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"

    # The shared document's public statement is one grant, on the first policy that uses it
    # (and that policy's bucket); the statement pinned to a VPC endpoint is not public.
    shared, elsewhere = policies
    assert shared.policy.owner.address == "aws_s3_bucket_policy.site"
    assert [b.address for b in shared.buckets] == ["aws_s3_bucket.site"]
    assert (shared.access, shared.who) == ("list", "anyone")
    assert shared.entity.address == "data.aws_iam_policy_document.read"
    assert elsewhere.buckets == () and elsewhere.target is None
    assert elsewhere.access == "write"
    assert public_grants(module) is grants  # computed once a module
