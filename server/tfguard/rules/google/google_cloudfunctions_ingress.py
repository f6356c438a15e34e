from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import NotEquals
from tfguard.rules.kit.declarative import Check, SetValue


class GoogleCloudfunctionsIngress(Check):
    id = "google-cloudfunctions-ingress"
    title = "Cloud Function accepts traffic from the internet"
    severity = Severity.LOW
    rationale = (
        'ingress_settings = "ALLOW_ALL" (the default) lets any host on the internet send '
        "requests to the function's URL. A function called by Pub/Sub, Scheduler or other "
        "services of the project needs only internal traffic; open ingress leaves nothing "
        "but its IAM setting between the function and the internet."
    )
    remediation = (
        'Set ingress_settings = "ALLOW_INTERNAL_ONLY" (or "ALLOW_INTERNAL_AND_GCLB" behind '
        "a load balancer)."
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/cloudfunctions_function#ingress_settings",
        "https://cloud.google.com/functions/docs/networking/network-settings#ingress_settings",
    )
    aliases = ("CKV_GCP_124",)
    bad_example = """
resource "google_cloudfunctions_function" "resize" {
  name        = "resize-images"
  runtime     = "python312"
  entry_point = "handler"

  source_archive_bucket = "shop-functions-4a1c"
  source_archive_object = "resize.zip"
  trigger_http          = true
}
"""
    good_example = """
resource "google_cloudfunctions_function" "resize" {
  name             = "resize-images"
  runtime          = "python312"
  entry_point      = "handler"
  ingress_settings = "ALLOW_INTERNAL_ONLY"

  source_archive_bucket = "shop-functions-4a1c"
  source_archive_object = "resize.zip"
  trigger_http          = true
}
"""
    resource_types = ("google_cloudfunctions_function",)
    attribute = "ingress_settings"
    condition = NotEquals("ALLOW_ALL")
    default = "ALLOW_ALL"  # google provider, all majors
    message = "Cloud Function {address} accepts traffic from anywhere ({value})"
    missing_message = (
        "Cloud Function {address} leaves ingress_settings at its default: traffic from anywhere"
    )
    fix = SetValue(
        '"ALLOW_INTERNAL_ONLY"',
        "Accept internal traffic only",
        applicability="unsafe",
        consequence="callers outside the VPC lose access",
    )
    fix_description = (
        'Sets ingress_settings = "ALLOW_INTERNAL_ONLY" (not preferred: callers outside the '
        "VPC and Google services lose access)."
    )
