"""Evaluate what can be known of an expression; everything else is :data:`UNKNOWN`.

A rule never reports a failure it cannot see: an unknown CIDR is not an open CIDR. Values are
plain Python (``None``, ``bool``, ``int``/``float``, ``str``, ``list``, ``dict``) and may
contain :data:`UNKNOWN` inside collections.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from tfguard.syntax import (
    DYNAMIC,
    SPLAT,
    BinaryOp,
    Conditional,
    Expr,
    ForExpr,
    FunctionCall,
    Heredoc,
    Literal,
    ObjectExpr,
    Reference,
    Step,
    Template,
    Traversal,
    TupleExpr,
    UnaryOp,
)


class Unknown:
    """A value that cannot be known before ``plan`` (or that tfguard does not compute)."""

    __slots__ = ()
    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<unknown>"

    def __bool__(self) -> bool:
        raise TypeError("an unknown value has no truth value; test with is_unknown()")


UNKNOWN = Unknown()
Value = Any


def is_unknown(value: Value) -> bool:
    return value is UNKNOWN


def fully_known(value: Value) -> bool:
    if value is UNKNOWN:
        return False
    if isinstance(value, list):
        return all(fully_known(v) for v in value)
    if isinstance(value, dict):
        return all(fully_known(v) for v in value.values())
    return True


class Scope(Protocol):
    def resolve(self, ref: Reference, evaluator: Evaluator) -> Value:
        """The value of a reference's root object (``var.x``, ``local.y``, ``aws_x.y``...),
        traversed as far as the scope can; the evaluator applies the remaining steps."""
        ...


class EmptyScope:
    def resolve(self, ref: Reference, evaluator: Evaluator) -> Value:
        return UNKNOWN


class _Unknowable(Exception):
    """Raised inside functions when an argument is unknown or of the wrong type."""


class Evaluator:
    MAX_DEPTH = 40

    def __init__(self, scope: Scope | None = None) -> None:
        self.scope: Scope = scope or EmptyScope()
        self._depth = 0
        self.bindings: list[dict[str, Value]] = []
        # When a list: each decided conditional is recorded as (node, True/False), before
        # what its test read (see tfguard.provenance).
        self.trace: list[Any] | None = None

    def eval(self, expr: Expr | None) -> Value:
        if expr is None:
            return UNKNOWN
        if self._depth > self.MAX_DEPTH:
            return UNKNOWN
        self._depth += 1
        try:
            return self._eval(expr)
        except (_Unknowable, TypeError, ValueError, KeyError, IndexError, ZeroDivisionError):
            return UNKNOWN
        except RecursionError:
            return UNKNOWN
        finally:
            self._depth -= 1

    def _eval(self, expr: Expr) -> Value:
        if isinstance(expr, Literal):
            return expr.value
        if isinstance(expr, (Template, Heredoc)):
            if expr.has_directives:
                return UNKNOWN
            out: list[str] = []
            for part in expr.parts:
                if isinstance(part, str):
                    out.append(part)
                    continue
                value = self.eval(part)
                if value is UNKNOWN or isinstance(value, (list, dict)):
                    return UNKNOWN
                out.append(_to_string(value))
            return "".join(out)
        if isinstance(expr, Reference):
            for frame in reversed(self.bindings):
                if expr.root in frame:
                    return self._steps(frame[expr.root], expr.steps[1:], expr)
            return self.scope.resolve(expr, self)
        if isinstance(expr, Traversal):
            return self._steps(self.eval(expr.source), expr.steps, expr)
        if isinstance(expr, TupleExpr):
            return [self.eval(item) for item in expr.items]
        if isinstance(expr, ObjectExpr):
            result: dict[str, Value] = {}
            for item in expr.items:
                key = item.key_name
                if key is None or not _is_bare_or_string(item.key):
                    k = self.eval(item.key)
                    if k is UNKNOWN:
                        return UNKNOWN
                    key = _to_string(k)
                result[key] = self.eval(item.value)
            return result
        if isinstance(expr, Conditional):
            mark = len(self.trace) if self.trace is not None else 0
            cond = self.eval(expr.condition)
            if self.trace is not None and isinstance(cond, bool):
                self.trace.insert(mark, (expr, cond))
            if cond is True:
                return self.eval(expr.true)
            if cond is False:
                return self.eval(expr.false)
            yes, no = self.eval(expr.true), self.eval(expr.false)
            if fully_known(yes) and yes == no:
                return yes
            return UNKNOWN
        if isinstance(expr, UnaryOp):
            value = self.eval(expr.operand)
            if value is UNKNOWN:
                return UNKNOWN
            if expr.op == "!":
                return not _bool(value)
            return -_number(value)
        if isinstance(expr, BinaryOp):
            return self._binary(expr)
        if isinstance(expr, FunctionCall):
            return self._call(expr)
        if isinstance(expr, ForExpr):
            return self._for(expr)
        return UNKNOWN

    def value_at(self, value: Value, steps: tuple[Step, ...]) -> Value:
        return self._steps(value, steps, None)

    def _steps(self, value: Value, steps: tuple[Step, ...], expr: Expr | None) -> Value:
        index_exprs = iter(getattr(expr, "index_exprs", ()) or ())
        for i, step in enumerate(steps):
            if value is UNKNOWN:
                return UNKNOWN
            if step == SPLAT:
                if value is None:
                    return []
                items = value if isinstance(value, list) else [value]
                rest = steps[i + 1 :]
                return [self._steps(v, rest, None) for v in items]
            if step == DYNAMIC:
                key = self.eval(next(index_exprs, None))
                if key is UNKNOWN:
                    return UNKNOWN
                step = key
            if isinstance(value, dict):
                if str(step) not in value:
                    return UNKNOWN
                value = value[str(step)]
            elif isinstance(value, list) and _is_index(step):
                value = value[int(step)]
            else:
                return UNKNOWN
        return value

    def _binary(self, expr: BinaryOp) -> Value:
        op = expr.op
        left = self.eval(expr.left)
        if op == "&&" and left is False:
            return False
        if op == "||" and left is True:
            return True
        right = self.eval(expr.right)
        if op == "&&":
            if right is False:
                return False
            if left is UNKNOWN or right is UNKNOWN:
                return UNKNOWN
            return _bool(left) and _bool(right)
        if op == "||":
            if right is True:
                return True
            if left is UNKNOWN or right is UNKNOWN:
                return UNKNOWN
            return _bool(left) or _bool(right)
        if not (fully_known(left) and fully_known(right)):
            return UNKNOWN
        if op == "==":
            return _equal(left, right)
        if op == "!=":
            return not _equal(left, right)
        a, b = _number(left), _number(right)
        ops: dict[str, Callable[[float, float], Value]] = {
            "<": lambda x, y: x < y,
            ">": lambda x, y: x > y,
            "<=": lambda x, y: x <= y,
            ">=": lambda x, y: x >= y,
            "+": lambda x, y: x + y,
            "-": lambda x, y: x - y,
            "*": lambda x, y: x * y,
            "/": lambda x, y: x / y,
            "%": lambda x, y: math.fmod(x, y),
        }
        if op not in ops:
            return UNKNOWN
        return _normalise_number(ops[op](a, b))

    def _for(self, expr: ForExpr) -> Value:
        collection = self.eval(expr.collection)
        if not fully_known(collection) or not isinstance(collection, (list, dict)):
            return UNKNOWN
        pairs: Iterator[tuple[Value, Value]] = (
            iter(collection.items()) if isinstance(collection, dict) else enumerate(collection)
        )
        out_list: list[Value] = []
        out_dict: dict[str, Value] = {}
        for k, v in pairs:
            frame: dict[str, Value] = {expr.value_var: v}
            if expr.key_var:
                frame[expr.key_var] = k
            self.bindings.append(frame)
            try:
                if expr.condition is not None:
                    keep = self.eval(expr.condition)
                    if keep is UNKNOWN:
                        return UNKNOWN
                    if not keep:
                        continue
                if expr.is_object:
                    key = self.eval(expr.key)
                    if key is UNKNOWN:
                        return UNKNOWN
                    out_dict[_to_string(key)] = self.eval(expr.value)
                else:
                    out_list.append(self.eval(expr.value))
            finally:
                self.bindings.pop()
        return out_dict if expr.is_object else out_list

    def _call(self, expr: FunctionCall) -> Value:
        name = expr.name.split("::")[-1]
        fn = FUNCTIONS.get(name)
        if fn is None:
            return UNKNOWN
        args = [self.eval(a) for a in expr.args]
        if expr.expand_final and args:
            last = args.pop()
            if not isinstance(last, list):
                return UNKNOWN
            args.extend(last)
        if name in ("try", "coalesce"):
            return fn(*args)
        if name == "jsonencode":
            if not fully_known(args[0] if args else UNKNOWN):
                return UNKNOWN
        elif not all(fully_known(a) for a in args):
            return UNKNOWN
        return fn(*args)


def _is_bare_or_string(key: Expr) -> bool:
    return (isinstance(key, Reference) and len(key.steps) == 1) or (
        isinstance(key, Literal) and isinstance(key.value, str)
    )


def _to_string(value: Value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, dict)):
        raise _Unknowable
    return str(value)


def _number(value: Value) -> float:
    if isinstance(value, bool) or value is None or value is UNKNOWN:
        raise _Unknowable
    if isinstance(value, (int, float)):
        return float(value) if isinstance(value, float) else int(value)
    if isinstance(value, str):
        number = float(value)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    raise _Unknowable


def _normalise_number(value: Value) -> Value:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _bool(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if value == "true":
        return True
    if value == "false":
        return False
    raise _Unknowable


def _is_index(step: Value) -> bool:
    if isinstance(step, bool):
        return False
    return isinstance(step, (int, float)) or (isinstance(step, str) and step.isdigit())


def _equal(a: Value, b: Value) -> bool:
    """HCL equality: a bool equals only a bool (or its string form "true"/"false")."""
    if isinstance(a, bool) or isinstance(b, bool):
        if isinstance(a, bool) and isinstance(b, bool):
            return a is b
        return (isinstance(a, str) or isinstance(b, str)) and _to_string(a) == _to_string(b)
    return bool(a == b)


# -- functions -----------------------------------------------------------------------------


def _jsonencode(value: Value) -> str:
    return json.dumps(value, separators=(",", ":"))


def _jsondecode(text: Value) -> Value:
    return json.loads(str(text))


def _lookup(mapping: Value, key: Value, *default: Value) -> Value:
    if not isinstance(mapping, dict):
        raise _Unknowable
    if str(key) in mapping:
        return mapping[str(key)]
    if default:
        return default[0]
    raise _Unknowable


def _element(items: Value, index: Value) -> Value:
    if not isinstance(items, list) or not items:
        raise _Unknowable
    return items[int(_number(index)) % len(items)]


def _flatten(items: Value) -> Value:
    if not isinstance(items, list):
        raise _Unknowable
    out: list[Value] = []
    for item in items:
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


def _merge(*maps: Value) -> Value:
    out: dict[str, Value] = {}
    for m in maps:
        if m is None:
            continue
        if not isinstance(m, dict):
            raise _Unknowable
        out.update(m)
    return out


def _concat(*lists: Value) -> Value:
    out: list[Value] = []
    for item in lists:
        if not isinstance(item, list):
            raise _Unknowable
        out.extend(item)
    return out


def _try(*args: Value) -> Value:
    # try() returns the first argument that evaluates without error; an unknown argument
    # might be the one that errors, so only a known first argument is certain.
    if args and fully_known(args[0]):
        return args[0]
    return UNKNOWN


def _coalesce(*args: Value) -> Value:
    for a in args:
        if a is UNKNOWN:
            return UNKNOWN
        if a is not None and a != "":
            return a
    raise _Unknowable


def _distinct(items: Value) -> Value:
    if not isinstance(items, list):
        raise _Unknowable
    out: list[Value] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _format(fmt: Value, *args: Value) -> Value:
    if not isinstance(fmt, str):
        raise _Unknowable
    values = iter(args)
    out: list[str] = []
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%" and i + 1 < len(fmt):
            verb = fmt[i + 1]
            if verb == "%":
                out.append("%")
            elif verb in "sdvq":
                v = next(values)
                out.append(json.dumps(v) if verb == "q" else _to_string(v))
            else:
                raise _Unknowable
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _list_of(value: Value) -> list[Value]:
    if not isinstance(value, list):
        raise _Unknowable
    return value


FUNCTIONS: dict[str, Callable[..., Value]] = {
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "tostring": lambda v: _to_string(v),
    "tonumber": lambda v: _number(v),
    "tobool": lambda v: _bool(v),
    "tolist": lambda v: list(_list_of(v)),
    "toset": lambda v: _distinct(v),
    "tomap": lambda v: dict(v) if isinstance(v, dict) else _unknowable(),
    "lower": lambda s: str(s).lower(),
    "upper": lambda s: str(s).upper(),
    "trimspace": lambda s: str(s).strip(),
    "trim": lambda s, chars: str(s).strip(str(chars)),
    "trimprefix": lambda s, p: str(s)[len(p) :] if str(s).startswith(str(p)) else str(s),
    "trimsuffix": lambda s, p: str(s)[: -len(p)] if p and str(s).endswith(str(p)) else str(s),
    "startswith": lambda s, p: str(s).startswith(str(p)),
    "endswith": lambda s, p: str(s).endswith(str(p)),
    "strcontains": lambda s, p: str(p) in str(s),
    "replace": lambda s, a, b: (
        str(s).replace(str(a), str(b)) if not str(a).startswith("/") else _unknowable()
    ),
    "join": lambda sep, items: str(sep).join(_to_string(i) for i in _list_of(items)),
    "split": lambda sep, s: str(s).split(str(sep)),
    "substr": lambda s, off, n: str(s)[int(off) : None if int(n) < 0 else int(off) + int(n)],
    "format": _format,
    "length": lambda v: len(v) if isinstance(v, (list, dict, str)) else _unknowable(),
    "concat": _concat,
    "merge": _merge,
    "lookup": _lookup,
    "element": _element,
    "contains": lambda items, v: v in _list_of(items),
    "flatten": _flatten,
    "distinct": _distinct,
    "compact": lambda items: [i for i in _list_of(items) if i not in (None, "")],
    "keys": lambda m: sorted(m) if isinstance(m, dict) else _unknowable(),
    "values": lambda m: [m[k] for k in sorted(m)] if isinstance(m, dict) else _unknowable(),
    "zipmap": lambda ks, vs: dict(zip((_to_string(k) for k in ks), vs, strict=True)),
    "coalesce": _coalesce,
    "coalescelist": lambda *ls: next((x for x in ls if isinstance(x, list) and x), []),
    "try": _try,
    "can": lambda *a: _unknowable(),
    "min": lambda *ns: min(_number(n) for n in ns),
    "max": lambda *ns: max(_number(n) for n in ns),
    "abs": lambda n: abs(_number(n)),
    "range": lambda *a: list(range(*(int(_number(x)) for x in a))),
    "reverse": lambda items: list(reversed(_list_of(items))),
    "sort": lambda items: sorted(_to_string(i) for i in _list_of(items)),
    "one": lambda items: (
        (_list_of(items)[0] if items else None) if len(_list_of(items)) <= 1 else _unknowable()
    ),
    "alltrue": lambda items: all(_bool(i) for i in _list_of(items)),
    "anytrue": lambda items: any(_bool(i) for i in _list_of(items)),
    "sum": lambda items: _normalise_number(sum(_number(i) for i in _list_of(items))),
    "tuple": lambda v: v,
    "list": lambda *items: list(items),
    "map": lambda *kv: {str(kv[i]): kv[i + 1] for i in range(0, len(kv), 2)},
}


def _unknowable() -> Value:
    raise _Unknowable
