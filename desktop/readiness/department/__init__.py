"""The department side (Sở KHCN): import submissions, track the register, consolidate, report, answer petitions.

Qt-free; the CLI and the GUI call it.

- Import: :func:`readiness.department.importer.import_paths` checks submitted workbooks in worker
  processes (:mod:`.import_worker`, :mod:`.xlsx_guard`; reasons in :mod:`.import_errors`) and stores
  each in its own transaction (:mod:`readiness.store.imports`); ``readiness import`` and
  ``readiness demo`` are in :mod:`.cli_import`, the demo files in :mod:`.demo_export`.
"""
