module "vpc" {
  source = "terraform-aws-modules/vpc/aws"

  name = "main"
  cidr = "10.0.0.0/16"
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = local.eks_module_version
}

module "iam" {
  source  = "app.terraform.io/acme/iam/aws"
  version = var.iam_module_version
}

module "network" {
  source = "git::https://github.com/acme/terraform-network.git"
}

module "dns" {
  source = "github.com/acme/terraform-dns?ref=main"
}

module "tagging" {
  source = "git@github.com:acme/terraform-tagging.git?ref=v1.4.2"
}

module "logging" {
  source = "git::https://github.com/acme/terraform-logging.git//modules/central?ref=5d4a3f0c9b8e7d6c5b4a39281706f5e4d3c2b1a0"
}

module "baseline" {
  source = "http://modules.acme.example/baseline-1.4.0.zip"
}

module "private" {
  source = "git::https://ci-bot:s3cr3t-t0ken@git.acme.example/platform/private.git?ref=5d4a3f0c9b8e7d6c5b4a39281706f5e4d3c2b1a0"
}

module "monitoring" {
  source = "git::https://github.com/acme/terraform-monitoring.git?ref=${var.monitoring_ref}"
}

module "app" {
  source = "./modules/app"
}
