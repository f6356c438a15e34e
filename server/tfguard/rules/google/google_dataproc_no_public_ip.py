from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue
from tfguard.rules.kit.values import UNKNOWN


class GoogleDataprocNoPublicIp(Check):
    id = "google-dataproc-no-public-ip"
    title = "Dataproc cluster nodes have public IP addresses"
    severity = Severity.HIGH
    rationale = (
        "internal_ip_only = false gives every Dataproc master and worker an external IP "
        "address. Hadoop and Spark ship web UIs and RPC ports (YARN, HDFS, Jupyter) that "
        "have been used for remote code execution whenever they were reachable, and a "
        "cluster's service account usually reads the data lake. Newer Dataproc images "
        "default to internal addresses, so only an explicit false is reported."
    )
    remediation = (
        "Set cluster_config.gce_cluster_config.internal_ip_only = true, enable Private Google "
        "Access on the subnetwork, and reach the UIs through the Component Gateway."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/dataproc_cluster#internal_ip_only",
        "https://cloud.google.com/dataproc/docs/concepts/configuring-clusters/network#create_a_cluster_that_uses_internal_ip_addresses_only",
    )
    aliases = ("CKV_GCP_103",)
    bad_example = """
resource "google_dataproc_cluster" "etl" {
  name   = "etl"
  region = "europe-west1"

  cluster_config {
    gce_cluster_config {
      subnetwork       = "data"
      internal_ip_only = false
    }
  }
}
"""
    good_example = """
resource "google_dataproc_cluster" "etl" {
  name   = "etl"
  region = "europe-west1"

  cluster_config {
    gce_cluster_config {
      subnetwork       = "data"
      internal_ip_only = true
    }
  }
}
"""
    resource_types = ("google_dataproc_cluster",)
    attribute = "cluster_config.gce_cluster_config.internal_ip_only"
    condition = Equals(True)
    # The default changed with Dataproc image 2.2 (internal only); left out it is not known.
    default = UNKNOWN
    message = "Dataproc cluster {address} gives its nodes public IP addresses"
    fix = SetValue(
        "true",
        "Use internal IP addresses only",
        applicability="unsafe",
        consequence="the cluster is re-created and needs Private Google Access or Cloud NAT",
    )
    fix_description = (
        "Sets internal_ip_only = true (not preferred: the cluster is re-created, and its "
        "nodes then need Private Google Access or Cloud NAT)."
    )
