#!/usr/bin/env bash
# scripts/run-fuzz.sh BUILD_DIR SECONDS [TARGET...]: runs every libFuzzer
# target built in BUILD_DIR/tests/fuzz (or the named ones) for SECONDS each,
# over its committed seed corpus tests/fuzz/corpus/<name>/ plus a working
# corpus BUILD_DIR/fuzz-corpus/<name>/ that keeps what the runs discover.
# Crashes go to BUILD_DIR/fuzz-artifacts/. Prints executions and exec/s per
# target; exits 1 when any target found a crash. `make fuzz` calls this.
set -uo pipefail

build_dir=${1:?usage: run-fuzz.sh BUILD_DIR SECONDS [TARGET...]}
seconds=${2:?usage: run-fuzz.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
suppressions="$root/scripts/sanitizers/lsan.supp"
symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$suppressions}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
[ -n "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$symbolizer"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for t in "$build_dir"/tests/fuzz/*_fuzz; do [ -x "$t" ] && targets+=("$(basename "$t")"); done
fi
if [ ${#targets[@]} -eq 0 ]; then
  echo "run-fuzz: no fuzz targets in $build_dir/tests/fuzz (build them with: make fuzz)" >&2
  exit 2
fi

mkdir -p "$build_dir/fuzz-artifacts"
failed=0
printf '%-24s %12s %10s  %s\n' target execs exec/s result
for t in "${targets[@]}"; do
  name=${t%_fuzz}
  work="$build_dir/fuzz-corpus/$name"
  seeds="$root/tests/fuzz/corpus/$name"
  mkdir -p "$work"
  [ -d "$seeds" ] || seeds=""
  log="$build_dir/fuzz-artifacts/$name.log"
  "$build_dir/tests/fuzz/$t" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=4096 \
    -artifact_prefix="$build_dir/fuzz-artifacts/$name-" "$work" $seeds >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  result=ok
  if [ $rc -ne 0 ]; then
    result="CRASH (exit $rc): see $log and $build_dir/fuzz-artifacts/$name-*"
    failed=1
  fi
  printf '%-24s %12s %10s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$result"
done
cat <<TXT
Longer runs: make fuzz FUZZ_SECONDS=3600, or one target until N executions:
  $build_dir/tests/fuzz/<name>_fuzz -runs=10000000 -print_final_stats=1 $build_dir/fuzz-corpus/<name> tests/fuzz/corpus/<name>
A crash input replays with: $build_dir/tests/fuzz/<name>_fuzz <artifact file>
TXT
exit $failed
