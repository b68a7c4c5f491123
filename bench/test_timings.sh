#!/usr/bin/env bash
# Timing of three end-to-end call tests, which check only what happens, not how fast: run here in
# a release build (`cargo test --release`, with the voice models of `make models`), one test at a
# time, RUNS times, with HOTLINE_BENCH_FIGURES set so that each writes down what it measured:
# - sip_calls::greeting_arrives_as_one_unbroken_rtp_stream: arrival gaps between the greeting's
#   RTP packets at the caller (median, share within 20 ± 5 ms, worst);
# - bad_input::invite_flood_gets_bounded_answers: how long the test took to send its 200 INVITEs,
#   and the worst gap in the RTP of the call that was up during the flood;
# - sip_calls::sigterm_drains_calls_and_rejects_new_ones: SIGTERM to exit, with one call drained
#   (drain timeout 4 s).
# Appends a row to the "Call tests' timing" table of RESULTS.md.
#
# usage: bench/test_timings.sh [RUNS=3]
set -euo pipefail
RUNS=${1:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/hotline-target}
WORK=$(mktemp -d /tmp/hotline-test-timings.XXXXXX)
export HOTLINE_BENCH_FIGURES=$WORK/figures

# shellcheck source=bench/common.sh
source "$HERE/common.sh"

for run in $(seq "$RUNS"); do
  if ! (cd "$REPO" && cargo test --release --locked --test sip_calls --test bad_input -- \
      --test-threads=1 greeting_arrives_as_one_unbroken_rtp_stream \
      invite_flood_gets_bounded_answers sigterm_drains_calls_and_rejects_new_ones) \
      >"$WORK/run-$run.log" 2>&1; then
    tail -60 "$WORK/run-$run.log"; echo "run $run failed; logs in $WORK"; exit 1
  fi
  echo "run $run done" >&2
done

# "min-max" (or the one value) of figure NAME over the runs, times SCALE, with UNIT.
figure() {
  python3 - "$HOTLINE_BENCH_FIGURES" "$1" "$2" "$3" <<'PY'
import sys
path, name, scale, unit = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
values = sorted(float(v) * scale for n, v in (line.split() for line in open(path)) if n == name)
if not values:
    sys.exit(f"no figure {name} in {path}")
low, high = f"{values[0]:.3g}", f"{values[-1]:.3g}"
print(f"{low}{unit}" if low == high else f"{low}-{high}{unit}")
PY
}

ROW="| $(date -u +%Y-%m-%dT%H:%MZ) | $(machine) | $(nproc) | $RUNS \
| $(figure greeting_rtp_median_gap_ms 1 " ms") | $(figure greeting_rtp_within_5ms_share 100 " %") \
| $(figure greeting_rtp_worst_gap_ms 1 " ms") | $(figure flood_invites_sent_seconds 1 " s") \
| $(figure flood_good_call_worst_rtp_gap_ms 1 " ms") | $(figure sigterm_to_exit_seconds 1 " s") |"
echo "$ROW"
append_row "Call tests' timing" "$ROW"
echo "figures and logs in $WORK" >&2
