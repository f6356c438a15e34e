from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.aws._ecs import task_containers
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.values import UNKNOWN, as_bool


class EcsTaskReadOnlyRoot(Rule):
    id = "aws-ecs-task-read-only-root"
    title = "ECS container can write to its root filesystem"
    severity = Severity.LOW
    rationale = (
        "readonlyRootFilesystem defaults to false, so a compromised process can replace the "
        "application's binaries and libraries, drop tools and persist changes for the "
        "container's lifetime. A read-only root filesystem, with volumes only where the "
        "application must write, makes tampering much harder to hide."
    )
    remediation = (
        "Set readonlyRootFilesystem = true in the container definition and mount a volume "
        "(or a tmpfs on EC2) for the paths the application writes to."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_storage",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_task_definition#container_definitions",
    )
    aliases = ("CKV_AWS_336",)
    bad_example = """
resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    {
      name   = "api"
      image  = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:2.3.1"
      memory = 512
    }
  ])
}
"""
    good_example = """
resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    {
      name                   = "api"
      image                  = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:2.3.1"
      memory                 = 512
      readonlyRootFilesystem = true
    }
  ])
}
"""
    fix_description = (
        "No automatic fix: the paths the application writes to need volumes first, or it "
        "fails at start."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for container in task_containers(ctx.module):
            value = container.get("readonlyRootFilesystem")
            flag = False if value is None else as_bool(value)
            if flag is UNKNOWN or flag is True:
                continue
            yield ctx.report(
                container.task,
                container.anchor_of("readonlyRootFilesystem"),
                f"The {container.describe()} can write to its root filesystem "
                "(readonlyRootFilesystem is not true)",
            )
