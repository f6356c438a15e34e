# Terraform reads this file; OpenTofu reads main.tofu instead and ignores it.
terraform {
  required_version = ">= 1.5.0"
}
