"""Load a checklist file: YAML -> plain data with line numbers -> typed model -> cross-checks.

Every problem becomes a :class:`ChecklistProblem` with a code, the file, the line and the item,
so a department editor who mistypes a threshold is told exactly where.  All problems found are
reported together (:class:`ChecklistInvalid`), not only the first.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ReadinessError
from ..record import Data, FrozenData, data, frozen_data
from .model import Checklist, Column, Contacts, Item, ItemType, Refresh, validate

if TYPE_CHECKING:  # pragma: no cover
    import yaml
    from pydantic import ValidationError

# YAML, pydantic, the expression language and the templates are imported by the functions that read and
# check a file: reading a checklist validated before (readiness.checklist.cache) needs none of them.

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000  # aliases can make a small file expand; refuse past this

# Names the level rules can use besides score_<section id>.
LEVEL_VARIABLES = frozenset({"score", "critical_failed", "unanswered_required", "completion"})


@frozen_data()  # generic methods (readiness.record): none compiled at start
class ChecklistProblem(FrozenData):
    """One thing wrong in a checklist file: its code and message, where (file, line) and which item."""

    code: str
    message: str
    file: str
    line: int | None = None
    item: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
        if self.item:
            where += f" [{self.item}]"
        return f"{where}: {self.code}: {self.message}"


class ChecklistInvalid(ReadinessError):
    """Every problem of a checklist file (``problems``); its code and file are the first problem's."""

    code = "E-CL-SCHEMA"

    def __init__(self, problems: list[ChecklistProblem]):
        self.problems = problems
        first = problems[0] if problems else None
        super().__init__(first.code if first else None, "\n".join(str(p) for p in problems),
                         file=first.file if first else None, item=first.item if first else None)

    def __str__(self) -> str:
        return self.message

    def located_message(self, lang: str = "vi") -> str:
        return self.message  # each problem names its file, line and item


class ChecklistNotFound(ReadinessError, KeyError):
    """No definition of this checklist (or of this version) in the library's folder.

    A ``KeyError`` too, so the callers that ask "is there such a checklist?" keep catching it; uncaught, it
    says which checklist and which folder instead of a program error."""

    code = "E-CL-NOT-FOUND"

    def __init__(self, checklist_id: str, version: int | None, directory: Path):
        name = checklist_id if version is None else f"{checklist_id} phiên bản {version}"
        name_en = checklist_id if version is None else f"{checklist_id} version {version}"
        super().__init__(None, f"Không tìm thấy bảng kiểm «{name}» trong thư mục {directory}.",
                         f"The checklist '{name_en}' is not in the folder {directory}.")
        self.args = (checklist_id if version is None else f"{checklist_id}@{version}",)

    def __str__(self) -> str:
        return self.message


# -- YAML with line numbers ----------------------------------------------------------------


@data()  # generic methods (readiness.record): none compiled at start (it is made only when a file is read)
class _Located(Data):
    """Data read from YAML and the line of each of its values, by path (where a problem is located)."""

    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)


def _read_yaml(text: str, filename: str) -> _Located:
    import yaml

    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when the wheel has it: ~5x faster
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(error, "problem", None) or str(error)
        raise ChecklistInvalid([ChecklistProblem("E-CL-YAML", f"not valid YAML: {problem}", filename, line)]) from None
    if node is None:
        raise ChecklistInvalid([ChecklistProblem("E-CL-EMPTY", "the file is empty", filename, 1)])
    located = _Located(None)
    problems: list[ChecklistProblem] = []
    located.data = _convert(yaml, node, (), located.lines, problems, filename)
    if problems:
        raise ChecklistInvalid(problems)
    return located


def _convert(pyyaml: Any, node: yaml.Node, path: tuple, lines: dict, problems: list, filename: str) -> Any:
    """Plain values of ``node`` (``pyyaml``: the module, imported by the caller), each one's line in ``lines``."""
    lines[path] = node.start_mark.line + 1
    if len(lines) > MAX_NODES:
        raise ChecklistInvalid([ChecklistProblem("E-CL-FILE", f"the file has more than {MAX_NODES} values", filename)])
    if isinstance(node, pyyaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, pyyaml.ScalarNode) else None
            if not isinstance(key, str):
                problems.append(ChecklistProblem("E-CL-KEY", "keys must be plain names", filename, key_node.start_mark.line + 1))
                continue
            if key in result:
                problems.append(
                    ChecklistProblem("E-CL-DUP-KEY", f"the key '{key}' appears twice", filename, key_node.start_mark.line + 1)
                )
                continue
            result[key] = _convert(pyyaml, value_node, (*path, key), lines, problems, filename)
        return result
    if isinstance(node, pyyaml.SequenceNode):
        return [_convert(pyyaml, child, (*path, index), lines, problems, filename) for index, child in enumerate(node.value)]
    value = _scalars().construct_object(node, deep=True)
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value)
    return value


