# Convenience front end over CMake. `make demo` and `make test` are the
# README's quick start; everything else is plain CMake underneath.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
EVMAP = $(BUILD)/evmap
OUT = out

.PHONY: all deps configure build demo test asan tsan clean bench

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo.sh $(EVMAP) $(OUT)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	@$(MAKE) --no-print-directory test BUILD=build-asan \
	  CMAKE_FLAGS="-DEVM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS)"

bench: build
	@bench/run.sh $(EVMAP)

clean:
	rm -rf $(BUILD) build-asan $(OUT)
