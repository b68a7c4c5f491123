#!/usr/bin/env bash
# Records every demo prompt listed in audio/prompts.tsv with the configured Piper voice, as
# 8 kHz mono WAV (the call rate, so no conversion is needed at start-up).
# usage: prompts/demo/record.sh [HOTLINE_BINARY] [MODELS_DIRECTORY]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hotline=${1:-hotline}
models=${2:-$here/../../voice-models}
grep -v '^#' "$here/audio/prompts.tsv" | while IFS=$'\t' read -r file text; do
  [ -n "$file" ] || continue
  "$hotline" say --models "$models" --rate 8000 --text "$text" --out "$here/audio/$file.new" 2>/dev/null
  mv "$here/audio/$file.new" "$here/audio/$file"
  echo "recorded $file"
done