@functools.cache
def _scalars() -> yaml.SafeLoader:
    """A loader used only to turn scalar nodes into Python values."""
    import yaml

    return yaml.SafeLoader("")


# -- loading ---------------------------------------------------------------------------------


def load_checklist(path: str | Path) -> Checklist:
    """Read, validate and cross-check one checklist file; raise :class:`ChecklistInvalid`."""
    path = Path(path)
    filename = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ChecklistInvalid(
                [ChecklistProblem("E-CL-FILE", f"the file is too large ({size} bytes; at most {MAX_FILE_BYTES})", filename)]
            )
        raw = path.read_bytes()
    except OSError as error:
        raise ChecklistInvalid([ChecklistProblem("E-CL-FILE", f"cannot read the file: {error.strerror}", filename)]) from None
    return load_checklist_bytes(raw, filename)


def load_checklist_bytes(raw: bytes, filename: str) -> Checklist:
    """:func:`load_checklist` of a file's bytes already read (:mod:`.cache` hashes them first); the contacts its
    advice names come from :func:`contacts_path_for`."""
    if len(raw) > MAX_FILE_BYTES:
        raise ChecklistInvalid(
            [ChecklistProblem("E-CL-FILE", f"the file is too large ({len(raw)} bytes; at most {MAX_FILE_BYTES})", filename)]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ChecklistInvalid([ChecklistProblem("E-CL-ENCODING", "the file is not UTF-8 text", filename)]) from None
    contacts_path = contacts_path_for(Path(filename))
    contacts = load_contacts(contacts_path) if contacts_path is not None else None
    return load_checklist_text(text, filename, contacts=contacts)


CONTACTS_FILE = "contacts.yaml"
_ID = re.compile(r"[a-z][a-z0-9-]{1,62}")


def contacts_path_for(path: Path, checklist_id: str | None = None) -> Path | None:
    """The ``contacts.yaml`` of a checklist file: beside it; else, for a file read from elsewhere with none
    beside it (a copy under trial), the installed one of its id (the folder's name in a library): that of
    ``READINESS_CHECKLISTS``, else the program's own.  None when there is none."""
    from ..paths import app_root, checklists_dir

    beside = path.parent / CONTACTS_FILE
    if beside.is_file():
        return beside
    checklist_id = checklist_id or path.parent.name
    if not _ID.fullmatch(checklist_id):
        return None
    for folder in dict.fromkeys((checklists_dir(), app_root() / "checklists")):
        installed = folder / checklist_id / CONTACTS_FILE
        if installed.is_file():
            return installed
    return None


_installed: dict[tuple[str, int], Contacts] = {}


def installed_contacts(checklist_id: str) -> Contacts | None:
    """The contacts installed for ``checklist_id`` (:func:`contacts_path_for`), for a checklist read from text."""
    path = contacts_path_for(Path("/nonexistent") / "-" / "checklist.yaml", checklist_id)
    if path is None:
        return None
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    key = (str(path), stamp)
    if key not in _installed:
        _installed.clear()
        _installed[key] = load_contacts(path)
    return _installed[key]


def _read_file(path: Path) -> str:
    filename = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ChecklistInvalid(
                [ChecklistProblem("E-CL-FILE", f"the file is too large ({size} bytes; at most {MAX_FILE_BYTES})", filename)]
            )
        return path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise ChecklistInvalid([ChecklistProblem("E-CL-FILE", f"cannot read the file: {error.strerror}", filename)]) from None
    except UnicodeDecodeError:
        raise ChecklistInvalid([ChecklistProblem("E-CL-ENCODING", "the file is not UTF-8 text", filename)]) from None


def load_contacts(path: str | Path) -> Contacts:
    """Read and check ``contacts.yaml`` (the province's contacts the advice names); raise
    :class:`ChecklistInvalid` with the file and line of each problem."""
    path = Path(path)
    return load_contacts_text(_read_file(path), str(path))


def load_contacts_text(text: str, filename: str = "<contacts>") -> Contacts:
    located = _read_yaml(text, filename)
    if not isinstance(located.data, dict):
        raise ChecklistInvalid([ChecklistProblem("E-CL-SCHEMA", "the top level must be a mapping", filename, 1)])
    from pydantic import ValidationError

    try:
        contacts = validate(Contacts, located.data)
    except ValidationError as error:
        raise ChecklistInvalid(list(_schema_problems(error, located, filename))) from None
    problems = []
    for code, province in contacts.provinces.items():
        for name in province.values:
            if name not in contacts.contacts:
                problems.append(ChecklistProblem(
                    "E-CL-CONTACT", f"'{name}' of {province.name} ({code}) is not a contact declared under 'contacts'",
                    filename, _line_for(located, ("provinces", code, "values", name))))
    for path, value in _static_templates(located.data):
        problems.append(ChecklistProblem("E-CL-CONTACT", f"a contact is plain text, without braces: «{value}»",
                                         filename, _line_for(located, path)))
    if problems:
        raise ChecklistInvalid(problems)
    return dataclasses.replace(contacts, content_hash=content_hash(located.data), source_path=filename)


def load_checklist_text(text: str, filename: str = "<text>", *, contacts: Contacts | None = None) -> Checklist:
    """A checklist from its text; ``contacts``: what its advice may name beside thresholds and computed values
    (:func:`load_checklist` reads them from ``contacts.yaml`` beside the file)."""
    located = _read_yaml(text, filename)
    if not isinstance(located.data, dict):
        raise ChecklistInvalid([ChecklistProblem("E-CL-SCHEMA", "the top level must be a mapping", filename, 1)])
    if "contacts" in located.data:
        raise ChecklistInvalid([ChecklistProblem(
            "E-CL-SCHEMA", f"contacts are not part of a checklist: they live in {CONTACTS_FILE} beside it",
            filename, _line_for(located, ("contacts",)))])
    from pydantic import ValidationError

    try:
        checklist = validate(Checklist, located.data)
    except ValidationError as error:
        raise ChecklistInvalid(list(_schema_problems(error, located, filename))) from None
    if contacts is None and _ID.fullmatch(str(located.data.get("id", ""))):
        contacts = installed_contacts(str(located.data["id"]))
    if contacts is not None:
        checklist = dataclasses.replace(checklist, contacts=contacts)
    problems = list(_cross_check(checklist, located, filename))
    static = dict(_static_templates(located.data))
    problems += _check_static(static, checklist, located, filename)
    if problems:
        raise ChecklistInvalid(problems)
    digest = content_hash(located.data)  # of the file as written: {threshold} in a hint is not filled in
    if static:
        checklist = validate(Checklist, _fill_static(located.data, static, checklist))
    update: dict[str, Any] = {"content_hash": digest, "source_path": filename}
    if contacts is not None:
        update["contacts"] = contacts
    return dataclasses.replace(checklist, **update)


def content_hash(data: Any) -> str:
    """SHA-256 of the definition's canonical JSON (comments and layout do not count)."""
    import hashlib

    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _line_for(located: _Located, loc: tuple) -> int | None:
    loc = tuple(loc)
    while loc:
        if loc in located.lines:
            return located.lines[loc]
        loc = loc[:-1]
    return located.lines.get(())


def _item_for(located: _Located, loc: tuple) -> str | None:
    """The id of the section/item/column a location points into, e.g. ``pcs.ram_gb``."""
    data = located.data
    names: list[str] = []
    node: Any = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(part, int) and isinstance(node.get("id"), str):
            names.append(node["id"])
    return ".".join(names) or None


def _schema_problems(error: ValidationError, located: _Located, filename: str) -> Iterator[ChecklistProblem]:
    for detail in error.errors():
        loc = tuple(p for p in detail["loc"] if not (isinstance(p, str) and p.startswith("function-after")))
        field_path = ".".join(str(p) for p in loc)
        kind = detail["type"]
        if kind == "unexpected_keyword_argument":  # a key the format does not have, as pydantic says it of a dataclass
            kind, detail = "extra_forbidden", {**detail, "msg": "Extra inputs are not permitted"}
        code = {
            "missing": "E-CL-MISSING",
            "extra_forbidden": "E-CL-UNKNOWN-KEY",
            "string_pattern_mismatch": "E-CL-ID",
            "enum": "E-CL-ENUM",
            "literal_error": "E-CL-ENUM",
        }.get(kind, "E-CL-SCHEMA")
        message = detail["msg"]
        if kind == "string_pattern_mismatch":
            message = "ids are lower-case letters, digits and '_' and start with a letter"
        yield ChecklistProblem(code, f"{field_path}: {message}", filename, _line_for(located, loc), _item_for(located, loc))


# -- cross-checks ----------------------------------------------------------------------------


def _cross_check(checklist: Checklist, located: _Located, filename: str) -> Iterator[ChecklistProblem]:
    from .. import expr, templates

    items: dict[str, Item] = {}
    item_paths: dict[str, tuple] = {}
    section_ids: set[str] = set()
    for s_index, section in enumerate(checklist.sections):
        spath = ("sections", s_index)
        if section.id in section_ids:
            yield ChecklistProblem("E-CL-DUP-ID", f"section id '{section.id}' is used twice", filename, _line_for(located, spath), section.id)
        section_ids.add(section.id)
        for i_index, item in enumerate(section.items):
            ipath = (*spath, "items", i_index)
            if item.id in items:
                yield ChecklistProblem("E-CL-DUP-ID", f"item id '{item.id}' is used twice", filename, _line_for(located, ipath), item.id)
            items[item.id] = item
            item_paths[item.id] = ipath
    thresholds = set(checklist.thresholds)

    def check(text: str | None, path: tuple, owner: str, *, row_table: Item | None = None,
              extra_names: Iterable[str] = (), allow_current: bool = False) -> Iterator[ChecklistProblem]:
        if text is None:
            return
        line = _line_for(located, path)
        try:
            parsed = expr.parse(text)
        except expr.ExpressionError as error:
            yield ChecklistProblem("E-CL-EXPR", f"{error.message} in «{text}»", filename, line, owner)
            return
        if parsed.uses_current() and not allow_current:
            yield ChecklistProblem("E-CL-EXPR", f"'.' (the answer itself) has no meaning here: «{text}»", filename, line, owner)
        for name in sorted(parsed.thresholds() - thresholds):
            yield ChecklistProblem("E-CL-THRESHOLD", f"unknown threshold '${name}'", filename, line, owner)
        for table in sorted(parsed.tables()):
            target = items.get(table)
            if target is None or target.type is not ItemType.TABLE:
                yield ChecklistProblem("E-CL-TABLE", f"'{table}' is not a table item", filename, line, owner)
        extra = set(extra_names)
        row_columns = {c.id for c in row_table.columns or ()} if row_table else set()
        for ref in parsed.names():
            if ref.name in extra or ref.name in items:
                continue
            if ref.table is not None:
                table_item = items.get(ref.table)
                if table_item and table_item.type is ItemType.TABLE and ref.name in {c.id for c in table_item.columns or ()}:
                    continue
            elif ref.name in row_columns:
                continue
            yield ChecklistProblem("E-CL-REF", f"unknown name '{ref.name}' in «{text}»", filename, line, owner)

    for s_index, section in enumerate(checklist.sections):
        spath = ("sections", s_index)
        yield from check(section.relevant, (*spath, "relevant"), section.id)
        for item in section.items:
            ipath = item_paths[item.id]
            yield from check(item.relevant, (*ipath, "relevant"), item.id)
            if item.constraint:
                yield from check(item.constraint.expr, (*ipath, "constraint", "expr"), item.id, allow_current=True)
            yield from _check_bounds(item, ipath, located, filename)
            yield from _check_refresh(checklist, item, ipath, located, filename)
            for c_index, column in enumerate(item.columns or ()):
                cpath = (*ipath, "columns", c_index)
                if column.id in items:
                    # In a row rule an unanswered cell falls back to the outer scope: a column named
                    # like an item would then read that item's answer.
                    yield ChecklistProblem("E-CL-DUP-ID", f"column id '{column.id}' is also an item id; rename one",
                                           filename, _line_for(located, cpath), f"{item.id}.{column.id}")
                if column.constraint:
                    yield from check(column.constraint.expr, (*cpath, "constraint", "expr"), f"{item.id}.{column.id}",
                                     row_table=item, allow_current=True)
                yield from _check_bounds(column, cpath, located, filename, owner=f"{item.id}.{column.id}")
            if item.score:
                lets: list[str] = []
                for name, text in item.score.let.items():
                    yield from check(text, (*ipath, "score", "let", name), item.id, extra_names=lets, allow_current=True)
                    if name in items:
                        yield ChecklistProblem("E-CL-REF", f"the computed name '{name}' hides the item of that id", filename,
                                               _line_for(located, (*ipath, "score", "let", name)), item.id)
                    lets.append(name)
                yield from check(item.score.na, (*ipath, "score", "na"), item.id, extra_names=lets, allow_current=True)
                yield from check(item.score.pass_, (*ipath, "score", "pass"), item.id, extra_names=lets, allow_current=True)
                known = {*lets, *thresholds, *checklist.contacts.contacts, "value"}
                for key, template in (("requirement", item.score.requirement), ("advice", item.score.advice)):
                    for lang, lang_text in (("vi", template.vi), ("en", template.en)):
                        if not lang_text:
                            continue
                        tpath = (*ipath, "score", key, lang)
                        try:
                            parsed_template = templates.parse(lang_text)
                        except templates.TemplateError as error:
                            yield ChecklistProblem("E-CL-TEMPLATE", f"{key} ({lang}): {error}", filename,
                                                   _line_for(located, tpath), item.id)
                            continue
                        for placeholder in sorted(parsed_template.fields() - known):
                            yield ChecklistProblem("E-CL-TEMPLATE", f"'{{{placeholder}}}' in {key} is not a computed value, threshold or contact",
                                                   filename, _line_for(located, tpath), item.id)
                        for condition in parsed_template.conditions():
                            yield from check(condition.source, tpath, item.id, extra_names=lets, allow_current=True)
    level_names = LEVEL_VARIABLES | {f"score_{sid}" for sid in section_ids}
    for l_index, level in enumerate(checklist.levels):
        yield from check(level.rule, ("levels", l_index, "rule"), f"level {level.id}", extra_names=level_names)
    if checklist.petition_item:
        target = items.get(checklist.petition_item)
        if target is None or target.type is not ItemType.TABLE:
            yield ChecklistProblem("E-CL-TABLE", f"petition_item '{checklist.petition_item}' is not a table item", filename,
                                   _line_for(located, ("petition_item",)))


def _check_refresh(checklist: Checklist, item: Item, path: tuple, located: _Located, filename: str
                   ) -> Iterator[ChecklistProblem]:
    """Carry-forward rules that cannot work: a carried petition would be sent to the department again
    as a new petition; a column of a table that is never carried cannot be carried."""
    if item.id == checklist.petition_item and item.refresh not in (None, Refresh.RENEW):
        yield ChecklistProblem("E-CL-REFRESH", f"the petition table ('petition_item') must be 'renew', not "
                               f"'{item.refresh.value}': a carried row would reach the department again as a new "
                               "petition", filename, _line_for(located, (*path, "refresh")), item.id)
    if checklist.refresh(item.id) is Refresh.RENEW:
        for c_index, column in enumerate(item.columns or ()):
            if column.refresh not in (None, Refresh.RENEW):
                yield ChecklistProblem("E-CL-REFRESH", f"column '{column.id}' is '{column.refresh.value}' but its "
                                       "table is 'renew' (never carried): leave the column's 'refresh' out",
                                       filename, _line_for(located, (*path, "columns", c_index, "refresh")),
                                       f"{item.id}.{column.id}")


def _check_bounds(item: Item | Column, path: tuple, located: _Located, filename: str, owner: str | None = None) -> Iterator[ChecklistProblem]:
    owner = owner or item.id
    if (item.min is not None or item.max is not None) and item.type not in (ItemType.INTEGER, ItemType.DECIMAL):
        yield ChecklistProblem("E-CL-BOUNDS", "min/max apply only to numbers", filename, _line_for(located, path), owner)
    if item.min is not None and item.max is not None and item.min > item.max:
        yield ChecklistProblem("E-CL-BOUNDS", f"min {item.min} is larger than max {item.max}", filename, _line_for(located, path), owner)


# -- texts that name a threshold ------------------------------------------------------------------


def _static_templates(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every text a person reads outside ``score`` that holds a ``{`` or ``}``.

    Such a text may name thresholds, ``{min_storage_gb}``, so a hint or a section description says
    the figure the rule uses instead of repeating it by hand (and drifting from it).
    """
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "score":  # requirement and advice: full templates, checked with the item's rule
                continue
            if key in ("vi", "en") and isinstance(value, str):
                if "{" in value or "}" in value:
                    yield (*path, key), value
                continue
            yield from _static_templates(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _static_templates(value, (*path, index))


def _check_static(static: dict[tuple, str], checklist: Checklist, located: _Located, filename: str
                  ) -> list[ChecklistProblem]:
    from .. import templates

    problems = []
    for path, text in static.items():
        line, owner = _line_for(located, path), _item_for(located, path)
        try:
            parsed = templates.parse(text)
        except templates.TemplateError as error:
            problems.append(ChecklistProblem("E-CL-TEMPLATE", f"{error} in «{text}»", filename, line, owner))
            continue
        if parsed.has_blocks():
            problems.append(ChecklistProblem("E-CL-TEMPLATE", "only requirement and advice may hold {if}/{list} blocks; "
                                             "other texts may name thresholds, {name}", filename, line, owner))
        for name in sorted(parsed.fields() - set(checklist.thresholds)):
            problems.append(ChecklistProblem("E-CL-TEMPLATE", f"'{{{name}}}' is not a threshold (a text outside "
                                             "requirement and advice can name only thresholds)", filename, line, owner))
    return problems


def _fill_static(data: Any, static: dict[tuple, str], checklist: Checklist) -> Any:
    """A copy of the data with every threshold named in a text printed in that text's language."""
    from .. import templates

    values = checklist.threshold_values()

    def fill(node: Any, path: tuple) -> Any:
        if path in static:
            return templates.render(static[path], values, path[-1])
        if isinstance(node, dict):
            return {key: fill(value, (*path, key)) for key, value in node.items()}
        if isinstance(node, list):
            return [fill(value, (*path, index)) for index, value in enumerate(node)]
        return node

    return fill(data, ())


# -- the library of installed definitions -------------------------------------------------------


class ChecklistLibrary:
    """Every checklist definition under a folder (``<id>/v<version>.yaml``), loaded on demand."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._cache: dict[tuple[str, int], Checklist] = {}

    def files(self) -> list[Path]:
        return sorted(self.directory.glob("*/v*.yaml"))

    def available(self) -> list[tuple[str, int]]:
        found = []
        for path in self.files():
            try:
                found.append((path.parent.name, int(path.stem[1:])))
            except ValueError:
                continue
        return sorted(found)

    def get(self, checklist_id: str, version: int | None = None) -> Checklist:
        if version is None:
            versions = [v for cid, v in self.available() if cid == checklist_id]
            if not versions:
                raise ChecklistNotFound(checklist_id, None, self.directory)
            version = max(versions)
        key = (checklist_id, version)
        if key not in self._cache:
            path = self.directory / checklist_id / f"v{version}.yaml"
            if not path.exists():
                raise ChecklistNotFound(checklist_id, version, self.directory)
            try:
                raw = path.read_bytes()
            except OSError:
                checklist = load_checklist(path)  # says why it cannot be read
            else:
                from .cache import load_cached

                # The same checklist; validated once per file, version and program (see .cache).
                contacts = contacts_path_for(path)  # its bytes are part of the cache's key: an edit is read
                checklist = load_cached(raw, path, load_checklist_bytes,
                                        extra=contacts.read_bytes() if contacts is not None else b"")
            if (checklist.id, checklist.version) != key:
                raise ChecklistInvalid([ChecklistProblem(
                    "E-CL-NAME", f"the file says {checklist.id}@{checklist.version}; it must be saved as "
                    f"{checklist.id}/v{checklist.version}.yaml", str(path))])
            self._cache[key] = checklist
        return self._cache[key]

    def latest(self, checklist_id: str = "one-stop-shop-it-readiness") -> Checklist:
        return self.get(checklist_id)


def default_library() -> ChecklistLibrary:
    from ..paths import checklists_dir

    return ChecklistLibrary(checklists_dir())
