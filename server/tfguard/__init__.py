"""tfguard: a security language server and scanner for Terraform and OpenTofu."""

__version__ = "0.1.0"
