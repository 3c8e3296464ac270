"""A small zod-like validator that words its errors exactly like Medusa's ``zodValidator``.

Medusa validates bodies and queries with strict zod schemas and reports at most
three issues joined by ``"; "`` after ``"Invalid request: "``. Only the schema
shapes the demo routes need are implemented.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from demostore.core.errors import invalid_data
from demostore.core.jsvalues import js_string

_MISSING: Any = object()

# zod v4's default e-mail pattern.
_EMAIL = re.compile(
    r"^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-\.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$"
)


@dataclass
class Issue:
    code: str  # invalid_type | unrecognized_keys | invalid_format | custom | union
    path: tuple[str | int, ...]
    expected: str = ""
    message: str = ""
    keys: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()


class Schema:
    """Base class: ``parse`` returns the (transformed) value or records issues."""

    optional = True
    nullable = False

    def parse(self, value: Any, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
        if value is _MISSING:
            if not self.optional:
                issues.append(Issue("invalid_type", path, expected=self.type_name()))
            return _MISSING
        if value is None and self.nullable:
            return None
        return self.check(value, path, issues)

    def check(self, value: Any, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
        raise NotImplementedError

    def type_name(self) -> str:
        raise NotImplementedError

    def accepts(self, value: Any) -> bool:
        probe: list[Issue] = []
        self.parse(value, (), probe)
        return not probe


@dataclass
class Str(Schema):
    optional: bool = True
    nullable: bool = False
    email: bool = False

    def type_name(self) -> str:
        return "string"

    def check(self, value: Any, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
        if not isinstance(value, str):
            issues.append(Issue("invalid_type", path, expected="string"))
            return value
        if self.email and not _EMAIL.match(value):
            issues.append(Issue("invalid_format", path, message="Invalid email address"))
        return value


@dataclass
class Bool(Schema):
    optional: bool = True
    nullable: bool = False

    def type_name(self) -> str:
        return "boolean"

    def check(self, value: Any, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
        if not isinstance(value, bool):
            issues.append(Issue("invalid_type", path, expected="boolean"))
        return value


@dataclass
class Num(Schema):
    optional: bool = True
    nullable: bool = False

    def type_name(self) -> str:
        return "number"

    def check(self, value: Any, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            issues.append(Issue("invalid_type", path, expected="number"))
        return value


@dataclass
class BigNumber(Schema):
    """Medusa's ``BigNumberInput``: a number or a numeric string."""

    optional: bool = True
    nullable: bool = False

    def type_name(self) -> str:
        return "number"

    def check(self, value: Any, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
        if isinstance(value, bool) or not isinstance(value, int | float):
            issues.append(Issue("invalid_type", path, expected="number"))
        return value


@dataclass
class Enum(Schema):
    values: tuple[str, ...] = ()
    optional: bool = True
    nullable: bool = False

    def type_name(self) -> str:
        return "string"

    def check(self, value: Any, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
        if value not in self.values:
            issues.append(Issue("invalid_value", path, alternatives=self.values))
        return value


@dataclass
class Record(Schema):
    optional: bool = True
    nullable: bool = False

    def type_name(self) -> str:
        return "record"

    def check(self, value: Any, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
        if not isinstance(value, dict):
            issues.append(Issue("invalid_type", path, expected="record"))
        return value


@dataclass
class Array(Schema):
    item: Schema = field(default_factory=Str)
    optional: bool = True
    nullable: bool = False

    def type_name(self) -> str:
        return "array"

    def check(self, value: Any, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
        if not isinstance(value, list):
            issues.append(Issue("invalid_type", path, expected="array"))
            return value
        return [self.item.parse(item, (*path, index), issues) for index, item in enumerate(value)]


@dataclass
class Obj(Schema):
    shape: Mapping[str, Schema] = field(default_factory=dict)
    strict: bool = False  # nested objects strip unknown keys, like zod's default
    optional: bool = True
    nullable: bool = False

    def type_name(self) -> str:
        return "object"

    def check(self, value: Any, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
        if not isinstance(value, dict):
            issues.append(Issue("invalid_type", path, expected="object"))
            return value
        result: dict[str, Any] = {}
        for key, schema in self.shape.items():
            parsed = schema.parse(value.get(key, _MISSING), (*path, key), issues)
            if parsed is not _MISSING:
                result[key] = parsed
        unknown = tuple(key for key in value if key not in self.shape)
        if unknown and self.strict:
            issues.append(Issue("unrecognized_keys", path, keys=unknown))
        return result


@dataclass
class Union(Schema):
    options: tuple[Schema, ...] = ()
    optional: bool = True
    nullable: bool = False

    def type_name(self) -> str:
        return ", ".join(option.type_name() for option in self.options)

    def check(self, value: Any, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
        for option in self.options:
            attempt: list[Issue] = []
            parsed = option.parse(value, path, attempt)
            if not attempt:
                return parsed
        names = tuple(o.type_name() for o in self.options if not isinstance(o, Union | Obj))
        issues.append(Issue("union", path, alternatives=names or ("object",)))
        return value


@dataclass
class Refined(Schema):
    """A value checked by a predicate (zod ``refine``) and then transformed."""

    base: Schema = field(default_factory=Str)
    predicate: Callable[[Any], bool] = lambda _: True
    transform: Callable[[Any], Any] = lambda value: value
    optional: bool = True
    nullable: bool = False

    def type_name(self) -> str:
        return self.base.type_name()

    def check(self, value: Any, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
        before = len(issues)
        parsed = self.base.parse(value, path, issues)
        if len(issues) > before:
            return parsed
        if not self.predicate(parsed):
            issues.append(Issue("custom", path, message="Invalid input"))
            return parsed
        return self.transform(parsed)


@dataclass
class Preprocessed(Schema):
    """zod ``preprocess``: transform the raw value before validating it."""

    before: Callable[[Any], Any] = lambda value: value
    base: Schema = field(default_factory=Num)
    optional: bool = True
    nullable: bool = False

    def type_name(self) -> str:
        return self.base.type_name()

    def check(self, value: Any, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
        return self.base.parse(self.before(value), path, issues)


def _lookup(body: Any, path: tuple[str | int, ...]) -> Any:
    node = body
    for key in path:
        if isinstance(node, dict) and isinstance(key, str) and key in node:
            node = node[key]
            continue
        if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
            continue
        return _MISSING
    return node


def _format(issue: Issue, body: Any) -> str:
    where = ", ".join(str(part) for part in issue.path)
    received = _lookup(body, issue.path)
    if issue.code == "invalid_type":
        if received is _MISSING:
            return f"Field '{where}' is required"
        return (
            f"Expected type: '{issue.expected}' for field '{where}', got: '{js_string(received)}'"
        )
    if issue.code == "union":
        if received is _MISSING:
            return f"Field '{where}' is required"
        expected = ", ".join(issue.alternatives)
        return f"Expected type: '{expected}' for field '{where}', got: '{js_string(received)}'"
    if issue.code == "invalid_value":
        if received is _MISSING:
            return f"Field '{where}' is required"
        expected = ", ".join(issue.alternatives)
        return f"Expected: '{expected}' for field '{where}', but got: '{js_string(received)}'"
    if issue.code == "unrecognized_keys":
        return "Unrecognized fields: '{}'".format(", ".join(issue.keys))
    return issue.message


def validate(schema: Obj, body: Any) -> dict[str, Any]:
    """Validate ``body`` against a top-level (strict) object schema or raise 400."""
    issues: list[Issue] = []
    if not isinstance(body, dict):
        # zod reports a non-object body as an invalid_type at the root path.
        raise invalid_data("Invalid request: Field '' is required")
    parsed = schema.parse(body, (), issues)
    if issues:
        message = "; ".join(_format(issue, body) for issue in issues[:3])
        raise invalid_data(f"Invalid request: {message}")
    assert isinstance(parsed, dict)
    return parsed


# --- building blocks shared by the routes -------------------------------------------


def nullish_str() -> Str:
    return Str(nullable=True)


def str_or_list() -> Union:
    return Union(options=(Str(), Array(item=Str())))


def operator_map() -> Union:
    """Medusa's ``createOperatorMap()``: a value, a list, or an operator object."""
    value = Union(options=(Str(), Array(item=Str())))
    ops: dict[str, Schema] = {
        "$eq": value,
        "$ne": value,
        "$in": Array(item=Str()),
        "$nin": Array(item=Str()),
    }
    for name in ("$like", "$ilike", "$re", "$contains", "$gt", "$gte", "$lt", "$lte"):
        ops[name] = Str()
    return Union(options=(Str(), Array(item=Str()), Obj(shape=ops)))


def _parse_int_like_js(value: Any) -> Any:
    # createFindParams: ``if (val && typeof val === "string") return parseInt(val)``
    if isinstance(value, str) and value:
        match = re.match(r"^\s*([+-]?\d+)", value)
        return int(match.group(1)) if match else float("nan")
    return value


class _FiniteNum(Num):
    def check(self, value: Any, path: tuple[str | int, ...], issues: list[Issue]) -> Any:
        if isinstance(value, float) and value != value:  # NaN from parseInt
            issues.append(Issue("invalid_type", path, expected="number"))
            return value
        return super().check(value, path, issues)


def _bool_string(value: Any) -> Any:
    if isinstance(value, str) and value:
        return True if value == "true" else False if value == "false" else value
    return value


def find_params(extra: Mapping[str, Schema]) -> Obj:
    """``createFindParams()`` merged with route filters; unknown params are rejected."""
    shape: dict[str, Schema] = {
        "fields": Str(),
        "offset": Preprocessed(before=_parse_int_like_js, base=_FiniteNum()),
        "limit": Preprocessed(before=_parse_int_like_js, base=_FiniteNum()),
        "order": Str(),
        "with_deleted": Preprocessed(before=_bool_string, base=Bool()),
    }
    shape.update(extra)
    return Obj(shape=shape, strict=True)


def with_and_or(fields: Mapping[str, Schema]) -> dict[str, Schema]:
    """``applyAndAndOrOperators``: ``$and``/``$or`` lists of the same filters."""
    inner = Obj(shape=dict(fields))
    return {**fields, "$and": Array(item=inner), "$or": Array(item=inner)}


def boolean_string() -> Refined:
    return Refined(
        base=Union(options=(Bool(), Str())),
        predicate=lambda v: js_string(v).lower() in ("true", "false"),
        transform=lambda v: js_string(v).lower() == "true",
    )


def select_params() -> Obj:
    return Obj(shape={"fields": Str()}, strict=True)
