"""Running the ``larmor`` CLI from Python.

:func:`run` starts ``larmor COMMAND SPEC ARGS… --json``, returns the parsed JSON object and
raises :class:`LarmorError` with the CLI's one-line message when it fails. Results can be
cached on disk, keyed by the spec's text (and that of the field spec it names), the command
line and the binary's modification time, so that re-running a notebook costs nothing until the
spec, the arguments or the binary change.
"""
from __future__ import annotations

import hashlib
import json as _json
import os
import pathlib
import shutil
import subprocess
import sys
from typing import Any, Iterable, Optional, Sequence, Union

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, as a package
    import tomli as tomllib

__all__ = ["LarmorError", "run", "find_binary", "cache_key", "cache_path", "referenced_texts"]

PathLike = Union[str, os.PathLike]


class LarmorError(RuntimeError):
    """A failed ``larmor`` run. ``message`` is the CLI's one-line error (``Error: FILE: key: …``),
    ``returncode`` its exit status (1: error while running, 64: usage error, 128 + signal),
    ``stderr`` everything it wrote to stderr and ``argv`` the command line."""

    def __init__(self, message: str, returncode: Optional[int] = None, stderr: str = "", argv: Sequence[str] = ()):
        super().__init__(message)
        self.message = message
        self.returncode = returncode
        self.exit_code = returncode
        self.stderr = stderr
        self.argv = list(argv)

    def __str__(self) -> str:
        return self.message


def _repository_candidates() -> Iterable[pathlib.Path]:
    here = pathlib.Path(__file__).resolve()
    # a source checkout: <repo>/python/larmor/cli.py
    yield here.parents[2]
    cwd = pathlib.Path.cwd().resolve()
    yield cwd
    yield from cwd.parents


def _is_repository(path: pathlib.Path) -> bool:
    return (path / "Package.swift").is_file() and (path / "Sources" / "larmor").is_dir()


def find_binary(binary: Optional[PathLike] = None) -> str:
    """The CLI to run: ``binary`` if given, else ``$LARMOR``, else ``larmor`` on the PATH, else
    ``<repo>/.build/release/larmor`` of the repository this package sits in (or the current
    directory is in). Raises :class:`LarmorError` if none exists; it never builds the CLI (run
    ``swift build -c release`` in the repository)."""
    if binary is not None:
        candidates = [pathlib.Path(binary)]
    elif os.environ.get("LARMOR"):
        candidates = [pathlib.Path(os.environ["LARMOR"])]
    else:
        on_path = shutil.which("larmor")
        candidates = [pathlib.Path(on_path)] if on_path else []
        for repo in _repository_candidates():
            if _is_repository(repo):
                candidates.append(repo / ".build" / "release" / "larmor")
                break
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return str(c)
    tried = ", ".join(str(c) for c in candidates) or "nothing"
    raise LarmorError(
        f"larmor CLI not found (tried {tried}): set $LARMOR, pass binary=, or build it with `swift build -c release`")


def referenced_texts(spec: PathLike) -> str:
    """The spec's text followed by what it refers to: the text of the field spec named by
    ``field = "…"``, and the size and modification time of a ``field_file = "…"`` and of each
    ``[field.file]`` snapshot (``path``/``paths``). Relative paths are taken from the spec's
    directory; a spec that is not valid TOML is keyed by its text alone (the CLI reports it)."""
    spec = pathlib.Path(spec)
    text = spec.read_text()
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return text
    run = document.get("run", {})
    snapshot = document.get("field", {}).get("file", {}) if isinstance(document.get("field"), dict) else {}
    snapshots = snapshot.get("paths", [snapshot["path"]] if "path" in snapshot else [])
    extra = []

    def resolve(value):
        ref = pathlib.Path(value)
        return ref if ref.is_absolute() else spec.parent / ref

    if isinstance(run.get("field"), str) and resolve(run["field"]).exists():
        extra.append(resolve(run["field"]).read_text())
    for key, value in [("field_file", run.get("field_file"))] + [("snapshot", p) for p in snapshots]:
        if isinstance(value, str) and resolve(value).exists():
            st = resolve(value).stat()
            extra.append(f"{key} {resolve(value)} {st.st_size} {st.st_mtime_ns}")
    return "\n".join([text] + extra)


