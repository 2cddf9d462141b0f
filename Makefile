# roomsim: the two commands of README.md.
#   make demo   install missing dependencies, build (Release, -j2), run the main job
#   make test   install missing dependencies, build, run the whole test suite
BUILD_DIR ?= build
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: demo test build deps configure clean

deps:
	@./scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) > $(BUILD_DIR).configure.log 2>&1 || \
	  (cat $(BUILD_DIR).configure.log; exit 1)

build: configure
	@cmake --build $(BUILD_DIR) -j$(JOBS)

demo: build
	@./$(BUILD_DIR)/cli/roomsim demo

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

clean:
	rm -rf $(BUILD_DIR) $(BUILD_DIR).configure.log

# make check-portability: a clang 14 + libc++ build of roomsim must give the
# GCC build's trace hashes on every built-in scenario (scripts/check-portability.sh).
.PHONY: check-portability
check-portability: build
	@./scripts/install-deps.sh --portability
	@./scripts/check-portability.sh $(BUILD_DIR) $(BUILD_DIR)-libcxx
