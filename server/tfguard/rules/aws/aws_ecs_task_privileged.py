from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._ecs import task_containers
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.values import as_bool


class EcsTaskPrivileged(Rule):
    id = "aws-ecs-task-privileged"
    title = "ECS container runs privileged"
    severity = Severity.HIGH
    rationale = (
        "A privileged container gets every Linux capability and the host's devices: it can "
        "mount the host's disks, load kernel modules and escape to the EC2 host, and from "
        "there read the instance role's credentials and every other task's secrets on that "
        "host. A compromise of the application becomes a compromise of the node."
    )
    remediation = (
        "Remove privileged = true from the container definition; grant only the Linux "
        "capabilities the container needs with linuxParameters.capabilities.add."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_security",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_task_definition#container_definitions",
    )
    aliases = ("CKV_AWS_334",)
    bad_example = """
resource "aws_ecs_task_definition" "agent" {
  family = "agent"
  container_definitions = jsonencode([
    {
      name       = "agent"
      image      = "public.ecr.aws/acme/agent:1.4.2"
      memory     = 256
      privileged = true
    }
  ])
}
"""
    good_example = """
resource "aws_ecs_task_definition" "agent" {
  family = "agent"
  container_definitions = jsonencode([
    {
      name   = "agent"
      image  = "public.ecr.aws/acme/agent:1.4.2"
      memory = 256
      linuxParameters = {
        capabilities = { add = ["NET_ADMIN"] }
      }
    }
  ])
}
"""
    fix_description = (
        "No automatic fix: the capabilities the container really needs have to be chosen."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for container in task_containers(ctx.module):
            if as_bool(container.get("privileged")) is True:
                yield ctx.report(
                    container.task,
                    container.anchor_of("privileged"),
                    f"The {container.describe()} runs privileged: it can take over the host",
                )
