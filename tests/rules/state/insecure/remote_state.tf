data "terraform_remote_state" "network" {
  backend = "http"
  config = {
    address  = var.network_state_url
    username = "ci"
  }
}

data "terraform_remote_state" "dns" {
  backend = "http"
  config = {
    address = var.dns_state_url
  }
}

data "terraform_remote_state" "shared" {
  backend = "gcs"
  config = {
    bucket         = "acme-shared-tfstate"
    prefix         = "shared"
    encryption_key = "q83vEjR4pC0rR1tC5kXbXg4nZ1Jm3nH6eW1lQm7pL0Y="
  }
}

data "terraform_remote_state" "local_dev" {
  backend = "http"
  config = {
    address = "http://localhost:8080/state/dev"
  }
}
