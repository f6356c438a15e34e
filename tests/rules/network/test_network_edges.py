"""Edge cases of the network and EC2 rules: every resource form, expansion of dynamic blocks and
instances, rule ordering, account defaults, provider releases, and unknown values."""

from __future__ import annotations

from typing import Any

from tfguard.engine import fixes_for
from tfguard.findings import Finding, Severity
from tfguard.fixes import apply_edits


def found(scan_files: Any, rule_id: str, files: dict[str, str]) -> list[Finding]:
    result = scan_files(files)
    assert not [f for f in result.all_findings() if f.rule_id == "syntax"]
    assert not result.rule_errors, result.rule_errors
    return [f for f in result.all_findings() if f.rule_id == rule_id]


def lines(findings: list[Finding]) -> list[int]:
    return [f.range.start.line + 1 for f in findings]


# -- security group ingress --------------------------------------------------------------------

INGRESS = "aws-ec2-no-public-ingress"


def test_ingress_all_forms_and_ipv6(scan_files: Any) -> None:
    tf = """\
resource "aws_security_group" "a" {
  ingress {
    from_port        = 0
    to_port          = 65535
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"]
  }
}

resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol    = -1
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "b" {
  type              = "ingress"
  security_group_id = aws_security_group.a.id
  protocol          = "udp"
  from_port         = 1194
  to_port           = 1194
  cidr_blocks       = ["10.0.0.0/8", "0.0.0.0/0"]
}

resource "aws_vpc_security_group_ingress_rule" "c" {
  security_group_id = aws_security_group.a.id
  ip_protocol       = "-1"
  cidr_ipv6         = "::/0"
}

resource "aws_security_group_rule" "egress_is_not_ingress" {
  type              = "egress"
  security_group_id = aws_security_group.a.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}
"""
    findings = found(scan_files, INGRESS, {"main.tf": tf})
    assert lines(findings) == [6, 16, 26, 32]
    assert [f.severity for f in findings] == [
        Severity.CRITICAL,
        Severity.CRITICAL,
        Severity.HIGH,
        Severity.CRITICAL,
    ]
    assert "all TCP ports" in findings[0].message
    assert "port 1194" in findings[2].message
    assert findings[2].related[0].message == "the security group aws_security_group.a"


def test_ingress_dynamic_blocks(scan_files: Any) -> None:
    tf = """\
variable "ports" {
  type = list(number)
}

resource "aws_security_group" "literal_content" {
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

resource "aws_security_group" "from_items" {
  dynamic "ingress" {
    for_each = [
      { port = 22, cidr = "10.0.0.0/8" },
      { port = 3306, cidr = "0.0.0.0/0" },
    ]
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = [rule.value.cidr]
    }
  }
}

resource "aws_security_group" "empty" {
  dynamic "ingress" {
    for_each = []
    content {
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

resource "aws_security_group" "attribute_form" {
  ingress = [{
    from_port   = 6379
    to_port     = 6379
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }]
}
"""
    findings = found(scan_files, INGRESS, {"main.tf": tf})
    assert lines(findings) == [12, 28, 50]
    # unknown for_each, literal open range: reported, ports unknown
    assert "could not be determined" in findings[0].message
    assert findings[0].severity == Severity.HIGH
    # only the MySQL item is open
    assert "port 3306" in findings[1].message and "port 22" not in findings[1].message
    assert findings[2].severity == Severity.CRITICAL


def test_ingress_attribute_form_from_an_expression(scan_files: Any) -> None:
    tf = """\
locals {
  public_ports = [80, 443, 8080]
}

resource "aws_security_group" "a" {
  ingress = [for p in local.public_ports : {
    from_port        = p
    to_port          = p
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = []
    description      = "public ${p}"
    prefix_list_ids  = []
    security_groups  = []
    self             = false
  }]
}
"""
    (finding,) = found(scan_files, INGRESS, {"main.tf": tf})
    assert finding.range.start.line + 1 == 6
    assert "port 80, port 443, port 8080" in finding.message
    assert finding.severity == Severity.HIGH


def test_ingress_resource_instances(scan_files: Any) -> None:
    tf = """\
locals {
  rules = {
    ssh   = { port = 22, cidr = "10.1.0.0/16" }
    https = { port = 443, cidr = "0.0.0.0/0" }
  }
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each          = local.rules
  security_group_id = aws_security_group.a.id
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr
}

resource "aws_security_group_rule" "off" {
  count             = 0
  type              = "ingress"
  security_group_id = aws_security_group.a.id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]
}
"""
    findings = found(scan_files, INGRESS, {"main.tf": tf})
    assert lines(findings) == [14]
    assert findings[0].severity == Severity.LOW and "port 443" in findings[0].message


