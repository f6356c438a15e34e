"""The secret rules on two realistic multi-file projects: an application with the usual
leaks (literals in resources, locals and tfvars, keys in user_data, unmarked variables and
outputs, a managed random_password, static provider keys) and the same application hardened
(ephemeral passwords, write-only arguments, Secrets Manager references, sensitive variables,
an assumed role), which must produce none of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.rules.fixture_helpers import RuleFamily, analyze_clean, related

from tfguard.engine import Engine, ModuleResult
from tfguard.findings import Finding, Severity

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "terraform-secret-literal",
        "terraform-secret-key-material",
        "terraform-variable-secret-not-sensitive",
        "terraform-variable-secret-default",
        "terraform-output-secret-not-sensitive",
        "terraform-random-password-not-ephemeral",
        "aws-secret-argument-write-only",
        "aws-provider-static-credentials",
    }
)


FAMILY = RuleFamily(RULES, INSECURE)
at, mine, triples, one = FAMILY.at, FAMILY.mine, FAMILY.triples, FAMILY.one


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


LITERAL = "terraform-secret-literal"
KEY = "terraform-secret-key-material"
NOT_SENSITIVE = "terraform-variable-secret-not-sensitive"
DEFAULT = "terraform-variable-secret-default"
OUTPUT = "terraform-output-secret-not-sensitive"
RANDOM = "terraform-random-password-not-ephemeral"
WRITE_ONLY = "aws-secret-argument-write-only"
STATIC = "aws-provider-static-credentials"


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        # Literals: in a resource, an object in jsonencode(), a SecureString parameter ------
        (LITERAL, *at("app.tf", '"REDIS_PASSWORD", value = "r3dis')),
        (LITERAL, *at("app.tf", 'value = "pk_9a8b')),
        # ... reported where they are written: locals, a variable default, tfvars ---------
        (LITERAL, *at("locals.tf", 'smtp_password   = "')),
        (LITERAL, *at("locals.tf", 'cache_auth      = "')),
        (LITERAL, *at("locals.tf", 'password = "orders-db-2024"')),
        (LITERAL, *at("variables.tf", 'default = "Gr4fana-Admin!"')),
        (LITERAL, *at("terraform.tfvars", "db_password    =")),
        # Recognisable key material, wherever it is ----------------------------------------
        (KEY, *at("app.tf", "sk_live_")),
        (KEY, *at("app.tf", "user_data     = <<-EOT")),
        (KEY, *at("terraform.tfvars", "AKIA5Q3RBXKZ7N2PW4TY")),
        (KEY, *at("ci.tfvars", "ghp_")),
        # Variables and outputs -------------------------------------------------------------
        (NOT_SENSITIVE, *at("variables.tf", 'variable "aws_access_key"')),
        (NOT_SENSITIVE, *at("variables.tf", 'variable "datadog_api_key"')),
        (NOT_SENSITIVE, *at("variables.tf", 'variable "ci_token"')),
        (DEFAULT, *at("variables.tf", 'default = "3f9a1c')),
        (OUTPUT, *at("outputs.tf", 'output "database_url"')),
        (OUTPUT, *at("outputs.tf", 'output "analytics_password"')),
        (OUTPUT, *at("outputs.tf", "sensitive = false")),
        # Secrets kept in state --------------------------------------------------------------
        (WRITE_ONLY, *at("database.tf", "password          = var.db_password")),
        (WRITE_ONLY, *at("database.tf", "master_password    = random_password")),
        (WRITE_ONLY, *at("app.tf", 'value = "pk_9a8b')),
        (WRITE_ONLY, *at("app.tf", "value = var.payments_api_key")),
        (RANDOM, *at("database.tf", 'resource "random_password" "analytics"')),
        # Static keys in the provider (the LocalStack provider's dummies are not) -----------
        (STATIC, *at("providers.tf", "access_key = var.aws_access_key")),
    ]
    assert triples(insecure) == sorted(expected)


def test_findings_sit_on_the_value_and_name_it(insecure: ModuleResult) -> None:
    redis = one(insecure, LITERAL, at("app.tf", '"REDIS_PASSWORD"'))
    assert 'value of "REDIS_PASSWORD"' in redis.message
    assert redis.range.start.character == line_text("app.tf", redis).index('"r3dis')
    pem = one(insecure, KEY, at("app.tf", "user_data"))
    assert "AWS access key id" in pem.message and pem.severity == Severity.CRITICAL
    # A message never repeats the secret it reports.
    for finding in mine(insecure):
        for secret in ("r3dis-Passw0rd", "AKIA2E0A8F3B244C9986", "Orders-DB-Pr0d!", "ghp_R2d2"):
            assert secret not in finding.message


def line_text(name: str, finding: Finding) -> str:
    return (INSECURE / name).read_text(encoding="utf-8").splitlines()[finding.range.start.line]


def test_literals_are_reported_at_their_definition_with_the_use_related(
    insecure: ModuleResult,
) -> None:
    # locals.tf defines the value, app.tf and database.tf use it.
    smtp = one(insecure, LITERAL, at("locals.tf", "smtp_password   ="))
    assert "SMTP_PASSWORD" in smtp.message
    assert related(smtp) == [at("app.tf", "SMTP_PASSWORD = local.smtp_password")]
    cache = one(insecure, LITERAL, at("locals.tf", "cache_auth      ="))
    assert related(cache) == [at("database.tf", "auth_token                 = local")]
    # terraform.tfvars gives var.db_password its value; aws_db_instance.orders uses it.
    tfvars = one(insecure, LITERAL, at("terraform.tfvars", "db_password"))
    assert tfvars.message.startswith("terraform.tfvars sets db_password")
    assert related(tfvars) == [at("database.tf", "password          = var.db_password")]
    # A variable whose name says nothing feeds a password argument of a module call.
    grafana = one(insecure, LITERAL, at("variables.tf", '"Gr4fana-Admin!"'))
    assert related(grafana) == [at("app.tf", "grafana_admin_password = var.grafana_admin")]


def test_outputs_follow_locals_to_the_sensitive_source(insecure: ModuleResult) -> None:
    url = one(insecure, OUTPUT, at("outputs.tf", 'output "database_url"'))
    assert "var.db_password (a sensitive variable) through local.database_url" in url.message
    # The related place is the sensitive variable's declaration.
    assert related(url) == [at("variables.tf", 'variable "db_password"')]
    assert url.data["missing"] is True
    ci = one(insecure, OUTPUT, at("outputs.tf", "sensitive = false"))
    assert ci.data["missing"] is False and "secret-named variable" in ci.message


def test_severities(insecure: ModuleResult) -> None:
    static = one(insecure, STATIC, at("providers.tf", "access_key = var"))
    assert static.severity == Severity.MEDIUM and static.data["literal"] == []
    random = one(insecure, RANDOM, at("database.tf", '"random_password" "analytics"'))
    assert random.severity == Severity.MEDIUM
    assert random.data["consumers"] == ["aws_rds_cluster.analytics.master_password"]
    assert "master_password_wo" in random.message and "resets" in random.message
    assert related(random) == [at("database.tf", "master_password    =")]
    wo = one(insecure, WRITE_ONLY, at("database.tf", "password          = var"))
    assert wo.severity == Severity.HIGH and "password_wo_version" in wo.message


def test_unknown_and_non_secret_values_stay_silent(insecure: ModuleResult) -> None:
    addresses = {(f.rule_id, f.data["address"]) for f in mine(insecure)}
    for silent in (
        # No value known for var.payments_api_key: a literal rule has nothing to report.
        (LITERAL, "aws_ssm_parameter.payments_via_variable"),
        # A String parameter is not a secret; the reporting database uses a write-only
        # argument fed from Secrets Manager.
        (WRITE_ONLY, "aws_ssm_parameter.app_name"),
        (WRITE_ONLY, "aws_db_instance.reporting"),
        # Switches, lengths, ARNs and null defaults.
        (NOT_SENSITIVE, "var.enable_password_auth"),
        (NOT_SENSITIVE, "var.password_length"),
        (NOT_SENSITIVE, "var.db_secret_arn"),
        (DEFAULT, "var.slack_token"),
        # Hashes do not expose; sensitive outputs are fine.
        (OUTPUT, "output.datadog_key_fingerprint"),
        (OUTPUT, "output.reporting_secret"),
        (OUTPUT, "output.db_endpoint"),
    ):
        assert silent not in addresses, silent
    names = {f.data.get("name") for f in mine(insecure) if f.rule_id == LITERAL}
    assert not names & {"token_ttl", "jwt_secret_name", "DB_PASSWORD", "port"}


def test_tfvars_decide_what_is_reported(tmp_path: Path) -> None:
    project = tmp_path / "insecure"
    shutil.copytree(INSECURE, project)
    (project / "terraform.tfvars").unlink()
    result = Engine().analyze_module(str(project))
    gone = {
        (LITERAL, "terraform.tfvars"),
        (KEY, "terraform.tfvars"),
    }
    found = {(f.rule_id, Path(f.path).name) for f in mine(result)}
    assert not gone & found
    assert len(mine(result)) == len(mine(Engine().analyze_module(str(INSECURE)))) - 2


def test_an_ignore_comment_in_a_tfvars_file_suppresses_its_finding(tmp_path: Path) -> None:
    project = tmp_path / "insecure"
    shutil.copytree(INSECURE, project)
    ci = project / "ci.tfvars"
    ci.write_text(
        "# tfguard:ignore:terraform-secret-key-material revoked, kept for the replay test\n"
        + ci.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result = Engine().analyze_module(str(project))
    assert [f for f in mine(result) if Path(f.path).name == "ci.tfvars"] == []


def test_hardened_project_has_no_secret_findings() -> None:
    result = analyze_clean(HARDENED)
    assert triples(result) == []
    assert result.module is not None
    assert len(result.module.of_type("ephemeral.random_password")) == 1
