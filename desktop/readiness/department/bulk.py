"""Scoring many assessments at once, fast enough for the 3,321 communes of the country.

The department's screens and reports need, per commune, the section scores, the status of every
criterion and the gaps with their advice: that is :func:`readiness.scoring.score` (the same rules
the commune saw), about 15–20 ms per assessment with its ~40 PCs.  This module

- loads the stored answers of many assessments in a few queries (``IN`` over chunks of ids)
  instead of one session per assessment, and turns the stored JSON into typed values directly
  (stored values were checked when saved; anything unexpected goes through the full coercion);
- scores them in a process pool when there are many and the machine has several cores;
- keeps a compact :class:`CommuneScore` per assessment (not the whole ``ScoreResult``) and, for
  finalized assessments, which never change (a correction is a new revision with a new id),
  remembers it in this process and in the score cache in the database (:class:`ScoreCache`, derived
  data, table ``score_cache``): one cache shared by every computer that opens the database, whatever
  URL it uses, so the dashboard's repeated calls and every report after the first, on any computer
  of the team, score nothing again.  An import fills it with the scores it computed
  (:func:`remember_scores`); :func:`warm_cache` scores a whole period into it; ``readiness cache
  clear`` empties it (nothing is lost).  The entries older versions of the program kept (never read
  again: the version is in every key) are removed when this process first writes to the cache
  (:func:`older_scorer` says which).

Province: the advice names the contacts of the commune's province (``contacts.yaml`` beside the
checklist), so a result is scored with its commune's province and cached under it.

Reference date: scoring depends on "today" (certificate expiry, Windows 10 end of support, age of
the last video test).  A finalized assessment is scored as of the day it was finalized, which
reproduces the score stored then; a draft as of today.  ``today=`` pins both (tests, reports
"as of" a date).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from sys import intern
from typing import TYPE_CHECKING, Any

from ..answers import Answers
from ..errors import ReadinessError
from ..checklist.model import Checklist, ItemType
from ..scoring import prepare_expressions, score
from ..store.db import AssessmentInfo, Store, from_stored
from ..store.department import RawAnswers
from ..store.queries import stored_answers
from ..store.score_cache import decode_value, encode_value
from .scored import CommuneScore, Gap  # noqa: F401 - re-exported

if TYPE_CHECKING:
    from ..service import Workspace

log = logging.getLogger(__name__)

PARALLEL_MIN = 150  # below this many assessments a process pool costs more than it saves
_MEMO_MAX = 20000
# How the scoring pool's workers start (readiness.workers.process_pool): spawned, they end with the pool, and the
# process tree after scoring holds no forkserver (30-44 MB) beside the report's document worker (3,321 communes,
# cold: the tree before the workbook 219 -> 117 MB with the scores sent back as the cache's bytes, so the documents
# are written by their worker meanwhile; the forkserver left beside them made it 147-183 MB, over the 160 MB
# room_for_worker asks).  The workers then import what scoring needs themselves (~0.5 s of CPU each, in parallel).
SCORING_START = "spawn"
STOP_POLL_SECONDS = 0.1  # how often the scoring pool's wait asks ``cancelled()`` (a stop is seen within this)


class ScoringStopped(ReadinessError):
    """``cancelled()`` said stop while :func:`score_many` scored: the pool's workers ended at once, nothing kept
    in the score cache (the window's «Dừng» during a report's consolidation)."""

    code = "E-SCORING-STOPPED"


def reference_date(info: AssessmentInfo, today: dt.date | None = None) -> dt.date:
    """The day an assessment is scored as of (see the module docstring)."""
    if today is not None:
        return today
    if info.status != "draft" and info.finalized_at is not None:
        return info.finalized_at.astimezone().date()
    return dt.date.today()


# -- loading ------------------------------------------------------------------------------------


def load_raw(store: Store, assessment_ids: Iterable[str], *, items: set[str] | None = None) -> dict[str, RawAnswers]:
    """The stored answers of many assessments in a few queries (:meth:`Store.raw_answers`); ``items``
    limits which items."""
    return store.raw_answers(assessment_ids, items=items)


# Stored JSON already of its item's type, kept as it is (exact types: a JSON true is no integer).
_AS_STORED: dict[ItemType, frozenset[type]] = {
    ItemType.TEXT: frozenset({str, type(None)}), ItemType.SINGLE_CHOICE: frozenset({str, type(None)}),
    ItemType.INTEGER: frozenset({int, type(None)}), ItemType.DECIMAL: frozenset({int, float, type(None)}),
    ItemType.YES_NO: frozenset({bool, type(None)}),
}
_NONE_ONLY: frozenset[type] = frozenset({type(None)})
_KEPT = {kind: _AS_STORED.get(kind, _NONE_ONLY) for kind in ItemType}  # every type: what _typed keeps


def _typed(spec: Any, value: Any) -> Any:
    """Stored JSON -> the typed value: only dates need converting; anything odd gets full coercion."""
    kind = spec.type
    if type(value) in _AS_STORED.get(kind, _NONE_ONLY):
        return value
    if kind is ItemType.DATE:
        if isinstance(value, str) and len(value) == 10:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
    elif kind is ItemType.MULTI_CHOICE:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
    return from_stored(spec, value)  # the store's own tolerant conversion


def typed_value(spec: Any, value: Any) -> Any:
    """One stored value of an item or a table column (``spec``) as :func:`typed_answers` types it (the same
    rule: a value already of its type kept, the others converted)."""
    return _typed(spec, value)


def typed_answers(checklist: Checklist, raw: RawAnswers) -> Answers:
    """What :meth:`Store.load_answers` returns, built from :func:`load_raw` data (no sources: the bulk read
    does not fetch them), by the store's own loop (:func:`readiness.store.queries.stored_answers`) with the
    stored-type fast path: a value already of its item's or column's type is kept without a call."""
    return stored_answers(checklist, raw.values.items(), raw.rows.items(), typed=_typed, kept=_KEPT)


# -- scoring ------------------------------------------------------------------------------------

_memo: OrderedDict[str, CommuneScore] = OrderedDict()


def _cache_key(info: AssessmentInfo, checklist: Checklist, as_of: dt.date, province: str | None) -> str:
    """What a finalized assessment's result depends on: this program's scoring (the cache format and
    the version), the assessment's id, revision and timestamps (a changed row gets a new key), the
    exact checklist (id, version and the hash of its content), the contacts its province's advice names
    (an edited ``contacts.yaml`` is not served from before the edit) and the reference date.  Never
    where the database is: every computer of the team finds the same entry.  Times in UTC, whatever
    time zone a server hands them back in."""
    from .. import __version__

    def utc(moment: dt.datetime | None) -> str:
        return moment.astimezone(dt.UTC).isoformat() if moment is not None else ""

    stamp = f"r{info.revision}/{utc(info.updated_at)}/{utc(info.finalized_at)}"
    contacts = f"{province or '-'}:{checklist.contacts.digest(province)}"
    return (f"{CACHE_FORMAT}|{__version__}|{info.id}|{stamp}|{checklist.key}#{checklist.content_hash}|{contacts}|"
            f"{as_of.isoformat()}")


def provinces_of(store: Store) -> dict[str, str]:
    """Commune code -> province code, from the workspace's register."""
    return {commune.code: commune.province_code for commune in store.all_communes()}


