data "terraform_remote_state" "network" {
  backend = "s3"
  config = {
    bucket = "acme-network-tfstate"
    key    = "network/terraform.tfstate"
    region = "eu-west-1"
  }
}
