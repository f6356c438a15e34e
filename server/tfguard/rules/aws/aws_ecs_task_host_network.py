from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check


class EcsTaskHostNetwork(Check):
    id = "aws-ecs-task-host-network"
    title = "ECS task uses the host's network"
    severity = Severity.MEDIUM
    rationale = (
        "network_mode = \"host\" puts the task's containers directly on the EC2 host's "
        "network stack: they bypass the task-level security groups of awsvpc mode, can bind "
        "and sniff any port of the host, and reach the instance metadata endpoint (and the "
        "instance role's credentials) as if they were the host."
    )
    remediation = (
        'Use network_mode = "awsvpc" (required on Fargate), which gives each task its own '
        "network interface and security groups, or bridge mode on EC2."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_task_definition#network_mode",
    )
    bad_example = """
resource "aws_ecs_task_definition" "proxy" {
  family       = "proxy"
  network_mode = "host"
  container_definitions = jsonencode([
    { name = "proxy", image = "public.ecr.aws/nginx/nginx:1.27", memory = 256 }
  ])
}
"""
    good_example = """
resource "aws_ecs_task_definition" "proxy" {
  family       = "proxy"
  network_mode = "awsvpc"
  container_definitions = jsonencode([
    { name = "proxy", image = "public.ecr.aws/nginx/nginx:1.27", memory = 256 }
  ])
}
"""
    resource_types = ("aws_ecs_task_definition",)
    attribute = "network_mode"
    condition = NotEquals("host")
    default = "bridge"  # the ECS default on EC2 (Fargate requires awsvpc)
    message = 'ECS task definition {address} uses the host\'s network (network_mode = "host")'
    fix_description = (
        "No automatic fix: moving to awsvpc changes how the service is reached (port "
        "mappings, security groups, load balancer target type)."
    )