def clear_memo() -> None:
    _memo.clear()


def score_one(checklist: Checklist, info: AssessmentInfo, answers: Answers, as_of: dt.date,
              province: str | None = None) -> CommuneScore:
    return _commune_score(info.id, checklist, answers, as_of, province)


def _commune_score(assessment_id: str, checklist: Checklist, answers: Answers, as_of: dt.date,
                   province: str | None) -> CommuneScore:
    # Stored answers were checked against their constraints when saved or imported, and a
    # CommuneScore keeps nothing of constraint problems: they are not evaluated again here; nor of the
    # texts but the Vietnamese advice of criteria not met or not answered (texts="advice", as the import).
    result = score(checklist, answers, today=as_of, constraints=False, province=province, texts="advice")
    return CommuneScore.of(assessment_id, result, as_of)


def score_many(store: Store, checklists: Mapping[str, Checklist], infos: Sequence[AssessmentInfo], *,
               today: dt.date | None = None, workers: int | None = None,
               raw: Mapping[str, RawAnswers] | None = None, cache: bool | None = None,
               cancelled: Callable[[], bool] | None = None) -> dict[str, CommuneScore]:
    """Score every assessment in ``infos`` (``checklists``: checklist key -> definition, for each
    ``checklist_id@version`` they use).  Returns assessment id -> :class:`CommuneScore`.

    ``workers``: processes to use (default: ``READINESS_WORKERS`` or the CPU count; 1 = in this
    process).  ``raw``: answers already loaded with :func:`load_raw` (loaded here otherwise).
    ``cache``: keep finalized results in the score cache in the database (default: on, unless
    ``READINESS_SCORE_CACHE=0``); finalized assessments never change, so a report made after
    another one (or after the import warmed the cache), on any computer, scores nothing again.
    ``cancelled``: asked between communes (between batches, and every :data:`STOP_POLL_SECONDS` while a pool
    scores); when it says stop, :class:`ScoringStopped` is raised, the pool's workers are ended at once and
    nothing is kept (neither in the score cache nor in this process's memo).

    The same as ``start_scoring(...).results(cancelled)`` (:func:`start_scoring`: the caller does other work
    while the pool's workers start and score).
    """
    return start_scoring(store, checklists, infos, today=today, workers=workers, raw=raw, cache=cache).results(cancelled)


