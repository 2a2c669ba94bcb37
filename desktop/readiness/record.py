"""Immutable slotted value classes, as ``@dataclass(frozen=True, slots=True)`` makes them, without its cost.

``dataclasses`` writes each class's ``__init__``, ``__eq__``, ``__hash__``, ``__repr__``, ``__setattr__`` and
``__delattr__`` as source text and compiles it when the class is defined: for the expression language's
fifteen node classes that was about 43 M instructions of every start of the window (callgrind).  A :class:`Record`
subclass declares its fields as annotations, as a dataclass does::

    class Point(Record):
        x: int
        y: int

and gets the same behaviour from the one generic set of methods below: ``__slots__`` made of its fields
(after its bases' fields, in order), an ``__init__`` taking them positionally or by name, equality between
instances of the same class field by field, a hash of the fields' tuple, ``Point(x=1, y=2)`` as repr,
``dataclasses.FrozenInstanceError`` on any assignment or deletion, ``__match_args__``, and pickling and
copying through ``__getstate__``/``__setstate__`` (a list of the values, as a slotted dataclass has).
:func:`fields` (each field with its ``name``) and :func:`replace` do what ``dataclasses.fields`` and
``dataclasses.replace`` do for a dataclass.
Fields have no defaults; an annotation ``ClassVar[...]`` is not a field.  Type checkers see the classes
as frozen dataclasses (``dataclass_transform``).

A class that must stay a dataclass (pydantic validates into it, ``dataclasses.replace`` or defaults and
``__post_init__`` are used) can still leave out the generated methods: derive it from :class:`FrozenData` and
declare it ``@dataclass(frozen=True, eq=False, repr=False)``; its equality, hash and repr are then the same
generic ones (:class:`ValueMethods`).  A dataclass that is not frozen: the same with :class:`Data` and
``@dataclass(eq=False, repr=False)`` (unhashable, as a dataclass with equality is).  Declared
``@frozen_data(...)`` (or ``@data(...)`` for a :class:`Data`) instead, it has no compiled method at all: its
``__init__``, ``__setattr__`` and ``__delattr__`` are generic too (read from its fields; a little slower per
object than compiled ones, so for classes not made by the thousand: those pydantic validates into or a cache
reads back never call ``__init__``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from typing import Any, ClassVar, TypeVar, dataclass_transform

_R = TypeVar("_R", bound="Record")


class Field:
    """A field of a record, as :func:`fields` gives it: its ``name`` (as a ``dataclasses.Field`` has)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Field(name={self.name!r})"


@dataclass_transform(frozen_default=True)
class _RecordType(type):
    """Makes each class's ``__slots__`` of its own annotated fields, and remembers all its fields."""

    def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any) -> _RecordType:
        own = tuple(field for field, annotation in namespace.get("__annotations__", {}).items()
                    if not str(annotation).startswith(("ClassVar", "typing.ClassVar")))
        namespace["__slots__"] = own
        cls = super().__new__(mcls, name, bases, namespace, **kwargs)
        inherited = tuple(field for base in reversed(cls.__mro__[1:]) if isinstance(base, _RecordType)
                          for field in base.__dict__["__slots__"])
        every = (*inherited, *own)
        cls._fields = every  # type: ignore[attr-defined]
        cls._field_list = tuple(Field(name) for name in every)  # type: ignore[attr-defined]
        setattr(cls, "__match_args__", every)  # what a dataclass sets: positional class patterns
        cls._values = staticmethod(_values_getter(every))  # type: ignore[attr-defined]
        return cls


class ValueMethods:
    """Equality, hash and repr as a dataclass generates them, from a class's ``_fields`` and ``_values``
    (one definition, for :class:`Record` and :class:`FrozenData`): equal when of the same class and equal
    field by field; the hash of the fields' tuple; ``Cls(field=value, ...)``."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]]  # every field, in order
    _field_list: ClassVar[tuple[Field, ...]]  # the same as Field objects (:func:`fields`; Records only)
    _values: ClassVar[Callable[[Any], tuple[Any, ...]]]  # an instance -> its fields' values

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(type(self)._values(self) == type(self)._values(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(type(self)._values(self))

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{name}={getattr(self, name)!r}' for name in self._fields)})"


def _values_getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """An instance -> the tuple of its fields ``names``' values."""
    if len(names) == 1:
        get = attrgetter(names[0])
        return lambda instance: (get(instance),)
    return attrgetter(*names) if names else lambda instance: ()  # attrgetter of several names gives their tuple


