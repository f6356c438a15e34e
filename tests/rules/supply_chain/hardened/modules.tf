module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"

  name = "main"
  cidr = "10.0.0.0/16"
}

module "network" {
  # v2.4.0
  source = "git::https://github.com/acme/terraform-network.git?ref=5d4a3f0c9b8e7d6c5b4a39281706f5e4d3c2b1a0"
}

module "tagging" {
  # v1.4.2, over SSH with the agent's key
  source = "git::ssh://git@github.com/acme/terraform-tagging.git?ref=2b7e151628aed2a6abf7158809cf4f3c762e7160"
}

module "artifacts" {
  source = "s3::https://s3-eu-west-1.amazonaws.com/acme-modules/artifacts-1.2.0.zip"
}

module "app" {
  source = "./modules/app"
}