def start_scoring(store: Store, checklists: Mapping[str, Checklist], infos: Sequence[AssessmentInfo], *,
                  today: dt.date | None = None, workers: int | None = None,
                  raw: Mapping[str, RawAnswers] | None = None, cache: bool | None = None) -> Scoring:
    """:func:`score_many` begun: what the memo and the score cache hold is taken, and when a pool is to score
    the rest, its workers are started and given their batches; :meth:`Scoring.results` waits for them (and
    scores in this process what no pool scores).  Meanwhile this process is free: the department's status reads
    the signatures, the held revisions and the cycle while the workers start (a spawned worker's imports, the
    checklist and the database: ~0.9 s) instead of before.  :meth:`Scoring.close` (or the ``with`` block's
    end) ends a pool whose results were not asked for."""
    scoring = Scoring(store, today=today, cache=cache, raw=raw)
    scoring.begin(checklists, infos, workers)
    return scoring


class Scoring:
    """:func:`start_scoring`'s work in progress."""

    def __init__(self, store: Store, *, today: dt.date | None, cache: bool | None,
                 raw: Mapping[str, RawAnswers] | None) -> None:
        self.store = store
        self.today = today
        self.cache = cache
        self.raw = raw
        self.done: dict[str, CommuneScore] = {}  # from the memo and the cache
        self.keys: dict[str, str] = {}
        self.todo: list[tuple[AssessmentInfo, Checklist, dt.date]] = []
        self.provinces: dict[str, str] = {}
        self.shared_cache: ScoreCache | None = None
        self.pool: Any = None  # the workers' pool and their batches, while they score
        self.futures: list[Any] = []

    def begin(self, checklists: Mapping[str, Checklist], infos: Sequence[AssessmentInfo], workers: int | None) -> None:
        store, keys, todo = self.store, self.keys, self.todo
        provinces = self.provinces = provinces_of(store) if infos else {}
        for info in infos:
            checklist = checklists[f"{info.checklist_id}@{info.checklist_version}"]
            as_of = reference_date(info, self.today)
            if info.status != "draft":
                key = keys[info.id] = _cache_key(info, checklist, as_of, provinces.get(info.commune_code))
                memo = _memo.get(key)
                if memo is not None:
                    self.done[info.id] = memo
                    continue
            todo.append((info, checklist, as_of))
        if _cache_on(self.cache) and any(i.id in keys for i, _, _ in todo):
            self.shared_cache = ScoreCache.for_store(store)
            found = self.shared_cache.get_many([keys[i.id] for i, _, _ in todo if i.id in keys])
            if found:
                remaining = []
                for entry in todo:
                    hit = found.get(keys.get(entry[0].id, ""))
                    if hit is not None:
                        self.done[entry[0].id] = hit
                        _remember(keys[entry[0].id], hit)
                    else:
                        remaining.append(entry)
                self.todo = todo = remaining
        if not todo:
            return
        count = _worker_count(workers, len(todo))
        if count <= 1:
            return
        # With a pool, each worker loads the answers of its own batches when it can open the database
        # itself: loading is then parallel too, and nothing large is sent between processes.
        shared = _shareable_url(store) if self.raw is None else None
        if self.raw is None and shared is None:
            self.raw = load_raw(store, [info.id for info, _, _ in todo])
        try:
            self.pool, self.futures = _score_parallel(todo, self.raw, count, shared, provinces)
        except Exception as error:  # noqa: BLE001 - a pool that cannot start must not stop a report
            log.warning("parallel scoring failed (%s); scoring in this process", error)
            self.close()

    def results(self, cancelled: Callable[[], bool] | None = None) -> dict[str, CommuneScore]:
        """Assessment id -> score, every one of :func:`start_scoring`'s ``infos`` (see :func:`score_many`)."""
        results = dict(self.done)
        todo = self.todo
        if not todo:
            return results
        scored: dict[str, CommuneScore] = {}
        encoded: dict[str, bytes] = {}  # assessment id -> the cache's bytes of its score, as the workers sent it
        if self.pool is not None:
            try:
                scored = _parallel_results(self.futures, cancelled, encoded)
            except ScoringStopped:
                raise
            except Exception as error:  # noqa: BLE001 - a pool that breaks must not stop a report
                log.warning("parallel scoring failed (%s); scoring in this process", error)
                scored, encoded = {}, {}
            finally:
                self.close()
        if not scored:
            raw = self.raw
            if raw is None:  # no pool, or the workers were to load them and the pool failed
                raw = load_raw(self.store, [info.id for info, _, _ in todo])
            for info, checklist, as_of in todo:
                if cancelled is not None and cancelled():
                    raise ScoringStopped()
                scored[info.id] = score_one(checklist, info, typed_answers(checklist, raw.get(info.id, RawAnswers())),
                                            as_of, self.provinces.get(info.commune_code))
        new: dict[str, CommuneScore] = {}
        keys = self.keys
        for info, _checklist, _as_of in todo:
            result = scored[info.id]
            results[info.id] = result
            if info.id in keys:
                _remember(keys[info.id], result)
                new[keys[info.id]] = result
        if self.shared_cache is not None and new:
            self.shared_cache.put_many(new, {key: encoded[result.assessment_id] for key, result in new.items()
                                             if result.assessment_id in encoded})
        return results

    def close(self) -> None:
        """Let the pool go: shut down when its batches are all in, else its workers terminated now (nothing is kept
        of what they did)."""
        pool, futures = self.pool, self.futures
        self.pool, self.futures = None, []
        if pool is None:
            return
        if all(future.done() for future in futures):
            pool.shutdown(wait=True)
        else:
            pool.terminate()

    def __enter__(self) -> Scoring:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _remember(key: str, result: CommuneScore) -> None:
    _memo[key] = result
    while len(_memo) > _MEMO_MAX:
        _memo.popitem(last=False)


