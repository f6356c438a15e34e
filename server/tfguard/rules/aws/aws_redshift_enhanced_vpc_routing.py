from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue


class RedshiftEnhancedVpcRouting(Check):
    id = "aws-redshift-enhanced-vpc-routing"
    title = "Redshift cluster sends COPY and UNLOAD traffic outside the VPC"
    severity = Severity.LOW
    rationale = (
        "Without enhanced VPC routing, COPY and UNLOAD traffic between the cluster and S3 "
        "(or other sources) bypasses the VPC: security groups, network ACLs, VPC endpoint "
        "policies and flow logs do not see it, so data can be unloaded to any bucket without "
        "the network noticing."
    )
    remediation = (
        "Set enhanced_vpc_routing = true, and give the VPC an S3 gateway endpoint (or a NAT "
        "route) so that COPY and UNLOAD still reach S3."
    )
    links = (
        "https://docs.aws.amazon.com/redshift/latest/mgmt/enhanced-vpc-routing.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/redshift_cluster#enhanced_vpc_routing",
    )
    aliases = ("CKV_AWS_321",)
    bad_example = """
resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier     = "warehouse"
  node_type              = "ra3.xlplus"
  master_username        = "admin"
  manage_master_password = true
}
"""
    good_example = """
resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier     = "warehouse"
  node_type              = "ra3.xlplus"
  master_username        = "admin"
  manage_master_password = true
  enhanced_vpc_routing   = true
}
"""
    resource_types = ("aws_redshift_cluster",)
    attribute = "enhanced_vpc_routing"
    condition = Equals(True)
    default = False  # aws 4.x-6.x: false
    message = "Redshift cluster {address} has enhanced VPC routing off ({attribute} = {value})"
    missing_message = "Redshift cluster {address} does not use enhanced VPC routing"
    # COPY/UNLOAD need a route to S3 through the VPC afterwards.
    fix = SetValue(
        "true",
        "Route COPY and UNLOAD through the VPC",
        applicability="unsafe",
        consequence="COPY and UNLOAD then need an S3 endpoint or NAT route in the VPC",
    )
    fix_description = (
        "Sets enhanced_vpc_routing = true (offered, not applied by fix-all: COPY and UNLOAD "
        "then need an S3 endpoint or NAT route in the VPC)."
    )
