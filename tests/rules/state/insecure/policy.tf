data "aws_iam_policy_document" "state" {
  statement {
    sid       = "AllowCiDeploy"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = [local.ci_role_arn]
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = "acme-prod-tfstate"
  policy = data.aws_iam_policy_document.state.json
}