def test_ingress_unknown_and_private_ranges_are_silent(scan_files: Any) -> None:
    tf = """\
variable "cidr" {
  type = string
}

resource "aws_security_group" "a" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.cidr, "10.0.0.0/8"]
  }
  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.b.id]
  }
}

resource "aws_security_group_rule" "unknown_type" {
  type              = var.cidr
  security_group_id = aws_security_group.a.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}
"""
    assert found(scan_files, INGRESS, {"main.tf": tf}) == []


# -- egress ------------------------------------------------------------------------------------

EGRESS = "aws-ec2-no-unrestricted-egress"


def test_egress_only_all_ports(scan_files: Any) -> None:
    tf = """\
resource "aws_security_group" "a" {
  egress {
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_security_group_rule" "all" {
  type              = "egress"
  security_group_id = aws_security_group.a.id
  protocol          = "all"
  from_port         = 0
  to_port           = 0
  ipv6_cidr_blocks  = ["::/0"]
}
"""
    findings = found(scan_files, EGRESS, {"main.tf": tf})
    assert lines(findings) == [6, 28]
    assert all(f.severity == Severity.LOW for f in findings)


# -- network ACLs ------------------------------------------------------------------------------

NACL = "aws-vpc-nacl-no-public-ingress"


def test_nacl_all_traffic_is_medium_and_egress_ignored(scan_files: Any) -> None:
    tf = """\
resource "aws_default_network_acl" "default" {
  default_network_acl_id = aws_vpc.main.default_network_acl_id
  ingress {
    protocol   = -1
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
  egress {
    protocol   = -1
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}

resource "aws_network_acl_rule" "out" {
  network_acl_id = aws_default_network_acl.default.id
  rule_number    = 120
  egress         = true
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}
"""
    findings = found(scan_files, NACL, {"main.tf": tf})
    assert lines(findings) == [7]
    assert findings[0].severity == Severity.MEDIUM
    assert "all traffic" in findings[0].message and "SSH (22), RDP (3389)" in findings[0].message


def test_nacl_rule_order(scan_files: Any) -> None:
    tf = """\
variable "deny_number" {
  type = number
}

resource "aws_network_acl" "a" {
  vpc_id = aws_vpc.main.id
  ingress {
    rule_no    = 200
    protocol   = "tcp"
    action     = "deny"
    cidr_block = "0.0.0.0/0"
    from_port  = 22
    to_port    = 22
  }
  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 65535
  }
}

resource "aws_network_acl" "b" {
  vpc_id = aws_vpc.main.id
}

resource "aws_network_acl_rule" "b_deny" {
  network_acl_id = aws_network_acl.b.id
  rule_number    = var.deny_number
  protocol       = "-1"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_network_acl_rule" "b_allow" {
  network_acl_id = aws_network_acl.b.id
  rule_number    = 300
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}
"""
    findings = found(scan_files, NACL, {"main.tf": tf})
    # the deny of "a" comes after the allow; the deny of "b" has an unknown number and may
    # come first, so "b" stays silent
    assert lines(findings) == [19]
    assert findings[0].severity == Severity.MEDIUM
    assert "all TCP ports" in findings[0].message


def test_nacl_rules_linked_by_the_same_unknown_acl(scan_files: Any) -> None:
    tf = """\
variable "acl_id" {
  type = string
}

resource "aws_network_acl_rule" "deny_rdp" {
  network_acl_id = var.acl_id
  rule_number    = 10
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 3389
  to_port        = 3389
}

resource "aws_network_acl_rule" "rdp" {
  network_acl_id = var.acl_id
  rule_number    = 20
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 3389
  to_port        = 3389
}

resource "aws_network_acl_rule" "other_acl_ssh" {
  network_acl_id = var.other_acl_id
  rule_number    = 20
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}
"""
    assert lines(found(scan_files, NACL, {"main.tf": tf})) == [30]


# -- flow logs ---------------------------------------------------------------------------------

FLOW = "aws-vpc-flow-logs"


