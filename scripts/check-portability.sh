#!/usr/bin/env bash
# scripts/check-portability.sh: the same commit must give the same traces
# whatever the compiler and standard library (DESIGN.md: "Determinism is the
# product"). Builds `roomsim` with clang 14 + libc++ 14 (the binary alone:
# the test and bench libraries of Debian are compiled against libstdc++) and
# compares, for every built-in scenario, a sweep of SEEDS seeds (default 30)
# with the GCC build's: failing seeds, per-property counts, the trace hashes
# of the failing seeds and the sweep trace hash that folds every seed's trace
# hash. On a difference it names the first seed whose trace hash differs.
#
# Usage: scripts/check-portability.sh GCC_BUILD_DIR LIBCXX_BUILD_DIR   (make check-portability)
# Exit 0 all identical, 1 a difference, 2 a build or usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

gcc_dir=${1:-build}
libcxx_dir=${2:-build-libcxx}
seeds=${SEEDS:-30}
jobs=${JOBS:-2}
gcc_bin=$gcc_dir/cli/roomsim
libcxx_bin=$libcxx_dir/cli/roomsim

if [ ! -x "$gcc_bin" ]; then
  echo "check-portability: $gcc_bin is missing; build it first (make build)" >&2
  exit 2
fi
for tool in clang++-14; do
  command -v "$tool" >/dev/null || { echo "check-portability: $tool is missing (scripts/install-deps.sh)" >&2; exit 2; }
done

echo "check-portability: building $libcxx_bin with clang++-14 -stdlib=libc++"
mkdir -p "$libcxx_dir"
if ! cmake -S . -B "$libcxx_dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-14 \
     -DCMAKE_CXX_FLAGS=-stdlib=libc++ -DCMAKE_EXE_LINKER_FLAGS=-stdlib=libc++ -DROOMSIM_BENCH=OFF \
     >"$libcxx_dir/configure.log" 2>&1; then
  cat "$libcxx_dir/configure.log" >&2
  exit 2
fi
cmake --build "$libcxx_dir" --target roomsim -j"$jobs" >"$libcxx_dir/build.log" 2>&1 || { tail -n 40 "$libcxx_dir/build.log" >&2; exit 2; }

gcc_build=$("$gcc_bin" version | sed -n 's/^build: //p')
libcxx_build=$("$libcxx_bin" version | sed -n 's/^build: //p')
echo "check-portability: $gcc_build against $libcxx_build, $seeds seeds of each built-in scenario"
case "$libcxx_build" in
  clang-*/libc++/*) ;;
  *) echo "check-portability: $libcxx_bin is not a clang + libc++ build ($libcxx_build)" >&2; exit 2 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A summary without what legitimately differs between two builds: wall-clock
# figures and the build identifier (also inside each replay command).
comparable() {
  sed -E '/"(wall_seconds|seeds_per_s|sim_wall_ratio|build)":/d; s/ --expect-build [^"]*//' "$1"
}

sweep() {  # binary scenario output.json
  local rc=0
  "$1" run "$2" --seeds "$seeds" --jobs "$jobs" --quiet --json "$3" >/dev/null 2>"$3.err" || rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "check-portability: $1 run $2 failed (exit $rc):" >&2
    cat "$3.err" >&2
    exit 2
  fi
}

same=0
different=0
for file in scenarios/builtin/*.json; do
  scenario=$(basename "$file" .json)
  sweep "$gcc_bin" "$scenario" "$work/$scenario.gcc.json"
  sweep "$libcxx_bin" "$scenario" "$work/$scenario.libcxx.json"
  hash=$(sed -n 's/.*"sweep_trace_hash": "\([0-9a-f]*\)".*/\1/p' "$work/$scenario.gcc.json")
  if diff -u <(comparable "$work/$scenario.gcc.json") <(comparable "$work/$scenario.libcxx.json") \
       >"$work/$scenario.diff"; then
    echo "  same       $scenario: sweep trace hash $hash"
    same=$((same + 1))
    continue
  fi
  different=$((different + 1))
  echo "  DIFFERENT  $scenario:"
  sed -n '3,40p' "$work/$scenario.diff" | sed 's/^/    /'
  for seed in $(seq 1 "$seeds"); do
    a=$("$gcc_bin" replay "$scenario" --seed "$seed" | sed -n 's/^trace-hash: //p' || true)
    b=$("$libcxx_bin" replay "$scenario" --seed "$seed" | sed -n 's/^trace-hash: //p' || true)
    if [ "$a" != "$b" ]; then
      echo "    first differing seed: $seed ($a with GCC, $b with libc++); compare"
      echo "      $gcc_bin replay $scenario --seed $seed --trace gcc.jsonl"
      echo "      $libcxx_bin replay $scenario --seed $seed --trace libcxx.jsonl"
      echo "      $gcc_bin diff gcc.jsonl libcxx.jsonl"
      break
    fi
  done
done
echo "check-portability: $same passed, $different failed"
[ "$different" -eq 0 ]
