from __future__ import annotations

from collections.abc import Iterable, Iterator

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.kit.conditions import NotEmpty
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.instances import expression_targets
from tfguard.rules.kit.resources import live


def _has_failure_destination(module: Module) -> tuple[set[int], bool]:
    """Functions given an on-failure destination by aws_lambda_function_event_invoke_config
    (ids), and whether every such config's function could be read."""
    covered: set[int] = set()
    complete = True
    for config in live(module, "aws_lambda_function_event_invoke_config"):
        if not config.block.blocks_of("destination_config"):
            continue
        attr = config.attr("function_name")
        targets = expression_targets(module, attr.value) if attr is not None else []
        functions = [t for t in targets if t.type == "aws_lambda_function"]
        if not functions:
            complete = False
        covered.update(id(f) for f in functions)
    return covered, complete


class LambdaDeadLetterQueue(Check):
    id = "aws-lambda-dead-letter-queue"
    title = "Lambda function drops failed asynchronous events"
    severity = Severity.LOW
    rationale = (
        "Events delivered asynchronously (S3, SNS, EventBridge) are retried twice and then "
        "discarded when the function keeps failing. Without a dead-letter queue or an "
        "on-failure destination, the records of what failed (possibly the events an "
        "attacker crafted to make it fail) are gone and cannot be replayed or examined."
    )
    remediation = (
        "Add dead_letter_config { target_arn = aws_sqs_queue.dlq.arn } (or an SNS topic), "
        "or an aws_lambda_function_event_invoke_config with an on_failure destination."
    )
    links = (
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function#dead_letter_config",
    )
    aliases = ("CKV_AWS_116",)
    bad_example = """
resource "aws_lambda_function" "thumbnail" {
  function_name = "thumbnail"
  role          = aws_iam_role.thumbnail.arn
  runtime       = "nodejs20.x"
  handler       = "index.handler"
  filename      = "thumbnail.zip"
}
"""
    good_example = """
resource "aws_lambda_function" "thumbnail" {
  function_name = "thumbnail"
  role          = aws_iam_role.thumbnail.arn
  runtime       = "nodejs20.x"
  handler       = "index.handler"
  filename      = "thumbnail.zip"

  dead_letter_config {
    target_arn = aws_sqs_queue.thumbnail_dlq.arn
  }
}
"""
    resource_types = ("aws_lambda_function",)
    attribute = "dead_letter_config.target_arn"
    condition = NotEmpty()
    message = "Lambda function {address} sets an empty dead-letter target"
    missing_message = (
        "Lambda function {address} has no dead-letter queue or on-failure destination: "
        "failed asynchronous events are dropped"
    )
    fix_description = (
        "No automatic fix: the queue or topic (and the execution role's permission to send "
        "to it) has to exist first."
    )

    def subjects(self, module: Module) -> Iterable[Entity]:
        return _subjects(module)


def _subjects(module: Module) -> Iterator[Entity]:
    covered, complete = _has_failure_destination(module)
    if not complete:
        return  # a destination for a function this module cannot name: stay silent
    for function in live(module, "aws_lambda_function"):
        if id(function) not in covered:
            yield function
