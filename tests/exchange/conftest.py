"""Fixtures: a filled assessment on the small checklist (every item type) and on the real one (demo answers)."""

from __future__ import annotations

import pytest

from exchange_data import NOW, SMALL_RAW
from samples import TODAY


@pytest.fixture
def small_ws(db_url, small_library):
    from readiness.service import Workspace

    workspace = Workspace.open(db_url, library=small_library, default_checklist="small-test")
    yield workspace
    workspace.close()


@pytest.fixture
def small_session(small_ws):
    session = small_ws.session("23500", "2025-11")
    session.today = TODAY
    errors = session.set_answers(SMALL_RAW)
    assert not errors, errors
    return session


@pytest.fixture
def small_ctx(small_session):
    from readiness.exchange import ExportContext

    return ExportContext.from_session(small_session, now=NOW)


@pytest.fixture
def real_session(workspace):
    from readiness.demo import demo_answers

    session = workspace.session("23500", "2025-11")
    session.today = TODAY
    demo = demo_answers(session.checklist, session.commune, seed=11, today=TODAY, profile="average")
    errors = session.set_answers(demo.answers)
    assert not errors, errors
    return session


@pytest.fixture
def real_ctx(real_session):
    from readiness.exchange import ExportContext

    return ExportContext.from_session(real_session, now=NOW)
