"""Provider-independent Terraform / OpenTofu rules."""
