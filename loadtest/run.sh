#!/usr/bin/env bash
# `make loadtest`: the portal under load on this machine, loopback only, bounded in time.
#
# Creates a throwaway PostgreSQL database on 127.0.0.1:5432, migrates it, loads the data
# (loadtest/make_data.py), starts the production processes of `make serve` (gunicorn and
# the db_worker task worker, DEBUG off) bound to 127.0.0.1 on a free port, runs locust
# headless (loadtest/locustfile.py) for DURATION seconds, then prints the figures and
# checks that every acknowledged save is in the database (loadtest/verify.py). Gunicorn,
# the worker and the database are always removed at the end.
#
# Variables: USERS (staff, 200), DURATION (seconds, 120), TEAMS (USERS/10), SPAWN_RATE
# (users started per second: USERS/60, at least 2, so everyone is at work after a minute;
# faster, their Argon2 sign-ins alone fill two cores), THINK ("min,max" seconds between a staff member's
# actions, "5,15": a person reads a competency's five descriptors before choosing, so one
# answer every 5 to 15 seconds is a brisk pace; THINK=1,3 is three times this machine's
# capacity and shows how it degrades), WEB_CONCURRENCY (gunicorn workers, 2 × cores + 1), GUNICORN_THREADS
# (1), DATABASE_CONN_MAX_AGE (seconds, 60), KEEP=1 keeps the logs folder.
set -euo pipefail
cd "$(dirname "$0")/.."

USERS=${USERS:-200}
DURATION=${DURATION:-120}
TEAMS=${TEAMS:-$(( USERS >= 10 ? USERS / 10 : 1 ))}
SPAWN_RATE=${SPAWN_RATE:-$(( USERS / 60 > 2 ? USERS / 60 : 2 ))}
PY=.venv/bin/python

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
    for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL is not running on 127.0.0.1:5432" >&2; exit 1; }

work=$(mktemp -d -t skillsportal-load.XXXXXX)
database="skillsportal_load_$$"
web="" worker=""
cleanup() {
    status=$?
    [ -n "$web" ] && kill "$web" 2>/dev/null || true
    [ -n "$worker" ] && kill "$worker" 2>/dev/null || true
    wait 2>/dev/null || true
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${database} WITH (FORCE)" >/dev/null 2>&1 || true
    if [ "${KEEP:-0}" = 1 ]; then echo "logs kept in $work"; else rm -rf "$work"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The production configuration of `make serve`, loopback only, plain http (SECURE_SSL=0
# keeps the cookies usable without TLS), mail discarded.
export DJANGO_SETTINGS_MODULE=skillsportal.settings
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${database}"
export DEBUG=0 SECURE_SSL=0 ALLOWED_HOSTS=127.0.0.1
SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
export PRIVATE_STORAGE_ROOT="$work/private" STATIC_ROOT="$work/static"
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-$(( 2 * $(nproc) + 1 ))}
export DATABASE_CONN_MAX_AGE=${DATABASE_CONN_MAX_AGE:-60}
export LOG_LEVEL=WARNING
export LOADTEST_DATA="$work/data.json" LOADTEST_SAVES="$work/saves.jsonl"
export LOADTEST_RESULTS="$work/results.json" LOADTEST_THINK=${THINK:-5,15}

psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE ${database}"
echo "=== database ${database}: migrate, collectstatic, data"
$PY manage.py migrate --noinput --verbosity 0
$PY manage.py collectstatic --noinput --verbosity 0
$PY -m loadtest.make_data --staff "$USERS" --teams "$TEAMS" --out "$LOADTEST_DATA"

port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "=== gunicorn on 127.0.0.1:${port} (${WEB_CONCURRENCY} workers, ${GUNICORN_THREADS:-1} threads each), task worker"
$PY manage.py db_worker --no-reload >"$work/worker.log" 2>&1 &
worker=$!
.venv/bin/gunicorn skillsportal.wsgi --bind "127.0.0.1:${port}" --threads "${GUNICORN_THREADS:-1}" \
    --access-logfile "$work/access.log" >"$work/gunicorn.log" 2>&1 &
web=$!
for _ in $(seq 60); do
    curl -fsS "http://127.0.0.1:${port}/healthz" >/dev/null 2>&1 && break
    kill -0 "$web" 2>/dev/null || { cat "$work/gunicorn.log" >&2; exit 1; }
    sleep 0.5
done
curl -fsS "http://127.0.0.1:${port}/healthz" >/dev/null || { echo "gunicorn did not answer" >&2; exit 1; }

echo "=== locust: ${USERS} staff and ${TEAMS} leads for ${DURATION} s (${SPAWN_RATE} started per second)"
# timeout: a second bound in case locust itself hangs.
timeout --signal=INT $(( DURATION + 90 )) .venv/bin/locust -f loadtest/locustfile.py --headless \
    --host "http://127.0.0.1:${port}" --users $(( USERS + TEAMS )) --spawn-rate "$SPAWN_RATE" \
    --run-time "${DURATION}s" --stop-timeout 10 --only-summary --loglevel WARNING \
    >"$work/locust.log" 2>&1 || true

echo "=== results"
$PY -m loadtest.verify --saves "$LOADTEST_SAVES" --results "$LOADTEST_RESULTS"
