terraform {
  backend "s3" {
    bucket       = "acme-prod-tfstate"
    key          = "app/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    kms_key_id   = "arn:aws:kms:eu-west-1:111122223333:alias/terraform-state"
    use_lockfile = true
  }
}
