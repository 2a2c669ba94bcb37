"""``readiness.record.Record`` behaves as ``@dataclass(frozen=True, slots=True)`` did: every node class of the
expression language is compared with a dataclass made of the same fields (its twin), on equality, hashing,
repr, immutability, pickling, copying, ``replace`` and the constructor's arguments."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import re

import pytest

from readiness import expr, record
from readiness.record import Record

NODE_CLASSES = sorted((value for value in vars(expr).values()
                       if isinstance(value, type) and issubclass(value, Record) and value.__module__ == expr.__name__),
                      key=lambda cls: cls.__name__)


def _twin(cls: type[Record]) -> type:
    """The same class as the dataclass decorator made it before (fields, base, name, frozen, slots)."""
    bases = {}

    def make(klass: type) -> type:
        if klass is Record:
            return object
        if klass not in bases:
            own = klass.__dict__["__slots__"]
            base = make(klass.__bases__[0])
            made = dataclasses.make_dataclass(klass.__name__, list(own), bases=(base,), frozen=True, slots=True)
            made.__qualname__ = klass.__qualname__
            bases[klass] = made
        return bases[klass]

    return make(cls)


def _values(cls: type[Record], seed: int) -> list[object]:
    """A value per field: nodes, tuples of nodes, texts, numbers and None, varied by ``seed``."""
    leaf = expr.Literal(seed, f"v{seed}")
    samples = [seed, "op" if seed % 2 else "not", (leaf, expr.Current(seed + 1)), leaf, None, True, 2.5 + seed]
    return [samples[(index + seed) % len(samples)] for index in range(len(cls._fields))]


def test_record__the_expression_language_s_node_classes__all_found():
    assert {cls.__name__ for cls in NODE_CLASSES} == {
        "NameRef", "Node", "Literal", "ListLit", "Name", "Current", "Threshold", "Unary", "Logic", "Compare",
        "NullTest", "Step", "Arith", "Call", "Aggregate"}


def _other_records() -> list[type[Record]]:
    """Value classes of the window's start path that were frozen dataclasses (no defaults, no dataclass helper used)."""
    from readiness import bands
    from readiness.gui.operations.workspace import StartOffer
    from readiness.store import queries

    return [queries.AssessmentInfo, queries.CarrySource, bands.Band, StartOffer]


@pytest.mark.parametrize("cls", NODE_CLASSES + _other_records(), ids=lambda cls: cls.__name__)
def test_record__each_node_class__behaves_as_its_frozen_slotted_dataclass_twin(cls):
    twin = _twin(cls)
    assert cls._fields == tuple(field.name for field in dataclasses.fields(twin))
    assert cls.__match_args__ == twin.__match_args__
    assert tuple(field.name for field in record.fields(cls)) == cls._fields
    assert cls.__slots__ == twin.__slots__
    for seed in range(4):
        values = _values(cls, seed)
        made, twin_made = cls(*values), twin(*values)
        assert repr(made) == repr(twin_made)
        assert hash(made) == hash(twin_made)
        assert made == cls(*values) and not made != cls(*values)
        assert made == cls(**dict(zip(cls._fields, values)))
        assert made != twin_made and twin_made != made  # another class: never equal, as between two dataclasses
        assert made.__eq__(twin_made) is NotImplemented
        assert made.__getstate__() == twin_made.__getstate__()
        assert not hasattr(made, "__dict__") and not hasattr(made, "__weakref__")
        for index, name in enumerate(cls._fields):
            assert getattr(made, name) == values[index]
            changed = record.replace(made, **{name: "changed"})
            twin_changed = dataclasses.replace(twin_made, **{name: "changed"})
            assert repr(changed) == repr(twin_changed) and hash(changed) == hash(twin_changed)
            assert (changed == made) == (twin_changed == twin_made) is False
        for copied in (pickle.loads(pickle.dumps(made, protocol)) for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1)):
            assert type(copied) is cls and copied == made and repr(copied) == repr(made)
        assert copy.copy(made) == made and copy.deepcopy(made) == made
        for name in (*cls._fields, "other"):  # "other": the twin raises TypeError (3.11's slotted frozen dataclass)
            for target in (made, twin_made) if name != "other" else (made,):
                with pytest.raises(dataclasses.FrozenInstanceError) as raised:
                    setattr(target, name, 1)
                assert str(raised.value) == f"cannot assign to field {name!r}"
                with pytest.raises(dataclasses.FrozenInstanceError) as deleted:
                    delattr(target, name)
                assert str(deleted.value) == f"cannot delete field {name!r}"
        assert made == cls(*values)  # unchanged by every attempt


