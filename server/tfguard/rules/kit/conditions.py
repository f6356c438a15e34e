"""Conditions a value must satisfy, each answering True (passes), False (fails) or UNKNOWN.

A value is compared in the type the condition expects, the way Terraform converts it:
``Equals(True)`` accepts ``true`` and ``"true"``, ``AtLeast(90)`` accepts ``"90"``. A value
that is :data:`ABSENT` (not written, or ``null``) passes only :class:`Absent` and fails the
others except :class:`Present`'s negation; rules usually replace it with the provider's
default before testing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tfguard.rules.kit.paths import ABSENT
from tfguard.rules.kit.values import UNKNOWN, Value, as_bool, as_number, as_string, fully_known

Verdict = Any  # True, False or UNKNOWN


def _convert(expected: Value, value: Value) -> Value:
    if isinstance(expected, bool):
        return as_bool(value)
    if isinstance(expected, (int, float)):
        return as_number(value)
    if isinstance(expected, str):
        return as_string(value)
    return value


def _same(expected: Value, value: Value, ignore_case: bool) -> Verdict:
    if value is ABSENT:
        return False
    converted = _convert(expected, value)
    if converted is UNKNOWN or not fully_known(converted):
        return UNKNOWN
    if ignore_case and isinstance(expected, str) and isinstance(converted, str):
        return converted.lower() == expected.lower()
    return bool(converted == expected)


def _not(verdict: Verdict) -> Verdict:
    return verdict if verdict is UNKNOWN else not verdict


class Condition:
    """Base of every condition: ``test`` a value, ``describe`` the requirement in words."""

    def test(self, value: Value) -> Verdict:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Equals(Condition):
    expected: Value
    ignore_case: bool = False

    def test(self, value: Value) -> Verdict:
        return _same(self.expected, value, self.ignore_case)

    def describe(self) -> str:
        return f"must be {render(self.expected)}"


@dataclass(frozen=True)
class NotEquals(Condition):
    expected: Value
    ignore_case: bool = False

    def test(self, value: Value) -> Verdict:
        if value is ABSENT:
            return True
        return _not(_same(self.expected, value, self.ignore_case))

    def describe(self) -> str:
        return f"must not be {render(self.expected)}"


@dataclass(frozen=True)
class OneOf(Condition):
    choices: tuple[Value, ...]
    ignore_case: bool = False

    def __init__(self, *choices: Value, ignore_case: bool = False) -> None:
        object.__setattr__(self, "choices", choices)
        object.__setattr__(self, "ignore_case", ignore_case)

    def test(self, value: Value) -> Verdict:
        if value is ABSENT:
            return False
        verdicts = [_same(c, value, self.ignore_case) for c in self.choices]
        if any(v is True for v in verdicts):
            return True
        return UNKNOWN if any(v is UNKNOWN for v in verdicts) else False

    def describe(self) -> str:
        return "must be one of " + ", ".join(render(c) for c in self.choices)


@dataclass(frozen=True)
class NotOneOf(Condition):
    choices: tuple[Value, ...]
    ignore_case: bool = False

    def __init__(self, *choices: Value, ignore_case: bool = False) -> None:
        object.__setattr__(self, "choices", choices)
        object.__setattr__(self, "ignore_case", ignore_case)

    def test(self, value: Value) -> Verdict:
        if value is ABSENT:
            return True
        return _not(OneOf(*self.choices, ignore_case=self.ignore_case).test(value))

    def describe(self) -> str:
        return "must not be " + " or ".join(render(c) for c in self.choices)


@dataclass(frozen=True)
class AtLeast(Condition):
    minimum: float

    def test(self, value: Value) -> Verdict:
        if value is ABSENT:
            return False
        number = as_number(value)
        return UNKNOWN if number is UNKNOWN else number >= self.minimum

    def describe(self) -> str:
        return f"must be at least {render(self.minimum)}"


@dataclass(frozen=True)
class AtMost(Condition):
    maximum: float

    def test(self, value: Value) -> Verdict:
        if value is ABSENT:
            return False
        number = as_number(value)
        return UNKNOWN if number is UNKNOWN else number <= self.maximum

    def describe(self) -> str:
        return f"must be at most {render(self.maximum)}"


@dataclass(frozen=True)
class Matches(Condition):
    pattern: str

    def test(self, value: Value) -> Verdict:
        if value is ABSENT:
            return False
        text = as_string(value)
        if text is UNKNOWN or not fully_known(text):
            return UNKNOWN
        return re.search(self.pattern, text) is not None

    def describe(self) -> str:
        return f"must match {self.pattern!r}"


@dataclass(frozen=True)
class Present(Condition):
    def test(self, value: Value) -> Verdict:
        return value is not ABSENT

    def describe(self) -> str:
        return "must be set"


@dataclass(frozen=True)
class Absent(Condition):
    def test(self, value: Value) -> Verdict:
        return value is ABSENT

    def describe(self) -> str:
        return "must not be set"


@dataclass(frozen=True)
class NotEmpty(Condition):
    """Set to something: not absent, not ``""``, not an empty list or object."""

    def test(self, value: Value) -> Verdict:
        if value is ABSENT:
            return False
        if value is UNKNOWN:
            return UNKNOWN
        if isinstance(value, (str, list, dict)):
            return len(value) > 0
        return True

    def describe(self) -> str:
        return "must not be empty"


@dataclass(frozen=True)
class Contains(Condition):
    """A list holding ``element`` (or a string holding it as a substring)."""

    element: Value
    ignore_case: bool = False

    def test(self, value: Value) -> Verdict:
        if value is ABSENT:
            return False
        if value is UNKNOWN:
            return UNKNOWN
        if isinstance(value, str) and isinstance(self.element, str):
            if self.ignore_case:
                return self.element.lower() in value.lower()
            return self.element in value
        if isinstance(value, dict):
            return self.element in value
        items = value if isinstance(value, list) else [value]
        verdicts = [_same(self.element, item, self.ignore_case) for item in items]
        if any(v is True for v in verdicts):
            return True
        return UNKNOWN if any(v is UNKNOWN for v in verdicts) else False

    def describe(self) -> str:
        return f"must contain {render(self.element)}"


@dataclass(frozen=True)
class NotContains(Condition):
    element: Value
    ignore_case: bool = False

    def test(self, value: Value) -> Verdict:
        if value is ABSENT:
            return True
        return _not(Contains(self.element, self.ignore_case).test(value))

    def describe(self) -> str:
        return f"must not contain {render(self.element)}"


@dataclass(frozen=True)
class Satisfies(Condition):
    """A condition written as a function (True / False / UNKNOWN), with its description."""

    predicate: Callable[[Value], Verdict]
    description: str

    def test(self, value: Value) -> Verdict:
        return self.predicate(value)

    def describe(self) -> str:
        return self.description


@dataclass(frozen=True)
class Not(Condition):
    inner: Condition

    def test(self, value: Value) -> Verdict:
        return _not(self.inner.test(value))

    def describe(self) -> str:
        return f"must not satisfy: {self.inner.describe()}"


@dataclass(frozen=True)
class AllOf(Condition):
    parts: tuple[Condition, ...]

    def __init__(self, *parts: Condition) -> None:
        object.__setattr__(self, "parts", parts)

    def test(self, value: Value) -> Verdict:
        verdicts = [p.test(value) for p in self.parts]
        if any(v is False for v in verdicts):
            return False
        return UNKNOWN if any(v is UNKNOWN for v in verdicts) else True

    def describe(self) -> str:
        return " and ".join(p.describe() for p in self.parts)


@dataclass(frozen=True)
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def __init__(self, *parts: Condition) -> None:
        object.__setattr__(self, "parts", parts)

    def test(self, value: Value) -> Verdict:
        verdicts = [p.test(value) for p in self.parts]
        if any(v is True for v in verdicts):
            return True
        return UNKNOWN if any(v is UNKNOWN for v in verdicts) else False

    def describe(self) -> str:
        return " or ".join(p.describe() for p in self.parts)


def render(value: Value) -> str:
    """A value as HCL text (``true``, ``"TLS1_2"``, ``90``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
