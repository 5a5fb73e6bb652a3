# Shared by the load and benchmark scripts: servers on 127.0.0.1 that are
# stopped when the script exits, and the numbers they report.

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_http() { # wait_http URL: until it answers, at most 20 s
  for _ in $(seq 200); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "no answer from $1" >&2
  return 1
}

rss_kib() { # rss_kib PID: resident memory in KiB
  ps -o rss= -p "$1" | tr -d ' '
}

wrk_field() { # wrk_field FILE WHAT: requests/sec, p99 (ms) or errors from wrk --latency output
  case "$2" in
    rps) awk '/^Requests\/sec:/ { print $2 }' "$1" ;;
    p99) awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; print v }' "$1" ;;
    errors) awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { for (i = 3; i <= NF; i++) { gsub(/,/, "", $i); if ($i ~ /^[0-9]+$/) n += $i } } END { print n + 0 }' "$1" ;;
  esac
}