def test_record__a_node__matches_positional_and_keyword_class_patterns():
    node = expr.Compare(3, "<", expr.Name(0, "a", None), expr.Literal(4, 1))
    match node:
        case expr.Compare(pos, op, expr.Name(name=name), expr.Literal(value=value)):
            assert (pos, op, name, value) == (3, "<", "a", 1)
        case _:
            pytest.fail("no match")


@pytest.mark.parametrize(("arguments", "keywords", "message"), [
    ((1, "a"), {}, "missing 1 required argument: 'table'"),
    ((), {}, "missing 3 required arguments: 'pos', 'name', 'table'"),
    ((1, "a", None, 4), {}, "takes 4 positional arguments but 5 were given"),
    ((1, "a"), {"size": 3, "table": None}, "unexpected keyword argument 'size'"),
    ((1, "a"), {"name": "b", "table": None}, "multiple values for argument 'name'"),
])
def test_record__wrong_arguments__type_error_as_a_dataclass_s_constructor(arguments, keywords, message):
    with pytest.raises(TypeError, match=message):
        expr.Name(*arguments, **keywords)
    with pytest.raises(TypeError):
        _twin(expr.Name)(*arguments, **keywords)


def test_record__annotations__fields_after_the_bases_classvar_not_a_field():
    from typing import ClassVar

    class Base(Record):
        a: int

    class Child(Base):
        limit: ClassVar[int] = 3
        b: str

    assert Child._fields == ("a", "b") and Child.__slots__ == ("b",) and Child.limit == 3
    assert repr(Child(1, "x")) == "test_record__annotations__fields_after_the_bases_classvar_not_a_field.<locals>.Child(a=1, b='x')"


# -- the checklist model: frozen dataclasses with FrozenData's equality, hash and repr -----------------------
def _model_instances() -> dict[type, list[object]]:
    """Every object of the installed checklists, by class (a walk through their fields)."""
    from readiness.checklist import model
    from readiness.checklist.loader import default_library

    library = default_library()
    found: dict[type, list[object]] = {}
    stack: list[object] = [library.get(*key) for key in library.available()]
    while stack:
        value = stack.pop()
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            assert type(value).__module__ == model.__name__
            found.setdefault(type(value), []).append(value)
            stack.extend(getattr(value, field.name) for field in dataclasses.fields(value))
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
    return found


def _dataclass_twin(cls: type) -> type:
    """The class as `@dataclass(frozen=True, kw_only=True)` generates it, fields only (constructed by name)."""
    made = dataclasses.make_dataclass(cls.__name__, [(field.name, field.type) for field in dataclasses.fields(cls)],
                                      frozen=True, kw_only=True)
    made.__qualname__ = cls.__qualname__
    return made


def test_frozen_data__every_model_class__eq_hash_repr_as_generated_by_dataclass():
    from readiness.checklist import model

    classes = {value for value in vars(model).values()
               if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == model.__name__}
    assert all(issubclass(cls, record.FrozenData) and "__eq__" not in vars(cls) for cls in classes)
    found = _model_instances()
    assert set(found) >= classes - {model._Question}  # every concrete class met in the real checklists
    for cls, instances in found.items():
        twin = _dataclass_twin(cls)
        assert cls._fields == tuple(field.name for field in dataclasses.fields(cls))
        for instance in instances[:50]:
            values = {name: getattr(instance, name) for name in cls._fields}
            twin_made = twin(**values)
            assert repr(instance) == repr(twin_made)
            assert instance == cls(**values) and not instance != cls(**values)
            assert instance != twin_made and instance.__eq__(twin_made) is NotImplemented
            try:
                expected_hash = hash(twin_made)
            except TypeError:  # a list or dict among the fields: unhashable, as the dataclass was
                with pytest.raises(TypeError):
                    hash(instance)
            else:
                assert hash(instance) == expected_hash
            name = cls._fields[0]
            changed, twin_changed = (dataclasses.replace(made, **{name: "changed"}) for made in (instance, twin_made))
            assert (changed == instance) is False and (twin_changed == twin_made) is False
            assert repr(changed) == repr(twin_changed)
            assert pickle.loads(pickle.dumps(instance)) == instance
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(instance, name, None)


def _frozen_data_classes() -> list[type]:
    from readiness import answers, carry, register, service
    from readiness.checklist.loader import ChecklistProblem
    from readiness.gui.operations.assessment import Changes

    return [ChecklistProblem, Changes, answers.Issue, service.VersionComparison, carry.Attention, register.Commune]


def _data_classes() -> list[type]:
    from readiness import answers, carry, measurement, service

    return [answers.Row, answers.Answers, service.Workspace, service.Reading, carry.Review, measurement.SavedRow,
            measurement.SavedAnswers]