class _DataclassFields:
    """``_fields`` and ``_values`` of a dataclass, read from its dataclass fields on first use, then kept on
    the class in this descriptor's place."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __get__(self, instance: object, owner: type) -> Any:
        names = tuple(field.name for field in dataclasses.fields(owner))
        owner._fields = names  # type: ignore[attr-defined]
        owner._values = staticmethod(_values_getter(names))  # type: ignore[attr-defined]
        return getattr(owner, self.what)


class _DataclassValues(ValueMethods):
    """:class:`ValueMethods` for a dataclass: its ``_fields`` and ``_values`` read from its dataclass fields."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # each class its own (a subclass must not find its base's fields, once the base has kept them)
        cls._fields = _DataclassFields("_fields")  # type: ignore[assignment]
        cls._values = _DataclassFields("_values")  # type: ignore[assignment]


class _InitSpec:
    """What a dataclass's ``__init__`` takes, read from its fields once (:func:`_init_spec`)."""

    __slots__ = ("positional", "names", "defaults", "factories", "post_init")

    def __init__(self, cls: type) -> None:
        fields = [field for field in dataclasses.fields(cls) if field.init]
        self.positional = tuple(field.name for field in fields if not field.kw_only)
        self.names = tuple(field.name for field in fields)  # in the fields' order: the order the values are set
        self.defaults = {field.name: field.default for field in fields if field.default is not dataclasses.MISSING}
        self.factories = {field.name: field.default_factory for field in fields
                          if field.default_factory is not dataclasses.MISSING}
        self.post_init = getattr(cls, "__post_init__", None)


def _init_spec(cls: type) -> _InitSpec:
    spec = cls.__dict__.get("_init_spec")
    if spec is None:
        spec = _InitSpec(cls)
        type.__setattr__(cls, "_init_spec", spec)
    return spec


def _generic_init(self: Any, *args: Any, **kwargs: Any) -> None:
    """The ``__init__`` ``dataclasses`` would write for the class (fields by position, kw-only ones by name,
    defaults and default factories, then ``__post_init__``), from its fields instead of compiled source."""
    cls = type(self)
    spec = _init_spec(cls)
    title = f"{cls.__qualname__}.__init__()"
    if args:
        if len(args) > len(spec.positional):
            raise TypeError(f"{title} takes {len(spec.positional) + 1} positional arguments but {len(args) + 1} were given")
        for name, value in zip(spec.positional, args):
            if name in kwargs:
                raise TypeError(f"{title} got multiple values for argument {name!r}")
            kwargs[name] = value
    names = spec.names
    for name in kwargs:
        if name not in names:
            raise TypeError(f"{title} got an unexpected keyword argument {name!r}")
    values = []
    missing = []
    for name in names:
        if name in kwargs:
            values.append(kwargs[name])
        elif name in spec.defaults:
            values.append(spec.defaults[name])
        elif name in spec.factories:
            values.append(spec.factories[name]())
        else:
            missing.append(name)
    if missing:
        raise TypeError(f"{title} missing {len(missing)} required argument{'s' if len(missing) > 1 else ''}: "
                        + ", ".join(repr(name) for name in missing))
    set_ = object.__setattr__
    for name, value in zip(names, values):
        set_(self, name, value)
    if spec.post_init is not None:
        spec.post_init(self)


