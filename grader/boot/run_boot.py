"""run_boot - the boot module's entry point: ``python -u run_boot.py``.

A script run as ``__main__`` is compiled from source by every interpreter
that runs it (~1,000 lines of grader_boot.py: 10-20 ms of every boot), while
an imported module is loaded from its bytecode. So the grader runs this stub,
which imports grader_boot from this folder (sys.path[0]) and calls main().
Its bytecode is written at build time (`make`: compileall, checked-hash pycs,
so Python verifies the source's hash at every import and a stale file is never
used); an interpreter of another version finds none and compiles in memory,
as before. Everything else is grader_boot.py's (docs/boot-protocol.md).
"""
import grader_boot

grader_boot.main()
