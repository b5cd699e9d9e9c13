"""Starts the notebook kernel N times in a row, each time running a small notebook, with one core
kept busy by a spinning process, and counts the starts that hang (no answer within the start-up
timeout) or fail. The check for the kernel's start-up race (unpatched, about 1 start in 6 hung).

    /usr/bin/python3 notebooks/kernel-starts.py [--starts=30] [--unpatched]

--unpatched runs the upstream kernel jar (its own LoopThread) in place of the patched one, for
comparison.
Prints one line per start and a summary (the kernels' own output goes to
notebooks/target/kernel-starts.log); exits 1 if any start hung or failed.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from jupyter_client.kernelspec import KernelSpecManager

parser = argparse.ArgumentParser()
parser.add_argument("--starts", type=int, default=30)
parser.add_argument("--unpatched", action="store_true")
parser.add_argument("--startup-timeout", type=int, default=60)
args = parser.parse_args()

spec = KernelSpecManager().get_kernel_spec("sluice-java")  # registered by notebooks/setup
kernel_name = "sluice-java"
if args.unpatched:
    # The same kernelspec with the upstream kernel jar (as Maven resolved it) for the patched one.
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "target")
    with open(os.path.join(target, "upstream-kernel-classpath.txt")) as f:
        upstream = f.read().strip()
    argv = list(spec.argv)
    argv[argv.index("-cp") + 1] = upstream
    spec_dir = tempfile.mkdtemp(prefix="sluice-kernelspec-")
    os.makedirs(os.path.join(spec_dir, "kernels", "sluice-java-unpatched"))
    with open(os.path.join(spec_dir, "kernels", "sluice-java-unpatched", "kernel.json"), "w") as f:
        json.dump({"argv": argv, "display_name": "unpatched", "language": "java", "env": spec.env}, f)
    os.environ["JUPYTER_PATH"] = spec_dir + os.pathsep + os.environ.get("JUPYTER_PATH", "")
    kernel_name = "sluice-java-unpatched"

nb = nbformat.v4.new_notebook()
nb.cells = [
    nbformat.v4.new_code_cell('var list = new ArrayList<Integer>(List.of(3, 1, 2));\nCollections.sort(list);'),
    nbformat.v4.new_code_cell('if (!list.equals(List.of(1, 2, 3))) throw new AssertionError(list);\nlist'),
]

# The kernels inherit this process's stdout and stderr and print every classpath entry they add:
# send those (and any kernel error) to a log file, and our own lines to the terminal.
log_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "target", "kernel-starts.log")
os.makedirs(os.path.dirname(log_path), exist_ok=True)
terminal = os.fdopen(os.dup(1), "w")
with open(log_path, "w") as log:
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)


def say(text):
    print(text, file=terminal, flush=True)


# The other core busy: a spinning process, stopped by its pid at the end.
spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
hung = failed = 0
try:
    for i in range(1, args.starts + 1):
        start = time.monotonic()
        client = NotebookClient(
            nbformat.from_dict(nb), kernel_name=kernel_name,
            startup_timeout=args.startup_timeout, timeout=60)
        try:
            client.execute()
            outcome = "ok"
        except RuntimeError as e:  # nbclient: "Kernel didn't respond in N seconds"
            hung += 1
            outcome = f"HUNG ({e})"
        except Exception as e:  # noqa: BLE001 - any other failure counts too
            failed += 1
            outcome = f"FAILED ({type(e).__name__}: {e})"
        say(f"start {i:2d}/{args.starts}: {outcome} in {time.monotonic() - start:.1f} s")
finally:
    spinner.kill()
    spinner.wait()

kind = "unpatched" if args.unpatched else "patched"
say(f"{args.starts} kernel starts ({kind}, one core busy): {args.starts - hung - failed} ok,"
    f" {hung} hung, {failed} failed (kernels' output: {log_path})")
sys.exit(1 if hung or failed else 0)
