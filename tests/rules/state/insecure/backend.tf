# Production application stack. State lives in the bucket created by bucket.tf.
terraform {
  backend "s3" {
    bucket     = "acme-prod-tfstate"
    key        = "app/terraform.tfstate"
    region     = "eu-west-1"
    access_key = "AKIAIOSFODNN7EXAMPLE"
    secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

    endpoints = {
      s3 = "http://minio.acme.internal:9000"
    }
  }
}
