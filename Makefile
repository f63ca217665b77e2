# grader - build, test, bench.
#
#   make            build build/grader (release flags)
#   make setup      install what a fresh Debian/Ubuntu machine lacks (scripts/setup)
#   make demo       setup + build + grade the bundled reference e-commerce solution
#   make test       setup + build under ASan/UBSan + run every test (tests/run),
#                   make lint's check among them
#   make lint       function complexity <= 60 and length <= 500 lines, curl's
#                   limits, measured by pmccabe (scripts/lint, scripts/lint-ratchet);
#                   arrays grow through vec.h only (no other realloc in grader/)
#   make bench      setup + build + benchmarks (tests/bench/run)
#   make fuzz       libFuzzer harnesses (tests/fuzz/), FUZZ_SECONDS (20) each
#   make malloc-faults  every parser with each of its allocations failing in
#                   turn, all of them (make test tries a bounded sample)
#   make install    the binary, its data, the man page and the bash completion
#                   under $(PREFIX) (default /usr/local), staged under $(DESTDIR)
#   make image      the container image of deploy/kubernetes/indexed-job.yaml,
#                   from Debian's packages (deploy/build-image; root, podman;
#                   minutes: not part of make test)
#   make image-check  run that image as the Indexed Job would (deploy/check-image)

PKGS     := libgit2 yaml-0.1 libcjson sqlite3 libcurl libxml-2.0 libpcre2-8 libseccomp libcrypto libmicrohttpd
CC       ?= cc
WARN     := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wstrict-prototypes
BASE     := -std=gnu11 -D_GNU_SOURCE -DGRADER_DATADIR='"$(CURDIR)"' $(WARN) -Igrader
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread

