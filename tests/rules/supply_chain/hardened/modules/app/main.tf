# A child module: it constrains its providers but leaves required_version to its callers.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}
