"""Module source addresses: classification, ref kinds, credentials and plain-text transport."""

from __future__ import annotations

import pytest

from tfguard.rules.terraform._common import plain_text_url
from tfguard.rules.terraform._sources import classify, ref_kind, url_credentials

SHA = "5d4a3f0c9b8e7d6c5b4a39281706f5e4d3c2b1a0"


@pytest.mark.parametrize(
    ("source", "kind", "ref"),
    [
        ("./modules/vpc", "local", None),
        ("../shared", "local", None),
        ("hashicorp/consul/aws", "registry", None),
        ("terraform-aws-modules/vpc/aws//modules/vpc-endpoints", "registry", None),
        ("app.terraform.io/acme/iam/aws", "registry", None),
        ("registry.example.com:8443/acme/iam/aws", "registry", None),
        ("github.com/acme/repo", "git", None),
        ("github.com/acme/repo//sub?ref=v1.0.0", "git", "v1.0.0"),
        ("bitbucket.org/acme/repo?ref=main", "git", "main"),
        ("git@github.com:acme/repo.git?ref=" + SHA, "git", SHA),
        ("git::https://example.com/vpc.git?ref=v1.2.0", "git", "v1.2.0"),
        ("git::ssh://git@example.com/vpc.git", "git", None),
        ("git::https://example.com/vpc.git//modules/a?depth=1&ref=abc1234", "git", "abc1234"),
        ("hg::http://example.com/vpc.hg", "hg", None),
        ("https://example.com/vpc-module.zip", "http", None),
        ("https://example.com/vpc-module?archive=zip", "http", None),
        ("s3::https://s3-eu-west-1.amazonaws.com/bucket/vpc.zip", "s3", None),
        ("https://acme-modules.s3.eu-west-1.amazonaws.com/vpc.zip", "s3", None),
        ("gcs::https://www.googleapis.com/storage/v1/modules/vpc.zip", "gcs", None),
        ("not a source", "other", None),
    ],
)
def test_classify(source: str, kind: str, ref: str | None) -> None:
    parsed = classify(source)
    assert parsed.kind == kind
    assert parsed.param("ref") == ref


@pytest.mark.parametrize(
    ("ref", "kind"),
    [
        (SHA, "sha"),
        ("a" * 64, "sha"),
        ("5d4a3f0", "short-sha"),
        ("main", "branch"),
        ("master", "branch"),
        ("feature/new-vpc", "branch"),
        ("release/2.x", "branch"),
        ("v1.4.2", "tag"),
        ("1.4", "tag"),
        ("v3", "tag"),
        ("vpc/v1.2.0", "tag"),
        ("v2.0.0-rc.1", "tag"),
        ("refs/tags/stable-2024", "tag"),
        ("hardened", "name"),
    ],
)
def test_ref_kind(ref: str, kind: str) -> None:
    assert ref_kind(ref) == kind


@pytest.mark.parametrize(
    ("source", "credential"),
    [
        ("git::https://user:S3CR3T@example.com/vpc.git", "password"),
        ("https://deploy:S3CR3T@example.com/vpc.zip", "password"),
        ("git::https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/a/b.git", "token-user"),
        ("git::https://oauth2:glpat-S3CR3T@gitlab.com/a/b.git", "password"),
        ("git::ssh://git@example.com/vpc.git?sshkey=S3CR3T", "sshkey"),
        ("git@github.com:acme/repo.git", None),
        ("git::https://x-access-token@github.com/a/b.git", None),
        ("git::ssh://git@example.com/vpc.git", None),
        ("hashicorp/consul/aws", None),
        ("./modules/x", None),
    ],
)
def test_url_credentials(source: str, credential: str | None) -> None:
    found = url_credentials(classify(source))
    assert (found.kind if found else None) == credential
    if found is not None:
        assert "S3CR3T" not in found.where and "ghp_" not in found.where


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("http://example.com/x.zip", "http"),
        ("git::http://example.com/x.git", "http"),
        ("git::git://example.com/x.git", "git"),
        ("HTTP://EXAMPLE.COM/x", "http"),
        ("https://example.com/x.zip", None),
        ("git::ssh://git@example.com/x.git", None),
        ("http://localhost:8080/state", None),
        ("http://127.0.0.1/state", None),
        ("http://[::1]:9000/state", None),
        ("http://minio.localhost/state", None),
        ("example.com/x", None),
    ],
)
def test_plain_text_url(url: str, scheme: str | None) -> None:
    assert plain_text_url(url) == scheme
