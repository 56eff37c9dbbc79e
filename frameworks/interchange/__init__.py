"""
Frameworks in and out: 1EdTech CASE JSON packages, the portal's CSV format and Django
fixtures.

Every import goes the same way, from the command line and the upload page alike:
parse the file into the plain dataclasses of ``data``, validate them, compare them with
the latest version of the same slug, and (unless it is a dry run) write a new draft
version in one transaction. See ``service.import_framework`` and ``docs/interchange.md``.
"""
