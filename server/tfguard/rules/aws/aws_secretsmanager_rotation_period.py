from __future__ import annotations

import re
from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, Value, as_number, as_string

_RATE = re.compile(r"^rate\(\s*(\d+)\s+(day|days|hour|hours|minute|minutes)\s*\)$")
_MAX_DAYS = 90


def _days(expression: Value) -> Value:
    """The days between rotations of a rate() expression; UNKNOWN for cron() or anything
    unreadable (cron schedules are not judged)."""
    text = as_string(expression)
    if text is UNKNOWN:
        return UNKNOWN
    m = _RATE.match(text.strip())
    if m is None:
        return UNKNOWN
    amount, unit = int(m.group(1)), m.group(2)
    if unit.startswith("hour"):
        return amount / 24
    if unit.startswith("minute"):
        return amount / 1440
    return amount


class SecretsmanagerRotationPeriod(Rule):
    id = "aws-secretsmanager-rotation-period"
    title = "Secrets Manager rotation happens less often than every 90 days"
    severity = Severity.LOW
    rationale = (
        "Rotation bounds how long a leaked secret stays useful. A schedule longer than 90 "
        "days (the period CIS, PCI DSS and AWS Security Hub use) leaves a stolen credential "
        "valid for a quarter of a year or more."
    )
    remediation = (
        "Set rotation_rules { automatically_after_days = 90 } (or fewer), or a "
        'schedule_expression such as "rate(30 days)".'
    )
    links = (
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/secretsmanager_secret_rotation#rotation_rules",
    )
    aliases = ("CKV_AWS_304",)
    bad_example = """
resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = aws_lambda_function.rotate_db.arn

  rotation_rules {
    automatically_after_days = 365
  }
}
"""
    good_example = """
resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = aws_lambda_function.rotate_db.arn

  rotation_rules {
    schedule_expression = "rate(30 days)"
  }
}
"""
    fix_description = (
        "No automatic fix: a shorter period must suit the consumers of the secret and the "
        "rotation function."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for rotation in live(module, "aws_secretsmanager_secret_rotation"):
            for path, read in (
                ("rotation_rules.automatically_after_days", as_number),
                ("rotation_rules.schedule_expression", _days),
            ):
                for hit in lookup(module, rotation, path):
                    if not hit.present:
                        continue
                    days = read(hit.value)
                    if days is UNKNOWN or days <= _MAX_DAYS:
                        continue
                    yield ctx.report(
                        rotation,
                        hit.anchor,
                        f"{rotation.address} rotates the secret every {days:g} days, more "
                        f"than {_MAX_DAYS}",
                    )
