# dmabench: the phys-addr DMA series for Linux 6.12 and its evidence.
#
#   make bench      build both kernels, boot each under QEMU, run the
#                   benchmark matrix, write results/<timestamp>/, REPORT.md
#   make test       the tests: bench unit tests, series checks, patched
#                   kernel build, KUnit in three guest boots, smoke runs
#
# Building blocks: deps, kernel, kernel-base, kernel-debug, tools,
# series-check, report RUN=<dir>, plots RUN=<dir>, cover-letter-table RUN=<dir>,
# bench-aa (the verdict's A/A check), bisect, bench-bisect (per-patch cost),
# bench-dmabuf (dma-buf import: sg_table vs phys list, revoke latency),
# clean, distclean.
# Host mode: make bench HOST=1 (runs natively on the running kernel).

SHELL := /bin/sh
TOP := $(CURDIR)
WORK ?= $(TOP)/build
export TOP WORK

.PHONY: all bench test test-debug deps kernel kernel-base kernel-debug tools \
	series-check report plots cover-letter-table bench-aa bench-bisect bench-dmabuf \
	bisect clean distclean

all: test

deps:
	@sh scripts/deps.sh

kernel: deps
	sh scripts/kernel-build.sh patched

kernel-base: deps
	sh scripts/kernel-build.sh base

kernel-debug: deps
	sh scripts/kernel-build.sh patched debug

tools: deps
	$(MAKE) -s -C bench

series-check: deps
	sh scripts/series-check.sh

bench: deps
	sh scripts/bench.sh

# The cost of each patch: build after every patch, one icount boot per
# point, a per-patch table and plot (results/bisect-<timestamp>/per-patch/).
bench-bisect: deps
	FROM="$(FROM)" sh scripts/bench-bisect.sh

# The importer side of series part 3: a vfio-pci dma-buf mapped through the
# sg_table and through the phys list, and the revoke latency
# (results/dmabuf-<timestamp>/dmabuf-import.txt).
bench-dmabuf: deps
	sh scripts/bench-dmabuf.sh

# A/A: one kernel booted twice per setup, judged by the report's verdict.
bench-aa: deps
	sh scripts/bench-aa.sh

test: deps
	sh scripts/test.sh

# The same stages on the debug kernel (KASAN, DMA_API_DEBUG, lockdep, kmemleak).
test-debug: deps
	TEST_VARIANT=debug sh scripts/test.sh

report:
	@test -n "$(RUN)" || { echo "usage: make report RUN=results/<timestamp>" >&2; exit 2; }
	sh scripts/report.sh "$(RUN)"

# The figures of a run alone (make report draws them too): RUN/plots/.
plots:
	@test -n "$(RUN)" || { echo "usage: make plots RUN=results/<timestamp>" >&2; exit 2; }
	@$(MAKE) -s -C bench
	sh plots/plot.sh "$(RUN)"

# A base-vs-patched table of at most 72 columns for the cover letter;
# PAIR=<boot>/<config> picks one (default: the icount boot's kmod config).
cover-letter-table:
	@test -n "$(RUN)" || { echo "usage: make cover-letter-table RUN=results/<timestamp> [PAIR=<boot>/<config>]" >&2; exit 2; }
	@$(MAKE) -s -C bench
	@sh scripts/cover-letter-table.sh "$(RUN)" $(PAIR)

bisect: deps
	FROM="$(FROM)" sh scripts/bisect.sh

clean:
	$(MAKE) -s -C bench clean

# Removes the unpacked trees, object dirs and VM images; ccache survives.
distclean: clean
	rm -rf "$(WORK)"
