#!/usr/bin/env bash
# Recording overhead at N concurrent calls: sipp calls (a looped u-law tone to Hotline, Hotline
# playing its flow) against a release build started here, every call recorded and sealed. In a
# steady window with all calls up, it measures Hotline's CPU, the CPU of its recording disk
# thread (writes and fdatasyncs), and the recording counters (bytes written, fdatasyncs); after
# the calls, `hotline recordings verify` checks every recording. Appends a row to the
# "Recording" table of RESULTS.md. Sealing itself (AES-256-GCM on the call actors) is measured
# in-process by `cargo bench --bench recording`.
#
# usage: bench/recording.sh [CALLS=500] [WINDOW_S=30] [SYNC=true|false] [RATE_PER_S=50]
#        HOTLINE_BIN=path skips the cargo build.
set -euo pipefail
CALLS=${1:-500}
WINDOW=${2:-30}
SYNC=${3:-true}
RATE=${4:-50}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/hotline-target}
WORK=$(mktemp -d /tmp/hotline-recording-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# shellcheck source=bench/common.sh
source "$HERE/common.sh"
SIP=$(free_port); HTTP=$(free_port)
RTP_FIRST=40000; RTP_LAST=$((RTP_FIRST + CALLS * 4 + 100))
SIPP_RTP_FIRST=50000
RAMP=$((CALLS / RATE + 5))
DURATION=$((RAMP + WINDOW + 10))

release_binary

cat > "$WORK/hotline.toml" <<TOML
[sip]
listen = "127.0.0.1:$SIP"
[media]
address = "127.0.0.1"
rtp_port_first = $RTP_FIRST
rtp_port_last = $RTP_LAST
media_timeout = "30s"
[http]
listen = "127.0.0.1:$HTTP"
[flows]
directory = "$REPO/prompts"
[recording]
directory = "recordings"
sync_every_record = $SYNC
[shutdown]
drain_timeout = "5s"
[speech]
models_directory = "$WORK/no-models"
[[routes]]
number = "1001"
flow = "main"
mode = "dtmf"
TOML

RUST_LOG=${RUST_LOG:-warn} "$HOTLINE_BIN" serve --config "$WORK/hotline.toml" --data "$WORK/data" >"$WORK/hotline.log" 2>&1 &
HOT=$!; PIDS+=("$HOT")
wait_healthy
add_metrics_user

# The recording disk thread's utime+stime, in clock ticks.
disk_ticks() {
  for task in /proc/"$HOT"/task/*; do
    if [[ "$(cat "$task/comm" 2>/dev/null)" == recording-disk ]]; then awk '{print $14 + $15}' "$task/stat"; return; fi
  done
  echo 0
}

sox -n -r 8000 -c 1 -e u-law "$WORK/bench_audio.wav" synth 5 sine 440 vol 0.3
(cd "$WORK" && timeout $((DURATION + 120)) sipp "127.0.0.1:$SIP" -sf "$HERE/uac_bench.xml" -s 1001 \
  -i 127.0.0.1 -p "$(free_port)" -mp "$SIPP_RTP_FIRST" -mi 127.0.0.1 \
  -m "$CALLS" -l "$CALLS" -r "$RATE" -d $((DURATION * 1000)) -nostdin -trace_err -trace_stat \
  -timeout $((DURATION + 90))s >"$WORK/sipp.log" 2>&1) &
CALLERS=$!; PIDS+=("$CALLERS")
sleep "$RAMP"

ACTIVE=$(metric hotline_active_calls); ACTIVE=${ACTIVE:-0}
CPU0=$(ticks); DISK0=$(disk_ticks); T0=$(date +%s.%N)
BYTES0=$(metric hotline_recording_bytes_total); SYNCS0=$(metric hotline_recording_syncs_total)
sleep "$WINDOW"
CPU1=$(ticks); DISK1=$(disk_ticks); T1=$(date +%s.%N)
BYTES1=$(metric hotline_recording_bytes_total); SYNCS1=$(metric hotline_recording_syncs_total)
wait "$CALLERS" 2>/dev/null && SIPP_RC=0 || SIPP_RC=$?
sleep 3
VERIFY=$("$HOTLINE_BIN" recordings verify --config "$WORK/hotline.toml" --data "$WORK/data" | tail -1)

SUCCESS=$(grep -aE '^\s*Successful call' "$WORK/sipp.log" | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')
FAILED=$(grep -aE '^\s*Failed call' "$WORK/sipp.log" | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')
read -r CPU_PCT CPU_CALL DISK_CALL BYTES_CALL SYNCS_S SYNCS_CALL < <(python3 - <<PY
span = $T1 - $T0
calls = max(1, $ACTIVE)
print(round(100 * ($CPU1 - $CPU0) / $CLK / span, 1),
      round(1000 * ($CPU1 - $CPU0) / $CLK / span / calls, 3),
      round(1000 * ($DISK1 - $DISK0) / $CLK / span / calls, 3),
      round(($BYTES1 - $BYTES0) / span / calls),
      round(($SYNCS1 - $SYNCS0) / span),
      round(($SYNCS1 - $SYNCS0) / span / calls, 2))
PY
)

RESULTS=$HERE/RESULTS.md
if ! grep -q '^## Recording' "$RESULTS"; then
  cat >> "$RESULTS" <<'MD'

## Recording

Rows are appended by `bench/recording.sh CALLS WINDOW_S SYNC` (release build, all traffic on
127.0.0.1, sipp streams a looped u-law tone to Hotline on every call while Hotline plays the demo
flow; every call recorded, sealed with AES-256-GCM in one-second records, and written by the disk
thread). Measured over a steady window with every call up.

| column | meaning |
| --- | --- |
| calls, active | sipp calls and Hotline's `hotline_active_calls` in the window |
| sync | `sync_every_record`: fdatasync after every record |
| cpu % | Hotline's CPU over the window, % of one core (calls, media, flows and recording) |
| cpu ms/s per call | Hotline's CPU per second per call |
| disk ms/s per call | the recording disk thread's CPU (writes, fdatasyncs) per second per call |
| bytes/s per call | sealed bytes written per second per call (`hotline_recording_bytes_total`) |
| fsyncs/s | fdatasyncs per second, all calls and per call (`hotline_recording_syncs_total`) |
| verify | `hotline recordings verify` after the calls ended |

| date | machine | nproc | calls | active | sync | ok/failed | cpu % | cpu ms/s per call | disk ms/s per call | bytes/s per call | fsyncs/s (per call) | verify |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
MD
fi
MACHINE=$(machine)
ROW="| $(date -u +%Y-%m-%dT%H:%MZ) | $MACHINE | $(nproc) | $CALLS | $ACTIVE | $SYNC | ${SUCCESS:-?}/${FAILED:-?} | $CPU_PCT | $CPU_CALL | $DISK_CALL | $BYTES_CALL | $SYNCS_S ($SYNCS_CALL) | $VERIFY |"
append_row "Recording" "$ROW"
echo "$ROW"
echo "sipp rc=$SIPP_RC; logs in $WORK" >&2
