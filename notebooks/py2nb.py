"""Convert the notebook sources src/NN-name.py (cells separated by '# %%' lines, markdown cells by
'# %% [markdown]' with every line commented '# ') into NN-name.ipynb without outputs.
Usage: python3 py2nb.py [src/*.py]"""
import pathlib
import sys

import nbformat

here = pathlib.Path(__file__).resolve().parent
srcs = [pathlib.Path(a) for a in sys.argv[1:]] or sorted((here / "src").glob("*.py"))
for src in srcs:
    cells, kind, buf = [], None, []

    def flush():
        text = "\n".join(buf).strip("\n")
        if kind == "md":
            cells.append(nbformat.v4.new_markdown_cell(text))
        elif kind == "code" and text.strip():
            cells.append(nbformat.v4.new_code_cell(text))

    for line in src.read_text().splitlines():
        if line.startswith("# %%"):
            flush()
            kind, buf = ("md" if "[markdown]" in line else "code"), []
        elif kind == "md":
            buf.append(line[2:] if line.startswith("# ") else line.lstrip("#"))
        elif kind is not None:
            buf.append(line)
    flush()
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    out = here / (src.stem + ".ipynb")
    nbformat.write(nb, out)
    print("wrote", out.name, len(cells), "cells")
