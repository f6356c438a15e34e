from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._ecs import task_containers
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.values import as_string


def is_root(user: str) -> bool:
    """``root``, ``0``, and ``root:group`` / ``0:gid``."""
    name = user.strip().split(":", 1)[0]
    return name in ("root", "0")


class EcsTaskRootUser(Rule):
    id = "aws-ecs-task-root-user"
    title = "ECS container is set to run as root"
    severity = Severity.MEDIUM
    rationale = (
        "A container whose user is root (or UID 0) runs the application with every "
        "permission inside the container: an attacker who exploits it can rewrite the "
        "application, read every mounted secret and volume, and is one kernel or runtime "
        "vulnerability away from root on the host. Running as a dedicated unprivileged user "
        "contains what an exploit can do."
    )
    remediation = (
        'Set user to an unprivileged UID ("1000" or "1000:1000") in the container '
        "definition and build the image so the application runs as that user."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_security",
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security-tasks-containers.html",
    )
    bad_example = """
resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    {
      name   = "api"
      image  = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:2.3.1"
      memory = 512
      user   = "root"
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
      user   = "1000:1000"
    }
  ])
}
"""
    fix_description = (
        "No automatic fix: the image must be built so the application can run as another user."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for container in task_containers(ctx.module):
            user = container.get("user")
            if user is None:
                continue  # the image's own USER, which the configuration does not show
            text = as_string(user)
            if isinstance(text, str) and is_root(text):
                yield ctx.report(
                    container.task,
                    container.anchor_of("user"),
                    f"The {container.describe()} runs as root (user = {text!r})",
                )
