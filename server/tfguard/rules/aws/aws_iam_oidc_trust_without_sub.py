from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tfguard.findings import Finding, Severity
from tfguard.module import Module
from tfguard.policy import Condition, Statement
from tfguard.rules.aws._iam import action_text, trust_related, trust_statements
from tfguard.rules.base import Context, Rule
from tfguard.syntax import Attribute, Block, Expr, ObjectExpr, Template, TupleExpr


@dataclass(frozen=True, slots=True)
class Issuer:
    prefix: str  # host (and path) prefix of the issuer URL
    label: str
    anyone: str  # who can get a token from it
    shared: bool  # one issuer for every customer of a public service


ISSUERS = (
    Issuer(
        "token.actions.githubusercontent.com", "GitHub Actions", "any repository on GitHub", True
    ),
    Issuer("gitlab.com", "GitLab", "any project on gitlab.com", True),
    Issuer("app.terraform.io", "HCP Terraform", "any HCP Terraform workspace", True),
    Issuer("oidc.circleci.com", "CircleCI", "any project of the CircleCI organisation", True),
    Issuer("api.bitbucket.org", "Bitbucket Pipelines", "any pipeline of the workspace", True),
    Issuer("agent.buildkite.com", "Buildkite", "any Buildkite pipeline", True),
    Issuer("accounts.google.com", "Google", "any Google identity", True),
    Issuer("oidc.eks.", "EKS (IRSA)", "any service account in the cluster", False),
)
# Identity providers whose trust is scoped with other claims (aud), or that are SAML.
_OTHER_MODELS = ("cognito-identity.amazonaws.com", "graph.facebook.com", "www.amazon.com")
_WEB_IDENTITY_ACTIONS = frozenset({"sts:assumerolewithwebidentity", "sts:*", "*", "*:*"})
_POSITIVE_TESTS = frozenset({"stringequals", "stringlike", "stringequalsignorecase"})
_CLAIM_PREFIXES = (
    "repo:",
    "project_path:",
    "group_path:",
    "organization:",
    "org:",
    "org/",
    "system:serviceaccount:",
)
_SAML = "saml"


def issuer_of(host: str) -> Issuer | None:
    for issuer in ISSUERS:
        if host.lower().startswith(issuer.prefix):
            return issuer
    return None


def _host(text: str) -> str:
    text = text.strip()
    if ":saml-provider/" in text:
        return _SAML
    if "oidc-provider/" in text:
        text = text.split("oidc-provider/", 1)[1]
    for scheme in ("https://", "http://"):
        if text.lower().startswith(scheme):
            text = text[len(scheme) :]
    return text.rstrip("/")


def _items(expr: Expr) -> list[Expr]:
    return list(expr.items) if isinstance(expr, TupleExpr) else [expr]


def _federated_exprs(module: Module, st: Statement) -> list[Expr] | None:
    """The expressions naming the statement's Federated principals, where they are written
    as HCL; None when the policy is JSON text."""
    anchor = st.anchor
    if isinstance(anchor, Block):
        out: list[Expr] = []
        for principals in anchor.blocks_of("principals"):
            kind = principals.attributes.get("type")
            ids = principals.attributes.get("identifiers")
            if (
                kind is not None
                and ids is not None
                and module.cached_value(kind.value) == "Federated"
            ):
                out.extend(_items(ids.value))
        return out
    if isinstance(anchor, ObjectExpr):
        principal = anchor.get("Principal")
        if principal is not None and isinstance(principal.value, ObjectExpr):
            federated = principal.value.get("Federated")
            if federated is not None:
                return _items(federated.value)
        return []
    return None


def _provider_hosts(module: Module, expr: Expr) -> list[str]:
    """Hosts of the OIDC provider resources or data sources an expression refers to."""
    hosts: list[str] = []
    for target in module.targets(expr):
        if target.type != "aws_iam_openid_connect_provider":
            continue
        for name in ("url", "arn"):
            value = module.attr_value(target, name, None)
            if isinstance(value, str):
                hosts.append(_host(value))
                break
    return hosts


def _expr_host(module: Module, expr: Expr) -> str | None:
    value = module.value(expr)
    if isinstance(value, str):
        return _host(value)
    hosts = _provider_hosts(module, expr)
    if hosts:
        return hosts[0]
    if isinstance(expr, Template) and expr.parts and isinstance(expr.parts[-1], str):
        tail = expr.parts[-1]
        if "oidc-provider/" in tail and not tail.endswith("oidc-provider/"):
            return _host(tail)
    return None


def federated_hosts(module: Module, st: Statement) -> list[str | None]:
    """The issuer host of each Federated principal of a statement (None where unknown)."""
    exprs = _federated_exprs(module, st)
    if exprs is not None:
        return [_expr_host(module, e) for e in exprs]
    fallback = _provider_hosts(module, st.anchor.value) if isinstance(st.anchor, Attribute) else []
    return [
        _host(v) if isinstance(v, str) else (fallback[0] if len(set(fallback)) == 1 else None)
        for v in st.principals.get("Federated", [])
    ]


def is_bare_wildcard(value: str) -> bool:
    """``*``, ``repo:*``, ``system:serviceaccount:*:*``: a subject pattern naming nobody."""
    text = value.strip().lower()
    changed = True
    while changed:
        changed = False
        for prefix in _CLAIM_PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix) :]
                changed = True
    return text == "" or text.startswith("*")