def test_flow_logs_for_each_and_import(scan_files: Any) -> None:
    tf = """\
resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "b" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc" "imported" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_vpc" "uncovered" {
  cidr_block = "10.3.0.0/16"
}

import {
  to = aws_vpc.imported
  id = "vpc-0a1b2c3d4e5f67890"
}
"""
    logs = """\
resource "aws_flow_log" "per_vpc" {
  for_each     = { a = aws_vpc.a.id, b = aws_vpc.b.id }
  vpc_id       = each.value
  traffic_type = "REJECT"
}

resource "aws_flow_log" "imported" {
  vpc_id       = "vpc-0a1b2c3d4e5f67890"
  traffic_type = "ALL"
}

resource "aws_flow_log" "subnet_only" {
  subnet_id    = aws_subnet.x.id
  traffic_type = "ALL"
}

resource "aws_flow_log" "switched_off" {
  count        = 0
  vpc_id       = aws_vpc.uncovered.id
  traffic_type = "ALL"
}
"""
    findings = found(scan_files, FLOW, {"main.tf": tf, "logs.tf": logs})
    assert [f.data["vpc"] for f in findings] == ["aws_vpc.uncovered"]
    assert lines(findings) == [13]


def test_flow_log_for_an_unknown_vpc_silences_the_module(scan_files: Any) -> None:
    tf = """\
resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_flow_log" "shared" {
  vpc_id       = var.vpc_id
  traffic_type = "ALL"
}
"""
    assert found(scan_files, FLOW, {"main.tf": tf}) == []


# -- public IP addresses -----------------------------------------------------------------------


def test_subnet_public_ip_per_instance(scan_files: Any) -> None:
    tf = """\
locals {
  subnets = {
    public  = { cidr = "10.0.0.0/24", public = true }
    private = { cidr = "10.0.1.0/24", public = false }
  }
}

resource "aws_subnet" "this" {
  for_each                = local.subnets
  vpc_id                  = aws_vpc.main.id
  cidr_block              = each.value.cidr
  map_public_ip_on_launch = each.value.public
}

resource "aws_subnet" "unknown" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.2.0/24"
  map_public_ip_on_launch = var.public
}
"""
    findings = found(scan_files, "aws-vpc-subnet-no-public-ip", {"main.tf": tf})
    assert lines(findings) == [12]


def test_public_ip_launch_configuration_and_dynamic_interfaces(scan_files: Any) -> None:
    tf = """\
resource "aws_launch_configuration" "legacy" {
  image_id                    = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  associate_public_ip_address = true
}

resource "aws_launch_template" "lt" {
  dynamic "network_interfaces" {
    for_each = [true]
    content {
      associate_public_ip_address = network_interfaces.value
    }
  }
}

resource "aws_instance" "private" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  associate_public_ip_address = false
}
"""
    findings = found(scan_files, "aws-ec2-no-public-ip", {"main.tf": tf})
    assert lines(findings) == [4, 11]


# -- IMDSv2 ------------------------------------------------------------------------------------

IMDS = "aws-ec2-imdsv2-required"


def test_imds_cases(scan_files: Any) -> None:
    tf = """\
resource "aws_instance" "disabled" {
  ami = "ami-0123456789abcdef0"
  metadata_options {
    http_endpoint = "disabled"
  }
}

resource "aws_instance" "tokens_unset" {
  ami = "ami-0123456789abcdef0"
  metadata_options {
    http_put_response_hop_limit = 2
  }
}

resource "aws_instance" "unknown" {
  ami = "ami-0123456789abcdef0"
  metadata_options {
    http_tokens = var.tokens
  }
}

resource "aws_launch_configuration" "lc" {
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}

resource "aws_instance" "off" {
  count = 0
  ami   = "ami-0123456789abcdef0"
}
"""
    findings = found(scan_files, IMDS, {"main.tf": tf})
    assert lines(findings) == [10, 22]
    assert findings[0].data["missing"] is True and "does not set http_tokens" in findings[0].message


def test_imds_account_default_covers_unset_but_not_optional(scan_files: Any) -> None:
    tf = """\
resource "aws_ec2_instance_metadata_defaults" "this" {
  http_tokens = "required"
}

resource "aws_instance" "relies_on_default" {
  ami = "ami-0123456789abcdef0"
}

resource "aws_instance" "explicit_optional" {
  ami = "ami-0123456789abcdef0"
  metadata_options {
    http_tokens = "optional"
  }
}

resource "aws_instance" "other_region" {
  provider = aws.us
  ami      = "ami-0123456789abcdef0"
}
"""
    assert lines(found(scan_files, IMDS, {"main.tf": tf})) == [12, 16]


# -- EBS encryption ----------------------------------------------------------------------------

BLOCK = "aws-ec2-block-device-encryption"
VOLUME = "aws-ec2-ebs-volume-encryption"


