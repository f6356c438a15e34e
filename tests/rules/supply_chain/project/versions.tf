terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
    random = "~> 3.6"
    tls = {
      source  = "hashicorp/tls"
      version = ">= 0"
    }
    cloudflare = {
      source  = "cloudflare/cloudflare"
      version = var.cloudflare_version
    }
  }
}
