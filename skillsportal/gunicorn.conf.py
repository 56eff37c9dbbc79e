"""
gunicorn's settings for `make serve` (``gunicorn -c skillsportal/gunicorn.conf.py``); the
address comes from the command line, the number of workers from WEB_CONCURRENCY.

What gunicorn caps here: the request line, the number and size of header fields (a
request over them is answered 400 before Django sees it), and how long a worker may spend
on one request before it is killed and replaced (``timeout``).

What it cannot cap: the size of a request body. gunicorn has no such setting and hands
the body to the app as it comes; the app refuses a body longer than REQUEST_MAX_MB from
its Content-Length, unread, and one without a length
(``assessments.middleware.RequestBodyLimitMiddleware``). Nor does it protect the sync
workers from slow clients (a slow upload holds a worker until ``timeout``): behind a
reverse proxy, also limit the body (nginx ``client_max_body_size 10m``) and buffer requests.
"""

# The portal's URLs are short; 4094 bytes is gunicorn's default, stated here on purpose.
limit_request_line = 4094
# A browser sends about 15 headers.
limit_request_fields = 50
limit_request_field_size = 8190
# Seconds one request may take before its worker is killed and replaced: 30, gunicorn's
# default, set here so that it is a decision, not an accident. No request of the portal
# needs more: every report whose size grows with the district (team and district PDFs,
# a team's ZIP, a cycle export) is a task of the worker, which has no such limit; the
# slowest request left is the first working copy of one person's PDF (one to two
# seconds). A higher value would only keep a stuck or slow-client worker busy longer.
timeout = 30
graceful_timeout = 30
