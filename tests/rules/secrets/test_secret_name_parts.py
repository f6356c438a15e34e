"""Secret words count as whole name parts: a map key such as ``binary-authorization`` (a GKE
feature holding a list of roles) or an API Gateway method's ``authorization = "AWS_IAM"`` is
not a literal secret, while an HTTP ``Authorization`` header carrying a credential is."""

from __future__ import annotations

import pytest
from tests.conftest import ScanFiles

from tfguard.secrets import is_secret_name, is_weak_secret_name, looks_like_credential


@pytest.mark.parametrize(
    "name",
    [
        "authorization",
        "Authorization",
        "binary-authorization",
        "binary_authorization",
        "authorization_type",
        "token_endpoint",
        "password_policy",
        "secret_arn",
        "key_name",
        "tokenizer",
        "passwordless",
    ],
)
def test_near_misses_are_not_secret_names(name: str) -> None:
    assert not is_secret_name(name)


@pytest.mark.parametrize("name", ["api_token", "db-password", "client_secret", "authToken"])
def test_secret_words_as_name_parts_still_count(name: str) -> None:
    assert is_secret_name(name)


def test_only_the_header_names_are_weak_authorization_names() -> None:
    assert is_weak_secret_name("Authorization")
    assert is_weak_secret_name("Proxy-Authorization")
    assert not is_weak_secret_name("binary-authorization")
    assert not is_weak_secret_name("authorization_type")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Bearer eyJhbGciOiJIUzI1NiJ9", True),
        ("Basic YXBwOmh1bnRlcjI=", True),
        ("token 0123456789abcdef", True),
        ("AWS_IAM", False),
        ("NONE", False),
        ("Bearer ${var.token}", False),
        ("Bearer short", False),
    ],
)
def test_header_values_need_a_scheme_and_a_credential(value: str, expected: bool) -> None:
    assert looks_like_credential("Authorization", value) is expected


def test_terraform_secret_literal_on_the_near_misses(scan_files: ScanFiles) -> None:
    result = scan_files(
        {
            "iam.tf": """
locals {
  cluster_roles = {
    "binary-authorization" = ["roles/editor"]
    token_endpoint         = "https://auth.example.com/oauth/token"
    password_policy        = "strict"
    secret_arn             = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app"
    key_name               = "deployer"
  }
}

resource "aws_api_gateway_method" "get_orders" {
  rest_api_id   = "a1b2c3"
  resource_id   = "d4e5f6"
  http_method   = "GET"
  authorization = "AWS_IAM"
}

data "http" "status" {
  url = "https://status.example.com/api"
  request_headers = {
    Authorization = "Bearer eyJhbGciOiJIUzI1NiJ9"
  }
}
"""
        }
    )
    found = [
        (f.range.start.line + 1, f.data["name"])
        for f in result.all_findings()
        if f.rule_id == "terraform-secret-literal"
    ]
    assert found == [(22, "Authorization")]
