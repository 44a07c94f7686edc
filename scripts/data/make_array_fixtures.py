#!/usr/bin/env python3
"""Small NumPy files for the reader tests (generated, do not edit the outputs).

Writes test/fixtures/data/: features.npy (float64, C order), features_f32_fortran.npy
(float32, Fortran order), both.npz (np.savez: stored, ZIP64 records),
both_compressed.npz (np.savez_compressed: deflate), features_only.npz (one array,
no targets), nan.npy, targets.npy; the same
numbers as features.csv. Run: python3 scripts/data/make_array_fixtures.py
"""
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "data")
os.makedirs(OUT, exist_ok=True)
x = (np.arange(36, dtype=np.float64).reshape(12, 3) / 7.0) ** 1.5
y = np.arange(12, dtype=np.float64) - 5.5
np.save(os.path.join(OUT, "features.npy"), x)
np.save(os.path.join(OUT, "features_f32_fortran.npy"), np.asfortranarray(x.astype(np.float32)))
np.save(os.path.join(OUT, "targets.npy"), y)
np.savez(os.path.join(OUT, "both.npz"), x=x, y=y)
np.savez_compressed(os.path.join(OUT, "both_compressed.npz"), features=x, targets=y)
np.savez(os.path.join(OUT, "features_only.npz"), x=x)
bad = x.copy()
bad[4, 1] = np.nan
np.save(os.path.join(OUT, "nan.npy"), bad)
with open(os.path.join(OUT, "features.csv"), "w") as f:
    f.write("f1,f2,f3,y\n")
    for row, target in zip(x, y):
        f.write(",".join(repr(float(v)) for v in row) + f",{float(target)!r}\n")
print("wrote", OUT)