def _test_name(condition: Condition) -> str | None:
    if not isinstance(condition.test, str):
        return None
    test = condition.test.lower().split(":")[-1]
    return test[: -len("ifexists")] if test.endswith("ifexists") else test


@dataclass(frozen=True, slots=True)
class _Verdict:
    problem: str | None  # None: scoped (or not knowable)
    wildcard: str | None = None
    claim: str | None = None  # the condition key that holds the wildcard


def judge_subject(conditions: list[Condition]) -> _Verdict:
    sub = [c for c in conditions if isinstance(c.variable, str) and c.variable.endswith(":sub")]
    unknown_key = any(not isinstance(c.variable, str) for c in conditions)
    positive: list[Condition] = []
    for c in sub:
        test = _test_name(c)
        if test is None or any(not isinstance(v, str) for v in c.values):
            return _Verdict(None)  # a condition we cannot read: stay silent
        if test in _POSITIVE_TESTS:
            positive.append(c)
    for c in positive:
        # No values never match (nobody can assume the role); otherwise every value must
        # name someone.
        if not any(is_bare_wildcard(str(v)) for v in c.values):
            return _Verdict(None)
    if unknown_key:
        return _Verdict(None)
    if positive:
        claim, wildcard = next(
            (str(c.variable), str(v))
            for c in positive
            for v in c.values
            if is_bare_wildcard(str(v))
        )
        return _Verdict("wildcard", wildcard, claim)
    return _Verdict("missing")


def is_web_identity(st: Statement) -> bool | None:
    actions = [action_text(a) for a in st.actions]
    if any(a in _WEB_IDENTITY_ACTIONS for a in actions if a is not None):
        return True
    if any(a is None for a in actions):
        return None
    return False


class IamOidcTrustWithoutSubject(Rule):
    id = "aws-iam-oidc-trust-without-sub"
    title = "Web-identity trust does not restrict the token subject"
    severity = Severity.HIGH
    rationale = (
        "A role that trusts an OIDC provider with sts:AssumeRoleWithWebIdentity accepts "
        "every token that provider signs. For GitHub Actions, GitLab, HCP Terraform and other "
        "CI services the provider is shared by all their customers, so without a condition "
        "on the token's sub claim (token.actions.githubusercontent.com:sub = "
        '"repo:my-org/my-repo:ref:refs/heads/main") any repository or pipeline in the world '
        "can assume the role; for EKS, any pod's service account can. An aud condition alone "
        'does not help, and a sub of "*" or "repo:*" is no restriction.'
    )
    remediation = (
        "Add a StringEquals (or StringLike) condition on <issuer>:sub naming the repository "
        "and branch or environment (GitHub: repo:ORG/REPO:ref:refs/heads/main or "
        "repo:ORG/REPO:environment:prod), the project path (GitLab), the organisation, "
        "project and workspace (HCP Terraform), or system:serviceaccount:NAMESPACE:NAME (EKS), "
        "next to the aud condition."
    )
    links = (
        "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub",
        "https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html",
    )
    aliases = ("CKV_AWS_358",)
    bad_example = """
resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "deploy_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name               = "github-deploy"
  assume_role_policy = data.aws_iam_policy_document.deploy_trust.json
}
"""
    good_example = """
resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "deploy_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:acme/infrastructure:environment:production"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name               = "github-deploy"
  assume_role_policy = data.aws_iam_policy_document.deploy_trust.json
}
"""
    fix_description = (
        "No automatic fix: the repository, branch or service account to trust must be chosen "
        "by the owner."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for st in trust_statements(ctx.module):
            if not st.allows or "Federated" not in st.principals:
                continue
            if is_web_identity(st) is not True:
                continue
            hosts = federated_hosts(ctx.module, st)
            oidc = [
                h for h in hosts if h is None or (h != _SAML and h.lower() not in _OTHER_MODELS)
            ]
            if not oidc:
                continue
            known = [h for h in oidc if h is not None]
            host = known[0] if known else None
            verdict = judge_subject(st.conditions)
            if verdict.problem is None:
                continue
            if host is None and st.conditions and verdict.problem != "wildcard":
                # An issuer we cannot name, with conditions: they may scope it with claims
                # of its own. Without any condition, or with a bare-wildcard subject, the
                # role is open whoever the issuer is.
                continue
            issuer = issuer_of(host) if host else None
            label = issuer.label if issuer else (host or "an OIDC provider")
            anyone = issuer.anyone if issuer else "any identity the provider issues"
            claim = f"{host}:sub" if host else (verdict.claim or "<issuer>:sub")
            if verdict.problem == "wildcard":
                detail = f'its {claim} condition allows "{verdict.wildcard}"'
            else:
                detail = f"it has no condition on {claim}"
            yield ctx.report(
                st.entity,
                st.anchor,
                f"{st.entity.address} trusts {label} web identities but {detail}: {anyone} "
                "can assume the role",
                severity=Severity.CRITICAL if issuer is not None and issuer.shared else None,
                related=trust_related(ctx.module, st),
                data={"issuer": host, "claim": claim, "problem": verdict.problem},
            )
