#!/usr/bin/env bash
# Call benchmark: N concurrent sipp calls (RTP both ways for ~DURATION s) against a release build
# of hotline started here. Measures CPU (utime+stime from /proc/PID/stat) and peak RSS (VmHWM) per
# call, the pacing of the RTP Hotline sends (tshark capture on lo, deviation from 20 ms per SSRC),
# packet loss (sequence gaps, capture drops, hotline counters), and appends a row to RESULTS.md.
#
# usage: bench/calls.sh [CALLS=100] [DURATION_S=60] [RATE_PER_S=10]
#        HOTLINE_BIN=path skips the cargo build.
set -euo pipefail
CALLS=${1:-100}
DURATION=${2:-60}
RATE=${3:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/hotline-target}
WORK=$(mktemp -d /tmp/hotline-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# shellcheck source=bench/common.sh
source "$HERE/common.sh"
SIP=$(free_port); HTTP=$(free_port)
RTP_FIRST=40000; RTP_LAST=$((RTP_FIRST + CALLS * 4 + 100))
SIPP_RTP_FIRST=50000; SIPP_RTP_LAST=$((SIPP_RTP_FIRST + CALLS * 4 + 100))

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
[shutdown]
drain_timeout = "5s"
[[routes]]
number = "1001"
flow = "main"
mode = "dtmf"
TOML

"$HOTLINE_BIN" serve --config "$WORK/hotline.toml" --data "$WORK/data" >"$WORK/hotline.log" 2>&1 &
HOT=$!; PIDS+=("$HOT")
wait_healthy
add_metrics_user


# Caller audio: a u-law tone WAV that sipp's rtp_stream loops.
sox -n -r 8000 -c 1 -e u-law "$WORK/bench_audio.wav" synth 5 sine 440 vol 0.3

tshark -q -i lo -B 64 -s 128 -F pcap -f "udp and src portrange $RTP_FIRST-$RTP_LAST" -w "$WORK/rtp.pcap" \
  >"$WORK/tshark.log" 2>&1 &
TSHARK=$!; PIDS+=("$TSHARK")
sleep 2

CPU0=$(ticks); T0=$(date +%s.%N)
SENT0=$(metric 'hotline_rtp_packets_total{direction="sent"}'); SENT0=${SENT0:-0}
(cd "$WORK" && timeout $((DURATION + CALLS / RATE + 120)) sipp "127.0.0.1:$SIP" -sf "$HERE/uac_bench.xml" -s 1001 \
  -i 127.0.0.1 -p "$(free_port)" -mp "$SIPP_RTP_FIRST" -mi 127.0.0.1 \
  -m "$CALLS" -l "$CALLS" -r "$RATE" -d $((DURATION * 1000)) -nostdin -trace_err -trace_stat \
  -timeout $((DURATION + CALLS / RATE + 90))s >"$WORK/sipp.log" 2>&1) && SIPP_RC=0 || SIPP_RC=$?
CPU1=$(ticks); T1=$(date +%s.%N)
HWM_KB=$(awk '/VmHWM/ {print $2}' "/proc/$HOT/status")
SENT1=$(metric 'hotline_rtp_packets_total{direction="sent"}'); SENT1=${SENT1:-0}
LOST=$(metric 'hotline_rtp_packets_lost_total'); LOST=${LOST:-n/a}
sleep 1
kill -INT "$TSHARK"; wait "$TSHARK" 2>/dev/null || true
# tshark reports drops only when there were any ("N packets dropped" / "dropped ... N").
DROPS=$(grep -oiE '[0-9]+ packets? dropped|dropped[^0-9]*[0-9]+' "$WORK/tshark.log" | grep -oE '[0-9]+' | head -1 || true)
if [[ -z "$DROPS" ]]; then grep -q 'packets captured' "$WORK/tshark.log" && DROPS=0 || DROPS="?"; fi

SUCCESS=$(grep -aE '^\s*Successful call' "$WORK/sipp.log" | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')
FAILED=$(grep -aE '^\s*Failed call' "$WORK/sipp.log" | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')
A=$(python3 "$HERE/analyze.py" "$WORK/rtp.pcap" "$RTP_FIRST" "$RTP_LAST")
field() { python3 -c "import json,sys;print(json.loads(sys.argv[1])[sys.argv[2]])" "$A" "$1"; }

WALL=$(python3 -c "print(round($T1 - $T0, 1))")
CPU_S=$(python3 -c "print(round(($CPU1 - $CPU0) / $CLK, 2))")
CPU_PCT=$(python3 -c "print(round(100 * ($CPU1 - $CPU0) / $CLK / ($T1 - $T0), 1))")
CPU_PER_CALL=$(python3 -c "print(round(1000 * ($CPU1 - $CPU0) / $CLK / max(1, $CALLS), 1))")
RSS_PER_CALL=$(python3 -c "print(round($HWM_KB / max(1, $CALLS), 1))")

RESULTS=$HERE/RESULTS.md
if [[ ! -f $RESULTS ]]; then
  cat > "$RESULTS" <<'MD'
# Call benchmark results

## Calls

Rows are appended by `bench/calls.sh CALLS DURATION_S RATE` (release build, all traffic on 127.0.0.1,
sipp streams a looped u-law tone to Hotline on every call while Hotline plays its flow).

| column | meaning |
| --- | --- |
| date, machine, nproc | when and where (`uname -n`/CPU model, `nproc`) |
| calls, dur | concurrent sipp calls (`-l N -m N`) and the length of each call in seconds |
| ok/failed | sipp's successful / failed call counts |
| cpu s, cpu % | hotline utime+stime over the run (from /proc/PID/stat), and as % of one core over the wall time |
| cpu ms/call | hotline CPU per call |
| hwm MiB, KiB/call | hotline peak RSS (VmHWM) at the end, and divided by calls |
| streams, pkts | RTP streams (SSRCs) and packets Hotline sent in the capture |
| dev p50/p99/worst | inter-packet time minus 20 ms (abs, ms) over consecutive packets of each SSRC |
| lost | sequence gaps in the capture (packets) / hotline_rtp_packets_lost_total (what sipp sent that Hotline missed) |
| cap drops | packets the capture itself dropped (if > 0 the timing columns are suspect) |

| date | machine | nproc | calls | dur | ok/failed | cpu s | cpu % | cpu ms/call | hwm MiB | KiB/call | streams | pkts | dev p50 | dev p99 | dev worst | lost (gaps/hotline) | cap drops |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
MD
fi
MACHINE=$(machine)
ROW="| $(date -u +%Y-%m-%dT%H:%MZ) | $MACHINE | $(nproc) | $CALLS | $DURATION | ${SUCCESS:-?}/${FAILED:-?} | $CPU_S | $CPU_PCT | $CPU_PER_CALL | $(python3 -c "print(round($HWM_KB/1024,1))") | $RSS_PER_CALL | $(field streams) | $(field packets) | $(field dev_p50_ms) | $(field dev_p99_ms) | $(field dev_worst_ms) | $(field lost)/$LOST | $DROPS |"
echo "$ROW"
append_row "Calls" "$ROW"
echo "wall ${WALL}s, hotline sent $(python3 -c "print(int(float('$SENT1') - float('$SENT0')))") RTP packets by its counter; sipp rc=$SIPP_RC; logs in $WORK" >&2
[[ $SIPP_RC -eq 0 ]]
