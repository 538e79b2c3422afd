"""``dataclass`` and ``field`` for the plain records the pre-commit hook's fast path builds (scan results, the
report, references): the subset of :mod:`dataclasses` they use (``__init__`` with defaults and default factories,
``__repr__``, ``__eq__``, ``frozen=True`` with ``__hash__``), without importing :mod:`dataclasses`, which imports
:mod:`inspect` (and with it ``ast``, ``dis`` and ``tokenize``): about a sixth of a warm hook run.

Not supported, and not used by those records: ``dataclasses.fields``/``asdict``/``replace``, ordering, ``kw_only``,
``__post_init__``, inheritance of fields, ``ClassVar``. A test checks the records behave as dataclasses would.
"""
from __future__ import annotations

MISSING = object()


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record (``dataclasses.FrozenInstanceError`` is an AttributeError too)."""


class Field:
    __slots__ = ("default", "default_factory")

    def __init__(self, default=MISSING, default_factory=MISSING):
        self.default, self.default_factory = default, default_factory


def field(*, default=MISSING, default_factory=MISSING) -> Field:
    return Field(default, default_factory)


def dataclass(cls=None, /, *, frozen: bool = False):
    """``@dataclass`` or ``@dataclass(frozen=True)``, as :func:`dataclasses.dataclass` for the subset above."""
    def wrap(target: type) -> type:
        return _process(target, frozen)

    return wrap if cls is None else wrap(cls)


def _process(cls: type, frozen: bool) -> type:
    names: list[str] = []
    scope: dict[str, object] = {"MISSING": MISSING, "_setattr": object.__setattr__}
    params: list[str] = []
    body: list[str] = []
    for name in cls.__dict__.get("__annotations__", {}):
        value = cls.__dict__.get(name, MISSING)
        default, factory = (value.default, value.default_factory) if isinstance(value, Field) else (value, MISSING)
        if isinstance(value, Field):
            if default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, default)
        names.append(name)
        if factory is not MISSING:
            scope[f"_factory_{name}"] = factory
            params.append(f"{name}=MISSING")
            value_code = f"_factory_{name}() if {name} is MISSING else {name}"
        elif default is not MISSING:
            scope[f"_default_{name}"] = default
            params.append(f"{name}=_default_{name}")
            value_code = name
        else:
            params.append(name)
            value_code = name
        body.append(f"_setattr(self, {name!r}, {value_code})" if frozen else f"self.{name} = {value_code}")
    source = f"def __init__(self, {', '.join(params)}):\n    " + ("\n    ".join(body) or "pass") + "\n"
    exec(source, scope)  # noqa: S102 - code generated from the class's own field names, as dataclasses does
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    fields = tuple(names)

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in fields)})"

    def __eq__(self, other: object):
        if other.__class__ is self.__class__:
            return tuple(getattr(self, n) for n in fields) == tuple(getattr(other, n) for n in fields)
        return NotImplemented

    methods = {"__init__": init, "__repr__": __repr__, "__eq__": __eq__}
    if frozen:
        def __setattr__(self, name: str, value: object) -> None:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")

        def __delattr__(self, name: str) -> None:
            raise FrozenInstanceError(f"cannot delete field {name!r}")

        def __hash__(self) -> int:
            return hash(tuple(getattr(self, n) for n in fields))

        methods.update(__setattr__=__setattr__, __delattr__=__delattr__, __hash__=__hash__)
    elif "__eq__" not in cls.__dict__:
        methods["__hash__"] = None  # as dataclasses: equal by value, so not hashable unless frozen
    for name, method in methods.items():
        if name not in cls.__dict__ or name == "__init__":
            if callable(method):
                method.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, method)
    cls.__plain_fields__ = fields
    return cls
