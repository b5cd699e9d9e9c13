"""Checks an executed notebook: no error output, every code cell ran, and at least one chart (a PNG
or SVG output). Used by notebooks/run; exits 1 with the reason."""
import sys

import nbformat

path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
charts = 0
for i, cell in enumerate(nb.cells):
    if cell.cell_type != "code":
        continue
    if cell.get("execution_count") is None and cell.source.strip():
        sys.exit(f"{path}: code cell {i} did not run")
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            sys.exit(f"{path}: code cell {i} failed: {out.get('ename')}: {out.get('evalue')}")
        data = out.get("data", {})
        if "image/png" in data or "image/svg+xml" in data:
            charts += 1
if charts == 0:
    sys.exit(f"{path}: no chart in the executed notebook (expected at least one image output)")
print(f"{path}: {charts} chart(s), no errors")
