#!/usr/bin/env bash
# npm run props:deep — the deep run of the property suites, the hardening suites and the CLI fuzz
# suite (issue 8). CI runs the same files with small counts; here every knob is large. Any knob
# set in the environment wins, e.g.  CRASH_KILLS=20 npm run props:deep
#   PROPS_RUNS    cases per property suite (capped per suite where one case is a search)   100000
#   MATRIX_SEEDS  seeds per point of each determinism-matrix sweep                          1000
#   MATRIX_CASES  random sweeps per model in the determinism matrix                         2
#   CRASH_KILLS   SIGKILLs before the crash-safety sweep is resumed                         100
#   FUZZ_RUNS     fuzzed CLI argument vectors (scenario flags ×3, scenario files ×2)        10000
#   TAMPER_CASES  tampered sweep files, each resumed, reported and merged (issue 20)         2000
#   RACE_ROUNDS   rounds of 2–3 livesims racing on one --out, some killed (issue 20)          30
#   PROPS_SEED / FUZZ_SEED  which cases (printed in every suite title)
#   ENGINE_SEEDS / ENGINE_CLIENTS / ENGINE_UNTIL  the Slurm + GNU parallel sweep (test/integration)  32 / 200 / 1h
# Extra arguments go to vitest, e.g.  npm run props:deep -- properties/hardening
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build >/dev/null || echo "props:deep: the build reported errors (tsc still emits the JavaScript); running the suites anyway" >&2
export PROPS_RUNS="${PROPS_RUNS:-100000}"
export MATRIX_SEEDS="${MATRIX_SEEDS:-1000}"
export MATRIX_CASES="${MATRIX_CASES:-2}"
export CRASH_KILLS="${CRASH_KILLS:-100}"
export FUZZ_RUNS="${FUZZ_RUNS:-10000}"
export TAMPER_CASES="${TAMPER_CASES:-2000}"
export RACE_ROUNDS="${RACE_ROUNDS:-30}"
export ENGINE_SEEDS="${ENGINE_SEEDS:-32}" ENGINE_CLIENTS="${ENGINE_CLIENTS:-200}" ENGINE_UNTIL="${ENGINE_UNTIL:-1h}"
export LIVESIM_ENGINE_TESTS=1 # vitest.config.ts leaves test/integration out of npm test
echo "props:deep: PROPS_RUNS=$PROPS_RUNS MATRIX_SEEDS=$MATRIX_SEEDS MATRIX_CASES=$MATRIX_CASES CRASH_KILLS=$CRASH_KILLS FUZZ_RUNS=$FUZZ_RUNS TAMPER_CASES=$TAMPER_CASES RACE_ROUNDS=$RACE_ROUNDS ENGINE_SEEDS=$ENGINE_SEEDS"
full=$(($# == 0))
if [ "$#" -eq 0 ]; then set -- properties test/fuzz-cli.test.ts; fi
if [ "$full" = 1 ]; then set -- "$@" test/integration; fi # sweeps on real engines: Slurm array, GNU parallel (issue 22)
exec node scripts/vitest-summary.mjs "$@"
