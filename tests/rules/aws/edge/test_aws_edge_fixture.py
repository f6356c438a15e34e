"""The load balancer, CloudFront, API Gateway and WAFv2 rules on two multi-file projects: an
internet-facing application load balancer whose HTTP listener takes the ALB's default
protocol and whose HTTPS policy comes from terraform.tfvars, a network load balancer and a
classic one; a distribution with a plain-HTTP ordered behavior and a viewer TLS version from
terraform.tfvars; an API with unauthenticated methods and an unlogged stage; a web ACL
without logging. The hardened project must produce no finding of any rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.rules.aws.part2_helpers import added_lines, every_finding, fix_results
from tests.rules.fixture_helpers import RuleFamily, analyze_clean

from tfguard.engine import ModuleResult
from tfguard.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"
INSECURE = FIXTURES / "insecure"
HARDENED = FIXTURES / "hardened"

RULES = frozenset(
    {
        "aws-elb-http-not-used",
        "aws-elb-drop-invalid-headers",
        "aws-elb-access-logs",
        "aws-elb-deletion-protection",
        "aws-elb-internet-facing",
        "aws-elb-outdated-tls-policy",
        "aws-elb-classic-plaintext-listener",
        "aws-cloudfront-enforce-https",
        "aws-cloudfront-minimum-tls",
        "aws-cloudfront-origin-https",
        "aws-cloudfront-waf",
        "aws-cloudfront-logging",
        "aws-cloudfront-geo-restriction",
        "aws-apigateway-access-logging",
        "aws-apigateway-tracing",
        "aws-apigateway-cache-encryption",
        "aws-apigateway-method-authorization",
        "aws-apigateway-client-certificate",
        "aws-apigateway-domain-tls",
        "aws-wafv2-logging",
    }
)

FAMILY = RuleFamily(RULES, INSECURE)
at, triples, one = FAMILY.at, FAMILY.triples, FAMILY.one


def below(where: tuple[str, int], lines: int) -> tuple[str, int]:
    return where[0], where[1] + lines


WEB_LB = at("lb.tf", 'resource "aws_lb" "web"')
HTTP = at("lb.tf", 'resource "aws_lb_listener" "http"')
HTTP_ACTION = below(HTTP, 4)  # its default_action, which forwards instead of redirecting
TLS_POLICY = at("lb.tf", "ssl_policy        = var.tls_policy")
LB_LOGS = below(WEB_LB, 4)  # the access_logs block of aws_lb.web
CLASSIC = at("lb.tf", 'lb_protocol       = "http"')
SITE = at("cdn.tf", 'resource "aws_cloudfront_distribution" "site"')
ORIGIN = at("cdn.tf", 'origin_protocol_policy = "match-viewer"')
ALLOW_ALL = at("cdn.tf", 'viewer_protocol_policy = "allow-all"')
GEO = at("cdn.tf", 'restriction_type = "none"')
VIEWER_TLS = at("cdn.tf", "minimum_protocol_version = var.viewer_tls")
CREATE = at("api.tf", 'http_method   = "POST"')
LIST = at("api.tf", 'http_method   = "GET"')
STAGE = at("api.tf", 'resource "aws_api_gateway_stage" "prod"')
CACHE = at("api.tf", "settings {")
DOMAIN_TLS = at("api.tf", 'security_policy          = "TLS_1_0"')
ACL = at("waf.tf", 'resource "aws_wafv2_web_acl" "edge"')


@pytest.fixture(scope="module")
def insecure() -> ModuleResult:
    return analyze_clean(INSECURE)


def test_insecure_project_findings_are_exact(insecure: ModuleResult) -> None:
    expected = [
        ("aws-elb-deletion-protection", *WEB_LB),
        ("aws-elb-drop-invalid-headers", *WEB_LB),
        ("aws-elb-internet-facing", *WEB_LB),
        ("aws-elb-access-logs", *LB_LOGS),
        ("aws-elb-http-not-used", *HTTP_ACTION),
        ("aws-elb-outdated-tls-policy", *TLS_POLICY),
        ("aws-elb-classic-plaintext-listener", *CLASSIC),
        ("aws-cloudfront-logging", *SITE),
        ("aws-cloudfront-waf", *SITE),
        ("aws-cloudfront-origin-https", *ORIGIN),
        ("aws-cloudfront-enforce-https", *ALLOW_ALL),
        ("aws-cloudfront-geo-restriction", *GEO),
        ("aws-cloudfront-minimum-tls", *VIEWER_TLS),
        ("aws-apigateway-method-authorization", *below(CREATE, 1)),
        ("aws-apigateway-method-authorization", *below(LIST, 1)),
        ("aws-apigateway-access-logging", *STAGE),
        ("aws-apigateway-client-certificate", *STAGE),
        ("aws-apigateway-tracing", *STAGE),
        ("aws-apigateway-cache-encryption", *CACHE),
        ("aws-apigateway-domain-tls", *DOMAIN_TLS),
        ("aws-wafv2-logging", *ACL),
    ]
    assert triples(insecure) == sorted(expected)


def test_aws_elb_http_not_used_takes_the_alb_default_protocol(insecure: ModuleResult) -> None:
    # The listener writes no protocol: HTTP is the default of an application load balancer.
    # The network load balancer's TCP listener is not reported.
    finding = one(insecure, "aws-elb-http-not-used", HTTP_ACTION)
    assert "aws_lb_listener.http" in finding.message
    assert fix_results(insecure, finding) == []


def test_aws_elb_outdated_tls_policy_reads_terraform_tfvars(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-elb-outdated-tls-policy", TLS_POLICY)
    assert "ELBSecurityPolicy-2016-08" in finding.message
    assert fix_results(insecure, finding) == []  # the value is defined in terraform.tfvars


def test_aws_elb_drop_invalid_headers_fix_is_offered_not_preferred(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-elb-drop-invalid-headers", WEB_LB)
    [fix] = fix_results(insecure, finding)
    assert not fix.preferred
    before = (INSECURE / "lb.tf").read_text(encoding="utf-8")
    assert added_lines(before, fix.files["lb.tf"]) == ["drop_invalid_header_fields = true"]


def test_aws_elb_deletion_protection_fix_is_preferred(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-elb-deletion-protection", WEB_LB)
    [fix] = fix_results(insecure, finding)
    assert fix.preferred
    before = (INSECURE / "lb.tf").read_text(encoding="utf-8")
    assert added_lines(before, fix.files["lb.tf"]) == ["enable_deletion_protection = true"]


def test_aws_elb_internet_facing_is_informational(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-elb-internet-facing", WEB_LB)
    assert finding.severity == Severity.INFO
    [fix] = fix_results(insecure, finding)
    assert not fix.preferred  # replaces the load balancer


def test_aws_cloudfront_enforce_https_reaches_ordered_behaviors(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-cloudfront-enforce-https", ALLOW_ALL)
    [fix] = fix_results(insecure, finding)
    assert not fix.preferred
    after = fix.files["cdn.tf"].splitlines()
    assert after[ALLOW_ALL[1] - 1].strip() == 'viewer_protocol_policy = "redirect-to-https"'


def test_aws_cloudfront_minimum_tls_reads_terraform_tfvars(insecure: ModuleResult) -> None:
    finding = one(insecure, "aws-cloudfront-minimum-tls", VIEWER_TLS)
    assert "TLSv1_2016" in finding.message
    assert fix_results(insecure, finding) == []


def test_aws_apigateway_method_authorization_grades_by_method(insecure: ModuleResult) -> None:
    create = one(insecure, "aws-apigateway-method-authorization", below(CREATE, 1))
    listing = one(insecure, "aws-apigateway-method-authorization", below(LIST, 1))
    assert create.severity == Severity.MEDIUM and "(POST)" in create.message
    assert listing.severity == Severity.LOW and "(GET)" in listing.message


def test_aws_apigateway_fixes_add_the_missing_arguments(insecure: ModuleResult) -> None:
    tracing = one(insecure, "aws-apigateway-tracing", STAGE)
    [fix] = fix_results(insecure, tracing)
    before = (INSECURE / "api.tf").read_text(encoding="utf-8")
    assert fix.preferred
    assert added_lines(before, fix.files["api.tf"]) == ["xray_tracing_enabled = true"]
    cache = one(insecure, "aws-apigateway-cache-encryption", CACHE)
    [fix] = fix_results(insecure, cache)
    assert fix.preferred
    assert added_lines(before, fix.files["api.tf"]) == ["cache_data_encrypted = true"]


def test_hardened_project_has_no_findings() -> None:
    assert every_finding(analyze_clean(HARDENED)) == []
