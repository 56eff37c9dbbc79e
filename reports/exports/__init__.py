"""
Background jobs with a progress bar. Whole-cycle exports for HR: one ZIP of a cycle's
official PDFs (finalized and acknowledged assessments only) and an ``index.csv`` with each
file's SHA-256. And the reports too large for a request (``report_jobs``): a team or
district PDF, a ZIP of a team's individual reports, for whoever asked.

One module per job, each importing only those before it:

- ``access``: which exports a viewer may follow, and which assessments an export holds.
- ``sweep``: a worker killed mid-export stops moving the heartbeat; ``sweep_stale`` marks
  such an export failed once its heartbeat is older than ``STALE_AFTER`` and removes its
  partial file. The status page and every new build run the sweep, so nothing stays
  "running" forever.
- ``index``: the rows of the ZIP's ``index.csv``.
- ``builder``: ``build`` (run by the worker through ``reports.tasks.build_cycle_export``)
  writes progress (done/total and a heartbeat) as it goes, at most once a second,
  writes the ZIP to a temporary file and moves it into place under PRIVATE_STORAGE_ROOT
  with ``os.replace``, so a half-written ZIP is never offered. Any error marks the export failed with a message
  that says why.
- ``requesting``: ``request_export`` and ``request_report`` record the request and queue
  the task once the transaction commits.
- ``rendering``: the files of the report jobs (the one place where the ``basis`` of a
  queued team or district PDF reaches the builders); ``report_jobs``: their builder, on
  ``builder.run``, with their download names.
"""