def test_block_devices(scan_files: Any) -> None:
    tf = """\
resource "aws_instance" "no_root_block" {
  ami = "ami-0123456789abcdef0"
}

resource "aws_instance" "devices" {
  ami = "ami-0123456789abcdef0"
  root_block_device {
    volume_size = 20
  }
  ebs_block_device {
    device_name = "/dev/sdf"
    snapshot_id = "snap-0123456789abcdef0"
  }
  ebs_block_device {
    device_name = "/dev/sdg"
    encrypted   = var.encrypted
  }
  ebs_block_device {
    device_name = "/dev/sdh"
    volume_size = 10
  }
}

resource "aws_launch_configuration" "lc" {
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  root_block_device {
    encrypted = true
  }
}

resource "aws_launch_template" "lt" {
  block_device_mappings {
    device_name = "/dev/xvdb"
    ebs {
      volume_size = 50
    }
  }
  block_device_mappings {
    device_name  = "/dev/xvdc"
    virtual_name = "ephemeral0"
  }
}
"""
    findings = found(scan_files, BLOCK, {"main.tf": tf})
    assert lines(findings) == [1, 7, 18, 35]
    assert [f.severity for f in findings] == [
        Severity.MEDIUM,  # the root volume follows the AMI
        Severity.MEDIUM,
        Severity.HIGH,  # a new empty volume
        Severity.MEDIUM,  # a template mapping: root or new volume
    ]


def test_encryption_by_default_in_the_module(scan_files: Any) -> None:
    tf = """\
resource "aws_ebs_encryption_by_default" "this" {}

resource "aws_instance" "a" {
  ami = "ami-0123456789abcdef0"
}

resource "aws_ebs_volume" "v" {
  availability_zone = "eu-west-1a"
  size              = 10
}

resource "aws_ebs_volume" "other_provider" {
  provider          = aws.replica
  availability_zone = "eu-central-1a"
  size              = 10
}
"""
    assert found(scan_files, BLOCK, {"main.tf": tf}) == []
    assert lines(found(scan_files, VOLUME, {"main.tf": tf})) == [12]


def test_ebs_volume_cases(scan_files: Any) -> None:
    tf = """\
resource "aws_ebs_volume" "explicit_false" {
  availability_zone = "eu-west-1a"
  size              = 10
  encrypted         = false
}

resource "aws_ebs_volume" "unknown" {
  availability_zone = "eu-west-1a"
  size              = 10
  encrypted         = var.encrypted
}

resource "aws_ebs_volume" "from_snapshot" {
  availability_zone = "eu-west-1a"
  snapshot_id       = var.snapshot_id
}

resource "aws_ebs_encryption_by_default" "off" {
  enabled = false
}
"""
    findings = found(scan_files, VOLUME, {"main.tf": tf})
    assert lines(findings) == [4]
    assert findings[0].data["missing"] is False


# -- public endpoints --------------------------------------------------------------------------


def test_rds_cluster_instance_uses_the_cluster_security_groups(scan_files: Any) -> None:
    tf = """\
resource "aws_security_group" "db" {
  ingress {
    from_port   = 3306
    to_port     = 3306
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_rds_cluster" "c" {
  cluster_identifier     = "c"
  engine                 = "aurora-mysql"
  vpc_security_group_ids = [aws_security_group.db.id]
}

resource "aws_rds_cluster_instance" "i" {
  cluster_identifier  = aws_rds_cluster.c.id
  instance_class      = "db.r6g.large"
  engine              = "aurora-mysql"
  publicly_accessible = true
}

resource "aws_db_instance" "unknown" {
  publicly_accessible = var.public
}
"""
    findings = found(scan_files, "aws-rds-no-public-access", {"main.tf": tf})
    assert lines(findings) == [20]
    assert findings[0].severity == Severity.CRITICAL
    related = findings[0].related[0].message
    assert related == "the security group aws_security_group.db admits 0.0.0.0/0"


REDSHIFT = "aws-redshift-no-public-access"
CLUSTER = """\
resource "aws_redshift_cluster" "w" {
  cluster_identifier = "w"
  node_type          = "ra3.xlplus"
}
"""


def _versions(constraint: str) -> str:
    return (
        'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n'
        f'      version = "{constraint}"\n    }}\n  }}\n}}\n'
    )


def test_redshift_default_depends_on_the_provider_release(scan_files: Any) -> None:
    assert found(scan_files, REDSHIFT, {"main.tf": CLUSTER}) == []
    assert found(scan_files, REDSHIFT, {"main.tf": CLUSTER, "v.tf": _versions(">= 6.0")}) == []
    wide = found(scan_files, REDSHIFT, {"main.tf": CLUSTER, "v.tf": _versions(">= 4.0")})
    assert [f.severity for f in wide] == [Severity.MEDIUM]


