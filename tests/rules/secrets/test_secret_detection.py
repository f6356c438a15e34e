"""What counts as a secret: names, literal values, key material, and the edge cases of each
secret rule that the fixture projects do not show."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import ScanFiles

from tfguard.engine import fixes_for
from tfguard.findings import Finding, Severity
from tfguard.fixes import apply_edits
from tfguard.secrets import (
    find_key_material,
    is_absent_marker,
    is_reportable_secret,
    is_secret_name,
    is_weak_secret_name,
    looks_random,
)


@pytest.mark.parametrize(
    "name",
    [
        "password",
        "master_password",
        "admin_password",
        "password_wo",
        "client_secret",
        "secret",
        "secret_string",
        "token",
        "auth_token",
        "api_key",
        "apiKey",
        "private_key",
        "private_key_pem",
        "access_key",
        "secret_key",
        "DB_PASSWORD",
        "auth.password",
        "masterUserPassword",
        "sas_token",
        "signing_key",
        "tunnel1_preshared_key",
    ],
)
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "password_length",
        "secret_name",
        "token_ttl",
        "secret_arn",
        "kms_key_id",
        "password_wo_version",
        "manage_master_user_password",
        "create_random_password",
        "creation_token",
        "token_key_name",
        "public_key",
        "secret_id",
        "api_key_id",
        "master_user_secret",
        "password_reset_required",
        "http_tokens",
        "key",
    ],
)
def test_names_that_are_not_secrets(name: str) -> None:
    assert not is_secret_name(name)


def test_weak_names_need_a_random_value() -> None:
    assert is_weak_secret_name("key") and is_weak_secret_name("hmac")
    assert not is_weak_secret_name("ssh_key") and not is_weak_secret_name("kms_key")
    assert looks_random("a8f5f167f44f4964e6c998dee827110c")
    assert not looks_random("network/terraform.tfstate")
    assert not looks_random("0f8fad5b-d9cb-469f-a165-70867728950e")
    assert not looks_random("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA")


@pytest.mark.parametrize("value", ["", "   ", "****", "xxxxxxxx", "<db-password>", "REDACTED"])
def test_absent_markers_are_not_secrets(value: str) -> None:
    assert is_absent_marker(value) and not is_reportable_secret(value)


@pytest.mark.parametrize("value", ["changeme", "password", "REPLACE_ME", "hunter2"])
def test_weak_but_working_values_are_secrets(value: str) -> None:
    assert is_reportable_secret(value)


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
        "{{resolve:secretsmanager:db:SecretString:password}}",
        "$DB_PASSWORD",
        "projects/acme/secrets/db/versions/latest",
    ],
)
def test_store_references_are_not_secrets(value: str) -> None:
    assert not is_reportable_secret(value)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("key=AKIA2E0A8F3B244C9986;", "an AWS access key id"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE", "a PEM private key"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "a PEM private key"),
        ("ghp_" + "a1" * 18, "a GitHub token"),
        ("glpat-" + "x1Y2z3" * 4, "a GitLab token"),
        ("xoxb-1234567890-abcdefghij", "a Slack token"),
        ("sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", "a Stripe secret key"),
        ("postgres://app:hunter2@db.internal:5432/app", "a password embedded in a URL"),
    ],
)
def test_key_material_is_recognised(text: str, kind: str) -> None:
    assert [k.kind for k in find_key_material(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "AKIAIOSFODNN7EXAMPLE",  # AWS's documentation example
        "-----BEGIN PUBLIC KEY-----",
        "-----BEGIN CERTIFICATE-----",
        "postgres://app:${password}@db/app",
        "https://user:$TOKEN@example.com/repo.git",
        "https://github.com/acme/app",
        "AKIA2E0A8F3B244C99861",  # 21 characters: not a key id
    ],
)
def test_lookalikes_are_not_key_material(text: str) -> None:
    assert not find_key_material(text)


def findings_of(result_findings: list[Finding], rule_id: str) -> list[Finding]:
    return [f for f in result_findings if f.rule_id == rule_id]


def test_literal_rule_edge_cases(scan_files: ScanFiles) -> None:
    result = scan_files(
        {
            "main.tf": """