# The command layer (main.c and its cmd_*.c files) is linked into the grader
# only; the unit tests link the modules.
CMDS     := grader/main.c $(wildcard grader/cmd_*.c)
SRCS     := $(filter-out $(CMDS),$(wildcard grader/*.c))
HDRS     := $(wildcard grader/*.h)
UNIT     := $(wildcard tests/unit/test_*.c)

REL_OBJS := $(SRCS:grader/%.c=build/rel/%.o)
SAN_OBJS := $(SRCS:grader/%.c=build/san/%.o)
SANFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
# grader/boot/__pycache__/grader_boot.cpython-3XY.pyc for the system python3
# (empty without one: the boot module is then compiled at each boot, as before)
BOOT_PYC := $(shell python3 -c 'import importlib.util as u; print(u.cache_from_source("grader/boot/grader_boot.py"))' 2>/dev/null)

.PHONY: all setup demo test bench bench-class clean unit install uninstall lint fuzz image image-check malloc-faults
all: build/grader build/grader.1

build/rel/%.o: grader/%.c $(HDRS) | build/rel
	$(CC) $(BASE) -O2 -g $(PKG_CFLAGS) -c $< -o $@
build/san/%.o: grader/%.c $(HDRS) | build/san
	$(CC) $(BASE) $(SANFLAGS) $(PKG_CFLAGS) -c $< -o $@

build/grader: $(CMDS:grader/%.c=build/rel/%.o) $(REL_OBJS) | $(BOOT_PYC)
	$(CC) -o $@ $^ $(PKG_LIBS)
build/san/grader: $(CMDS:grader/%.c=build/san/%.o) $(SAN_OBJS) | $(BOOT_PYC)
	$(CC) $(SANFLAGS) -o $@ $^ $(PKG_LIBS)
build/san/test_%: tests/unit/test_%.c tests/unit/t.h tests/unit/t_cases.h $(SAN_OBJS)
	$(CC) $(BASE) $(SANFLAGS) $(PKG_CFLAGS) -Itests/unit -o $@ $< $(SAN_OBJS) $(PKG_LIBS)

build/rel build/san:
	mkdir -p $@

# The boot module's bytecode for the system Python (grader/boot/run_boot.py
# imports it; docs/performance.md): each boot then skips compiling ~1,000
# lines. checked-hash: Python checks the source's hash at every import, so a
# stale file (an edit within the same second) is never used.
$(BOOT_PYC): grader/boot/grader_boot.py
	python3 -m compileall -q --invalidation-mode checked-hash grader/boot/grader_boot.py

# The corpus replay (make test) includes the harnesses themselves.
build/san/test_fuzz: $(wildcard tests/fuzz/*.c tests/fuzz/*.h)

# Fuzzing (not part of make test): every parser of what a submission
# controls, one libFuzzer binary per harness, built with clang; the modules
# get -fsanitize=fuzzer-no-link for coverage. tests/fuzz/run runs each for
# FUZZ_SECONDS, starting from tests/fuzz/corpus/NAME, and says where a
# finding went (keep it in the corpus: test_fuzz replays it).
FUZZ_CC      := clang
FUZZ_SAN     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_OBJS    := $(SRCS:grader/%.c=build/fuzz/obj/%.o)
FUZZ_SECONDS ?= 20

.SECONDARY: $(FUZZ_OBJS)
build/fuzz/obj/%.o: grader/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(filter-out -Werror,$(BASE)) $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c $< -o $@
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(FUZZ_OBJS)
	$(FUZZ_CC) $(filter-out -Werror,$(BASE)) $(FUZZ_SAN) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS)

fuzz: setup
	@$(MAKE) --no-print-directory $(FUZZ_NAMES:%=build/fuzz/fuzz_%)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run $(FUZZ_NAMES)

# Allocation faults (sqlite's malloc tests): tests/unit/test_malloc_faults.c
# fails allocation 1, 2, 3, ... of each parser in turn; make test runs it on
# a bounded sample, this target on every allocation.
malloc-faults: setup
	@$(MAKE) --no-print-directory build/san/test_malloc_faults
	@ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 MALLOC_FAULTS=all build/san/test_malloc_faults

# scripts/setup is idempotent and quick when everything is there already.
setup:
	@bash scripts/setup

unit: $(UNIT:tests/unit/%.c=build/san/%)

demo: setup
	@$(MAKE) --no-print-directory build/grader
	@bash scripts/demo

test: setup
	@$(MAKE) --no-print-directory build/san/grader unit
	@bash tests/run

# curl's limits: cyclomatic complexity <= 60 (pmccabe's modified McCabe
# number), <= 500 lines per function. Functions older than the limits are
# held where they are by scripts/lint-ratchet until they are split.
lint:
	@bash scripts/lint

bench: setup
	@$(MAKE) --no-print-directory build/grader
	@# Both benchmarks run even when the first misses a target (exit 1).
	@rc=0; bash tests/bench/run || rc=$$?; bash tests/bench/class || rc=$$?; exit $$rc

# Only the class benchmark: 100 submissions by grader batch beside xargs -P2.
bench-class: setup
	@$(MAKE) --no-print-directory build/grader
	@bash tests/bench/class

# The container image (docs/cluster.md): a debootstrap root imported as the
# base, deploy/Containerfile built FROM it; then the image run as the
# Indexed Job's pods and its gradebook compared with the host binary's.
image:
	@bash deploy/build-image
image-check: build/grader
	@bash deploy/check-image

# The man page: prose in docs/grader.1.in, the COMMANDS and COMMON OPTIONS
# sections from the command table (`grader help --man`), so the two agree.
VERSION := $(shell sed -n 's/^\#define GRADER_VERSION "\(.*\)"/\1/p' grader/result.h)
MANDATE := $(shell git log -1 --format=%cs 2>/dev/null || date +%F)
PREFIX  ?= /usr/local
BINDIR  := $(PREFIX)/bin
DATADIR := $(PREFIX)/share/grader
MANDIR  := $(PREFIX)/share/man/man1
COMPDIR := $(PREFIX)/share/bash-completion/completions
# The binary installed (and asked for the man page's commands); the tests
# install the sanitizer build with GRADER_BIN=build/san/grader.
GRADER_BIN ?= build/grader

build/grader.1: docs/grader.1.in $(GRADER_BIN)
	$(GRADER_BIN) help --man >build/commands.man
	sed -e '/^@COMMANDS@$$/{r build/commands.man' -e 'd;}' -e 's|@VERSION@|$(VERSION)|g' \
	    -e 's|@DATE@|$(MANDATE)|g' -e 's|@DATADIR@|$(DATADIR)|g' docs/grader.1.in >$@

# The installed binary finds its data at <bindir>/../share/grader (see
# cli_datadir), so an install staged under DESTDIR works where it lands.
install: $(GRADER_BIN) build/grader.1
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(COMPDIR)
	rm -rf $(DESTDIR)$(DATADIR)
	install -d $(DESTDIR)$(DATADIR)
	tar -cf - --exclude=__pycache__ --exclude='*.pyc' challenges sandboxes runtime grader/boot \
	    | tar -xf - --no-same-owner -C $(DESTDIR)$(DATADIR)
	python3 -m compileall -q --invalidation-mode checked-hash \
	    -d $(DATADIR)/grader/boot $(DESTDIR)$(DATADIR)/grader/boot/grader_boot.py
	install -m 755 $(GRADER_BIN) $(DESTDIR)$(BINDIR)/grader
	install -m 644 build/grader.1 $(DESTDIR)$(MANDIR)/grader.1
	install -m 644 completions/grader.bash $(DESTDIR)$(COMPDIR)/grader

uninstall:
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(DESTDIR)$(BINDIR)/grader $(DESTDIR)$(MANDIR)/grader.1 $(DESTDIR)$(COMPDIR)/grader

clean:
	rm -rf build
