data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "EverythingForNow"
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "deploy" {
  name   = "deploy"
  policy = data.aws_iam_policy_document.deploy.json
}
