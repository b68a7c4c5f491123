#!/usr/bin/env bash
# Speech synthesis: `hotline say --rate 8000` (release build, the configured Piper voice) on a
# text of three sentences, RUNS times. Calls speak sentence by sentence, so what a caller waits
# for is the first sentence: "first audio" is the time from asking to the first sentence's audio,
# as `hotline say` reports it, with the voice's load time and the real-time factor of the whole
# text. Appends a row to the "Speech synthesis" table of RESULTS.md.
#
# usage: bench/synthesis.sh [RUNS=3]
#        HOTLINE_BIN=path skips the cargo build; HOTLINE_SAY_TEXT replaces the text;
#        HOTLINE_SAY_VOICE names another registered voice (named in the row).
set -euo pipefail
RUNS=${1:-3}
TEXT=${HOTLINE_SAY_TEXT:-"Thank you for calling Hotline, your order has shipped and should arrive on Monday morning. Press one for orders. Press two for returns."}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/hotline-target}
WORK=$(mktemp -d /tmp/hotline-synthesis-bench.XXXXXX)

# shellcheck source=bench/common.sh
source "$HERE/common.sh"
release_binary

VOICE_ARGUMENTS=(); VOICE_LABEL=""
if [[ -n "${HOTLINE_SAY_VOICE:-}" ]]; then
  VOICE_ARGUMENTS=(--voice "$HOTLINE_SAY_VOICE"); VOICE_LABEL="$HOTLINE_SAY_VOICE, "
fi

LOADS=(); FIRSTS=(); FACTORS=()
for run in $(seq "$RUNS"); do
  "$HOTLINE_BIN" say --models "$REPO/voice-models" "${VOICE_ARGUMENTS[@]}" --rate 8000 --text "$TEXT" --out "$WORK/say-$run.wav" \
    2>"$WORK/say-$run.log"
  # "... (voice loaded in 1.07 s; first audio after 0.281 s; synthesis 0.401 s, real-time factor 0.053)"
  line=$(grep 'first audio after' "$WORK/say-$run.log")
  LOADS+=("$(sed -E 's/.*voice loaded in ([0-9.]+) s.*/\1/' <<<"$line")")
  FIRSTS+=("$(sed -E 's/.*first audio after ([0-9.]+) s.*/\1/' <<<"$line")")
  FACTORS+=("$(sed -E 's/.*real-time factor ([0-9.]+).*/\1/' <<<"$line")")
  echo "run $run: $line" >&2
done

# "min-max" of some numbers, each with the given unit.
span() { python3 -c 'import sys; unit = sys.argv[1]; v = sorted(float(x) for x in sys.argv[2:]); print(f"{v[0]:g}{unit}" if v[0] == v[-1] else f"{v[0]:g}-{v[-1]:g}{unit}")' "$@"; }
SECONDS_OF_AUDIO=$(sed -nE 's/.*: ([0-9.]+) s at 8000 Hz.*/\1/p' "$WORK/say-1.log")
ROW="| $(date -u +%Y-%m-%dT%H:%MZ) | $(machine) | $(nproc) | ${VOICE_LABEL}three sentences, ${SECONDS_OF_AUDIO} s, $RUNS runs | $(span " s" "${LOADS[@]}") | $(span " s" "${FIRSTS[@]}") | $(span "" "${FACTORS[@]}") |"
echo "$ROW"
append_row "Speech synthesis" "$ROW"
echo "logs in $WORK" >&2