def _cache_on(cache: bool | None) -> bool:
    if cache is not None:
        return cache
    return os.environ.get("READINESS_SCORE_CACHE", "1").strip() not in ("0", "false", "no", "off")


# -- the score cache in the database ---------------------------------------------------------------------

CACHE_FORMAT = 4  # 2: advice rendered by readiness.templates (conditions, lists; no "—" for a missing answer);
# 3: the rules' findings (rows counted by count() lets, the numbers other lets computed);
# 4: the advice names the contacts of the commune's province (the key holds the province and its contacts)


def scorer() -> str:
    """What this program's entries are kept as written by: ``<cache format>/<program version>``."""
    from .. import __version__

    return f"{CACHE_FORMAT}/{__version__}"


_RELEASE = re.compile(r"(\d+(?:\.\d+)*)")


def older_scorer(writer: str, current: str | None = None) -> bool:
    """Whether the entries ``writer`` kept were written by an older program than ``current`` (this one), so
    that no program of the team will read them again: they are removed (:meth:`ScoreCache.put_many`).

    Older: a lower release (``4/0.1.3`` before ``4/0.2.0``: numbers compared one by one) with a cache format
    no newer than ours, or this very version with an older format.  Everything else stays: this version's,
    a newer version's (a computer of the team upgraded first still reads them), and any we cannot put in
    order (a pre-release or local build of our own release, a writer we cannot read): ``readiness cache
    clear`` removes those."""
    current = current or scorer()
    mine, theirs = _scorer_parts(current), _scorer_parts(writer)
    if mine is None or theirs is None or writer == current:
        return False
    (my_format, my_version, my_release), (their_format, their_version, their_release) = mine, theirs
    if their_format > my_format:
        return False
    if their_version == my_version:
        return their_format < my_format
    return their_release < my_release


