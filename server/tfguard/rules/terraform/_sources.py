"""Module source addresses, classified the way Terraform's installer reads them.

Order of detection (as in the installer): local paths, forced getters (``git::``, ``hg::``,
``s3::``, ``gcs::``, ``http::``...), the GitHub / Bitbucket / GitLab shorthands, ``git@host:``
SSH shorthand, URLs with a scheme, and finally registry addresses
(``[host/]namespace/name/system``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

_REGISTRY = re.compile(
    r"^(?:(?P<host>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?)/)?"
    r"(?P<namespace>[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62}[A-Za-z0-9])?)/"
    r"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62}[A-Za-z0-9])?)/"
    r"(?P<system>[A-Za-z0-9]{1,64})"
    r"(?://(?P<subdir>.*))?$"
)
_FORCED = re.compile(r"^(?P<getter>[A-Za-z0-9]+)::(?P<rest>.*)$", re.S)
_GIT_SHORTHAND_HOSTS = ("github.com/", "bitbucket.org/", "gitlab.com/")
_SCP_LIKE = re.compile(r"^(?P<user>[A-Za-z0-9._-]+)@(?P<host>[A-Za-z0-9.-]+):(?P<path>.*)$")
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://")

SHA1 = re.compile(r"^[0-9a-f]{40}$", re.I)
SHA256 = re.compile(r"^[0-9a-f]{64}$", re.I)
SHORT_SHA = re.compile(r"^[0-9a-f]{7,39}$", re.I)
VERSION_TAG = re.compile(
    r"^(?:[A-Za-z][\w.-]*[-/_])?(?:v?\d+(?:\.\d+)+|v\d+)(?:[-+][\w.-]+)?$", re.I
)
BRANCH_NAMES = frozenset(
    {
        "main",
        "master",
        "develop",
        "development",
        "dev",
        "trunk",
        "head",
        "latest",
        "stable",
        "staging",
        "production",
        "prod",
        "release",
        "next",
        "default",
    }
)
BRANCH_PREFIXES = ("feature/", "feat/", "fix/", "bugfix/", "hotfix/", "release/", "refs/heads/")


@dataclass(frozen=True, slots=True)
class Source:
    text: str
    kind: str  # "local", "registry", "git", "hg", "http", "s3", "gcs", "other"
    url: str | None = None  # the transport URL for git/hg/http sources
    query: str = ""

    def param(self, name: str) -> str | None:
        values = parse_qs(self.query, keep_blank_values=True).get(name)
        return values[-1] if values else None


def _split_query(text: str) -> tuple[str, str]:
    base, sep, query = text.partition("?")
    return base, query if sep else ""


def classify(source: str) -> Source:
    text = source.strip()
    if text.startswith(("./", "../", ".\\", "..\\")) or text in (".", ".."):
        return Source(text, "local")
    forced = _FORCED.match(text)
    if forced is not None:
        getter = forced.group("getter").lower()
        rest = forced.group("rest")
        base, query = _split_query(rest)
        kind = getter if getter in ("git", "hg", "s3", "gcs", "http", "https") else "other"
        if kind == "https":
            kind = "http"
        return Source(text, kind, base, query)
    lowered = text.lower()
    if lowered.startswith(_GIT_SHORTHAND_HOSTS):
        base, query = _split_query(text)
        return Source(text, "git", "https://" + base, query)
    scp = _SCP_LIKE.match(text)
    if scp is not None and not _URL.match(text):
        base, query = _split_query(text)
        return Source(text, "git", base, query)
    url = _URL.match(text)
    if url is not None:
        base, query = _split_query(text)
        scheme = url.group("scheme").lower()
        if scheme in ("git", "ssh"):
            return Source(text, "git", base, query)
        if scheme in ("http", "https"):
            host = _host(base) or ""
            if host.endswith("amazonaws.com") and ".s3" in "." + host:
                return Source(text, "s3", base, query)
            if host.endswith("googleapis.com"):
                return Source(text, "gcs", base, query)
            return Source(text, "http", base, query)
        return Source(text, "other", base, query)
    if _REGISTRY.match(text):
        return Source(text, "registry")
    return Source(text, "other")


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def ref_kind(ref: str) -> str:
    """ "sha" (full commit id), "short-sha", "tag" (a version), "branch" (a well-known branch
    name) or "name" (a branch or tag that cannot be told apart)."""
    if SHA1.match(ref) or SHA256.match(ref):
        return "sha"
    if SHORT_SHA.match(ref) and any(c.isdigit() for c in ref) and any(c.isalpha() for c in ref):
        return "short-sha"
    lowered = ref.lower()
    if lowered in BRANCH_NAMES or lowered.startswith(BRANCH_PREFIXES):
        return "branch"
    if lowered.startswith("refs/tags/") or VERSION_TAG.match(ref):
        return "tag"
    return "name"


@dataclass(frozen=True, slots=True)
class Credential:
    kind: str  # "password", "token-user", "sshkey"
    where: str  # a description that does not repeat the secret


_TOKEN_USER = re.compile(r"^(?:gh[pousr]_|github_pat_|glpat-|glptt-|ATBB|xox[abp]-)", re.I)


def url_credentials(source: Source) -> Credential | None:
    """Credentials carried by the source address itself."""
    if source.kind == "local":
        return None
    sshkey = source.param("sshkey")
    if sshkey:
        return Credential("sshkey", "an sshkey= private key in the query string")
    url = source.url if source.url is not None else source.text
    if not _URL.match(url):
        return None
    try:
        parts = urlsplit(url)
        username, password = parts.username, parts.password
    except ValueError:
        return None
    host = parts.hostname or "the host"
    if password:
        return Credential("password", f"a password for {username or 'a user'}@{host}")
    if username and _TOKEN_USER.match(username):
        return Credential("token-user", f"an access token as the user name for {host}")
    return None


def transport_scheme(source: Source) -> str | None:
    url = source.url if source.url is not None else source.text
    match = _URL.match(url)
    return match.group("scheme").lower() if match else None
