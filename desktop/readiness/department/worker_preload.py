"""Imported by the forkserver before it forks any worker (:data:`readiness.workers.FORKSERVER_PRELOAD`).

The installed checklists are loaded and the code of their expressions generated here, once
(:func:`.import_worker.prepare`): every worker forked from the forkserver starts with them, where each
worker used to load the checklists (~20 ms of CPU) and generate the code (~30 ms) itself."""

from __future__ import annotations

from .import_worker import prepare

prepare()
