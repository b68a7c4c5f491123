#!/usr/bin/env bash
# WebRTC legs at N concurrent calls: the load client (bench/webrtc_load.rs, str0m legs sending
# Opus like the "call us" page, no browser) calls a release build started here through
# /api/webrtc/call. Each leg is transcoded Opus <-> PCMU by Hotline's gateway and runs the demo
# flow (keys mode, so no speech recognition), recorded. In a steady window with every leg up it
# measures Hotline's CPU; the client reports set-up times (WebSocket to DTLS connected, and to
# Hotline's first audio) and packets. Appends a row to the "WebRTC" table of RESULTS.md.
#
# usage: bench/webrtc.sh [LEGS=500] [WINDOW_S=30] [RATE_PER_S=25]
#        HOTLINE_BIN=path skips the cargo build.
set -euo pipefail
LEGS=${1:-500}
WINDOW=${2:-30}
RATE=${3:-25}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/hotline-target}
WORK=$(mktemp -d /tmp/hotline-webrtc-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || true

# shellcheck source=bench/common.sh
source "$HERE/common.sh"
SIP=$(free_port); HTTP=$(free_port)
RAMP=$(python3 -c "print(int($LEGS / $RATE) + 5)")
HOLD=$((WINDOW + 10))

release_binary
(cd "$REPO" && cargo bench --bench webrtc_load --no-run --quiet 2>/dev/null)
CLIENT=$(ls -t "$CARGO_TARGET_DIR"/release/deps/webrtc_load-* | grep -v '\.d$' | head -1)

cat > "$WORK/hotline.toml" <<TOML
[sip]
listen = "127.0.0.1:$SIP"
[media]
address = "127.0.0.1"
rtp_port_first = 20000
rtp_port_last = 29999
media_timeout = "30s"
[http]
listen = "127.0.0.1:$HTTP"
[flows]
directory = "$REPO/prompts"
[recording]
directory = "recordings"
[shutdown]
drain_timeout = "5s"
[speech]
models_directory = "$WORK/no-models"
[webrtc]
address = "127.0.0.1"
port_first = 30000
port_last = 39999
number = "1001"
calls_per_address = $((LEGS + 10))
[[routes]]
number = "1001"
flow = "main"
mode = "dtmf"
TOML

RUST_LOG=${RUST_LOG:-warn} "$HOTLINE_BIN" serve --config "$WORK/hotline.toml" --data "$WORK/data" >"$WORK/hotline.log" 2>&1 &
HOT=$!; PIDS+=("$HOT")
wait_healthy
add_metrics_user

"$CLIENT" "127.0.0.1:$HTTP" "$LEGS" "$RATE" "$HOLD" >"$WORK/client.json" 2>"$WORK/client.log" &
CLIENT_PID=$!; PIDS+=("$CLIENT_PID")
sleep "$RAMP"
ACTIVE=$(metric hotline_active_calls); ACTIVE=${ACTIVE:-0}
CPU0=$(ticks); T0=$(date +%s.%N)
sleep "$WINDOW"
CPU1=$(ticks); T1=$(date +%s.%N)
wait "$CLIENT_PID"
SUMMARY=$(cat "$WORK/client.json")

read -r CPU_PCT CPU_CALL CORES_500 < <(python3 - <<PY
span = $T1 - $T0
calls = max(1, $ACTIVE)
cpu = ($CPU1 - $CPU0) / $CLK / span
print(round(100 * cpu, 1), round(1000 * cpu / calls, 3), round(cpu / calls * 500, 2))
PY
)
read -r CONNECTED AUDIO SETUP50 SETUP95 FIRST50 FIRST95 RECEIVED DELIVERED < <(python3 - "$SUMMARY" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
print(s["connected"], s["with_audio"], round(s["setup_ms_p50"], 1), round(s["setup_ms_p95"], 1),
      round(s["first_audio_ms_p50"], 1), round(s["first_audio_ms_p95"], 1), s["received_per_leg"],
      round(100 * s["received_per_leg"] / max(1, s["sent_per_leg"])))
PY
)

RESULTS=$HERE/RESULTS.md
if ! grep -q '^## WebRTC' "$RESULTS"; then
  cat >> "$RESULTS" <<'MD'

## WebRTC

Rows are appended by `bench/webrtc.sh LEGS WINDOW_S RATE` (release build, all traffic on
127.0.0.1). The load client (`bench/webrtc_load.rs`, str0m legs, no browser) places LEGS calls
through `/api/webrtc/call` at RATE per second; each leg sends a 20 ms Opus frame every 20 ms.
Hotline's gateway decrypts (SRTP), decodes Opus and encodes PCMU towards the call, and back the
other way, while the call runs the demo flow in keys mode and records. CPU is measured over a
steady window with every leg up.

| column | meaning |
| --- | --- |
| legs, active | calls placed, and Hotline's `hotline_active_calls` in the window |
| connected, audio | legs whose DTLS connected, and that received Hotline's audio |
| set-up ms p50/p95 | WebSocket opened to DTLS connected (offer, answer, ICE, DTLS) |
| first audio ms p50/p95 | WebSocket opened to the first audio packet from Hotline |
| packets in per leg, delivered % | audio packets each leg received from Hotline, and as a share of what it sent (what Hotline owes it) |
| cpu % | Hotline's CPU over the window, % of one core (gateway, calls, flows, recording) |
| cpu ms/s per leg | Hotline's CPU per second per leg |
| cores for 500 | cpu per leg × 500 |

| date | machine | nproc | legs | active | connected | audio | set-up ms p50/p95 | first audio ms p50/p95 | packets in per leg | delivered % | cpu % | cpu ms/s per leg | cores for 500 |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
MD
fi
MACHINE=$(machine)
ROW="| $(date -u +%Y-%m-%dT%H:%MZ) | $MACHINE | $(nproc) | $LEGS | $ACTIVE | $CONNECTED | $AUDIO | $SETUP50 / $SETUP95 | $FIRST50 / $FIRST95 | $RECEIVED | $DELIVERED | $CPU_PCT | $CPU_CALL | $CORES_500 |"
append_row "WebRTC" "$ROW"
echo "$ROW"
echo "client: $SUMMARY; logs in $WORK" >&2
