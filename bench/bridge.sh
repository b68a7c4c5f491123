#!/usr/bin/env bash
# Bridged-call benchmark: N callers (sipp, streaming a looped u-law tone) queue for a group of N
# agents; every agent is registered with digest auth (sipp REGISTER with an injection file) and
# answered by one sipp UAS that accepts each call with key 1 (SIP INFO) and echoes its RTP, so
# Hotline relays audio both ways on every call: caller -> Hotline -> agent -> Hotline -> caller.
# The server is a release build started here without voice models (no brief is spoken; the
# agents accept at once), so the figures are signaling, queueing and relaying.
#
# Measures, over the window where all calls are bridged: Hotline's CPU per call (utime+stime
# from /proc/PID/stat), peak RSS, the pacing of the RTP Hotline sends (tcpdump capture on lo,
# deviation from 20 ms per SSRC, by bench/analyze.py), loss (sequence gaps in the capture and
# Hotline's own counters), and the queue-to-agent times from Hotline's histograms. Appends a row
# to bench/RESULTS.md.
#
# usage: bench/bridge.sh [CALLS=100] [BRIDGED_S=30] [RATE_PER_S=20]
#        HOTLINE_BIN=path skips the cargo build.
set -euo pipefail
CALLS=${1:-100}
BRIDGED=${2:-30}
RATE=${3:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/hotline-target}
WORK=$(mktemp -d /tmp/hotline-bridge.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# shellcheck source=bench/common.sh
source "$HERE/common.sh"
SIP=$(free_port); HTTP=$(free_port); UAS=$(free_port); UAS_MEDIA=$(free_port)
RTP_FIRST=30000; RTP_LAST=$((RTP_FIRST + CALLS * 4 + 100))
SIPP_RTP_FIRST=45000

release_binary

# N agents, one group; the flow hands every caller to it at once and ends when the agent does.
mkdir -p "$WORK/flows" "$WORK/no-models"
cat > "$WORK/flows/bench.flow.toml" <<'TOML'
schema = 1
name = "bench"
start = "agent"

[steps.agent]
type = "transfer"
group = "bench"
reason = "bench call"
on_unavailable = "bye"
next = "bye"

[steps.bye]
type = "hangup"
reason = "done"
TOML
cat > "$WORK/hotline.toml" <<TOML
[sip]
listen = "127.0.0.1:$SIP"
[media]
address = "127.0.0.1"
rtp_port_first = $RTP_FIRST
rtp_port_last = $RTP_LAST
media_timeout = "60s"
[http]
listen = "127.0.0.1:$HTTP"
[flows]
directory = "$WORK/flows"
[recording]
directory = "recordings"
[shutdown]
drain_timeout = "5s"
[speech]
models_directory = "$WORK/no-models"
[acd]
ring_timeout = "30s"
accept_timeout = "30s"
wrap_up = "0s"
announce_every = "10m"
[[routes]]
number = "3000"
flow = "bench"
mode = "dtmf"
TOML
echo "SEQUENTIAL" > "$WORK/agents.csv"
python3 - "$CALLS" >> "$WORK/hotline.toml" 2>>"$WORK/agents.csv" <<'PY'
import hashlib, sys
for index in range(1, int(sys.argv[1]) + 1):
    name = f"bench{index:04d}"
    ha1 = hashlib.md5(f"{name}:hotline:bench".encode()).hexdigest()
    print(f'\n[[agents]]\nname = "{name}"\npassword_ha1 = "{ha1}"\nskills = {{ bench = 3 }}')
    print(f"{name};[authentication username={name} password=bench]", file=sys.stderr)
PY

RUST_LOG=${RUST_LOG:-warn} "$HOTLINE_BIN" serve --config "$WORK/hotline.toml" --data "$WORK/data" >"$WORK/hotline.log" 2>&1 &
HOT=$!; PIDS+=("$HOT")
wait_healthy
add_metrics_user


# The agents' phones, then their registrations.
(cd "$WORK" && sipp -sf "$HERE/uas_agent.xml" -i 127.0.0.1 -p "$UAS" -mi 127.0.0.1 -mp "$UAS_MEDIA" \
  -rtp_echo -nostdin -trace_err >"$WORK/uas.log" 2>&1) &
PIDS+=($!)
(cd "$WORK" && timeout 300 sipp "127.0.0.1:$SIP" -sf "$HERE/register_agents.xml" -inf "$WORK/agents.csv" \
  -i 127.0.0.1 -p "$(free_port)" -key uas_port "$UAS" -m "$CALLS" -r 200 -nostdin -trace_err \
  >"$WORK/register.log" 2>&1) || { echo "registration failed:"; tail -20 "$WORK/register.log"; exit 1; }

sox -n -r 8000 -c 1 -e u-law "$WORK/bench_audio.wav" synth 5 sine 440 vol 0.3
HOLD=$((CALLS / RATE + BRIDGED + 10))
(cd "$WORK" && timeout $((HOLD + 120)) sipp "127.0.0.1:$SIP" -sf "$HERE/uac_bench.xml" -s 3000 \
  -i 127.0.0.1 -p "$(free_port)" -mp "$SIPP_RTP_FIRST" -mi 127.0.0.1 \
  -m "$CALLS" -l "$CALLS" -r "$RATE" -d $((HOLD * 1000)) -nostdin -trace_err \
  -timeout $((HOLD + 90))s >"$WORK/sipp.log" 2>&1) &
CALLERS=$!; PIDS+=("$CALLERS")

# Wait until every call is bridged, then measure a window of BRIDGED seconds.
for _ in $(seq $((CALLS / RATE * 5 + 100))); do
  CONNECTED=$(metric hotline_queue_connect_seconds_count); CONNECTED=${CONNECTED:-0}
  [[ ${CONNECTED%.*} -ge $CALLS ]] && break
  sleep 0.2
done
echo "bridged: ${CONNECTED:-0} of $CALLS" >&2
# First half of the window: CPU and counters, without a capture (on loopback a capture's work
# is charged to the sending process); second half: the capture for pacing.
WINDOW=$(((BRIDGED - 5) / 2))
CPU0=$(ticks); T0=$(date +%s.%N)
LOST0=$(metric hotline_rtp_packets_lost_total); LOST0=${LOST0:-0}
SENT0=$(metric 'hotline_rtp_packets_total{direction="sent"}'); SENT0=${SENT0:-0}
sleep "$WINDOW"
CPU1=$(ticks); T1=$(date +%s.%N)
LOST1=$(metric hotline_rtp_packets_lost_total); LOST1=${LOST1:-0}
SENT1=$(metric 'hotline_rtp_packets_total{direction="sent"}'); SENT1=${SENT1:-0}
timeout -s INT "$WINDOW" tcpdump -i lo -B 131072 -s 96 -w "$WORK/rtp.pcap" \
  "udp and src portrange $RTP_FIRST-$RTP_LAST" >"$WORK/capture.log" 2>&1 || true
HWM_KB=$(awk '/VmHWM/ {print $2}' "/proc/$HOT/status")
DROPS=$(awk '/packets dropped by kernel/ {print $1}' "$WORK/capture.log")
DROPS=${DROPS:-?}
metrics_text > "$WORK/metrics.txt"
wait "$CALLERS" 2>/dev/null && SIPP_RC=0 || SIPP_RC=$?

SUCCESS=$(grep -aE '^\s*Successful call' "$WORK/sipp.log" | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')
FAILED=$(grep -aE '^\s*Failed call' "$WORK/sipp.log" | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')
A=$(python3 "$HERE/analyze.py" "$WORK/rtp.pcap" "$RTP_FIRST" "$RTP_LAST")
field() { python3 -c "import json,sys;print(json.loads(sys.argv[1])[sys.argv[2]])" "$A" "$1"; }
# p50 and p99 from a Prometheus histogram, interpolated within buckets.
quantiles() {
  python3 - "$WORK/metrics.txt" "$1" <<'PY'
import re, sys
text, name = open(sys.argv[1]).read(), sys.argv[2]
buckets = sorted((float(le), float(v)) for le, v in re.findall(name + r'_bucket\{le="([^"+]+)"\} (\S+)', text))
count = float(re.search(name + r'_count (\S+)', text).group(1))
total = float(re.search(name + r'_sum (\S+)', text).group(1))
def q(p):
    rank, previous_le, previous_count = p * count, 0.0, 0.0
    for le, cumulative in buckets:
        if cumulative >= rank:
            width = cumulative - previous_count
            return previous_le + (le - previous_le) * ((rank - previous_count) / width if width else 1)
        previous_le, previous_count = le, cumulative
    return float('inf')
print(f"{1000*total/max(count,1):.0f}/{1000*q(0.5):.0f}/{1000*q(0.99):.0f}")
PY
}
ANSWER=$(quantiles hotline_queue_answer_seconds)
CONNECT=$(quantiles hotline_queue_connect_seconds)

WALL=$(python3 -c "print(round($T1 - $T0, 1))")
CPU_PCT=$(python3 -c "print(round(100 * ($CPU1 - $CPU0) / $CLK / ($T1 - $T0), 1))")
CPU_PER_CALL=$(python3 -c "print(round(1000 * ($CPU1 - $CPU0) / $CLK / ($T1 - $T0) / max(1, $CALLS), 2))")
SENT=$(python3 -c "print(int(float('$SENT1') - float('$SENT0')))")
LOST=$(python3 -c "print(int(float('$LOST1') - float('$LOST0')))")

RESULTS=$HERE/RESULTS.md
MACHINE=$(machine)
ROW="| $(date -u +%Y-%m-%dT%H:%MZ) | $(nproc) | $CALLS | ${CONNECTED%.*} | ${SUCCESS:-?}/${FAILED:-?} | $CPU_PCT | $CPU_PER_CALL | $(python3 -c "print(round($HWM_KB/1024,1))") | $(field streams) | $(field dev_p50_ms) | $(field dev_p99_ms) | $(field dev_worst_ms) | $(field lost)/$LOST | $DROPS | $ANSWER | $CONNECT |"
echo "$ROW"
# The row goes at the end of the table under "## Bridged calls".
append_row "Bridged calls" "$ROW"
echo "$MACHINE; window ${WALL}s; hotline sent $SENT RTP packets in it; sipp rc=$SIPP_RC; logs in $WORK" >&2
