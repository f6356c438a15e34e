"""The kit's value readers, paths and conditions: one meaning of "true" for every rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfguard.engine import Engine
from tfguard.module import Module
from tfguard.rules.kit.conditions import (
    AllOf,
    AnyOf,
    AtLeast,
    AtMost,
    Contains,
    Equals,
    Matches,
    Not,
    NotContains,
    NotEmpty,
    NotEquals,
    NotOneOf,
    OneOf,
    Present,
)
from tfguard.rules.kit.paths import ABSENT, lookup
from tfguard.rules.kit.resources import exists, live
from tfguard.rules.kit.values import UNKNOWN, as_bool, as_list, as_number, as_string


def module_of(tmp_path: Path, text: str) -> Module:
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    result = Engine().analyze_module(str(tmp_path))
    assert result.module is not None
    return result.module


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        ("true", True),
        (False, False),
        ("false", False),
        (None, UNKNOWN),
        ("yes", UNKNOWN),
        (1, UNKNOWN),
        (UNKNOWN, UNKNOWN),
    ],
)
def test_as_bool_follows_terraform_conversion(value: object, expected: object) -> None:
    assert as_bool(value) is expected


def test_number_string_and_list_readers() -> None:
    assert as_number("90") == 90 and as_number(" 2.5 ") == 2.5 and as_number(7) == 7
    assert as_number(True) is UNKNOWN and as_number("x") is UNKNOWN
    assert as_string(True) == "true" and as_string(3) == "3" and as_string(2.0) == "2"
    assert as_string([1]) is UNKNOWN
    assert as_list("a") == ["a"] and as_list(["a", "b"]) == ["a", "b"] and as_list({}) is UNKNOWN


def test_conditions_convert_and_keep_unknowns() -> None:
    assert Equals(True).test("true") is True
    assert Equals(True).test(False) is False
    assert Equals(True).test(UNKNOWN) is UNKNOWN
    assert Equals(True).test(ABSENT) is False
    assert Equals("Deny", ignore_case=True).test("deny") is True
    assert NotEquals("*").test(ABSENT) is True and NotEquals("*").test("*") is False
    assert OneOf("TLS1_2", "TLS1_3").test("TLS1_0") is False
    assert OneOf("TLS1_2", "TLS1_3").test(UNKNOWN) is UNKNOWN
    assert NotOneOf("blob", "container").test("private") is True
    assert NotOneOf("blob", "container").test("blob") is False
    assert AtLeast(90).test("365") is True and AtLeast(90).test(30) is False
    assert AtMost(7776000).test("7776000") is True and AtMost(1).test(UNKNOWN) is UNKNOWN
    assert Matches(r"^TLS1_[23]$").test("TLS1_2") is True
    assert Present().test(ABSENT) is False and Present().test("") is True
    assert NotEmpty().test("") is False and NotEmpty().test([]) is False
    assert NotEmpty().test(["a"]) is True
    assert Contains("0.0.0.0/0").test(["10.0.0.0/8", "0.0.0.0/0"]) is True
    assert Contains("0.0.0.0/0").test(["10.0.0.0/8", UNKNOWN]) is UNKNOWN
    assert NotContains("*").test(["s3:GetObject"]) is True
    assert Not(Equals(1)).test(1) is False
    assert AllOf(AtLeast(1), AtMost(3)).test(2) is True
    assert AllOf(AtLeast(1), AtMost(3)).test(UNKNOWN) is UNKNOWN
    assert AnyOf(Equals("a"), Equals("b")).test("b") is True


def test_paths_reach_nested_dynamic_and_object_keys(tmp_path: Path) -> None:
    module = module_of(
        tmp_path,
        """
variable "tls" {
  default = "1.0"
}

resource "azurerm_linux_web_app" "app" {
  tags = {
    owner = "data-team"
  }
  site_config {
    minimum_tls_version = var.tls
  }
  dynamic "ip_restriction" {
    for_each = var.rules
    content {
      action = "Allow"
    }
  }
  cleared = null
}
""",
    )
    app = module.resources["azurerm_linux_web_app.app"]
    [tls] = lookup(module, app, "site_config.minimum_tls_version")
    assert tls.value == "1.0" and tls.attribute is not None and tls.missing == ()
    [owner] = lookup(module, app, "tags.owner")
    assert owner.value == "data-team" and owner.item is not None
    [team] = lookup(module, app, "tags.team")
    assert team.value is ABSENT and team.missing == ("team",)
    [action] = lookup(module, app, "ip_restriction.action")
    assert action.value == "Allow" and action.dynamic
    [missing] = lookup(module, app, "auth_settings.enabled")
    assert missing.value is ABSENT and missing.holder is app.block
    assert missing.missing == ("auth_settings", "enabled")
    [cleared] = lookup(module, app, "cleared")
    assert cleared.value is ABSENT and cleared.attribute is not None


def test_live_skips_count_zero_and_empty_for_each(tmp_path: Path) -> None:
    module = module_of(
        tmp_path,
        """
resource "aws_sqs_queue" "off" {
  count = 0
}
resource "aws_sqs_queue" "none" {
  for_each = {}
}
resource "aws_sqs_queue" "maybe" {
  count = var.enabled ? 1 : 0
}
resource "aws_sqs_queue" "on" {
  count = "2"
}
""",
    )
    names = [e.name for e in live(module, "aws_sqs_queue")]
    assert names == ["maybe", "on"]
    assert not exists(module, module.resources["aws_sqs_queue.off"])


def test_dynamic_content_is_read_once_per_known_element(tmp_path: Path) -> None:
    module = module_of(
        tmp_path,
        """
resource "aws_security_group" "web" {
  dynamic "ingress" {
    for_each = [{ cidr = "0.0.0.0/0" }, { cidr = "10.0.0.0/8" }]
    iterator = rule
    content {
      cidr = rule.value.cidr
    }
  }
  dynamic "egress" {
    for_each = []
    content {
      cidr = "0.0.0.0/0"
    }
  }
  dynamic "tag" {
    for_each = var.tags
    content {
      key = tag.key
    }
  }
}
""",
    )
    sg = module.resources["aws_security_group.web"]
    assert [h.value for h in lookup(module, sg, "ingress.cidr")] == ["0.0.0.0/0", "10.0.0.0/8"]
    [egress] = lookup(module, sg, "egress.cidr")  # an empty for_each makes no block
    assert egress.value is ABSENT and egress.missing == ("egress", "cidr")
    [tag] = lookup(module, sg, "tag.key")  # elements unknown: the iterator stays unknown
    assert tag.value is UNKNOWN and tag.dynamic
