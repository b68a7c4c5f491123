#!/usr/bin/env bash
# Prepares a speech-recognition test set of real recorded telephone prompts: Allison Smith's
# Asterisk core sounds (Debian packages asterisk-core-sounds-en and -en-wav, CC-BY-SA-3.0),
# 8 kHz WAV with the transcripts from core-sounds-en.txt. Writes NAME.wav + NAME.txt pairs into
# the directory given (default ~/.cache/hotline-bench/asterisk-prompts) and prints its path.
# Usage: bench/asterisk-prompts.sh [DIRECTORY] [COUNT]
set -euo pipefail
target="${1:-$HOME/.cache/hotline-bench/asterisk-prompts}"
count="${2:-60}"
if [ -f "$target/.complete" ]; then
    echo "$target"
    exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download asterisk-core-sounds-en asterisk-core-sounds-en-wav >/dev/null 2>&1) || {
    echo "could not download asterisk-core-sounds-en(-wav) with apt-get download" >&2
    exit 1
}
for package in "$work"/*.deb; do dpkg-deb -x "$package" "$work/root"; done
sounds="$work/root/usr/share/asterisk/sounds/en_US_f_Allison"
mkdir -p "$target"
# Prompts with plain spoken text (no [tone] descriptions or elisions) of 1 to 8 seconds,
# every n-th one in name order so the set spans the whole catalogue.
zcat "$work/root/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz" |
    grep -E '^[a-z0-9-]+: ' | grep -v -E '\[|\.\.\.|[0-9]' | sort |
    while IFS= read -r line; do
        name="${line%%: *}"
        text="${line#*: }"
        file="$sounds/$name.wav"
        [ -f "$file" ] || continue
        seconds=$(soxi -D "$file" 2>/dev/null || echo 0)
        awk -v s="$seconds" 'BEGIN { exit !(s >= 1 && s <= 8) }' || continue
        printf '%s\t%s\n' "$name" "$text"
    done >"$work/candidates.tsv"
total=$(wc -l <"$work/candidates.tsv")
step=$(( total / count > 0 ? total / count : 1 ))
awk -F'\t' -v step="$step" -v count="$count" 'NR % step == 0 && kept < count { print; kept++ }' \
    "$work/candidates.tsv" | while IFS=$'\t' read -r name text; do
    cp "$sounds/$name.wav" "$target/$name.wav"
    printf '%s\n' "$text" >"$target/$name.txt"
done
touch "$target/.complete"
echo "$target"
