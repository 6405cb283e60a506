#!/usr/bin/env python3
"""scripts/check-layers, tested: the project passes, and a tree that breaks each kind of rule
(a protocol header including the simulation, the exhibit including the network node and
Program_options, a file loose in terminals/) fails with each offence named."""
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))
check = os.path.join(root, "scripts", "check-layers")

run = subprocess.run([sys.executable, check, os.path.join(here, "layers-broken")],
                     capture_output=True, text=True)
expected = [
    "protocol/text/reaches_up.hpp:3: protocol/text may not include sim/engine.hpp (sim)",
    "terminals/exhibit/uses_net.cpp:3: terminals/exhibit may not include "
    "terminals/net/node/net_node.hpp (terminals/net/node)",
    "terminals/exhibit/uses_net.cpp:2: terminals/exhibit may not use boost/program_options",
    "terminals/loose.cpp: stands in no part",
]
failures = []
if run.returncode != 1:
    failures.append(f"broken tree: exit {run.returncode}, expected 1")
for e in expected:
    if not any(line.startswith(e) for line in run.stdout.splitlines()):
        failures.append(f"broken tree: no line starting {e!r}")
if "fine.cpp" in run.stdout:
    failures.append("broken tree: terminals/net/fine.cpp reported, but it breaks no rule")

project = subprocess.run([sys.executable, check, root], capture_output=True, text=True)
if project.returncode != 0:
    failures.append("the project breaks its layers:\n" + project.stdout)

for f in failures:
    print("FAIL:", f)
print(run.stdout)
sys.exit(1 if failures else 0)
