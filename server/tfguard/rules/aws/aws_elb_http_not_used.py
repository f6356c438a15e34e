from __future__ import annotations

from collections.abc import Iterator

from tfguard.evaluate import UNKNOWN
from tfguard.findings import Finding, Severity
from tfguard.module import Entity, Module
from tfguard.rules.aws._elb import LISTENER_TYPES, listener_lb_type
from tfguard.rules.base import Anchor, Context, Rule
from tfguard.rules.kit.instances import nested_rule_sets
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_string


def _plain_action(module: Module, listener: Entity) -> tuple[object, Anchor | None]:
    """Whether a default action serves plain HTTP (True), every one redirects to HTTPS
    (False) or one cannot be read (UNKNOWN); and where the offending action is: the
    redirect's protocol, else the action block."""
    actions = list(nested_rule_sets(module, listener, "default_action", [module.evaluator()]))
    if not actions:
        return True, None
    unknown = False
    for action in actions:
        kind = as_string(action.get("type"))
        if kind is UNKNOWN:
            unknown = True
            continue
        if kind != "redirect":
            return True, action.holder
        redirect = action.nested("redirect")
        if redirect is None:
            return True, action.holder
        protocol = as_string(redirect.get("protocol", "#{protocol}"))
        if protocol is UNKNOWN:
            unknown = True
        elif protocol.upper() != "HTTPS":
            return True, redirect.anchor("protocol")
    return (UNKNOWN if unknown else False), None


class ElbHttpNotUsed(Rule):
    id = "aws-elb-http-not-used"
    title = "Load balancer listener serves plain HTTP instead of redirecting to HTTPS"
    severity = Severity.HIGH
    rationale = (
        "An application load balancer listener on HTTP forwards requests in clear text: "
        "session cookies, bearer tokens, passwords in forms and the responses can be read and "
        "changed by anyone on the path (public Wi-Fi, a compromised router). An HTTP listener "
        "should only answer with a redirect to the HTTPS listener."
    )
    remediation = (
        "Serve the application on an HTTPS listener, and give the HTTP listener a default_action "
        'of type "redirect" with protocol = "HTTPS" and status_code = "HTTP_301".'
    )
    links = (
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_listener",
    )
    aliases = ("CKV_AWS_2", "AVD-AWS-0054", "AWS-0054")
    bad_example = """
resource "aws_lb" "web" {
  name    = "web"
  subnets = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
"""
    good_example = """
resource "aws_lb" "web" {
  name    = "web"
  subnets = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
"""
    fix_description = (
        "No automatic fix: the HTTPS listener the redirect points to needs a certificate, "
        "and the HTTP listener's current action may be relied on."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for listener in live(module, *LISTENER_TYPES):
            attr = listener.attr("protocol")
            if attr is None:
                # HTTP is the default for application load balancers only.
                if listener_lb_type(module, listener) != "application":
                    continue
                protocol: object = "HTTP"
            else:
                protocol = as_string(module.cached_value(attr.value))
            if not isinstance(protocol, str) or protocol.upper() != "HTTP":
                continue
            plain, where = _plain_action(module, listener)
            if plain is not True:
                continue
            yield ctx.report(
                listener,
                where if where is not None else (attr if attr is not None else listener.block),
                f"{listener.address} listens on plain HTTP and does not redirect to HTTPS",
            )
