#!/usr/bin/env bash
# Makes audio/hold-music.wav: a gentle 16-second plucked arpeggio (C, A minor, F, G), 8 kHz mono,
# that callers hear looped while they wait for an agent. Generated here with SoX, so no
# third-party music; `sox -R` makes it byte for byte repeatable.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
index=0
for chord in "C3 E3 G3 C4" "A2 C3 E3 A3" "F2 A2 C3 F3" "G2 B2 D3 G3"; do
  for repeat in 1 2; do
    for note in $chord; do
      sox -R -n -r 8000 -c 1 -b 16 "$work/$(printf %03d $index).wav" \
        synth 0.5 pluck "$note" fade 0.005 0.5 0.1 vol 0.35
      index=$((index + 1))
    done
  done
done
sox -R "$work"/*.wav -r 8000 -c 1 -b 16 -e signed-integer "$here/audio/hold-music.wav" \
  reverb 30 gain -n -14
echo "wrote $here/audio/hold-music.wav"
