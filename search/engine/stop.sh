#!/usr/bin/env bash
# Stop the engine started by start.sh (SIGTERM to its process group, SIGKILL after 60 s). Idempotent.
# Uses KHLANG_ENGINE_PORT (default 9200) to pick run/engine-PORT.pid.
set -uo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${KHLANG_ENGINE_PORT:-9200}"
PIDFILE="$DIR/run/engine-$PORT.pid"
if [ ! -f "$PIDFILE" ]; then echo "engine not running (no pid file)"; exit 0; fi
PID="$(cat "$PIDFILE")"
if ! kill -0 "$PID" 2>/dev/null; then echo "engine not running (stale pid $PID)"; rm -f "$PIDFILE"; exit 0; fi
# start.sh runs mvn via setsid, so PID is also the process-group id (mvn's java is in it)
kill -TERM -- "-$PID" 2>/dev/null || kill -TERM "$PID"
for i in $(seq 1 60); do
    kill -0 -- "-$PID" 2>/dev/null || { rm -f "$PIDFILE"; echo "engine stopped (pid $PID)"; exit 0; }
    sleep 1
done
echo "engine did not stop in 60s; killing" >&2
kill -KILL -- "-$PID" 2>/dev/null
sleep 1
rm -f "$PIDFILE"
echo "engine killed (pid $PID)"
