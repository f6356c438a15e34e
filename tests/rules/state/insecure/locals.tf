locals {
  state_bucket = "acme-prod-tfstate"
  ci_role_arn  = "arn:aws:iam::111122223333:role/ci-deploy"
}
