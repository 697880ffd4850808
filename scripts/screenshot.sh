#!/usr/bin/env bash
# Runs the window under Xvfb on the sample study, showing P01's coded
# transcript, and saves a screenshot.
# Needs: apt-get install xvfb xauth imagemagick xdotool
set -euo pipefail
out="${1:-docs/screenshot.png}"
mkdir -p "$(dirname "$out")"
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -p storyloom
export XDG_DATA_HOME="$(mktemp -d)"   # a fresh working copy of the sample study
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  ./target/release/storyloom --document P01 & pid=$!
  for i in $(seq 1 60); do
    win=$(xdotool search --name "^Storyloom$" 2>/dev/null | head -1) && [ -n "$win" ] && break
    sleep 0.5
  done
  sleep 2
  sleep 1
  import -window root "'"$out"'"
  kill $pid
'
echo "saved $out"
