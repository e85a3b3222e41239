"""Typed button actions: a small frozen dataclass per action, packed to a short string.

After aiogram's `CallbackData`: an action class names a unique `prefix` and
its fields, and an action packs to `prefix:field:field`, e.g.
`case:acc:42`. Fields are ints (ids, pages, offsets: 0 to SQLite's largest
INTEGER), short tokens (ids from the settings or the library), enums and
booleans; an optional field packs as `-` when empty. A prefix may hold the
separator itself (`case:acc`), so the strings buttons carried before there
were actions still parse.

`parse_action` is the one place where pressed data becomes an action again:
it accepts only what `pack()` would have produced (so `faq:ok:abc`,
`news:post:²`, `007`, numbers beyond SQLite's range, empty parts and data of
another version all raise `InvalidAction`). Each action's longest packed form
is checked when its class is defined against `MAX_BYTES`, so no button can
ever be refused by a channel for its data.

A prefix is registered when its module is imported: the feature modules that
build buttons import their actions, so whoever loads stored messages (the
outbox) has loaded them too.
"""

from __future__ import annotations

import dataclasses
import re
import types
from dataclasses import dataclass
from enum import Enum
from typing import (
    Annotated,
    Any,
    ClassVar,
    Self,
    Union,
    dataclass_transform,
    get_args,
    get_origin,
    get_type_hints,
)

SEPARATOR = ":"
EMPTY = "-"  # an optional field without a value
# The budget of a packed action: the smallest any channel allows. Telegram's
# callback_data is at most 64 bytes, and a button with longer data is refused.
MAX_BYTES = 64
MAX_INT = 2**63 - 1  # SQLite's largest INTEGER: every id the bot stores fits
TOKEN_BYTES = 32  # the settings' ids (villages, topics) are at most 32 characters
_INT = re.compile(r"0|[1-9][0-9]{0,18}")  # ASCII digits only: str.isdigit() takes '²'
_TOKEN = re.compile(r"[A-Za-z0-9_.-]+")
_PREFIX = re.compile(r"[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)*")


class InvalidAction(ValueError):
    """Data that is not exactly the packed form of a known action."""


@dataclass(frozen=True)
class Token:
    """Marks a str field (`Annotated[str, Token(40)]`) that may be longer than usual."""

    max_bytes: int


@dataclass(frozen=True)
class _Field:
    """How one field of an action class is packed, parsed and checked."""

    name: str
    kind: type
    optional: bool
    max_bytes: int = TOKEN_BYTES

    @property
    def longest(self) -> int:
        if self.kind is bool:
            return 1
        if self.kind is int:
            return len(str(MAX_INT))
        if issubclass(self.kind, Enum):
            return max(len(str(m.value).encode()) for m in self.kind)
        return self.max_bytes

    def check(self, value: object) -> None:
        """Refuse a value this field could not pack and parse back (a bug in the caller)."""
        if value is None and self.optional:
            return
        if self.kind is bool or issubclass(self.kind, Enum):
            ok = isinstance(value, self.kind)
        elif self.kind is int:
            ok = type(value) is int and 0 <= value <= MAX_INT
        else:
            ok = (
                isinstance(value, str)
                and _TOKEN.fullmatch(value) is not None
                and len(value) <= self.max_bytes
                and not (self.optional and value == EMPTY)
            )
        if not ok:
            raise ValueError(f"{self.name}={value!r} cannot be packed in an action")

    def pack(self, value: object) -> str:
        if value is None:
            return EMPTY
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, Enum):
            return str(value.value)
        return str(value)

    def parse(self, text: str) -> object:
        if self.optional and text == EMPTY:
            return None
        if self.kind is bool:
            if text not in ("0", "1"):
                raise InvalidAction(f"{self.name}: not a boolean")
            return text == "1"
        if self.kind is int:
            if not _INT.fullmatch(text) or int(text) > MAX_INT:
                raise InvalidAction(f"{self.name}: not a number in range")
            return int(text)
        if issubclass(self.kind, Enum):
            found = next((m for m in self.kind if str(m.value) == text), None)
            if found is None:
                raise InvalidAction(f"{self.name}: not one of {self.kind.__name__}")
            return found
        return text  # a token: checked with the other fields when the action is built


_REGISTRY: dict[str, type[Action]] = {}


