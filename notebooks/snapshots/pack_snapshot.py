#!/usr/bin/env python3
"""Repack a snapshot written by make_mhd_snapshot.py into the layout kept in the repository:
the same float32 values, losslessly compressed (HDF5 shuffle + gzip 9) and split in two files,
so that no file is larger than 2 MiB:

    STEM.h5            bx, by, bz, rho, the attributes, and external links vx, vy, vz → STEM-velocity.h5
    STEM-velocity.h5   vx, vy, vz

HDF5 resolves the links relative to STEM.h5's directory, so readers (larmor's [field.file],
h5py, check_snapshot.py) see one file with all seven datasets. Usage:

    python3 pack_snapshot.py mhd-48-a.h5 [mhd-48-b.h5 ...]      # rewrites them in place
"""
import os
import sys

import h5py
import numpy as np

MAGNETIC_AND_DENSITY = ("bx", "by", "bz", "rho")
VELOCITY = ("vx", "vy", "vz")


def pack(path):
    stem = os.path.splitext(path)[0]
    velocity = stem + "-velocity.h5"
    with h5py.File(path, "r") as f:
        data = {k: np.asarray(f[k][...]) for k in MAGNETIC_AND_DENSITY + VELOCITY}
        attrs = dict(f.attrs)
    options = dict(compression="gzip", compression_opts=9, shuffle=True)
    with h5py.File(velocity, "w") as h:
        for k in VELOCITY:
            h.create_dataset(k, data=data[k], chunks=data[k].shape, **options)
    with h5py.File(path + ".packing", "w") as g:
        for k in MAGNETIC_AND_DENSITY:
            g.create_dataset(k, data=data[k], chunks=data[k].shape, **options)
        for k in VELOCITY:
            g[k] = h5py.ExternalLink(os.path.basename(velocity), "/" + k)
        for a, v in attrs.items():
            g.attrs[a] = v
    os.replace(path + ".packing", path)
    with h5py.File(path, "r") as g:  # the packed pair reads back bitwise
        for k in MAGNETIC_AND_DENSITY + VELOCITY:
            assert np.array_equal(g[k][...], data[k]) and g[k].dtype == data[k].dtype, k
    print(f"{path}: {os.path.getsize(path) / 2**20:.2f} MiB + {velocity}: {os.path.getsize(velocity) / 2**20:.2f} MiB")


if __name__ == "__main__":
    for p in sys.argv[1:]:
        pack(p)