resource "aws_codebuild_project" "build" {
  name = "build"
  environment {
    environment_variable {
      name  = "NPM_TOKEN"
      value = "/ci/npm-token"
      type  = "PARAMETER_STORE"
    }
    environment_variable {
      name  = "SONAR_TOKEN"
      value = "sq-plain-4f1e2d3c"
    }
  }
}

resource "helm_release" "redis" {
  name  = "redis"
  chart = "redis"
  set {
    name  = "auth.password"
    value = "helm-Redis-pw"
  }
}

resource "aws_instance" "web" {
  ami = "ami-123"
  tags = {
    Password = "rotated-quarterly"
  }
  connection {
    password = "C0nnect!"
  }
  provisioner "remote-exec" {
    inline = ["echo ok"]
  }
}

resource "aws_db_instance" "unknown" {
  password = data.aws_ssm_parameter.db.value
}

resource "aws_db_instance" "empty" {
  password = ""
}

resource "aws_db_instance" "masked" {
  password = "********"
}

resource "aws_cognito_user_pool_client" "app" {
  name            = "app"
  generate_secret = true
}

data "aws_ssm_parameter" "db" {
  name = "/db/password"
}
"""
        }
    )
    literal = findings_of(result.all_findings(), "terraform-secret-literal")
    assert sorted(f.range.start.line + 1 for f in literal) == [12, 22, 32]
    assert {f.data["name"] for f in literal} == {"SONAR_TOKEN", "auth.password", "password"}


def test_static_credentials_severity_and_emulators(scan_files: ScanFiles) -> None:
    result = scan_files(
        {
            "main.tf": """
provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIA2E0A8F3B244C9986"
  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz"
}

provider "aws" {
  alias      = "tokens"
  region     = "eu-west-1"
  access_key = var.key_id
  token      = "session-token-literal"
}

provider "aws" {
  alias      = "moto"
  access_key = "testing"
  secret_key = "testing"
  endpoints {
    s3 = "http://127.0.0.1:5000"
  }
}
"""
        }
    )
    findings = result.all_findings()
    static = findings_of(findings, "aws-provider-static-credentials")
    assert [(f.range.start.line + 1, f.severity) for f in static] == [
        (4, Severity.CRITICAL),
        (11, Severity.HIGH),
    ]
    assert 'provider "aws" (tokens)' in static[1].message
    # One mistake, one finding: the key id is not reported again as key material or literal.
    assert findings_of(findings, "terraform-secret-key-material") == []
    assert findings_of(findings, "terraform-secret-literal") == []


@pytest.mark.parametrize(
    ("constraint", "severity"),
    [
        (None, Severity.MEDIUM),
        ('">= 1.11"', Severity.MEDIUM),
        ('">= 1.5"', Severity.LOW),
        ('"~> 1.9.0"', None),
    ],
)
def test_random_password_follows_required_version(
    scan_files: ScanFiles, constraint: str | None, severity: Severity | None
) -> None:
    version = f"terraform {{\n  required_version = {constraint}\n}}\n" if constraint else ""
    result = scan_files(
        {
            "main.tf": version
            + """
resource "random_password" "db" {
  length = 32
}

locals {
  db_password = random_password.db.result
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = "db"
  secret_string = jsonencode({ password = local.db_password })
}

resource "random_password" "unused" {
  length = 16
}
"""
        }
    )
    found = findings_of(result.all_findings(), "terraform-random-password-not-ephemeral")
    if severity is None:
        assert found == []
        return
    assert [(f.data["address"], f.severity) for f in found] == [("random_password.db", severity)]
    assert found[0].data["writeOnly"] == "secret_string_wo"


def test_outputs_of_secret_objects_and_module_outputs(scan_files: ScanFiles) -> None:
    result = scan_files(
        {
            "main.tf": """
resource "tls_private_key" "deploy" {
  algorithm = "ED25519"
}

resource "aws_iam_access_key" "ci" {
  user = "ci"
}

module "db" {
  source  = "acme/db/aws"
  version = "1.0.0"
}

output "deploy_key" {
  value = tls_private_key.deploy
}

output "deploy_public_key" {
  value = tls_private_key.deploy.public_key_openssh
}