def _scorer_parts(writer: str) -> tuple[int, str, tuple[int, ...]] | None:
    """``"4/0.2.0"`` -> ``(4, "0.2.0", (0, 2))`` (release numbers without trailing zeros); None if unreadable."""
    cache_format, _, version = writer.partition("/")
    found = _RELEASE.match(version)
    if not cache_format.isdigit() or found is None:
        return None
    release = [int(part) for part in found.group(1).split(".")]
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    return int(cache_format), version, tuple(release)


_pruned: weakref.WeakSet[Store] = weakref.WeakSet()  # stores this process has removed older entries from


class ScoreCache:
    """Derived data only: results of finalized assessments, as JSON, in the database's own table
    ``score_cache`` (:mod:`readiness.store.score_cache`), one cache for every computer of the team.
    Deleting it loses nothing; any error reading or writing it is logged and ignored (the scores are
    then computed)."""

    def __init__(self, store: Store):
        self.store = store

    @classmethod
    def for_store(cls, store: Store) -> ScoreCache:
        return cls(store)

    def get_many(self, keys: Sequence[str]) -> dict[str, CommuneScore]:
        try:
            return self.store.cached_scores(keys, convert=_from_json)
        except Exception as error:  # noqa: BLE001 - derived data: computing again is always possible
            log.warning("score cache unreadable (%s): computing again", error)
            return {}

    def put_many(self, items: Mapping[str, CommuneScore], encoded: Mapping[str, bytes] | None = None) -> int:
        """Keep the entries (one transaction; an entry another computer kept first stays); returns how many
        were new, 0 when they could not be kept (logged).  ``encoded``: key -> the entry's bytes already made
        (:func:`encoded_score`, by the scoring workers), the others are encoded here.  The first time this
        process writes to a database, the same transaction first removes the entries of older versions
        (:func:`older_scorer`): one more query, once, and none after an upgrade's first report or import."""
        first = self.store not in _pruned
        current = scorer()
        made = encoded or {}
        try:
            kept = self.store.keep_scores(
                ((key, value.assessment_id, made.get(key) or encoded_score(value)) for key, value in items.items()),
                scorer=current, stale=(lambda writer: older_scorer(writer, current)) if first else None, encoded=True)
        except Exception as error:  # noqa: BLE001 - derived data: a later report computes it again
            log.warning("score cache not written (%s)", error)
            return 0
        if first and items:
            _pruned.add(self.store)
        return kept


def _to_json(result: CommuneScore) -> dict[str, Any]:
    return {
        "a": result.assessment_id, "k": result.checklist_key, "d": result.as_of.isoformat(), "s": result.score,
        "l": result.level_id, "c": result.critical_failed, "u": result.unanswered_required, "p": result.completion,
        "sec": result.sections, "st": result.statuses,
        "g": [[g.item_id, g.section_id, g.status, g.critical, g.weight, g.advice] for g in result.problems],
        "r": {key: list(hits) for key, hits in result.rows.items()}, "v": result.values,
    }


def encoded_score(result: CommuneScore) -> bytes:
    """A score as the cache keeps it (compressed JSON): what a scoring worker sends back, and what is stored."""
    return encode_value(_to_json(result))


def decoded_score(data: bytes) -> CommuneScore:
    """A score from :func:`encoded_score`'s bytes, its texts shared (:func:`_from_json`)."""
    return _from_json(decode_value(data))


def _from_json(data: dict[str, Any]) -> CommuneScore:
    """A score from its cached JSON.  Its words (criterion and section ids, states, advice, the rules' names) are
    the same few thousand texts in every commune: each is taken as the one shared copy (``sys.intern``), not as
    the copy JSON decoding makes per commune (3,321 communes: 108 -> 39 MB of Python objects)."""
    return CommuneScore(
        assessment_id=data["a"], checklist_key=intern(data["k"]), as_of=dt.date.fromisoformat(data["d"]),
        score=data["s"], level_id=intern(data["l"]), critical_failed=data["c"], unanswered_required=data["u"],
        completion=data["p"], sections={intern(key): value for key, value in data["sec"].items()},
        statuses={intern(key): intern(value) for key, value in data["st"].items()},
        problems=tuple(map(_gap, data["g"])),
        rows={intern(key): tuple(hits) for key, hits in data["r"].items()},
        values={intern(key): value for key, value in data["v"].items()},  # JSON ints as written
    )


