from __future__ import annotations

from collections.abc import Iterator

from tfguard.evaluate import fully_known
from tfguard.findings import Finding, Position, Range, Severity
from tfguard.fixes import Editor, Fix, TextEdit, entity_for
from tfguard.module import Entity, Module
from tfguard.policy import Statement
from tfguard.rules.aws._s3 import BucketPolicies, bucket_policies, state_bucket_reason
from tfguard.rules.base import Context, Rule
from tfguard.syntax import FunctionCall, ObjectExpr, Reference, TupleExpr


def denies_insecure_transport(st: Statement) -> bool | None:
    """True when the statement denies requests made without TLS; None when unknowable."""
    if not fully_known(st.effect):
        return None
    if st.effect != "Deny":
        return False
    unknown = False
    for cond in st.conditions:
        if not (fully_known(cond.test) and fully_known(cond.variable)):
            unknown = True
            continue
        if str(cond.test) not in ("Bool", "BoolIfExists"):
            continue
        if str(cond.variable).lower() != "aws:securetransport":
            continue
        if any(v is False or (isinstance(v, str) and v.lower() == "false") for v in cond.values):
            return True
        if not fully_known(cond.values):
            unknown = True
    return None if unknown else False


class StateBucketSecureTransport(Rule):
    id = "aws-s3-state-bucket-secure-transport"
    title = "State bucket does not deny requests made without TLS"
    severity = Severity.MEDIUM
    rationale = (
        "S3 still answers plain-HTTP requests unless the bucket policy denies them. A state "
        "bucket holds every secret of the configurations it serves; a client, script or "
        "misconfigured endpoint that reaches it over HTTP exposes the state and the request "
        "signature to anyone on the path. The guide's baseline for state buckets is an "
        'explicit Deny on "aws:SecureTransport" = "false".'
    )
    remediation = (
        'Attach a bucket policy with a statement: Effect "Deny", Principal "*", Action '
        '"s3:*", Resource the bucket and bucket/*, Condition Bool "aws:SecureTransport" = '
        '"false". State buckets are recognised by the S3 backend in the same module or by a '
        'name containing "tfstate" / "terraform-state".'
    )
    links = (
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit",
        "https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule",
    )
    aliases = ()
    bad_example = """
resource "aws_s3_bucket" "state" {
  bucket = "acme-terraform-state"
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AllowCi"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/ci" }
      Action    = ["s3:GetObject", "s3:PutObject"]
      Resource  = "${aws_s3_bucket.state.arn}/*"
    }]
  })
}
"""
    good_example = """
resource "aws_s3_bucket" "state" {
  bucket = "acme-terraform-state"
}

data "aws_iam_policy_document" "state" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.state.json
}
"""
    fix_description = (
        'Adds a statement "DenyInsecureTransport" (Deny s3:* on the bucket and its objects to '
        'every principal when aws:SecureTransport is "false") to the bucket\'s policy: a '
        "statement block in its aws_iam_policy_document (when nothing else uses the document) "
        "or a new element of the Statement list in jsonencode. The other statements are left "
        "alone. No fix when the bucket has no policy in the module (a new policy resource "
        "would replace any policy set elsewhere) or only the deprecated inline policy (it "
        "cannot refer to its own bucket's ARN)."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        policies: BucketPolicies | None = None
        for bucket in ctx.resources("aws_s3_bucket"):
            why = state_bucket_reason(module, bucket)
            if why is None:
                continue
            if policies is None:
                policies = bucket_policies(module)
            attached = policies.of(bucket)
            if not attached:
                yield ctx.report(
                    bucket,
                    bucket.block,
                    f"{bucket.address} holds Terraform state ({why}) but no bucket policy "
                    "denies requests without TLS (aws:SecureTransport = false)",
                    data={"missing": True},
                )
                continue
            found: list[bool | None] = []
            for policy in attached:
                if not policy.statements:
                    found.append(None)  # unreadable policy: stay silent
                    continue
                found.extend(denies_insecure_transport(st) for st in policy.statements)
            if any(f is True for f in found) or any(f is None for f in found):
                continue
            last = attached[-1]
            yield ctx.report(
                last.owner,
                last.attribute,
                f"the policy of {bucket.address} ({why}) has no statement denying requests "
                "without TLS (aws:SecureTransport = false)",
                related=[(bucket, bucket.block, f"the state bucket {bucket.address}")],
                data={"missing": False, "bucket": bucket.address},
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        holder = entity_for(module, finding)
        bucket = module.resources.get(str(finding.data.get("bucket")))
        attr = holder.attr("policy") if holder is not None else None
        if holder is None or attr is None or bucket is None or finding.data.get("missing"):
            return []
        if bucket.attr("count") is not None or bucket.attr("for_each") is not None:
            return []  # the statement would need the instance's index
        if holder is bucket:
            return []  # an inline policy cannot refer to its own bucket's ARN
        arn = f"{bucket.address}.arn"
        editor = Editor(module)
        value = attr.value
        edit: TextEdit | None = None
        if isinstance(value, Reference):
            doc = module.resolve(value)
            if (
                doc is not None
                and doc.kind == "data"
                and doc.type == "aws_iam_policy_document"
                and len(module.referrers.get(doc.address, [])) == 1
                and not _document_has_sid(module, doc)
            ):
                edit = editor.insert_block(doc, doc.block, _statement_block(arn))
        elif isinstance(value, FunctionCall) and value.name == "jsonencode" and value.args:
            edit = _append_json_statement(editor, holder, value.args[0], arn)
        if edit is None:
            return []
        return [
            Fix(
                f"Deny requests to {bucket.address} made without TLS (a statement added to "
                "its bucket policy)",
                (edit,),
                applicability="safe",
            )
        ]


_SID = "DenyInsecureTransport"


def _statement_block(arn: str) -> str:
    return f"""
statement {{
  sid       = "{_SID}"
  effect    = "Deny"
  actions   = ["s3:*"]
  resources = [{arn}, "${{{arn}}}/*"]

  principals {{
    type        = "*"
    identifiers = ["*"]
  }}

  condition {{
    test     = "Bool"
    variable = "aws:SecureTransport"
    values   = ["false"]
  }}
}}
"""


def _json_statement(arn: str) -> list[str]:
    return [
        f'Sid       = "{_SID}"',
        'Effect    = "Deny"',
        'Principal = "*"',
        'Action    = "s3:*"',
        f'Resource  = [{arn}, "${{{arn}}}/*"]',
        'Condition = { Bool = { "aws:SecureTransport" = "false" } }',
    ]


def _document_has_sid(module: Module, doc: Entity) -> bool:
    return any(
        module.cached_value(a.value) == _SID
        for b in doc.block.blocks_of("statement")
        if (a := b.attributes.get("sid")) is not None
    )


def _append_json_statement(
    editor: Editor, holder: Entity, document: object, arn: str
) -> TextEdit | None:
    """A new element at the end of ``Statement = [...]`` in ``jsonencode({...})``."""
    if not isinstance(document, ObjectExpr):
        return None
    item = document.get("Statement")
    if item is None or not isinstance(item.value, TupleExpr) or not item.value.items:
        return None
    statements = item.value
    for st in statements.items:
        sid = st.get("Sid") if isinstance(st, ObjectExpr) else None
        if sid is not None and editor.module.cached_value(sid.value) == _SID:
            return None
    last = statements.items[-1]
    end = holder.abs(last.range).end
    close = holder.abs(statements.range).end  # just after "]"
    eol = editor.eol(holder)
    unit = editor.indent_unit(holder)
    line = editor.line(holder, end.line)
    if end.line == close.line:
        # [{ ... }] or [{ ... }, { ... }]: continue the closing line's style with "}, {".
        if line[end.character : close.character - 1].strip():
            return None
        indent = editor.indent_of(holder, end.line)
        body = eol.join(f"{indent}{unit}{text}" for text in _json_statement(arn))
        return TextEdit(holder.path, Range(end, end), f", {{{eol}{body}{eol}{indent}}}")
    start = holder.abs(last.range).start
    if editor.line(holder, start.line)[: start.character].strip():
        return None
    indent = editor.indent_of(holder, start.line)
    body = eol.join(f"{indent}{unit}{text}" for text in _json_statement(arn))
    rest = line[end.character :].strip()
    if rest.startswith(","):
        at = Position(end.line, line.index(",", end.character) + 1)
        return TextEdit(holder.path, Range(at, at), f"{eol}{indent}{{{eol}{body}{eol}{indent}}},")
    if rest and not rest.startswith(("#", "//")):
        return None
    return TextEdit(holder.path, Range(end, end), f",{eol}{indent}{{{eol}{body}{eol}{indent}}}")
