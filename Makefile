# roomsim: the two commands of README.md, and the developers' checks.
#   make demo           install missing dependencies, build (Release, -j2), run the main job
#   make test           install missing dependencies, build, run the whole test suite (what CI runs)
#   make fuzz           build the libFuzzer targets (clang) and run each for FUZZ_SECONDS over its corpus
#   make test-sanitize  the whole suite under ASan+UBSan, then the live tests under TSan
# Builds of `make demo`/`make test` treat warnings as errors (ROOMSIM_WERROR).
BUILD_DIR ?= build
JOBS ?= 2
CMAKE_FLAGS ?=
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 20
FUZZ_CXX ?= clang++-14
ASAN_BUILD_DIR ?= build-asan
TSAN_BUILD_DIR ?= build-tsan
RC_SEED ?= 20261127

SANITIZER_ENV = ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=0 \
  LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/sanitizers/lsan.supp:print_suppressions=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(CURDIR)/scripts/sanitizers/tsan.supp

.PHONY: demo test build deps deps-dev configure clean fuzz fuzz-build test-sanitize test-asan test-tsan

deps:
	@./scripts/install-deps.sh

deps-dev:
	@./scripts/install-deps.sh --dev

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DROOMSIM_WERROR=ON $(CMAKE_FLAGS) > $(BUILD_DIR).configure.log 2>&1 || \
	  (cat $(BUILD_DIR).configure.log; exit 1)

build: configure
	@cmake --build $(BUILD_DIR) -j$(JOBS)

demo: build
	@./$(BUILD_DIR)/cli/roomsim demo

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

# libFuzzer targets (tests/fuzz/*_fuzz.cpp), every library instrumented with ASan+UBSan.
fuzz-build: deps-dev
	@cmake -S . -B $(FUZZ_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=$(FUZZ_CXX) \
	  -DROOMSIM_FUZZ=ON -DROOMSIM_BENCH=OFF $(CMAKE_FLAGS) > $(FUZZ_BUILD_DIR).configure.log 2>&1 || \
	  (cat $(FUZZ_BUILD_DIR).configure.log; exit 1)
	@cmake --build $(FUZZ_BUILD_DIR) -j$(JOBS) --target roomsim_fuzz

fuzz: fuzz-build
	@./scripts/run-fuzz.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (fatal), then
# the live tests (the server's threads) under ThreadSanitizer. GCC's sanitizers.
test-sanitize: test-asan test-tsan

test-asan: deps-dev
	@cmake -S . -B $(ASAN_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROOMSIM_SANITIZE=address,undefined \
	  -DROOMSIM_BENCH=OFF $(CMAKE_FLAGS) > $(ASAN_BUILD_DIR).configure.log 2>&1 || \
	  (cat $(ASAN_BUILD_DIR).configure.log; exit 1)
	@cmake --build $(ASAN_BUILD_DIR) -j$(JOBS)
	@cd $(ASAN_BUILD_DIR) && $(SANITIZER_ENV) ctest --output-on-failure -j$(JOBS)

test-tsan: deps-dev
	@cmake -S . -B $(TSAN_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROOMSIM_SANITIZE=thread \
	  -DROOMSIM_BENCH=OFF $(CMAKE_FLAGS) > $(TSAN_BUILD_DIR).configure.log 2>&1 || \
	  (cat $(TSAN_BUILD_DIR).configure.log; exit 1)
	@cmake --build $(TSAN_BUILD_DIR) -j$(JOBS) --target roomsim roomsim_tests_live
	@$(SANITIZER_ENV) RC_PARAMS=seed=$(RC_SEED) ./$(TSAN_BUILD_DIR)/tests/roomsim_tests_live

clean:
	rm -rf $(BUILD_DIR) $(BUILD_DIR).configure.log

# make check-portability: a clang 14 + libc++ build of roomsim must give the
# GCC build's trace hashes on every built-in scenario (scripts/check-portability.sh).
.PHONY: check-portability
check-portability: build
	@./scripts/install-deps.sh --portability
	@./scripts/check-portability.sh $(BUILD_DIR) $(BUILD_DIR)-libcxx
