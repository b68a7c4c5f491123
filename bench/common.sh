# Shared by the call benchmarks (sourced): free ports, waiting for a started server, its metrics
# and its CPU ticks. Callers set HTTP (the server's HTTP port), HOT (its pid), HOTLINE_BIN and WORK.

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# Waits (up to 30 s) until the server answers /healthz; a server that died shows its log.
wait_healthy() {
  for _ in $(seq 150); do
    [[ "$(curl -s --max-time 1 "http://127.0.0.1:$HTTP/healthz" 2>/dev/null || true)" == ok ]] && return 0
    kill -0 "$HOT" 2>/dev/null || { echo "hotline died:"; cat "$WORK/hotline.log"; exit 1; }
    sleep 0.2
  done
  echo "hotline not healthy within 30 s"; exit 1
}

# An admin user's token for /metrics (every API wants a token); HOTLINE_BIN and WORK must be set.
add_metrics_user() {
  METRICS_TOKEN=$("$HOTLINE_BIN" users add bench --role admin --data "$WORK/data" 2>/dev/null)
}

# The whole /metrics text.
metrics_text() { curl -s --max-time 5 -H "Authorization: Bearer $METRICS_TOKEN" "http://127.0.0.1:$HTTP/metrics"; }

# One sample of /metrics, by its exact name with labels.
metric() { metrics_text | awk -v m="$1" '$1==m {print $2}'; }

# The server's utime+stime so far, in clock ticks (CLK ticks a second).
ticks() { awk '{print $14 + $15}' "/proc/$HOT/stat"; }
CLK=$(getconf CLK_TCK)

# HOTLINE_BIN: the given binary, else the release build (built here if need be).
release_binary() {
  if [[ -z "${HOTLINE_BIN:-}" ]]; then
    (cd "$HERE/.." && cargo build --release --quiet)
    HOTLINE_BIN=$CARGO_TARGET_DIR/release/hotline
  fi
}

# This machine, for result rows: host name and CPU model.
machine() { echo "$(uname -n) $(awk -F: '/model name/ {gsub(/^ +/,"",$2); print $2; exit}' /proc/cpuinfo)"; }

# Appends ROW at the end of the table in the section headed "## SECTION" of RESULTS.md.
append_row() {
  python3 - "$HERE/RESULTS.md" "## $1" "$2" <<'PY'
import sys
path, heading, row = sys.argv[1], sys.argv[2], sys.argv[3]
lines = open(path).read().split("\n")
start = lines.index(heading)
end = start + 1
while end < len(lines) and not lines[end].startswith("## "):
    end += 1
last = max(i for i in range(start, end) if lines[i].startswith("|"))
lines.insert(last + 1, row)
open(path, "w").write("\n".join(lines))
PY
}
