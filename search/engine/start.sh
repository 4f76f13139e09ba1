#!/usr/bin/env bash
# Start Khlang's local search engine (a single node, from Maven Central) in the background.
#   KHLANG_SEARCH_ENGINE opensearch2 (default: OpenSearch 2.19.1) or elasticsearch7 (Elasticsearch 7.10.2)
#   KHLANG_ENGINE_PORT   HTTP port on 127.0.0.1 (default 9200)
#   KHLANG_ENGINE_DATA   data dir (default search/engine/data/ENGINE; "tmp" = throwaway temp dir)
#   KHLANG_ENGINE_TIMEOUT seconds to wait for health (default 180)
#   MAVEN_OPTS           JVM options (default -Xms512m -Xmx1g)
# Last line of output is the engine URL. Idempotent. pid/log: search/engine/run/engine-PORT.{pid,log}
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${KHLANG_ENGINE_PORT:-9200}"
URL="http://127.0.0.1:${PORT}"
RUN="$DIR/run"
PIDFILE="$RUN/engine-$PORT.pid"
LOG="$RUN/engine-$PORT.log"
TIMEOUT="${KHLANG_ENGINE_TIMEOUT:-180}"
case "${KHLANG_SEARCH_ENGINE:-opensearch2}" in
    opensearch|opensearch2) ENGINE=opensearch2 ;;
    elasticsearch|elasticsearch7) ENGINE=elasticsearch7 ;;
    *) echo "error: search/engine starts opensearch2 or elasticsearch7, not ${KHLANG_SEARCH_ENGINE}" >&2; exit 1 ;;
esac
DATA="${KHLANG_ENGINE_DATA:-$DIR/data/$ENGINE}"  # an engine cannot read another's data
mkdir -p "$RUN"

health() { curl -s --max-time 3 "$URL/_cluster/health" 2>/dev/null | grep -oE '"status":"(green|yellow)"' || true; }
alive() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

if [ -n "$(health)" ]; then
    alive || echo "note: an engine is already answering on $URL but was not started by this script" >&2
    echo "$URL"; exit 0
fi
if alive; then
    echo "engine process $(cat "$PIDFILE") exists but is not healthy yet; waiting" >&2
elif curl -s --max-time 2 -o /dev/null "$URL" 2>/dev/null || (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "error: port $PORT is in use by something else" >&2; exit 1
else
    rm -f "$PIDFILE"
    export MAVEN_OPTS="${MAVEN_OPTS:--Xms512m -Xmx1g}"
    # setsid: own process group, so stop.sh can signal mvn + java together
    setsid nohup mvn -B -q -f "$DIR/pom.xml" -P "$ENGINE" compile exec:java \
        -Dkhlang.engine.port="$PORT" -Dkhlang.engine.data="$DATA" \
        >"$LOG" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
    echo "starting $ENGINE (pid $(cat "$PIDFILE"), log $LOG)" >&2
fi

start=$SECONDS
while :; do
    if [ -n "$(health)" ]; then
        echo "engine healthy after $((SECONDS - start))s: $(health)" >&2
        echo "$URL"; exit 0
    fi
    if ! alive; then
        echo "error: engine exited; last log lines:" >&2; tail -n 30 "$LOG" >&2; rm -f "$PIDFILE"; exit 1
    fi
    if [ $((SECONDS - start)) -ge "$TIMEOUT" ]; then
        echo "error: engine not healthy after ${TIMEOUT}s (still running, pid $(cat "$PIDFILE")); see $LOG" >&2; exit 1
    fi
    [ $(((SECONDS - start) % 5)) -eq 0 ] && echo "waiting for $URL ... $((SECONDS - start))s" >&2
    sleep 1
done
