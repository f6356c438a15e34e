from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.paths import Hit
from tfguard.rules.kit.values import Value


class EcsTaskEfsTransitEncryption(Check):
    id = "aws-ecs-task-efs-transit-encryption"
    title = "ECS task mounts EFS without encryption in transit"
    severity = Severity.MEDIUM
    rationale = (
        "transit_encryption defaults to DISABLED, so the NFS traffic between the task and "
        "the EFS file system crosses the VPC in clear text: anything that can observe it "
        "(a compromised host, traffic mirroring) reads and can alter the files. With "
        "ENABLED the mount uses TLS, which is also what EFS IAM authorization requires."
    )
    remediation = (
        'Set transit_encryption = "ENABLED" in each efs_volume_configuration (on EC2, the '
        "ECS-optimized AMI's EFS mount helper handles TLS)."
    )
    links = (
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_task_definition#transit_encryption",
    )
    aliases = (
        "CKV_AWS_97",
        "AVD-AWS-0035",
        "AWS-0035",
        "aws-ecs-enable-in-transit-encryption",
    )
    bad_example = """
resource "aws_ecs_task_definition" "cms" {
  family = "cms"
  container_definitions = jsonencode([
    { name = "cms", image = "public.ecr.aws/acme/cms:5.2.0", memory = 512 }
  ])

  volume {
    name = "content"

    efs_volume_configuration {
      file_system_id = aws_efs_file_system.content.id
    }
  }
}
"""
    good_example = """
resource "aws_ecs_task_definition" "cms" {
  family = "cms"
  container_definitions = jsonencode([
    { name = "cms", image = "public.ecr.aws/acme/cms:5.2.0", memory = 512 }
  ])

  volume {
    name = "content"

    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.content.id
      transit_encryption = "ENABLED"
    }
  }

  volume {
    name      = "scratch"
    host_path = "/ecs/scratch"
  }
}
"""
    resource_types = ("aws_ecs_task_definition",)
    attribute = "volume.efs_volume_configuration.transit_encryption"
    condition = Equals("ENABLED", ignore_case=True)
    default = "DISABLED"  # aws provider 4.x-6.x
    message = "ECS task definition {address} mounts EFS without TLS (transit_encryption = {value})"
    missing_message = (
        "ECS task definition {address} mounts EFS without TLS (transit_encryption is not set)"
    )
    fix = SetValue(
        '"ENABLED"',
        "Mount EFS over TLS",
        applicability="unsafe",
        consequence="the mount fails on EC2 hosts without the EFS mount helper",
    )
    fix_description = (
        'Sets transit_encryption = "ENABLED" (a new task definition revision). Offered, not '
        "applied unattended: on EC2 hosts without the EFS mount helper the mount fails."
    )

    def failures(self, module: Module, entity: Entity) -> Iterator[tuple[Hit, Value]]:
        for hit, value in super().failures(module, entity):
            if "efs_volume_configuration" not in hit.missing:  # a volume that is not EFS
                yield hit, value
