# Convenience front end over CMake. `make demo` and `make test` are the
# README's quick start; everything else is plain CMake underneath.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
EVMAP = $(BUILD)/evmap
OUT = out

.PHONY: all deps configure build demo test asan tsan fuzz fuzz-run clean bench install

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The CLI, libevmap (shared and static), headers, geodata, evmap.pc and
# the CMake package under PREFIX; DESTDIR stages it for packaging.
PREFIX ?= /usr/local
install: build
	@DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

demo: build
	@scripts/demo.sh $(EVMAP) $(OUT)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	@$(MAKE) --no-print-directory test BUILD=build-asan \
	  CMAKE_FLAGS="-DEVM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS)"

# The tests of threaded code under ThreadSanitizer (build-tsan/): the
# batch pool, PNG bands painted on two threads, the base
# map projected on a second thread, the PDF writer, and the distance
# tables (ordered chunks, the matrix's shared columns, segment geodesics
# kept by the first query).
# GLib's slice allocator hands memory between threads in ways TSan cannot
# follow inside an uninstrumented GLib; G_SLICE=always-malloc makes it use
# malloc, which TSan tracks. tests/tsan.supp lists what remains, with why.
tsan:
	@$(MAKE) --no-print-directory build BUILD=build-tsan \
	  CMAKE_FLAGS="-DEVM_TSAN=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS)"
	@cd build-tsan && G_SLICE=always-malloc TSAN_OPTIONS="halt_on_error=1 \
	  exitcode=66 suppressions=$(CURDIR)/tests/tsan.supp" \
	  ctest --output-on-failure -j $(JOBS) -R "batch|paint|layout|golden|pdf|dist|nearest"

# libFuzzer targets over a library built with -fsanitize=fuzzer-no-link
# plus ASan and UBSan (build-fuzz/tests/fuzz_*_libfuzzer). Needs clang and
# its runtime (scripts/install-deps.sh installs them).
fuzz: deps
	@cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DEVM_FUZZ=ON \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target evm_fuzzers

# Runs every target for FUZZ_SECONDS each (CI: .ci/run), failing on any
# crash, leak or sanitizer report; prints each target's edges.
FUZZ_SECONDS ?= 25
fuzz-run: fuzz
	@scripts/fuzz-run.sh build-fuzz $(FUZZ_SECONDS)

bench: build
	@bench/run.sh $(EVMAP)

clean:
	rm -rf $(BUILD) build-asan build-tsan build-fuzz $(OUT)
