#!/usr/bin/env bash
# Regenerates results/tuning/ (= npm run results:tuning): the program is src/results/tuning/main.ts,
# what it sweeps and reports is results/tuning/plan.json. Options: --help.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
exec node dist/src/results/tuning/main.js "$@"
