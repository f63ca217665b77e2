#!/usr/bin/env python3
"""hacking_map.py DOC [ROOT] - every name a developer map cites exists in the tree.

Reads the `backquoted` words of DOC (docs/hacking.md) and checks, from ROOT
(default: the current folder):
  - a path (a word with a '/'): the file or folder exists, or, with its
    placeholders (NAME, BUG, CASE) and globs, matches at least one;
  - a function `name()`: defined in grader/ or tests/ (C: a line that starts
    with its return type and is not a prototype; shell: `name() {`);
  - a table `name[]`: defined in grader/ (`name[...] = {`);
  - a unit test `TEST(name)`: defined in tests/unit/; a test program
    `test_x`: tests/unit/test_x.c or tests/e2e/test_x.sh;
  - `enum NAME` / `struct NAME`: defined in grader/;
  - an upper-case identifier (FORMAT_COUNT, CASES): appears in grader/,
    tests/ or scripts/;
  - a command `bash tests/one P...`: each P is tests/unit/P.c, tests/e2e/P.sh
    or lint; `build/grader CMD ...`: CMD is a row of main.c's commands[].
Prints "ok"/"missing: ..." lines; exit status 1 when anything is missing.
"""
import glob
import os
import re
import sys

doc, root = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else ".")
os.chdir(root)
text = open(doc, encoding="utf-8").read()
words = re.findall(r"`([^`\n]+)`", text)


def files(patterns):
    out = []
    for p in patterns:
        out += [f for f in glob.glob(p, recursive=True) if os.path.isfile(f)]
    return out


C_SOURCES = files(["grader/*.c", "grader/*.h", "tests/**/*.c", "tests/**/*.h"])
SH_SOURCES = files(["tests/**/*.sh", "tests/run", "tests/one", "scripts/*"])
ALL = C_SOURCES + SH_SOURCES + files(["tests/**/*.py"])
cache = {}


def read(path):
    if path not in cache:
        with open(path, encoding="utf-8", errors="replace") as f:
            cache[path] = f.read()
    return cache[path]


def grep(paths, rx):
    r = re.compile(rx, re.M)
    return any(r.search(read(p)) for p in paths)


# The words of a path that stand for a name of your own.
PLACEHOLDERS = r"(?<![A-Za-z0-9])(NAME|BUG|CASE)(?![A-Za-z0-9])"


def path_ok(w):
    if os.path.exists(w.rstrip("/")):
        return not w.endswith("/") or os.path.isdir(w)
    pat = re.sub(PLACEHOLDERS, "*", w)
    return pat != w and bool(glob.glob(pat.rstrip("/")))


def commands_of_main():
    return set(re.findall(r'^\t\{"([a-z_-]+)", cmd_', read("grader/main.c"), re.M))


def check(w):
    """None when w is fine or not a name this checker knows; else why."""
    m = re.fullmatch(r"(?:[A-Z_]+=\S+ )?bash tests/one ((?:[\w-]+ ?)+)", w)
    if m:
        bad = [p for p in m.group(1).split()
               if p != "lint" and not os.path.isfile(f"tests/unit/{p}.c")
               and not os.path.isfile(f"tests/e2e/{p}.sh")]
        return f"tests/one program(s) {bad}" if bad else None
    m = re.fullmatch(r"build/grader ([a-z-]+)( .*)?", w)
    if m:
        return None if m.group(1) in commands_of_main() else f"command {m.group(1)}"
    if " " in w and not re.fullmatch(r"(enum|struct) \w+", w):
        return None
    if re.fullmatch(r"test_\w+", w):
        return None if os.path.isfile(f"tests/unit/{w}.c") or os.path.isfile(f"tests/e2e/{w}.sh") \
            else "test program"
    m = re.fullmatch(r"TEST\((\w+)\)", w)
    if m:
        return None if grep(files(["tests/unit/*.c"]), rf"^TEST\({m.group(1)}\)") else "test"
    m = re.fullmatch(r"(enum|struct) (\w+)", w)
    if m:
        return None if grep(files(["grader/*.h", "grader/*.c"]), rf"^{w} \{{") else "type"
    m = re.fullmatch(r"(\w+)\(\)", w)
    if m:
        f = m.group(1)
        if grep(C_SOURCES, rf"^[A-Za-z][^;\n]*\b{f}\([^;\n]*$") or grep(SH_SOURCES, rf"^{f}\(\) \{{"):
            return None
        return "function"
    m = re.fullmatch(r"(\w+)\[\]", w)
    if m:
        return None if grep(files(["grader/*.c"]), rf"\b{m.group(1)}\[[^\]\n]*\] = \{{") else "table"
    if re.fullmatch(r"[A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z]{4,}", w):
        return None if grep(ALL, rf"\b{w}\b") else "identifier"
    if "/" in w and not w.startswith(("-", "http", "$")) and re.fullmatch(r"[\w./*-]+", w):
        return None if path_ok(w) else "path"
    return None


checked = missing = 0
for w in dict.fromkeys(words):
    why = check(w)
    checked += 1
    if why:
        missing += 1
        print(f"missing: {why}: `{w}`")
print(f"{checked} names read, {missing} missing")
sys.exit(1 if missing else 0)
