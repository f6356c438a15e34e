from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class EcsServiceNoPublicIp(Check):
    id = "aws-ecs-service-no-public-ip"
    title = "ECS service gives its tasks public IP addresses"
    severity = Severity.MEDIUM
    rationale = (
        "assign_public_ip = true gives every task of an awsvpc service an internet-routable "
        "address: as soon as one of its security groups admits a port, the container is "
        "reachable from the internet directly, bypassing the load balancer, its TLS and its "
        "WAF, and its outbound traffic leaves from addresses nobody allow-listed."
    )
    remediation = (
        "Set assign_public_ip = false, run the tasks in private subnets with a NAT gateway "
        "or VPC endpoints for outbound traffic, and publish the service through a load "
        "balancer."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_service#assign_public_ip",
    )
    aliases = ("CKV_AWS_333",)
    bad_example = """
resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.api.arn
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = aws_subnet.public[*].id
    security_groups  = [aws_security_group.api.id]
    assign_public_ip = true
  }
}
"""
    good_example = """
resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.api.arn
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.api.id]
  }
}
"""
    resource_types = ("aws_ecs_service",)
    attribute = "network_configuration.assign_public_ip"
    condition = Equals(False)
    default = False  # aws provider 4.x-6.x
    message = "ECS service {address} gives its tasks public IP addresses"
    fix = SetValue(
        "false",
        "Do not give the tasks of {address} public IPs",
        applicability="unsafe",
        consequence="tasks in a public subnet without NAT cannot reach the internet",
    )
    fix_description = (
        "Sets assign_public_ip = false. Offered, not applied unattended: tasks in a public "
        "subnet without a NAT gateway then cannot pull images or reach AWS APIs."
    )
