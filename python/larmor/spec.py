"""Writing spec files (TOML) from Python dictionaries.

``toml({"field": {"model": "slab", "db_over_b0": 0.01}, "grid": {"n": 512}})`` gives the text of a
spec with one ``[section]`` per key. Values may be booleans, numbers, strings, lists and inline
tables (dicts); floats are written with ``repr`` so that they read back bit for bit.
"""
from __future__ import annotations

import json
import os
import pathlib
from typing import Any, Mapping, Union

__all__ = ["toml", "toml_value", "write_spec"]


def toml_value(v: Any) -> str:
    """One value as TOML."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, os.PathLike):
        return json.dumps(os.fspath(v), ensure_ascii=False)
    if isinstance(v, Mapping):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if hasattr(v, "tolist"):  # numpy scalars and arrays
        return toml_value(v.tolist())
    if isinstance(v, float):
        return repr(v)
    return str(v)


def toml(sections: Mapping[str, Mapping[str, Any]]) -> str:
    """A dict of section → dict of key → value, as TOML text (one ``[section]`` each)."""
    lines = []
    for sec, kv in sections.items():
        lines.append(f"[{sec}]")
        for k, v in kv.items():
            lines.append(f"{k} = {toml_value(v)}")
        lines.append("")
    return "\n".join(lines)


def write_spec(path: Union[str, os.PathLike], sections: Union[str, Mapping[str, Mapping[str, Any]]]) -> pathlib.Path:
    """Write ``sections`` (a dict as for :func:`toml`, or spec text) to ``path`` (parent
    directories created) and return the path."""
    p = pathlib.Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(sections if isinstance(sections, str) else toml(sections))
    return p
