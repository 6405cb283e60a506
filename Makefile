# The two set-up commands: `make demo` and `make test`. Both install what is missing first.
PRESET ?= $(if $(CI),ci,release)
BUILD  := build/$(PRESET)
JOBS   ?= 2
# Seconds each fuzz target runs in `make fuzz` (CI: 5).
FUZZ_SECONDS ?= 60

.PHONY: all deps configure build program demo test bench soak asan fuzz format format-check package clean

all: build

deps:
	@scripts/install-deps

configure: deps
	@cmake --preset $(PRESET) >/dev/null

# Everything: the program, the tests, the benchmarks.
build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

# Only what the demo runs: the hakto program.
program: configure
	@cmake --build --preset $(PRESET) -j $(JOBS) --target hakto

demo: program
	$(BUILD)/hakto replay

# The Debian package (CPack, cmake/HaktoPackage.cmake): the program of the preset (release; ci
# under CI), then cpack in its build folder; prints the path of the .deb.
# scripts/check-package installs it and tries it.
package: program
	@cd $(BUILD) && cpack -G DEB >cpack.log 2>&1 || { cat cpack.log; exit 1; }
	@sed -n 's/^CPack: - package: \(.*\) generated\.$$/\1/p' $(BUILD)/cpack.log

test: build
	ctest --preset $(PRESET)

bench: build
	@scripts/run-bench $(BUILD)

# Ten minutes of traffic through the exhibit, a relay and two stations as processes; resident
# memory and open descriptors sampled (tests/bench/bench_soak.cpp). SOAK_SECONDS=120 for less.
SOAK_SECONDS ?= 600
soak: build
	$(BUILD)/bench/bench_soak $(SOAK_SECONDS)

# The tests again under AddressSanitizer and UndefinedBehaviorSanitizer (a second, Debug build).
asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	ctest --preset asan

# The libFuzzer targets (clang++-14), each run for FUZZ_SECONDS; fails on any crash.
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) scripts/run-fuzz

# Every C++ file rewritten to .clang-format; `make format-check` (run by CI) fails on any file
# that is not, and on any line past 100 columns.
format:
	@git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' | xargs clang-format-14 -i

format-check: deps
	@scripts/format-check

clean:
	rm -rf build