def _frozen_setattr(self: Any, name: str, value: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def frozen_data(*, kw_only: bool = False, slots: bool = False) -> Callable[[type[_T]], type[_T]]:
    """``@dataclass(frozen=True, eq=False, repr=False, kw_only=..., slots=...)`` for a :class:`FrozenData`, without
    a single method compiled: ``__init__`` (:func:`_generic_init`), ``__setattr__`` and ``__delattr__`` (raising
    ``dataclasses.FrozenInstanceError``) are generic, read from the fields, as equality, hash and repr are
    (``dataclasses`` wrote and compiled the first three per class: ~2.4 M instructions a class when the window
    starts).  Everything else is the dataclass's: fields, defaults, ``__post_init__``, ``dataclasses.fields`` and
    ``replace``, pickling, pydantic's validation (which never calls ``__init__``)."""

    def wrap(cls: type[_T]) -> type[_T]:
        if not issubclass(cls, FrozenData):
            raise TypeError(f"{cls.__qualname__}: @frozen_data is for a FrozenData")
        made = dataclasses.dataclass(cls, init=False, eq=False, repr=False, kw_only=kw_only, slots=slots)
        for name, method in (("__init__", _generic_init), ("__setattr__", _frozen_setattr),
                             ("__delattr__", _frozen_delattr)):
            setattr(made, name, method)
        return made

    return wrap


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def data(*, kw_only: bool = False) -> Callable[[type[_T]], type[_T]]:
    """``@dataclass(eq=False, repr=False, kw_only=...)`` for a :class:`Data`, its ``__init__`` generic
    (:func:`_generic_init`) instead of compiled."""

    def wrap(cls: type[_T]) -> type[_T]:
        if not issubclass(cls, Data):
            raise TypeError(f"{cls.__qualname__}: @data is for a Data")
        made = dataclasses.dataclass(cls, init=False, eq=False, repr=False, kw_only=kw_only)
        setattr(made, "__init__", _generic_init)
        return made

    return wrap


class FrozenData(_DataclassValues):
    """The base of a frozen dataclass that takes its ``__eq__``, ``__hash__`` and ``__repr__`` from
    :class:`ValueMethods` instead of having them generated: decorate it
    ``@dataclass(frozen=True, eq=False, repr=False, ...)``.  Everything else (``__init__``, defaults,
    ``__post_init__``, ``dataclasses.fields``/``replace``, pickling, pydantic) stays the dataclass's;
    half of the methods ``dataclasses`` would compile at import are not written."""

    __slots__ = ()


class Data(_DataclassValues):
    """The same for a dataclass that is not frozen: decorate it ``@dataclass(eq=False, repr=False, ...)``;
    its ``__eq__`` and ``__repr__`` are :class:`ValueMethods`' and, as a dataclass with equality is, it is
    unhashable (``__hash__`` None).  ``dataclasses`` then compiles its ``__init__`` alone."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]


class Record(ValueMethods, metaclass=_RecordType):
    """The base of an immutable value class whose fields are its annotations (see the module's text)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = self._fields
        if not kwargs and len(args) == len(names):
            for name, value in zip(names, args):
                object.__setattr__(self, name, value)
            return
        title = f"{type(self).__qualname__}.__init__()"
        if len(args) > len(names):
            raise TypeError(f"{title} takes {len(names) + 1} positional arguments but {len(args) + 1} were given")
        values = dict(zip(names, args))
        for name, value in kwargs.items():
            if name not in names:
                raise TypeError(f"{title} got an unexpected keyword argument {name!r}")
            if name in values:
                raise TypeError(f"{title} got multiple values for argument {name!r}")
            values[name] = value
        missing = [name for name in names if name not in values]
        if missing:
            raise TypeError(f"{title} missing {len(missing)} required argument{'s' if len(missing) > 1 else ''}: "
                            + ", ".join(repr(name) for name in missing))
        for name in names:
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self) -> list[Any]:
        return list(type(self)._values(self))

    def __setstate__(self, state: list[Any]) -> None:
        for name, value in zip(self._fields, state):
            object.__setattr__(self, name, value)


def fields(record: Record | type[Record]) -> tuple[Field, ...]:
    """A record's fields, in order, each with its ``name`` (what code written for ``dataclasses.fields`` reads)."""
    return record._field_list


def replace(record: _R, /, **changes: Any) -> _R:
    """A copy of ``record`` with some fields changed (``dataclasses.replace``)."""
    return type(record)(**{**dict(zip(record._fields, type(record)._values(record))), **changes})
