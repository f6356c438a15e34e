locals {
  eks_module_version = "20.31.6"
}