@dataclass_transform(frozen_default=True)
class Action:
    """Base of every button action; a subclass with a `prefix` is a frozen value class.

    `class AcceptCase(Action, prefix="case:acc"): case_id: int`. A subclass
    without a prefix shares fields with its own subclasses and is never
    packed itself.

    A subclass behaves as a frozen dataclass would (positional or keyword
    arguments in field order, equality, hash, repr, no assignment) but is not
    made by `@dataclass`: that writes and compiles six methods for every
    class, about 1 ms each class, and the bot imports some 150 actions before
    its first answer. These methods, shared, read the fields from `_fields`.
    """

    prefix: ClassVar[str] = ""
    _fields: ClassVar[tuple[_Field, ...]] = ()
    _names: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, prefix: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Base classes' fields first, each in the order written, as a dataclass has them.
        hints = get_type_hints(cls, include_extras=True)
        cls._fields = tuple(
            _field(name, hint) for name, hint in hints.items() if get_origin(hint) is not ClassVar
        )
        cls._names = tuple(f.name for f in cls._fields)
        if prefix is None:
            return
        _check_class(cls, prefix)
        cls.prefix = prefix
        _REGISTRY[prefix] = cls

    def __init__(self, *args: object, **kwargs: object) -> None:
        names = self._names
        if len(args) > len(names) or set(kwargs) - set(names[len(args) :]):
            raise TypeError(f"{type(self).__name__} takes {', '.join(names) or 'no fields'}")
        values = {**dict(zip(names, args, strict=False)), **kwargs}
        if len(values) != len(names):
            missing = ", ".join(n for n in names if n not in values)
            raise TypeError(f"{type(self).__name__} is missing {missing}")
        for field in self._fields:
            value = values[field.name]
            field.check(value)
            object.__setattr__(self, field.name, value)

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._names)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Action) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._names)
        return f"{type(self).__qualname__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def pack(self) -> str:
        """The short string a button carries for this action."""
        if not self.prefix:
            raise TypeError(f"{type(self).__name__} has no prefix: it is not an action")
        values = (f.pack(getattr(self, f.name)) for f in self._fields)
        return SEPARATOR.join((self.prefix, *values))

    @classmethod
    def parse(cls, data: str) -> Self:
        """This class's action packed in `data`; anything else raises InvalidAction."""
        action = parse_action(data)
        if not isinstance(action, cls):
            raise InvalidAction(f"not a {cls.__name__}")
        return action

    @classmethod
    def longest(cls) -> int:
        """The most bytes an action of this class can pack to."""
        return len(cls.prefix.encode()) + sum(1 + f.longest for f in cls._fields)


def parse_action(data: str) -> Action:
    """The action packed in `data`, exactly; InvalidAction for anything else."""
    if not data or len(data.encode()) > MAX_BYTES:
        raise InvalidAction("empty or too long")
    parts = data.split(SEPARATOR)
    for count in range(1, len(parts) + 1):
        cls = _REGISTRY.get(SEPARATOR.join(parts[:count]))
        if cls is not None:
            break
    else:
        raise InvalidAction("unknown prefix")
    values = parts[count:]
    if len(values) != len(cls._fields):
        raise InvalidAction(f"{cls.prefix} takes {len(cls._fields)} field(s)")
    kwargs = {f.name: f.parse(text) for f, text in zip(cls._fields, values, strict=True)}
    try:
        action = cls(**kwargs)
    except ValueError as exc:
        raise InvalidAction(str(exc)) from None
    if action.pack() != data:  # e.g. a leading zero: not what any button carries
        raise InvalidAction("not in packed form")
    return action


def registered() -> dict[str, type[Action]]:
    """Every action class by prefix (for tests and the router's checks)."""
    return dict(_REGISTRY)


def _field(name: str, hint: Any) -> _Field:
    """Read a field's annotation: int, str, bool, an Enum, optional (`| None`), Token."""
    max_bytes, optional = TOKEN_BYTES, False
    while get_origin(hint) in (Union, types.UnionType, Annotated):
        if get_origin(hint) is Annotated:
            hint, *extras = get_args(hint)
            max_bytes = next((e.max_bytes for e in extras if isinstance(e, Token)), max_bytes)
            continue
        args = [a for a in get_args(hint) if a is not type(None)]
        if optional or len(args) != 1 or len(get_args(hint)) != 2:
            raise TypeError(f"{name}: only `X | None` unions are allowed in an action")
        hint, optional = args[0], True
    if hint in (int, str, bool) or (isinstance(hint, type) and issubclass(hint, Enum)):
        field = _Field(name, hint, optional, max_bytes)
    else:
        raise TypeError(f"{name}: an action field is int, str, bool or an Enum, not {hint!r}")
    if issubclass(field.kind, Enum):
        for member in field.kind:
            if not _TOKEN.fullmatch(str(member.value)) or str(member.value) == EMPTY:
                raise TypeError(f"{name}: {member!r} cannot be packed")
    return field


def _check_class(cls: type[Action], prefix: str) -> None:
    """Refuse a prefix that is malformed, taken or ambiguous, or a form that may not fit."""
    if not _PREFIX.fullmatch(prefix):
        raise TypeError(f"prefix {prefix!r}: lowercase words separated by {SEPARATOR!r}")
    for other, known in _REGISTRY.items():
        clash = (
            other == prefix
            or other.startswith(prefix + SEPARATOR)
            or prefix.startswith(other + SEPARATOR)
        )
        # Not when it is the same class, its module imported again.
        if clash and (known.__module__, known.__qualname__) != (cls.__module__, cls.__qualname__):
            raise TypeError(f"prefix {prefix!r} clashes with {known.__name__}'s {other!r}")
    longest = len(prefix.encode()) + sum(1 + f.longest for f in cls._fields)
    if longest > MAX_BYTES:
        raise TypeError(f"{cls.__name__} may pack to {longest} bytes, over {MAX_BYTES}")