def _gap(g: list[Any]) -> Gap:
    """A gap of a score's cached JSON: the same criterion not met in the same way (its section, state, weight and
    advice) is one :class:`Gap` in every commune of a process (frozen, compared by value), made once (the country's
    3,321 scores hold 62,020 gaps of 4,364 kinds)."""
    key = (g[0], g[1], g[2], g[3], g[4], g[5])
    gap = _GAPS.get(key)
    if gap is None:
        gap = Gap(intern(g[0]), intern(g[1]), intern(g[2]), bool(g[3]), float(g[4]), intern(g[5]))
        if type(g[3]) is bool and type(g[4]) is float and g[4]:  # exact keys only (1 == 1.0 == True, 0.0 == -0.0)
            if len(_GAPS) >= _GAPS_KEPT:
                _GAPS.clear()
            _GAPS[key] = gap
    return gap


_GAPS: dict[tuple[Any, ...], Gap] = {}
_GAPS_KEPT = 16384


def remember_scores(workspace: Workspace, scores: Sequence[CommuneScore]) -> int:
    """Keep scores an import computed in the score cache, each only when it is what :func:`score_many`
    would compute for the stored assessment (finalized, scored as of its reference date, with the same
    checklist); returns how many were offered to the cache.  The first report after an import, on any
    computer, then scores nothing again.  Two queries and one write, however many scores.  (Not in this
    process's memo: an import of thousands keeps its memory.)"""
    if not scores or not _cache_on(None):
        return 0
    new: dict[str, CommuneScore] = {}
    store = workspace.store
    infos = store.assessments_by_id(result.assessment_id for result in scores)
    provinces = provinces_of(store)
    for result in scores:
        info = infos.get(result.assessment_id)
        if info is None or info.status == "draft" or reference_date(info) != result.as_of:
            continue
        try:
            checklist = workspace.checklist_for(info)
        except Exception:  # noqa: BLE001 - a checklist this program lacks: nothing to keep
            continue
        if result.checklist_key == checklist.key:
            new[_cache_key(info, checklist, result.as_of, provinces.get(info.commune_code))] = result
    if new:
        ScoreCache.for_store(store).put_many(new)
    return len(new)


@dataclass(frozen=True)
class ClearedCache:
    entries: int  # rows removed from the database's score cache
    old_files: int  # score cache files of earlier versions removed from this computer's data folder


def clear_cache(store: Store) -> ClearedCache:
    """Empty the score cache (``readiness cache clear``): derived data, the next report scores what it needs
    again.  Also removes the score cache files earlier versions kept in this computer's data folder
    (``cache/scores-*.sqlite3``, one per database URL; no longer read), and this process's memo."""
    entries = store.clear_score_cache()
    clear_memo()
    return ClearedCache(entries=entries, old_files=_remove_old_cache_files())


def _remove_old_cache_files() -> int:
    from ..paths import user_data_dir

    removed = 0
    try:
        folder = user_data_dir() / "cache"
        files = sorted(folder.glob("scores-*.sqlite3*")) if folder.is_dir() else []
    except OSError:
        return 0
    for path in files:
        try:
            path.unlink()
        except OSError as error:
            log.warning("old score cache file %s not removed: %s", path, error)
            continue
        if path.suffix == ".sqlite3":
            removed += 1
    try:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    except OSError:
        pass
    return removed


def warm_cache(workspace: Workspace, period: str, *, workers: int | None = None) -> int:
    """Score every finalized assessment of ``period`` into the cache (after an import, say); returns how many."""
    from ..store.db import validate_period

    infos = [i for i in workspace.store.assessments(validate_period(period)) if i.status != "draft"]
    checklists: dict[str, Checklist] = {}
    for info in infos:
        key = f"{info.checklist_id}@{info.checklist_version}"
        if key not in checklists:
            checklists[key] = workspace.checklist_for(info)
    score_many(workspace.store, checklists, infos, workers=workers, cache=True)
    return len(infos)


