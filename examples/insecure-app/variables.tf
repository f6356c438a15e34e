variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "environment" {
  type = string
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "admin_cidrs" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}
