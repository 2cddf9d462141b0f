#!/usr/bin/env bash
# scripts/install-deps.sh [--portability | --dev]: installs, with apt-get, the
# Debian packages roomsim needs that are missing. Idempotent: prints "all
# dependencies present" and changes nothing when everything is there. Uses
# sudo when not root.
#   scripts/install-deps.sh                what `make demo` and `make test` need
#   scripts/install-deps.sh --portability  also clang 14 and libc++ 14, for
#                                          `make check-portability`
#   scripts/install-deps.sh --dev          also what only the developer checks
#                                          need (`make fuzz`, `make test-sanitize`):
#                                          clang 14 with its sanitizer and libFuzzer
#                                          runtimes, and llvm-symbolizer. (GCC's own
#                                          ASan/UBSan/TSan runtimes come with g++.)
set -euo pipefail

packages=(
  libboost1.81-dev nlohmann-json3-dev librapidcheck-dev libgtest-dev libbenchmark-dev
  libgraphviz-dev graphviz libsqlite3-dev libcli11-dev libssl-dev libyaml-cpp-dev
  cmake g++ make ccache pkg-config chromium
)
if [ "${1:-}" = "--portability" ]; then
  packages+=(clang-14 libc++-14-dev libc++abi-14-dev)
elif [ "${1:-}" = "--dev" ]; then
  packages+=(clang-14 libclang-rt-14-dev llvm-14)
elif [ $# -gt 0 ]; then
  echo "usage: $0 [--portability | --dev]" >&2
  exit 2
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all dependencies present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: not root and sudo is missing; install as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo_cmd[@]}" apt-get update -qq; then
  echo "install-deps: 'apt-get update' failed; check the network or the apt sources" >&2
  exit 1
fi
if ! "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
  echo "install-deps: 'apt-get install ${missing[*]}' failed (see the apt output above)." >&2
  echo "install-deps: note that libboost1.81-dev conflicts with the 1.74 libboost-*-dev packages." >&2
  exit 1
fi
echo "install-deps: done"
