from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleCloudrunIngress(Check):
    id = "google-cloudrun-ingress"
    title = "Cloud Run service accepts traffic from the internet directly"
    severity = Severity.LOW
    rationale = (
        'ingress = "INGRESS_TRAFFIC_ALL" (the default) lets requests reach the service\'s '
        "run.app URL from anywhere, skipping the load balancer, Cloud Armor and IAP that "
        "may sit in front of it. Internal services should accept only internal traffic, and "
        "public ones only traffic from their load balancer."
    )
    remediation = (
        'Set ingress = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" (behind a load balancer) '
        'or "INGRESS_TRAFFIC_INTERNAL_ONLY" on the google_cloud_run_v2_service.'
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/cloud_run_v2_service#ingress",
        "https://cloud.google.com/run/docs/securing/ingress",
    )
    bad_example = """
resource "google_cloud_run_v2_service" "api" {
  name     = "orders-api"
  location = "europe-west1"

  template {
    containers {
      image = "europe-docker.pkg.dev/shop/images/orders:1.4.2"
    }
  }
}
"""
    good_example = """
resource "google_cloud_run_v2_service" "api" {
  name     = "orders-api"
  location = "europe-west1"
  ingress  = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"

  template {
    containers {
      image = "europe-docker.pkg.dev/shop/images/orders:1.4.2"
    }
  }
}
"""
    resource_types = ("google_cloud_run_v2_service",)
    attribute = "ingress"
    condition = NotEquals("INGRESS_TRAFFIC_ALL")
    default = "INGRESS_TRAFFIC_ALL"  # google provider 4.x and later
    message = "Cloud Run service {address} accepts traffic from anywhere ({value})"
    missing_message = (
        "Cloud Run service {address} leaves ingress at its default: traffic from anywhere"
    )
    fix = SetValue(
        '"INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"',
        "Accept traffic only through a load balancer",
        applicability="unsafe",
        consequence="direct calls to the run.app URL stop working",
    )
    fix_description = (
        'Sets ingress = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" (not preferred: direct '
        "calls to the run.app URL stop working)."
    )
