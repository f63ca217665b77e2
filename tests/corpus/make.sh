#!/usr/bin/env bash
# tests/corpus/make.sh CASE DEST - write one corpus case into DEST (a new
# folder): the e-commerce reference solution plus the one change that makes
# it look like a real student repository (issue 5). The cases are data, one
# file each: tests/data/corpus/CASE.case, a header of comments saying what
# the grade must be (read by tests/e2e/test_corpus.sh; see
# tests/data/README.md), then the change as shell run here, in DEST, with
# S (the settings file), HERE (this folder: cases/ holds the files some
# cases copy in) and replace_line. The repositories are generated, not
# committed, so there is one copy of the project to keep correct.
#
#   make.sh --list        the case names, one a line
#
# PYTHON (an interpreter with Django) is needed by `committed_db` only, which
# runs the project's own migrate to commit a database full of data.
#
# Hosts: a case that points at a database elsewhere names a host under the
# reserved .invalid domain; nothing here ever reaches the network.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SOL=$ROOT/challenges/ecommerce-api/solution
DATA=$ROOT/tests/data/corpus

if [ "${1:-}" = --list ]; then
	for f in "$DATA"/*.case; do
		basename "$f" .case
	done
	exit 0
fi
[ $# -eq 2 ] || { echo "usage: $0 CASE DEST | --list" >&2; exit 2; }
CASE=$1 DEST=$2
case $CASE in *[!a-z0-9_]* | "") echo "unknown case: $CASE" >&2; exit 2 ;; esac
[ -f "$DATA/$CASE.case" ] || { echo "unknown case: $CASE" >&2; exit 2; }
[ ! -e "$DEST" ] || { echo "$DEST exists" >&2; exit 2; }

mkdir -p "$DEST"
cp -a "$SOL/." "$DEST/"
cd "$DEST"
S=config/settings.py

# Replace one whole line of a file (exact match) with the text on stdin.
replace_line() {
	python3 -c '
import sys
path, old = sys.argv[1], sys.argv[2]
new = sys.stdin.read()
text = open(path).read()
line = old + "\n"
if line not in text:
    sys.exit("line not found in %s: %s" % (path, old))
open(path, "w").write(text.replace(line, new, 1))
' "$1" "$2"
}

# The case's change (its header is comments).
. "$DATA/$CASE.case"

