"""Secret detection shared by the secret rules: names, literal values, key material, sources.

What counts as a literal secret (and what does not) is decided here, once:

- A *secret name* is judged on its last meaningful word: ``password``, ``master_password``,
  ``client_secret``, ``api_key``, ``auth_token``, ``secret_string``, ``private_key_pem`` are
  secret names; ``secret_name``, ``token_ttl``, ``password_length``, ``secret_arn``,
  ``kms_key_id``, ``password_wo_version`` are not (their last word is a name, a duration, a
  length, an ARN, an id, a version). Flag-like names (``manage_master_user_password``,
  ``create_password``) and idempotency tokens (``creation_token``) are not secrets either.
  Words are whole name parts: ``binary-authorization`` and ``authorization_type`` name a
  feature, not a credential; an ``Authorization`` header is reported only when its value is
  a scheme and a credential (``Bearer <token>``).
- A *literal* is a string written in the code: a quoted string or heredoc without
  interpolation. References (``var.``, ``local.``, ``data.``, ``ephemeral.``, resources) and
  function calls are not literals; a ``local`` whose definition is a literal is reported where
  the literal is written.
- Values that mark an absent or redacted secret are ignored: the empty string, blanks, masks
  made of one repeated character (``****``, ``xxxxxx``), ``<angle-bracket>`` markers and words
  such as ``null``/``none``/``redacted``. Anything else that would work as a credential if the
  configuration were applied is reported, however weak it looks: ``"changeme"`` and
  ``"password"`` are literal secrets (weak default credentials are what gets deployed).
- References to a secret store written as text (ARNs, ``{{resolve:...}}``, Secret Manager
  resource names, ``$ENV_VAR``) are not secrets.
- *Key material* is recognised by its shape wherever it appears: AWS access key ids, PEM
  private keys, GitHub/GitLab/Slack/Stripe/Google/npm/Terraform Cloud tokens, SendGrid keys
  and passwords embedded in URLs. AWS's documentation example key ``AKIAIOSFODNN7EXAMPLE``
  is not reported.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from tfguard.evaluate import UNKNOWN
from tfguard.module import Entity, Module
from tfguard.syntax import (
    Attribute,
    Block,
    Expr,
    FunctionCall,
    Heredoc,
    Literal,
    Placed,
    Reference,
    Template,
)
from tfguard.versions import admits

# -- names ---------------------------------------------------------------------------------

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")

# The last word alone makes a secret name.
_SECRET_LAST = frozenset(
    {
        "password",
        "passwords",
        "passwd",
        "pwd",
        "passphrase",
        "secret",
        "secrets",
        "token",
        "tokens",
        "apikey",
        "apikeys",
        "secretkey",
        "privatekey",
        "accesskey",
    }
)
# The last two words make a secret name.
_SECRET_PAIRS = frozenset(
    {
        ("api", "key"),
        ("api", "keys"),
        ("access", "key"),
        ("secret", "key"),
        ("private", "key"),
        ("account", "key"),
        ("shared", "key"),
        ("signing", "key"),
        ("master", "key"),
        ("auth", "key"),
        ("preshared", "key"),
        ("secret", "string"),
        ("secret", "binary"),
        ("secret", "value"),
        ("client", "secret"),
    }
)
# Whole names that are secrets although their last word alone says nothing.
_SECRET_NAMES = frozenset(
    {
        "private_key_pem",
        "private_key_openssh",
        "private_key_pem_pkcs8",
        "ses_smtp_password_v4",
        "plaintext_value",  # GitHub Actions secrets
    }
)
# Names that end like a secret but are not secrets.
_NOT_SECRET_NAMES = frozenset(
    {
        "creation_token",
        "client_token",
        "idempotency_token",
        "next_token",
        "continuation_token",
        "pagination_token",
        "http_tokens",  # EC2 metadata options: "required" / "optional"
        "master_user_secret",  # RDS: the ARN and status of the managed secret
        "admin_password_secret",
    }
)
# A first word that makes the name a switch, not a value (``manage_master_user_password``),
# or says the value is already protected (``encrypted_secret``, PGP-encrypted by AWS).
_FLAG_PREFIXES = frozenset(
    {
        "encrypted",
        "create",
        "manage",
        "enable",
        "enabled",
        "disable",
        "use",
        "generate",
        "rotate",
        "is",
        "has",
        "should",
        "require",
        "requires",
        "allow",
        "skip",
        "store",
        "include",
        "random",
    }
)
# Trailing words dropped before judging: ``password_wo``, ``password_1``.
_DROP_SUFFIX = frozenset({"wo"})

# HTTP headers that carry credentials. Only the whole name counts: "authorization" as the
# last word of a longer name is a feature or a mode (binary_authorization, an API Gateway
# method's authorization = "AWS_IAM"), not a secret.
_CREDENTIAL_HEADERS = frozenset({("authorization",), ("proxy", "authorization")})
# Names that may hold a secret; their literal is reported only when it looks random.
_WEAK_LAST = frozenset({"key", "auth", "credential", "credentials", "creds", "salt", "hmac"})
_WEAK_EXCLUDED_WORDS = frozenset(
    {
        "public",
        "pub",
        "kms",
        "ssh",
        "id",
        "arn",
        "name",
        "path",
        "file",
        "bucket",
        "object",
        "partition",
        "sort",
        "hash",
        "range",
        "routing",
        "prefix",
        "alias",
        "pair",
        "type",
        "s3",
        "cache",
        "idempotency",
        "state",
    }
)


def name_words(name: str) -> list[str]:
    """``masterUserPassword`` / ``MASTER_USER-PASSWORD`` → ``["master", "user", "password"]``."""
    words: list[str] = []
    for chunk in re.split(r"[^A-Za-z0-9]+", name):
        words.extend(w.lower() for w in _WORDS.findall(chunk))
    return words


@lru_cache(maxsize=8192)
def _judged_words(name: str) -> tuple[str, ...]:
    words = name_words(name)
    while words and (words[-1] in _DROP_SUFFIX or words[-1].isdigit()):
        words.pop()
    return tuple(words)


@lru_cache(maxsize=8192)
def is_secret_name(name: str) -> bool:
    """Whether an argument, key, variable or output name says it holds a secret."""
    lowered = name.lower().replace("-", "_")
    if lowered in _SECRET_NAMES:
        return True
    if lowered in _NOT_SECRET_NAMES:
        return False
    words = _judged_words(name)
    if not words:
        return False
    if len(words) > 1 and words[0] in _FLAG_PREFIXES:
        return False
    if "_".join(words) in _NOT_SECRET_NAMES:
        return False
    if words[-1] in _SECRET_LAST:
        return True
    return len(words) >= 2 and (words[-2], words[-1]) in _SECRET_PAIRS


@lru_cache(maxsize=8192)
def is_weak_secret_name(name: str) -> bool:
    """A name that may hold a secret (``signing_key``, ``auth``, the ``Authorization``
    header): only literal values that look like credentials are reported for these (see
    :func:`looks_like_credential`)."""
    if is_secret_name(name):
        return False
    words = _judged_words(name)
    if words in _CREDENTIAL_HEADERS:
        return True
    if not words or words[-1] not in _WEAK_LAST:
        return False
    if len(words) > 1 and words[0] in _FLAG_PREFIXES:
        return False
    return not any(w in _WEAK_EXCLUDED_WORDS for w in words)


# -- literal values ------------------------------------------------------------------------


def literal_string(expr: Expr) -> str | None:
    """The text of a string written literally (no interpolation, no directive), else None."""
    if isinstance(expr, Literal):
        return expr.value if isinstance(expr.value, str) else None
    if isinstance(expr, Heredoc):
        return expr.literal
    if isinstance(expr, Template):
        if expr.has_directives or any(isinstance(p, Expr) for p in expr.parts):
            return None
        return "".join(p for p in expr.parts if isinstance(p, str))
    return None


def string_parts(expr: Expr) -> list[str]:
    """The literal text pieces of a string expression (interpolations left out)."""
    if isinstance(expr, Literal):
        return [expr.value] if isinstance(expr.value, str) else []
    if isinstance(expr, (Template, Heredoc)):
        return [p for p in expr.parts if isinstance(p, str)]
    return []


_ABSENT_WORDS = frozenset(
    {"null", "none", "nil", "n/a", "na", "undefined", "unset", "redacted", "empty", "-"}
)
_ENV_REFERENCE = re.compile(r"^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$")
_STORE_PREFIXES = ("arn:", "{{resolve:", "ssm:", "secretsmanager:", "vault:", "op://", "sm://")
_GCP_SECRET = re.compile(r"^projects/[^/]+/secrets/[^/]+(/versions/[^/]+)?$")


def is_absent_marker(value: str) -> bool:
    """Empty, blank, a mask (``****``), ``<placeholder>`` or a word meaning "no value"."""
    text = value.strip()
    if not text:
        return True
    if len(set(text)) == 1 and text[0] in "*xX#.?-_0":
        return True
    if text.startswith("<") and text.endswith(">"):
        return True
    return text.lower() in _ABSENT_WORDS


def is_store_reference(value: str) -> bool:
    """Text that points at a secret store instead of holding the secret."""
    text = value.strip()
    lowered = text.lower()
    return (
        lowered.startswith(_STORE_PREFIXES)
        or _ENV_REFERENCE.match(text) is not None
        or _GCP_SECRET.match(text) is not None
    )


def is_reportable_secret(value: str) -> bool:
    """Whether a literal under a secret name is a secret worth reporting."""
    if is_absent_marker(value) or is_store_reference(value):
        return False
    return value.strip().lower() not in ("true", "false")


def shannon_entropy(value: str) -> float:
    if not value:
        return 0.0
    counts: dict[str, int] = {}
    for ch in value:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# An HTTP authorization header's value: a scheme and a credential ("Bearer <token>").
_AUTH_SCHEME = re.compile(
    r"^(basic|bearer|token|digest|negotiate|ntlm|apikey|aws4-hmac-sha256)\s+[^\s$]{8,}",
    re.IGNORECASE,
)


def looks_like_credential(name: str, value: str) -> bool:
    """Whether a literal under a weak secret name is reportable: for an HTTP authorization
    header (``Authorization``, ``Proxy-Authorization``) a scheme followed by a credential,
    for the others a random-looking token (:func:`looks_random`)."""
    if _judged_words(name) in _CREDENTIAL_HEADERS:
        return _AUTH_SCHEME.match(value.strip()) is not None
    return looks_random(value)


def looks_random(value: str, min_length: int = 20, min_entropy: float = 3.5) -> bool:
    """A long, high-entropy token without spaces, dots or separators of paths and URLs."""
    text = value.strip()
    if len(text) < min_length or any(c.isspace() for c in text):
        return False
    if any(c in text for c in ".:@") or text.startswith(("ssh-", "ecdsa-", "/")):
        return False
    if _UUID.match(text):
        return False
    return shannon_entropy(text) >= min_entropy


# -- key material --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyMaterial:
    kind: str  # a human description: "an AWS access key id"
    start: int
    end: int


_KEY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "an AWS access key id",
        re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])"),
    ),
    (
        "a PEM private key",
        re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    ),
    ("a GitHub token", re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b")),
    ("a GitHub token", re.compile(r"\bgithub_pat_[A-Za-z0-9_]{60,}")),
    ("a GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_\-]{20,}")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    (
        "a Slack webhook URL",
        re.compile(r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,}"),
    ),
    ("a Stripe secret key", re.compile(r"\b[rs]k_live_[0-9A-Za-z]{20,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}")),
    ("an npm token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b")),
    ("a Terraform Cloud token", re.compile(r"\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_\-=]{60,}")),
    ("a SendGrid API key", re.compile(r"\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}\b")),
    (
        "a password embedded in a URL",
        re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^/\s:@'\"]+:(?P<pw>[^/\s@'\"]+)@[^\s'\"]"),
    ),
)
_EXAMPLE_MARKERS = ("EXAMPLE",)


# Texts up to this long have their key material remembered (by text, across analyses); a longer
# one (a script in a heredoc) would keep a copy of every version typed.
_REMEMBERED_TEXT = 4096


def find_key_material(text: str) -> tuple[KeyMaterial, ...]:
    """Recognisable credentials in a piece of text, in order of appearance."""
    if len(text) <= _REMEMBERED_TEXT:
        return _remembered_key_material(text)
    return _key_material(text)


@lru_cache(maxsize=8192)
def _remembered_key_material(text: str) -> tuple[KeyMaterial, ...]:
    return _key_material(text)


def _key_material(text: str) -> tuple[KeyMaterial, ...]:
    found: list[KeyMaterial] = []
    for kind, pattern in _KEY_PATTERNS:
        for m in pattern.finditer(text):
            matched = m.group(0)
            if any(marker in matched for marker in _EXAMPLE_MARKERS):
                continue
            if "pw" in pattern.groupindex:
                password = m.group("pw")
                if is_absent_marker(password) or password.startswith("$"):
                    continue
            found.append(KeyMaterial(kind, m.start(), m.end()))
    found.sort(key=lambda k: k.start)
    return tuple(found)


def expr_key_material(expr: Expr) -> list[KeyMaterial]:
    out: list[KeyMaterial] = []
    for part in string_parts(expr):
        out.extend(find_key_material(part))
    return out


def string_exprs(expr: Expr) -> Iterator[Expr]:
    """Every string expression (quoted or heredoc) inside an expression."""
    for node in expr.walk():
        if isinstance(node, (Literal, Template, Heredoc)) and string_parts(node):
            yield node


# -- synthetic entities for places that are not blocks -------------------------------------


def tfvars_entity(path: str, placed: Placed, attr: Attribute) -> Entity:
    """An entity for one top-level assignment of a ``.tfvars`` file, so findings can be
    reported (and suppressed) on it like on any block."""
    block = Block(
        type=attr.name,
        labels=(),
        type_range=attr.name_range,
        label_ranges=(),
        range=attr.range,
        lbrace=attr.range.start,
        rbrace=attr.range.end,
        attributes={attr.name: attr},
    )
    return Entity("tfvars", f"var.{attr.name}", placed, block)


def tfvars_assignments(module: Module) -> Iterator[tuple[str, Entity, Attribute]]:
    """Every top-level assignment of every ``.tfvars`` file (auto-loaded or not)."""
    for path in sorted(module.tfvars_files()):
        for placed in module.files[path].items:
            if isinstance(placed.node, Attribute):
                yield path, tfvars_entity(path, placed, placed.node), placed.node


def file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


# -- variables -------------------------------------------------------------------------------

_NON_SECRET_TYPES = frozenset({"bool", "number"})


def holds_switch_or_number(module: Module, variable: Entity) -> bool:
    """A ``bool``/``number`` variable (by type or default) cannot hold a secret string."""
    kind = variable.attr("type")
    if (
        isinstance(kind, Attribute)
        and isinstance(kind.value, Reference)
        and kind.value.root in _NON_SECRET_TYPES
    ):
        return True
    default = module.attr_value(variable, "default", None)
    return isinstance(default, (bool, int, float))


# -- write-only support --------------------------------------------------------------------

WRITE_ONLY_SINCE = "1.11.0"


def write_only_support(module: Module) -> str:
    """'required' (every allowed Terraform has write-only arguments), 'optional' (some do),
    'unsupported' (none do), or 'unknown' (no readable constraint: assume current Terraform)."""
    constraint = module.required_version()
    if not isinstance(constraint, str):
        return "unknown"
    new = admits(constraint, at_least=WRITE_ONLY_SINCE)
    old = admits(constraint, below=WRITE_ONLY_SINCE)
    if new is None or old is None:
        return "unknown"
    if not new:
        return "unsupported"
    return "optional" if old else "required"


# -- sensitive sources ---------------------------------------------------------------------

# Attributes that hold a secret although their name does not say so.
SECRET_ATTRIBUTES: dict[str, frozenset[str]] = {
    "random_password": frozenset({"result", "bcrypt_hash"}),
    "tls_private_key": frozenset(
        {"private_key_pem", "private_key_openssh", "private_key_pem_pkcs8"}
    ),
    "aws_ssm_parameter": frozenset({"value"}),
    "aws_kms_secrets": frozenset({"plaintext"}),
    "aws_iam_access_key": frozenset({"secret", "ses_smtp_password_v4"}),
}
# Resources whose whole object is a secret (``value = random_password.x``).
SECRET_RESOURCE_TYPES = frozenset(
    {
        "random_password",
        "tls_private_key",
        "aws_iam_access_key",
        "aws_secretsmanager_secret_version",
        "aws_iam_user_login_profile",
        "aws_kms_secrets",
    }
)
# Functions whose result does not reveal their argument.
_CONCEALING_FUNCTIONS = frozenset(
    {
        "sha1",
        "sha256",
        "sha512",
        "md5",
        "bcrypt",
        "base64sha256",
        "base64sha512",
        "length",
        "uuidv5",
        "can",
        "fileexists",
        "sensitive",
    }
)


@dataclass(frozen=True, slots=True)
class SecretSource:
    reference: Reference
    description: str  # "var.db_password (a sensitive variable)"
    entity: Entity | None


def _attribute_path(ref: Reference, entity: Entity) -> list[str]:
    """The attribute names after the resource address: ``x.y[0].secret_arn`` → ``[y, ...]``."""
    skip = 3 if entity.kind in ("data", "ephemeral") else 2
    return [s for s in ref.steps[skip:] if isinstance(s, str) and not s.startswith("[")]


def _is_secure_string(module: Module, entity: Entity) -> bool:
    if entity.kind == "data":
        return True  # the data source decrypts by default and Terraform marks it sensitive
    kind = module.attr_value(entity, "type", UNKNOWN)
    return kind is UNKNOWN or kind == "SecureString"


def _resource_source(module: Module, ref: Reference, entity: Entity) -> str | None:
    path = _attribute_path(ref, entity)
    rtype = entity.type
    if len(path) > 1:
        # A nested value: its own name decides (master_user_secret[0].secret_arn is an ARN).
        leaf = path[-1]
        return f"{entity.address}.{'.'.join(path)}" if is_secret_name(leaf) else None
    attribute = path[0] if path else None
    if attribute is None:
        if rtype in SECRET_RESOURCE_TYPES:
            return f"{entity.address} (a secret-holding resource, as a whole object)"
        if rtype == "aws_ssm_parameter" and _is_secure_string(module, entity):
            return f"{entity.address} (a SecureString parameter, as a whole object)"
        configured = [name for name in entity.block.attributes if is_secret_name(name)]
        if configured:
            return f"{entity.address} (as a whole object, including {configured[0]})"
        return None
    if attribute in SECRET_ATTRIBUTES.get(rtype, ()):
        if rtype == "aws_ssm_parameter" and not _is_secure_string(module, entity):
            return None
        return f"{entity.address}.{attribute}"
    if is_secret_name(attribute):
        return f"{entity.address}.{attribute}"
    return None


def secret_sources(
    module: Module, expr: Expr, seen: frozenset[str] = frozenset()
) -> list[SecretSource]:
    """The sensitive values an expression exposes: sensitive or secret-named variables,
    secret attributes of resources and data sources, secret-named module outputs, followed
    through locals. Hashes and lengths of a secret do not expose it."""
    out: list[SecretSource] = []
    _collect_sources(module, expr, seen, out)
    return out


def _collect_sources(
    module: Module, expr: Expr, seen: frozenset[str], out: list[SecretSource]
) -> None:
    if isinstance(expr, FunctionCall) and expr.name.split("::")[-1] in _CONCEALING_FUNCTIONS:
        return
    if isinstance(expr, Reference):
        _reference_source(module, expr, seen, out)
        for child in expr.index_exprs:
            _collect_sources(module, child, seen, out)
        return
    for child in expr.children():
        _collect_sources(module, child, seen, out)


def _reference_source(
    module: Module, ref: Reference, seen: frozenset[str], out: list[SecretSource]
) -> None:
    names = ref.names()
    root = ref.root
    if root == "var" and len(names) >= 2:
        variable = module.variables.get(names[1])
        if variable is None:
            return
        if module.attr_value(variable, "sensitive", False) is True:
            out.append(SecretSource(ref, f"var.{names[1]} (a sensitive variable)", variable))
        elif is_secret_name(names[1]):
            out.append(SecretSource(ref, f"var.{names[1]} (a secret-named variable)", variable))
        return
    if root == "local" and len(names) >= 2:
        key = "local." + names[1]
        local = module.locals.get(names[1])
        if local is None or key in seen:
            return
        before = len(out)
        _collect_sources(module, local.attribute.value, seen | {key}, out)
        for i in range(before, len(out)):
            found = out[i]
            out[i] = SecretSource(ref, f"{found.description} through {key}", found.entity)
        return
    if root == "module" and len(names) >= 3:
        if is_secret_name(names[2]):
            call = module.module_calls.get(names[1])
            out.append(SecretSource(ref, f"module.{names[1]}.{names[2]}", call))
        return
    entity = module.resolve(ref)
    if entity is None or entity.kind not in ("resource", "data", "ephemeral"):
        return
    description = _resource_source(module, ref, entity)
    if description is not None:
        out.append(SecretSource(ref, description, entity))


# -- static provider credentials -------------------------------------------------------------

AWS_PROVIDER_CREDENTIALS = ("access_key", "secret_key", "token")
AWS_PROVIDERS = frozenset({"aws", "awscc"})


def aws_provider_credentials(module: Module) -> Iterator[tuple[Entity, list[Attribute]]]:
    """Each ``provider "aws"`` (or ``"awscc"``) block with the static-credential arguments
    it sets."""
    for provider in module.providers:
        if provider.block.labels[0] not in AWS_PROVIDERS:
            continue
        attrs = [a for n in AWS_PROVIDER_CREDENTIALS if (a := provider.attr(n)) is not None]
        if attrs:
            yield provider, attrs


# The provider arguments each provider's static-credentials rule reports
# (aws-provider-static-credentials, azure-provider-static-credentials,
# google-provider-static-credentials).
PROVIDER_CREDENTIALS: dict[str, tuple[str, ...]] = {
    "aws": AWS_PROVIDER_CREDENTIALS,
    "awscc": AWS_PROVIDER_CREDENTIALS,
    "azurerm": ("client_secret", "client_certificate_password", "client_certificate"),
    "google": ("credentials",),
    "google-beta": ("credentials",),
}


def provider_credential_ids(module: Module) -> set[int]:
    """ids of the attributes reported by a provider's static-credentials rule (other secret
    rules leave them alone so that one mistake gives one finding)."""
    out: set[int] = set()
    for provider in module.providers:
        for name in PROVIDER_CREDENTIALS.get(provider.block.labels[0], ()):
            attr = provider.attr(name)
            if attr is not None:
                out.add(id(attr))
    return out