def cache_key(command: str, specs: Sequence[PathLike], args: Sequence[str], binary: str) -> str:
    """Sixteen hex digits of SHA-1 over the specs' texts (with the field specs they name), the
    command and its arguments (not the spec's file name) and the binary's mtime."""
    texts = "".join(_spec_text(s) for s in specs)
    line = " ".join([command, *args])
    return hashlib.sha1(f"{texts}|{line}|{os.path.getmtime(binary)}".encode()).hexdigest()[:16]


def _spec_text(path: PathLike) -> str:
    try:
        return referenced_texts(path)
    except (UnicodeDecodeError, IsADirectoryError):
        return _file_stamp(path)  # a binary input (merge's shard files): its size and mtime


def _file_stamp(path: PathLike) -> str:
    st = pathlib.Path(path).stat()
    return f"{pathlib.Path(path).resolve()} {st.st_size} {st.st_mtime_ns}"


def _error_line(stderr: str) -> str:
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    for l in lines:
        if l.startswith("Error:"):
            return l
    return lines[-1] if lines else ""


def _command_line(command, spec, args, json, threads, binary):
    exe = find_binary(binary)
    specs = [] if spec is None else ([spec] if isinstance(spec, (str, os.PathLike)) else list(spec))
    argv_args = [str(a) for a in args]
    if threads is not None:
        argv_args += ["--threads", str(int(threads))]
    if json:
        argv_args.append("--json")
    return exe, specs, argv_args


def cache_path(command: str, spec, *args: Any, json: bool = True, threads: Optional[int] = None,
               cache_dir: Optional[PathLike] = None, binary: Optional[PathLike] = None) -> Optional[pathlib.Path]:
    """Where :func:`run` with these arguments keeps its result (None: not cached, e.g. ``--out``)."""
    exe, specs, argv_args = _command_line(command, spec, args, json, threads, binary)
    if cache_dir is None or "--out" in argv_args:
        return None
    key = cache_key(command, specs, argv_args, exe)
    return pathlib.Path(cache_dir) / f"{command}-{key}.{'json' if json else 'txt'}"


def run(
    command: str,
    spec: Union[PathLike, Sequence[PathLike], None],
    *args: Any,
    json: bool = True,
    threads: Optional[int] = None,
    cache_dir: Optional[PathLike] = None,
    binary: Optional[PathLike] = None,
    timeout: Optional[float] = None,
) -> Any:
    """Run ``larmor COMMAND SPEC ARGS… [--threads N] [--json]`` and return the parsed JSON object
    (with ``json=False``: the standard output text).

    ``spec`` is the spec file (a list of paths for ``merge``'s shard files; None for none).
    ``args`` are further command-line arguments (converted with ``str``). With ``cache_dir`` the
    result is read from / written to ``cache_dir/COMMAND-KEY.json`` (see :func:`cache_key`);
    runs that write files (``--out``) are never served from the cache, since a cached answer would
    not write them. On a non-zero exit raises :class:`LarmorError` carrying the CLI's one-line
    message and exit status."""
    exe, specs, argv_args = _command_line(command, spec, args, json, threads, binary)
    argv = [exe, command, *map(str, specs), *argv_args]
    cache_file = cache_path(command, spec, *args, json=json, threads=threads, cache_dir=cache_dir, binary=exe)
    if cache_file is not None and cache_file.exists():
        text = cache_file.read_text()
        return _json.loads(text) if json else text

    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        message = _error_line(proc.stderr) or f"larmor {command} failed with exit status {proc.returncode}"
        raise LarmorError(message, proc.returncode, proc.stderr, argv)
    result = _json.loads(proc.stdout) if json else proc.stdout
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_name(cache_file.name + f".partial-{os.getpid()}")
        tmp.write_text(proc.stdout)
        tmp.replace(cache_file)
    return result
