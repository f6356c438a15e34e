from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotOneOf, OneOf
from tfguard.rules.kit.declarative import Check, SetValue, When

# Predefined policies that still accept TLS 1.0 or 1.1 (or only ciphers without forward
# secrecy from before 2016).
OUTDATED = (
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-2015-05",
    "ELBSecurityPolicy-2015-03",
    "ELBSecurityPolicy-2015-02",
    "ELBSecurityPolicy-2014-10",
    "ELBSecurityPolicy-2014-01",
    "ELBSecurityPolicy-Default",
    "ELBSecurityPolicy-TLS-1-0-2015-04",
    "ELBSecurityPolicy-TLS-1-1-2017-01",
    "ELBSecurityPolicy-FS-2018-06",
    "ELBSecurityPolicy-FS-1-1-2019-08",
    "ELBSecurityPolicy-TLS13-1-0-2021-06",
    "ELBSecurityPolicy-TLS13-1-1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
)


class ElbOutdatedTlsPolicy(Check):
    id = "aws-elb-outdated-tls-policy"
    title = "Load balancer listener accepts TLS versions older than 1.2"
    severity = Severity.MEDIUM
    rationale = (
        "The listener's ssl_policy decides which TLS versions and ciphers clients may "
        "negotiate. Policies such as ELBSecurityPolicy-2016-08 still accept TLS 1.0 and 1.1, "
        "which have known weaknesses (BEAST, weak MAC constructions) and are no longer allowed "
        "by PCI DSS; a downgrade to them exposes the traffic the listener protects."
    )
    remediation = (
        'Set ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS 1.3 and 1.2), or a FIPS '
        "or post-quantum variant of it."
    )
    links = (
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_listener#ssl_policy",
    )
    aliases = ("AVD-AWS-0047", "AWS-0047", "aws-elb-use-secure-tls-policy")
    bad_example = """
resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-2016-08"
  certificate_arn   = aws_acm_certificate.web.arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
"""
    good_example = """
resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate.web.arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
"""
    resource_types = ("aws_lb_listener", "aws_alb_listener")
    attribute = "ssl_policy"
    condition = NotOneOf(*OUTDATED)
    # Left out, the policy is chosen by the ELB API (it has changed over time): unknown.
    only_if = (When("protocol", OneOf("HTTPS", "TLS", ignore_case=True)),)
    message = "Listener {address} uses the outdated TLS policy {value}"
    # Clients that only speak TLS 1.0/1.1 can no longer connect.
    fix = SetValue(
        '"ELBSecurityPolicy-TLS13-1-2-2021-06"',
        "Use the TLS 1.3/1.2 policy ELBSecurityPolicy-TLS13-1-2-2021-06",
        applicability="unsafe",
        consequence="clients limited to TLS 1.0/1.1 can no longer connect",
    )
    fix_description = (
        'Sets ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06" (offered, not applied by '
        "fix-all: clients limited to TLS 1.0/1.1 can no longer connect)."
    )
