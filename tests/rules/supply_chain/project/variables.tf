variable "cloudflare_version" {
  type = string
}

variable "iam_module_version" {
  type = string
}

variable "monitoring_ref" {
  type    = string
  default = "2b7e151628aed2a6abf7158809cf4f3c762e7160"
}
