"""What the validation notebooks share (notebooks/src/NN-*.py): quick or full size from the
environment, spec files under ``notebooks/out/``, cached CLI runs and figure files.

    from larmor.notebook import Notebook
    lb = Notebook(".")              # the notebooks directory (the notebook's working directory)
    spec = lb.write_spec("slab", {"field": {...}, "grid": {...}})
    res = lb.run("trace", spec, "--threads", lb.THREADS)
    lb.savefig(fig, "02-slab")      # PNG (200 dpi) and PDF

Environment: ``LARMOR_QUICK`` (1/true/yes: the small CI size; default 0), ``LARMOR_THREADS``
(default 2), ``LARMOR`` (the CLI; see :func:`larmor.cli.find_binary`).

No physics lives here: every coefficient, spectrum and QLT value comes from the CLI.
"""
from __future__ import annotations

import os
import pathlib
import time
from typing import Any, Mapping, Optional, Union

from . import cli, plot, spec as _spec

__all__ = ["Notebook", "quick_from_environment", "threads_from_environment"]


def quick_from_environment() -> bool:
    return os.environ.get("LARMOR_QUICK", "0").strip().lower() not in ("", "0", "false", "no")


def threads_from_environment() -> int:
    return int(os.environ.get("LARMOR_THREADS", "2"))


class Notebook:
    """Paths and helpers of the notebooks in ``directory`` (default: ``$LARMOR_NOTEBOOKS`` or the
    current directory).

    ``DIR`` the notebooks, ``REPO`` its parent (the repository), ``FIELDS`` ``REPO/fields``, ``OUT``
    ``DIR/out`` (git-ignored: specs, caches, executed notebooks, quick-size figures), ``FIG``
    ``DIR/figures`` (full-size figures), ``QUICK`` and ``THREADS`` from the environment."""

    def __init__(self, directory: Union[str, os.PathLike, None] = None, quick: Optional[bool] = None,
                 threads: Optional[int] = None, binary: Union[str, os.PathLike, None] = None):
        directory = directory if directory is not None else os.environ.get("LARMOR_NOTEBOOKS", ".")
        self.DIR = pathlib.Path(directory).resolve()
        self.REPO = self.DIR.parent
        self.OUT = self.DIR / "out"
        self.FIG = self.DIR / "figures"
        self.FIELDS = self.REPO / "fields"
        self.QUICK = quick_from_environment() if quick is None else bool(quick)
        self.THREADS = threads_from_environment() if threads is None else int(threads)
        self._binary = binary
        self._resolved = None

    @property
    def size(self) -> str:
        return "quick" if self.QUICK else "full"

    @property
    def binary(self) -> str:
        """The CLI (resolved once): ``binary`` if given, else as :func:`larmor.cli.find_binary`."""
        if self._resolved is None:
            self._resolved = cli.find_binary(self._binary)
        return self._resolved

    @property
    def cache_dir(self) -> pathlib.Path:
        return self.OUT / f"cache-{self.size}"

    @property
    def figure_dir(self) -> pathlib.Path:
        """``FIG`` at full size, ``OUT/figures`` in quick mode (the committed figures are full size)."""
        return self.FIG if not self.QUICK else self.OUT / "figures"

    @staticmethod
    def toml(sections: Mapping[str, Mapping[str, Any]]) -> str:
        return _spec.toml(sections)

    def write_spec(self, name: str, sections: Union[str, Mapping[str, Mapping[str, Any]]]) -> pathlib.Path:
        """Write a spec (dict of sections, or text) as ``OUT/specs-{quick,full}/NAME.toml``."""
        return _spec.write_spec(self.OUT / f"specs-{self.size}" / f"{name}.toml", sections)

    def run(self, command: str, spec, *extra, cache: bool = True, verbose: bool = True):
        """``larmor COMMAND SPEC --json EXTRA…`` through :func:`larmor.cli.run`, cached in
        ``OUT/cache-{quick,full}/`` (unless ``cache=False``); prints the wall time of a real run."""
        cache_dir = self.cache_dir if cache else None
        where = cli.cache_path(command, spec, *extra, cache_dir=cache_dir, binary=self.binary)
        cached = where is not None and where.exists()
        t0 = time.time()
        result = cli.run(command, spec, *extra, cache_dir=cache_dir, binary=self.binary)
        if verbose and not cached:
            print(f"larmor {command} {pathlib.Path(spec).name}: {time.time() - t0:.1f} s")
        return result

    def savefig(self, fig, name: str, dpi: int = 200) -> plot.FigureFiles:
        """Save ``fig`` as NAME.png (``dpi``) and NAME.pdf in :attr:`figure_dir`."""
        return plot.savefig(fig, self.figure_dir / name, dpi=dpi)

    def __repr__(self) -> str:
        return f"<larmor.notebook.Notebook {self.DIR} ({self.size}, {self.THREADS} threads)>"
