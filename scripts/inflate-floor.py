#!/usr/bin/env python3
"""The decompression floor of an S3 tree: every .json.gz object read into memory first, then
inflated with libdeflate on N threads (ctypes releases the GIL during each call), nothing else
done with the bytes. Prints the wall seconds of the inflating alone, which no reader of the tree
can beat with the same library and cores.

    scripts/inflate-floor.py DIR [THREADS]   (default 2)"""
import ctypes, ctypes.util, os, sys, threading, time

root = sys.argv[1]
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
lib = ctypes.CDLL(ctypes.util.find_library("deflate") or "libdeflate.so.0")
lib.libdeflate_alloc_decompressor.restype = ctypes.c_void_p
lib.libdeflate_gzip_decompress.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]

paths = sorted(os.path.join(d, f) for d, _, names in os.walk(root) for f in names if f.endswith(".gz"))
blobs = [open(p, "rb").read() for p in paths]
sizes = [int.from_bytes(b[-4:], "little") for b in blobs]
shares = [list(range(k, len(blobs), threads)) for k in range(threads)]
totals = [0] * threads


def inflate(k):
    decompressor = lib.libdeflate_alloc_decompressor()
    out = ctypes.create_string_buffer(max(sizes) + 1)
    written = ctypes.c_size_t()
    for i in shares[k]:
        if lib.libdeflate_gzip_decompress(decompressor, blobs[i], len(blobs[i]), out, len(out), ctypes.byref(written)) != 0:
            raise SystemExit(f"{paths[i]}: libdeflate could not inflate it")
        totals[k] += written.value


start = time.perf_counter()
workers = [threading.Thread(target=inflate, args=(k,)) for k in range(threads)]
for w in workers: w.start()
for w in workers: w.join()
elapsed = time.perf_counter() - start
print(f"{elapsed:.3f} s to inflate {len(blobs)} objects ({sum(totals) / 1048576:.0f} MB) on {threads} threads, in memory")
