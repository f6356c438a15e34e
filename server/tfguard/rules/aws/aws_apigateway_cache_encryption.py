from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.kit.conditions import Equals
from tfguard.rules.kit.declarative import Check, SetValue, When


class ApigatewayCacheEncryption(Check):
    id = "aws-apigateway-cache-encryption"
    title = "API Gateway caches responses unencrypted"
    severity = Severity.MEDIUM
    rationale = (
        "When method settings enable caching, API Gateway keeps responses (which can hold "
        "personal data or tokens) in a cache cluster. Unless cache_data_encrypted is true "
        "those responses are stored unencrypted at rest."
    )
    remediation = "Set settings { cache_data_encrypted = true } wherever caching_enabled = true."
    links = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_method_settings#cache_data_encrypted",
    )
    aliases = (
        "CKV_AWS_308",
        "AVD-AWS-0002",
        "AWS-0002",
        "aws-apigateway-enable-cache-encryption",
    )
    bad_example = """
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    caching_enabled = true
  }
}
"""
    good_example = """
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    caching_enabled      = true
    cache_data_encrypted = true
  }
}
"""
    resource_types = ("aws_api_gateway_method_settings",)
    attribute = "settings.cache_data_encrypted"
    condition = Equals(True)
    default = False  # aws 4.x-6.x: false
    only_if = (When("settings.caching_enabled", Equals(True), False),)
    message = "API Gateway method settings {address} cache unencrypted ({attribute} = {value})"
    missing_message = "API Gateway method settings {address} cache responses unencrypted"
    fix = SetValue("true", "Encrypt the response cache")
