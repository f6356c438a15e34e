from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._ecs import Container, task_containers
from tfguard.rules.base import Anchor, Context, Rule
from tfguard.rules.kit.values import UNKNOWN, as_string
from tfguard.syntax import ObjectExpr, TupleExpr

# Words of a variable name that say it holds a secret, and pairs of words that do.
SECRET_WORDS = frozenset(
    {"password", "passwd", "secret", "token", "apikey", "credential", "credentials"}
)
SECRET_PAIRS = frozenset(
    {("api", "key"), ("access", "key"), ("private", "key"), ("secret", "key"), ("auth", "key")}
)
# A last word that makes the variable a pointer to a secret rather than the secret.
REFERENCE_WORDS = frozenset(
    {
        "arn",
        "name",
        "id",
        "path",
        "file",
        "url",
        "uri",
        "endpoint",
        "region",
        "type",
        "length",
        "ttl",
        "expiry",
        "header",
        "ref",
        "version",
        "enabled",
    }
)


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


def secret_name(name: str) -> bool:
    """Whether an environment variable's name says it holds a secret value."""
    words = _words(name)
    if not words or words[-1] in REFERENCE_WORDS:
        return False
    if SECRET_WORDS.intersection(words):
        return True
    return any(pair in SECRET_PAIRS for pair in itertools.pairwise(words))


def _reference(value: object) -> bool:
    """A value that points at a secret (an ARN) or is empty."""
    text = as_string(value) if value is not None else ""
    return isinstance(text, str) and (text.strip() == "" or text.startswith("arn:"))


class EcsTaskPlaintextSecrets(Rule):
    id = "aws-ecs-task-plaintext-secrets"
    title = "ECS container passes a secret as a plain environment variable"
    severity = Severity.HIGH
    rationale = (
        "Values in a container's environment are stored in the task definition in plain "
        "text: anyone with ecs:DescribeTaskDefinition (often granted broadly for "
        "deployments and dashboards) reads them, they appear in the console and in "
        "Terraform state, and every revision keeps them. The secrets list injects the value "
        "from Secrets Manager or SSM Parameter Store at start instead, readable only by the "
        "task execution role."
    )
    remediation = (
        "Store the value in Secrets Manager or an SSM SecureString parameter and move the "
        "variable from environment to secrets = [{ name = ..., valueFrom = <ARN> }], giving "
        "the execution role access to it."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html",
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html",
    )
    aliases = ("AVD-AWS-0036", "AWS-0036", "aws-ecs-no-plaintext-secrets")
    bad_example = """
resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    {
      name   = "api"
      image  = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:2.3.1"
      memory = 512
      environment = [
        { name = "DB_HOST", value = "orders.cluster-abc.eu-west-1.rds.amazonaws.com" },
        { name = "DB_PASSWORD", value = var.db_password },
      ]
    }
  ])
}
"""
    good_example = """
resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    {
      name   = "api"
      image  = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:2.3.1"
      memory = 512
      environment = [
        { name = "DB_HOST", value = "orders.cluster-abc.eu-west-1.rds.amazonaws.com" },
        { name = "DB_PASSWORD_SECRET_ARN", value = aws_secretsmanager_secret.db.arn },
      ]
      secrets = [
        { name = "DB_PASSWORD", valueFrom = aws_secretsmanager_secret.db.arn },
      ]
    }
  ])
}
"""
    fix_description = (
        "No automatic fix: the value has to be stored in Secrets Manager or Parameter Store "
        "first, and the execution role allowed to read it."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for container in task_containers(ctx.module):
            environment = container.get("environment")
            if not isinstance(environment, list):
                continue
            for i, entry in enumerate(environment):
                if not isinstance(entry, dict):
                    continue
                name = entry.get("name")
                if not isinstance(name, str) or not secret_name(name):
                    continue
                value = entry.get("value")
                if value is not UNKNOWN and _reference(value):
                    continue
                yield ctx.report(
                    container.task,
                    _entry_anchor(container, i),
                    f"The {container.describe()} passes {name} in plain text in its "
                    "environment instead of secrets",
                    data={"variable": name},
                )


def _entry_anchor(container: Container, index: int) -> Anchor:
    """The environment entry's object when written in place, else the container's."""
    if container.written is not None:
        item = container.written.get("environment")
        if item is not None and isinstance(item.value, TupleExpr):
            entries = item.value.items
            if index < len(entries) and isinstance(entries[index], ObjectExpr):
                return entries[index]
            return item
    return container.anchor
