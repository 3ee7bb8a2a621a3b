#!/usr/bin/env bash
# Regenerates results/capacity/ (= npm run results:capacity): the program is src/results/capacity/main.ts,
# which runs it does is results/capacity/plan.json. Options: --help.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
exec node dist/src/results/capacity/main.js "$@"
