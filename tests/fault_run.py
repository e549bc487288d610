"""Run the CLI with the n-th file operation of artifact.publish failing (a test helper).

    python tests/fault_run.py N MODE [--no-exchange] -- ARGS...

MODE: ``kill`` ends the process at once (as kill -9 would) before the n-th operation; an errno
name such as ``ENOSPC`` or ``EACCES`` makes that operation raise it; ``count`` fails nothing and
prints ``OPS <number of operations>`` on stderr. ``--no-exchange`` makes the atomic exchange
unavailable, so the two-rename fallback is used.
"""

import errno
import os
import sys

from artifact import fsio, publish
from artifact.cli import main

n, mode = int(sys.argv[1]), sys.argv[2]
rest = sys.argv[3:]
if rest and rest[0] == "--no-exchange":
    fsio._exchange = lambda a, b: False
    rest = rest[1:]
args = rest[1:] if rest and rest[0] == "--" else rest
calls = 0


def failing(fn):
    def op(*a, **k):
        global calls
        calls += 1
        if calls == n and mode == "kill":
            os._exit(137)
        if calls == n and mode != "count":
            code = getattr(errno, mode)
            raise OSError(code, os.strerror(code))
        return fn(*a, **k)
    return op


for module in (publish, fsio):
    for name in module.FILE_OPS:
        setattr(module, name, failing(getattr(module, name)))
status = main(args)
if mode == "count":
    print(f"OPS {calls}", file=sys.stderr)
sys.exit(status)