def _worker_count(requested: int | None, jobs: int) -> int:
    if requested is None:
        env = os.environ.get("READINESS_WORKERS", "").strip()
        requested = int(env) if env.isdigit() else (os.cpu_count() or 1)
    if jobs < PARALLEL_MIN:
        return 1
    return max(1, min(requested, 16, jobs // 50 or 1))


def _shareable_url(store: Store) -> str | None:
    """The URL another process can open the same database with (None for an in-memory SQLite)."""
    return store.shareable_url


# The pool: each worker loads the checklist definitions once (by file), opens the database when it
# is to load answers itself, then scores batches.
_worker_checklists: dict[str, Checklist] = {}
_worker_store: list[Store] = []


def _worker_init(sources: dict[str, tuple[str, str]], url: str | None = None) -> None:
    from ..checklist.loader import load_checklist

    _worker_checklists.clear()
    _worker_store.clear()
    if url is not None:
        _worker_store.append(Store.open(url, migrate=False))
    for key, (path, content_hash) in sources.items():
        checklist = load_checklist(Path(path))
        if f"{checklist.content_hash}/{checklist.contacts.content_hash}" != content_hash:  # changed since the parent loaded it
            raise RuntimeError(f"checklist file {path} changed")
        prepare_expressions(checklist)  # generated code from the first commune (the table memo works only there)
        _worker_checklists[key] = checklist


def _worker_score(batch: list[tuple[str, str, str | None, dt.date, RawAnswers | None]]
                  ) -> list[tuple[str, bytes]]:
    """Score a batch; each score goes back as the cache's bytes (:func:`encoded_score`): the parent decodes it
    with its texts shared, as a score read from the cache, and keeps those bytes in the cache as they are."""
    loaded = load_raw(_worker_store[0], [job[0] for job in batch]) if _worker_store else {}
    out = []
    for assessment_id, key, province, as_of, raw in batch:
        checklist = _worker_checklists[key]
        answers = typed_answers(checklist, raw if raw is not None else loaded.get(assessment_id, RawAnswers()))
        out.append((assessment_id, encoded_score(_commune_score(assessment_id, checklist, answers, as_of, province))))
    return out


def _score_parallel(todo: list[tuple[AssessmentInfo, Checklist, dt.date]], raw: Mapping[str, RawAnswers] | None,
                    workers: int, url: str | None = None, provinces: Mapping[str, str] | None = None
                    ) -> tuple[Any, list[Any]]:
    """Start ``workers`` processes scoring ``todo`` in batches; the answers are ``raw``, or each worker loads them
    from ``url``.  Returns the pool and its batches' futures (:func:`_parallel_results` collects them)."""
    from ..workers import process_pool

    sources: dict[str, tuple[str, str]] = {}
    for _info, checklist, _ in todo:
        if not checklist.source_path or not Path(checklist.source_path).exists():
            raise RuntimeError(f"checklist {checklist.key} has no file to load in a worker")
        sources[checklist.key] = (checklist.source_path, f"{checklist.content_hash}/{checklist.contacts.content_hash}")
    provinces = provinces or {}
    jobs = [(info.id, checklist.key, provinces.get(info.commune_code), as_of,
             None if raw is None else raw.get(info.id, RawAnswers()))
            for info, checklist, as_of in todo]
    size = max(10, len(jobs) // (workers * 6))
    batches = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    # Not "fork": the GUI and the database engine have threads and connections a child must not copy.
    # The workers end with this process (readiness.workers), so a killed report leaves none behind.
    pool = process_pool(workers, _worker_init, (sources, url if raw is None else None), method=SCORING_START)
    try:
        return pool, [pool.submit(_worker_score, batch) for batch in batches]
    except BaseException:
        pool.terminate()
        raise


def _parallel_results(futures: list[Any], cancelled: Callable[[], bool] | None,
                      encoded: dict[str, bytes]) -> dict[str, CommuneScore]:
    """The batches' scores as they come in (decoded with their texts shared); ``encoded`` filled with assessment
    id -> the bytes each came back as (for the cache).  ``cancelled``: see :func:`score_many`
    (:class:`ScoringStopped` raised; the caller ends the pool)."""
    out: dict[str, CommuneScore] = {}
    for future in futures:
        for assessment_id, data in _batch_result(future, cancelled):
            out[assessment_id] = decoded_score(data)
            encoded[assessment_id] = data
    return out


def _batch_result(future: Any, cancelled: Callable[[], bool] | None) -> list[tuple[str, bytes]]:
    """A batch's scores when its worker has sent them; :class:`ScoringStopped` as soon as ``cancelled()`` says
    stop (asked every :data:`STOP_POLL_SECONDS` while waiting, and once more when the batch is in)."""
    from concurrent.futures import TimeoutError as Pending

    if cancelled is None:
        return future.result()
    while True:
        if cancelled():
            raise ScoringStopped()
        try:
            batch = future.result(timeout=STOP_POLL_SECONDS)
        except Pending:
            continue
        if cancelled():
            raise ScoringStopped()
        return batch
