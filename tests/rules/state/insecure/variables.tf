variable "network_state_url" {
  type    = string
  default = "https://state.acme.internal/network"
}

# Set per environment; unknown here.
variable "dns_state_url" {
  type = string
}