output "ci_secret" {
  value = nonsensitive(aws_iam_access_key.ci.secret)
}

output "ci_key_id" {
  value = aws_iam_access_key.ci.id
}

output "db_password" {
  value = module.db.master_password
}

output "db_endpoint" {
  value = module.db.endpoint
}

output "ci_secret_for_keybase" {
  value = aws_iam_access_key.ci.encrypted_secret
}
"""
        }
    )
    found = findings_of(result.all_findings(), "terraform-output-secret-not-sensitive")
    assert sorted(f.data["address"] for f in found) == [
        "output.ci_secret",
        "output.db_password",
        "output.deploy_key",
    ]


def test_variables_typed_as_switches_or_numbers_are_not_secrets(scan_files: ScanFiles) -> None:
    result = scan_files(
        {
            "variables.tf": """
variable "rotate_secret" {
  type = bool
}

variable "token_count" {
  type = number
}

variable "api_token" {
  type    = string
  default = "changeme"
}

variable "webhook_secret" {
  type      = string
  sensitive = false
}

variable "session_token" {
  type      = string
  ephemeral = true
}
"""
        }
    )
    findings = result.all_findings()
    not_sensitive = findings_of(findings, "terraform-variable-secret-not-sensitive")
    assert [(f.data["address"], f.data["missing"]) for f in not_sensitive] == [
        ("var.api_token", True),
        ("var.webhook_secret", False),
    ]
    defaults = findings_of(findings, "terraform-variable-secret-default")
    assert [f.data["address"] for f in defaults] == ["var.api_token"]


def test_secrets_known_by_resource_type_lists_and_headers(scan_files: ScanFiles) -> None:
    result = scan_files(
        {
            "main.tf": """
resource "kubernetes_secret_v1" "app" {
  metadata {
    name = "app"
  }
  data = {
    username = "app"
    dsn      = "host=db user=app"
    token    = var.app_token
  }
}

resource "github_actions_secret" "deploy" {
  repository      = "infrastructure"
  secret_name     = "DEPLOY_KEY"
  plaintext_value = "d3ploy-k3y-value"
}

resource "aws_api_gateway_api_key" "partner" {
  name  = "partner"
  value = "partner-key-0123456789"
}

resource "aws_elasticache_user" "app" {
  user_id   = "app"
  user_name = "app"
  engine    = "redis"
  passwords = ["first-Passw0rd-1", var.second_password]
}

resource "google_secret_manager_secret_version" "api" {
  secret      = "projects/acme/secrets/api"
  secret_data = "g00gle-secret-data"
}

data "http" "status" {
  url = "https://status.example.com/api"
  request_headers = {
    Accept        = "application/json"
    Authorization = "Basic YXBwOmh1bnRlcjI="
  }
}
"""
        }
    )
    literal = findings_of(result.all_findings(), "terraform-secret-literal")
    assert sorted((f.range.start.line + 1, f.data["name"]) for f in literal) == [
        (7, "username"),
        (8, "dsn"),
        (16, "plaintext_value"),
        (21, "value"),
        (28, "passwords"),
        (33, "secret_data"),
        (40, "Authorization"),
    ]


@pytest.mark.parametrize(
    ("constraint", "offered"),
    [(None, True), ('">= 1.11"', True), ('">= 1.5"', False)],
)
def test_write_only_fix_needs_write_only_support(
    scan_files: ScanFiles, constraint: str | None, offered: bool
) -> None:
    version = f"terraform {{\n  required_version = {constraint}\n}}\n" if constraint else ""
    result = scan_files(
        {
            "main.tf": version
            + """
resource "aws_rds_cluster" "app" {
  cluster_identifier = "app"
  master_username    = "app"
  master_password    = var.master_password
}
"""
        }
    )
    (finding,) = findings_of(result.all_findings(), "aws-secret-argument-write-only")
    fixes = fixes_for(result, finding)
    assert bool(fixes) is offered
    if offered:
        path = Path(finding.path)
        fixed = apply_edits(path.read_text(encoding="utf-8"), fixes[0].edits)
        assert "  master_password_wo         = var.master_password\n" in fixed
        assert "  master_password_wo_version = 1\n" in fixed
        assert "master_password " not in fixed