@pytest.mark.parametrize("index", range(6))
def test_frozen_data__the_other_classes__eq_hash_repr_as_generated_by_dataclass(index):
    cls = _frozen_data_classes()[index]
    assert issubclass(cls, record.FrozenData) and "__eq__" not in vars(cls) and "__repr__" not in vars(cls)
    twin = _dataclass_twin(cls)
    names = [field.name for field in dataclasses.fields(cls)]
    for seed in range(3):
        values = {name: (f"{name}-{seed}", seed, None)[(position + seed) % 3] for position, name in enumerate(names)}
        made, twin_made = cls(**values), twin(**values)
        assert repr(made) == repr(twin_made) and hash(made) == hash(twin_made)
        assert made == cls(**values) and made != twin_made
        assert made != dataclasses.replace(made, **{names[0]: "other"})
        assert pickle.loads(pickle.dumps(made)) == made


@pytest.mark.parametrize("index", range(7))
def test_data__mutable_dataclasses__eq_repr_as_generated_unhashable_assignable(index):
    cls = _data_classes()[index]
    assert issubclass(cls, record.Data) and "__eq__" not in vars(cls) and "__repr__" not in vars(cls)
    names = [field.name for field in dataclasses.fields(cls)]
    made_twin = dataclasses.make_dataclass(cls.__name__, [(name, object) for name in names], kw_only=True)
    made_twin.__qualname__ = cls.__qualname__
    for seed in range(3):
        values = {name: (f"{name}-{seed}", [seed], None)[(position + seed) % 3] for position, name in enumerate(names)}
        made, twin_made = cls(**values), made_twin(**values)
        assert repr(made) == repr(twin_made)
        assert made == cls(**values) and not made != cls(**values) and made != twin_made
        assert made.__eq__(twin_made) is NotImplemented
        for value in (made, twin_made):
            with pytest.raises(TypeError):
                hash(value)
        assert made != dataclasses.replace(made, **{names[0]: "other"})
        assert pickle.loads(pickle.dumps(made)) == made and copy.deepcopy(made) == made
        setattr(made, names[0], "changed")  # not frozen: assignable, and equality follows the new value
        setattr(twin_made, names[0], "changed")
        assert made != cls(**values) and repr(made) == repr(twin_made)


# -- @frozen_data / @data: the dataclass's __init__, __setattr__ and __delattr__ without compiling them ------------


def _generic_classes() -> list[type]:
    from readiness import answers, carry, measurement, service
    from readiness.checklist import model
    from readiness.checklist.loader import ChecklistProblem
    from readiness.gui.operations.assessment import Changes

    models = sorted((value for value in vars(model).values() if isinstance(value, type)
                     and dataclasses.is_dataclass(value) and value.__module__ == model.__name__),
                    key=lambda cls: cls.__name__)
    from readiness.checklist.loader import _Located
    from readiness.scoring import ScoreResult

    return [*models, ChecklistProblem, Changes, service.VersionComparison, carry.Attention, answers.Answers,
            service.Workspace, service.Reading, carry.Review, measurement.SavedRow, measurement.SavedAnswers,
            ScoreResult, _Located]


def _generated_twin(cls: type) -> type:
    """``cls`` as ``@dataclass`` writes it: the same fields (defaults, factories, kw_only), ``__post_init__``, frozen
    or not; its ``__init__``, ``__setattr__`` and ``__delattr__`` compiled by ``dataclasses``."""
    specs = []
    for field in dataclasses.fields(cls):
        options = {"kw_only": field.kw_only}
        if field.default is not dataclasses.MISSING:
            options["default"] = field.default
        if field.default_factory is not dataclasses.MISSING:
            options["default_factory"] = field.default_factory
        specs.append((field.name, field.type, dataclasses.field(**options)))
    namespace = {"__post_init__": cls.__post_init__} if hasattr(cls, "__post_init__") else {}
    made = dataclasses.make_dataclass(cls.__name__, specs, namespace=namespace, eq=False, repr=False,
                                      frozen=issubclass(cls, record.FrozenData))
    made.__qualname__ = cls.__qualname__
    return made


def _state(value: object) -> tuple[list[tuple[str, object]], type]:
    return list(vars(value).items()), type(value).__mro__[0].__name__  # the values in the order they were set


