from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_string

NAMESPACES = {"pid_mode": "process", "ipc_mode": "IPC"}


class EcsTaskHostNamespaces(Rule):
    id = "aws-ecs-task-host-namespaces"
    title = "ECS task shares the host's process or IPC namespace"
    severity = Severity.HIGH
    rationale = (
        'pid_mode = "host" lets the task\'s containers see and signal every process on the '
        "EC2 host (other tasks, the ECS agent) and read their environments through /proc; "
        'ipc_mode = "host" shares the host\'s shared memory and semaphores. Either turns '
        "one compromised container into access to its neighbours' secrets."
    )
    remediation = 'Remove pid_mode and ipc_mode (or use "task" to share only within the task).'
    links = (
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_definition_pidmode",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_task_definition#pid_mode",
    )
    aliases = ("CKV_AWS_335",)
    bad_example = """
resource "aws_ecs_task_definition" "monitor" {
  family   = "monitor"
  pid_mode = "host"
  container_definitions = jsonencode([
    { name = "monitor", image = "public.ecr.aws/acme/monitor:3.0.1", memory = 256 }
  ])
}
"""
    good_example = """
resource "aws_ecs_task_definition" "monitor" {
  family   = "monitor"
  pid_mode = "task"
  container_definitions = jsonencode([
    { name = "monitor", image = "public.ecr.aws/acme/monitor:3.0.1", memory = 256 }
  ])
}
"""
    fix_description = (
        "No automatic fix: a task that inspects host processes on purpose (a monitoring "
        "agent) stops working."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        for task in live(module, "aws_ecs_task_definition"):
            for argument, namespace in NAMESPACES.items():
                for hit in lookup(module, task, argument):
                    value = as_string(hit.value) if hit.present else None
                    if isinstance(value, str) and value.strip().lower() == "host":
                        yield ctx.report(
                            task,
                            hit.anchor,
                            f"ECS task definition {task.address} shares the host's "
                            f'{namespace} namespace ({argument} = "host")',
                        )