def test_redshift_lock_file_wins_over_the_constraint(scan_files: Any) -> None:
    lock = """\
provider "registry.terraform.io/hashicorp/aws" {
  version     = "%s"
  constraints = ">= 4.0"
  hashes = [
    "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
  ]
}
"""
    old = {"main.tf": CLUSTER, "v.tf": _versions(">= 4.0"), ".terraform.lock.hcl": lock % "5.94.1"}
    findings = found(scan_files, REDSHIFT, old)
    assert [f.severity for f in findings] == [Severity.HIGH]
    assert "5.94.1" in findings[0].message


def test_redshift_lock_file_with_a_new_release(scan_files: Any) -> None:
    lock = 'provider "registry.opentofu.org/hashicorp/aws" {\n  version = "6.2.0"\n}\n'
    files = {"main.tf": CLUSTER, "v.tf": _versions(">= 4.0"), ".terraform.lock.hcl": lock}
    assert found(scan_files, REDSHIFT, files) == []


def test_redshift_explicit_true_and_serverless(scan_files: Any) -> None:
    tf = """\
resource "aws_redshift_cluster" "w" {
  cluster_identifier  = "w"
  publicly_accessible = true
}

resource "aws_redshiftserverless_workgroup" "s" {
  workgroup_name      = "s"
  namespace_name      = "n"
  publicly_accessible = true
}

resource "aws_redshiftserverless_workgroup" "private" {
  workgroup_name = "p"
  namespace_name = "n"
}
"""
    assert lines(found(scan_files, REDSHIFT, {"main.tf": tf})) == [3, 9]


def test_eks_endpoint_cases(scan_files: Any) -> None:
    tf = """\
resource "aws_eks_cluster" "open" {
  name = "open"
  vpc_config {
    subnet_ids             = var.subnets
    endpoint_public_access = true
    public_access_cidrs    = ["10.0.0.0/8", "0.0.0.0/0"]
  }
}

resource "aws_eks_cluster" "empty_list" {
  name = "empty"
  vpc_config {
    subnet_ids          = var.subnets
    public_access_cidrs = []
  }
}

resource "aws_eks_cluster" "explicit_true" {
  name = "explicit"
  vpc_config {
    subnet_ids             = var.subnets
    endpoint_public_access = true
  }
}

resource "aws_eks_cluster" "private" {
  name = "private"
  vpc_config {
    subnet_ids              = var.subnets
    endpoint_private_access = true
    endpoint_public_access  = false
  }
}

resource "aws_eks_cluster" "unknown" {
  name = "unknown"
  vpc_config {
    subnet_ids          = var.subnets
    public_access_cidrs = var.allowed
  }
}
"""
    findings = found(scan_files, "aws-eks-no-open-public-endpoint", {"main.tf": tf})
    assert lines(findings) == [6, 14, 22]
    assert findings[0].data["cidrs"] == ["0.0.0.0/0"]


# -- fixes -------------------------------------------------------------------------------------


def _fixed(scan_files: Any, rule_id: str, text: str) -> list[str]:
    """The text of main.tf after each fix offered for the rule's findings."""
    result = scan_files({"main.tf": text})
    out = []
    for finding in [f for f in result.all_findings() if f.rule_id == rule_id]:
        for fix in fixes_for(result, finding):
            out.append(apply_edits(text, fix.edits))
    return out


def test_fixes_keep_the_literal_style_and_skip_variables(scan_files: Any) -> None:
    tf = """\
resource "aws_launch_template" "lt" {
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      encrypted = "false"
    }
  }
}

resource "aws_instance" "bare" {
  ami = "ami-0123456789abcdef0"
}
"""
    fixed = _fixed(scan_files, BLOCK, tf)
    assert len(fixed) == 2
    assert 'encrypted = "true"' in fixed[0]
    assert fixed[1].endswith(
        'ami = "ami-0123456789abcdef0"\n\n  root_block_device {\n    encrypted = true\n  }\n}\n'
    )
    db = """\
variable "public" {
  default = true
}

resource "aws_db_instance" "db" {
  publicly_accessible = var.public
}
"""
    assert _fixed(scan_files, "aws-rds-no-public-access", db) == []


def test_imds_fix_adds_the_argument_to_an_existing_block(scan_files: Any) -> None:
    tf = """\
resource "aws_instance" "a" {
  ami = "ami-0123456789abcdef0"
  metadata_options {
    http_put_response_hop_limit = 2
  }
}
"""
    (fixed,) = _fixed(scan_files, IMDS, tf)
    added = '    http_put_response_hop_limit = 2\n    http_tokens                 = "required"\n'
    assert added in fixed
