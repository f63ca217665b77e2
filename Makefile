# grader - build, test, bench.
#
#   make            build build/grader (release flags)
#   make setup      install what a fresh Debian/Ubuntu machine lacks (scripts/setup)
#   make demo       setup + build + grade the bundled reference e-commerce solution
#   make test       setup + build under ASan/UBSan + run every test (tests/run)
#   make bench      setup + build + benchmarks (tests/bench/run)

PKGS     := libgit2 yaml-0.1 libcjson sqlite3 libcurl libxml-2.0 libpcre2-8 libseccomp libcrypto
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

.PHONY: all setup demo test bench clean unit
all: build/grader

build/rel/%.o: grader/%.c $(HDRS) | build/rel
	$(CC) $(BASE) -O2 -g $(PKG_CFLAGS) -c $< -o $@
build/san/%.o: grader/%.c $(HDRS) | build/san
	$(CC) $(BASE) $(SANFLAGS) $(PKG_CFLAGS) -c $< -o $@

build/grader: $(CMDS:grader/%.c=build/rel/%.o) $(REL_OBJS)
	$(CC) -o $@ $^ $(PKG_LIBS)
build/san/grader: $(CMDS:grader/%.c=build/san/%.o) $(SAN_OBJS)
	$(CC) $(SANFLAGS) -o $@ $^ $(PKG_LIBS)
build/san/test_%: tests/unit/test_%.c tests/unit/t.h $(SAN_OBJS)
	$(CC) $(BASE) $(SANFLAGS) $(PKG_CFLAGS) -Itests/unit -o $@ $< $(SAN_OBJS) $(PKG_LIBS)

build/rel build/san:
	mkdir -p $@

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

bench: setup
	@$(MAKE) --no-print-directory build/grader
	@bash tests/bench/run

clean:
	rm -rf build