@pytest.mark.parametrize("cls", _generic_classes(), ids=lambda cls: cls.__name__)
def test_generic_dataclass_methods__the_constructor_and_immutability_of_the_generated_ones(cls):
    for name in ("__init__", "__setattr__", "__delattr__"):
        assert vars(cls).get(name) in (None, record._generic_init, record._frozen_setattr, record._frozen_delattr)
    assert vars(cls)["__init__"] is record._generic_init  # nothing compiled for it
    frozen = issubclass(cls, record.FrozenData)
    assert (vars(cls).get("__setattr__") is record._frozen_setattr) is frozen
    twin = _generated_twin(cls)
    fields = dataclasses.fields(cls)
    required = [field.name for field in fields
                if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING]
    real = _model_instances().get(cls, [None])[0] if cls.__module__.endswith("checklist.model") else None
    if real is not None:  # values that pass the class's __post_init__ rules
        values = {field.name: getattr(real, field.name) for field in fields}
    else:
        values = {field.name: f"{field.name}-1" for field in fields}
    calls = [({name: values[name] for name in required}, ()), (dict(values), ())]
    positional = [field.name for field in fields if not field.kw_only]
    if positional:
        calls.append(({name: values[name] for name in values if name not in positional[:1]}, (values[positional[0]],)))
    for kwargs, args in calls:
        try:
            expected = twin(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - a __post_init__ rule: the generic init raises the same
            with pytest.raises(type(error), match=re.escape(str(error))):
                cls(*args, **kwargs)
            continue
        made = cls(*args, **kwargs)
        assert list(vars(made).items()) == list(vars(expected).items())
        for field in fields:  # a default factory gives each object its own value
            if field.default_factory is not dataclasses.MISSING and field.name not in {*kwargs, *positional[:len(args)]}:
                assert getattr(made, field.name) is not getattr(cls(*args, **kwargs), field.name)
        name = fields[0].name
        if frozen:
            for target in (made, expected):
                with pytest.raises(dataclasses.FrozenInstanceError, match=f"cannot assign to field '{name}'"):
                    setattr(target, name, None)
                with pytest.raises(dataclasses.FrozenInstanceError, match=f"cannot delete field '{name}'"):
                    delattr(target, name)
        else:
            setattr(made, name, "changed")
            assert getattr(made, name) == "changed"
    for args, kwargs in (((), {"no_such_field": 1}), ((*values.values(), 1), {})):
        with pytest.raises(TypeError):
            twin(*args, **kwargs)
        with pytest.raises(TypeError):
            cls(*args, **kwargs)
    if required:
        with pytest.raises(TypeError, match=f"missing .*'{required[-1]}'"):
            cls(**{name: values[name] for name in required[:-1]})
    if positional:
        with pytest.raises(TypeError, match="multiple values"):
            cls(values[positional[0]], **{positional[0]: values[positional[0]]})


def test_generic_dataclass_methods__a_post_init_rule__runs_on_construction_and_replace():
    from readiness.checklist import model

    label = model.Text(vi="Ngưỡng")
    with pytest.raises(ValueError, match="must cite its 'basis'"):
        model.Threshold(value=1, source=model.ThresholdSource.LEGAL, label=label)
    fine = model.Threshold(value=1, source=model.ThresholdSource.LEGAL, basis="Thông tư", label=label)
    with pytest.raises(ValueError, match="must cite its 'basis'"):
        dataclasses.replace(fine, basis=None)
    with pytest.raises(ValueError, match="a table item needs 'columns'"):
        model.Item(id="bang", type=model.ItemType.TABLE, label=label)


def _scoring_and_template_classes() -> list[type]:
    from readiness import scoring, templates

    return [scoring.ItemResult, scoring.SectionResult, scoring.ScoreResult, templates.Answer, templates.Words]


@pytest.mark.parametrize("cls", _scoring_and_template_classes(), ids=lambda cls: cls.__name__)
def test_frozen_data__scoring_and_template_results__eq_hash_repr_pickle_as_generated_by_dataclass(cls):
    """Once plain ``@dataclass(frozen=True)``: the same equality, hash, repr and pickles from FrozenData's methods."""
    assert issubclass(cls, record.FrozenData) and "__eq__" not in vars(cls) and "__repr__" not in vars(cls)
    fields = dataclasses.fields(cls)
    twin = dataclasses.make_dataclass(cls.__name__, [(field.name, field.type) for field in fields], frozen=True)
    twin.__qualname__ = cls.__qualname__
    for seed in range(3):
        values = {field.name: (f"{field.name}-{seed}", seed, None, (seed, "x"))[(position + seed) % 4]
                  for position, field in enumerate(fields)}
        made, twin_made = cls(**values), twin(**values)
        assert repr(made) == repr(twin_made) and hash(made) == hash(twin_made)
        assert made == cls(**values) and not made != cls(**values) and made.__eq__(twin_made) is NotImplemented
        assert made != dataclasses.replace(made, **{fields[0].name: "other"})
        assert pickle.loads(pickle.dumps(made)) == made and copy.copy(made) == made
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(made, fields[0].name, "changed")
    with_dict = cls(**{field.name: {} for field in fields})
    with pytest.raises(TypeError):  # unhashable, as the generated hash of a dict field is
        hash(with_dict)
