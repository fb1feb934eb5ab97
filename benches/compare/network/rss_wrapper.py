"""Runs a command and writes its wall time and peak RSS to the file named by RSS_WRAPPER_OUT.

Used as Brian2's standalone run command so that the memory of the simulation binary alone is
measured (the compiler's memory is not), and its wall time without Python's start-up.
"""
import json
import os
import sys
import time

out = os.environ["RSS_WRAPPER_OUT"]
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - t0
with open(out, "w") as f:
    json.dump({"wall_s": wall, "maxrss_mib": usage.ru_maxrss / 1024.0}, f)
sys.exit(os.waitstatus_to_exitcode(status))
