resource "aws_s3_bucket" "reports" {
  bucket = "acme-${var.environment}-reports"
}

resource "aws_s3_bucket_acl" "reports" {
  bucket = aws_s3_bucket.reports.id
  acl    = var.environment == "prod" ? "public-read" : "private"
}

resource "aws_kms_key" "reports" {
  description = "Report encryption"
}

resource "aws_db_instance" "app" {
  identifier        = "app-${var.environment}"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  username          = "app"
  password          = var.db_password
  storage_encrypted = true
}
