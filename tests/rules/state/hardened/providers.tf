provider "aws" {
  region = var.region

  assume_role {
    role_arn = "arn:aws:iam::111122223333:role/terraform-apply"
  }
}
