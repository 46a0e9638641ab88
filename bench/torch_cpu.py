#!/usr/bin/env python3
"""PyTorch CPU baseline for the resampling workloads of `resample bench`.

Usage:
    python3 bench/torch_cpu.py [--workloads PATH] [--runs N] [--threads T] [--backward]
                               [--streams] [--json]

For each workload in the file this builds a uniform-random input (torch.rand,
fixed seed; uint8 from torch.randint) in its layout (`contiguous`, or
`channels_last`: torch.channels_last / channels_last_3d) and dtype (`float32`
or `uint8`) and times torch.nn.functional.interpolate on the CPU with its
`size` or `scale_factor`: one warm-up call, then N timed calls
(time.perf_counter); it reports the median and the min in milliseconds. With
--backward it also times y.backward(g) for a fixed upstream gradient g (one
warm-up, N timed runs; each run does a fresh forward outside the timed region;
float32 only).

With --streams it runs the file's streams instead: the calls of each stream
(shapes drawn by the same 64-bit LCG as `resample bench`), all of them once
(the first pass, no warm-up) and then again (the second pass), and reports
each pass's total.

Output: a readable table, or with --json one JSON object per line:
  {"id", "mode", "torch", "threads", "runs", "median_ms", "min_ms",
   ["backward_median_ms", "backward_min_ms"]}
  or for a stream {"id", "calls", "torch", "threads", "first_pass_ms", "second_pass_ms"}

A workload with "convention": "onnx" is an ONNX Resize node (its attributes in "onnx"); it
is timed on onnxruntime's CPU kernel with the same thread count, in the same columns.

If torch cannot be imported the script prints a message on stderr, writes
nothing on stdout and exits 0 (callers treat the baseline as optional).
"""

import argparse
import json
import os
import statistics
import sys
import time

SEED = 0


def parse_args():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--workloads", default=os.path.join(here, "workloads.json"),
                   help="workloads file (default: workloads.json next to this script)")
    p.add_argument("--runs", type=int, default=9, help="timed runs per workload (default 9)")
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    p.add_argument("--backward", action="store_true", help="also time the backward pass")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--streams", action="store_true", help="run the file's streams")
    args = p.parse_args()
    if args.runs < 1:
        p.error("--runs must be >= 1")
    if args.threads < 1:
        p.error("--threads must be >= 1")
    return args


def interp_kwargs(w):
    kw = {"mode": w["mode"]}
    if "size" in w:
        kw["size"] = tuple(w["size"])
    if "scale_factor" in w:
        kw["scale_factor"] = tuple(w["scale_factor"])
    if "align_corners" in w:
        kw["align_corners"] = w["align_corners"]
    if "antialias" in w:
        kw["antialias"] = w["antialias"]
    return kw


def make_input(torch, w):
    """The workload's input: uniform random, in its dtype and memory layout."""
    gen = torch.Generator().manual_seed(SEED)
    shape = tuple(w["input"])
    if w.get("dtype", "float32") == "uint8":
        x = torch.randint(0, 256, shape, generator=gen, dtype=torch.uint8)
    else:
        x = torch.rand(shape, generator=gen, dtype=torch.float32)
    if w.get("layout", "contiguous") == "channels_last":
        fmt = torch.channels_last if len(shape) == 4 else torch.channels_last_3d
        return x.contiguous(memory_format=fmt)
    return x.contiguous()


def stream_shapes(st):
    """The stream's input shapes: the LCG of src/gpu/bench.rs `Stream::shapes`."""
    s = st["seed"]
    span = st["max"] - st["min"] + 1
    mask = (1 << 64) - 1

    def draw():
        nonlocal s
        s = (s * 6364136223846793005 + 1442695040888963407) & mask
        return st["min"] + (s >> 33) % span

    shapes = []
    for _ in range(st["calls"]):
        h = draw()
        w = draw()
        shapes.append((st["batch"], st["channels"], h, w))
    return shapes


def run_streams(torch, F, streams, args, version):
    if not args.json:
        print(f"torch {version}, CPU, threads={args.threads}; totals over each stream's calls (ms)")
    for st in streams:
        gen = torch.Generator().manual_seed(SEED)
        xs = [torch.rand(s, generator=gen, dtype=torch.float32) for s in stream_shapes(st)]
        kw = {"size": tuple(st["size"]), "mode": st["mode"], "antialias": st.get("antialias", False)}
        if "align_corners" in st:
            kw["align_corners"] = st["align_corners"]
        passes = []
        with torch.no_grad():
            for _ in range(2):
                t0 = time.perf_counter()
                for x in xs:
                    F.interpolate(x, **kw)
                passes.append((time.perf_counter() - t0) * 1e3)
        rec = {"id": st["id"], "calls": st["calls"], "torch": version, "threads": args.threads,
               "first_pass_ms": round(passes[0], 3), "second_pass_ms": round(passes[1], 3)}
        if args.json:
            print(json.dumps(rec), flush=True)
        else:
            print(f"{st['id']:<28} first {passes[0]:9.1f}  second {passes[1]:9.1f}", flush=True)
    return 0


def time_forward(torch, F, x, kw, runs):
    with torch.no_grad():
        F.interpolate(x, **kw)  # warm-up
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            F.interpolate(x, **kw)
            times.append((time.perf_counter() - t0) * 1e3)
    return times


def time_backward(torch, F, x, kw, runs):
    xg = x.detach().clone().requires_grad_(True)
    gen = torch.Generator().manual_seed(SEED + 1)
    out_shape = F.interpolate(x, **kw).shape
    g = torch.rand(out_shape, generator=gen, dtype=torch.float32)
    times = []
    for i in range(runs + 1):  # first iteration is the warm-up
        xg.grad = None
        y = F.interpolate(xg, **kw)
        t0 = time.perf_counter()
        y.backward(g)
        dt = (time.perf_counter() - t0) * 1e3
        if i > 0:
            times.append(dt)
    return times


def time_onnxruntime(w, args):
    """An ONNX Resize workload: onnxruntime's CPU kernel (threads as torch's), one warm-up
    call, then N timed calls; None (and a note on stderr) without onnx and onnxruntime."""
    try:
        import numpy as np
        import onnxruntime as ort
        from onnx import TensorProto, helper
    except Exception as e:
        print(f"torch_cpu.py: {w['id']}: onnx/onnxruntime not importable ({e!r}); skipped",
              file=sys.stderr)
        return None
    a = w["onnx"]
    keys = ["mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a",
            "exclude_outside", "extrapolation_value", "antialias", "keep_aspect_ratio_policy",
            "axes"]
    attrs = {k: a[k] for k in keys if a.get(k) is not None}
    # Absent optional inputs are empty names (onnxruntime rejects empty tensors for them).
    given = [n for n in ["roi", "scales", "sizes"] if a.get(n)]
    node = helper.make_node("Resize", ["X"] + [n if n in given else "" for n in
                                               ["roi", "scales", "sizes"]], ["Y"], **attrs)
    types = {"roi": TensorProto.FLOAT, "scales": TensorProto.FLOAT, "sizes": TensorProto.INT64}
    ins = [helper.make_tensor_value_info("X", TensorProto.FLOAT, None)] + [
        helper.make_tensor_value_info(n, types[n], None) for n in given]
    out = [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)]
    model = helper.make_model(helper.make_graph([node], "r", ins, out),
                              opset_imports=[helper.make_opsetid("", 19)])
    so = ort.SessionOptions()
    so.intra_op_num_threads = args.threads
    sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    x = np.random.default_rng(0).random(w["input"], dtype=np.float32)
    dtypes = {"roi": np.float32, "scales": np.float32, "sizes": np.int64}
    feeds = {"X": x, **{n: np.array(a[n], dtypes[n]) for n in given}}
    sess.run(None, feeds)
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        sess.run(None, feeds)
        times.append((time.perf_counter() - t) * 1e3)
    return times


def main():
    args = parse_args()
    try:
        import torch
        import torch.nn.functional as F
    except Exception as e:  # ImportError, or a broken install
        print(f"torch_cpu.py: torch is not importable ({e!r}); skipping the PyTorch baseline",
              file=sys.stderr)
        return 0

    with open(args.workloads) as f:
        spec = json.load(f)

    torch.set_num_threads(args.threads)
    version = torch.__version__
    if args.streams:
        return run_streams(torch, F, spec.get("streams", []), args, version)
    workloads = spec.get("workloads", [])

    if not args.json:
        hdr = f"{'id':<20} {'mode':<10} {'input':>20} {'size':>16} {'median_ms':>10} {'min_ms':>10}"
        if args.backward:
            hdr += f" {'bwd_median':>11} {'bwd_min':>10}"
        print(f"torch {version}, CPU, threads={args.threads}, runs={args.runs} (+1 warm-up)")
        print(hdr)

    for w in workloads:
        if w.get("convention") == "onnx":
            fwd = time_onnxruntime(w, args)
            if fwd is None:
                continue
            rec = {"id": w["id"], "mode": "onnx " + w["onnx"]["mode"], "torch": version,
                   "threads": args.threads, "runs": args.runs,
                   "median_ms": round(statistics.median(fwd), 4), "min_ms": round(min(fwd), 4)}
            if args.json:
                print(json.dumps(rec), flush=True)
            else:
                print(f"{w['id']:<20} {rec['mode']:<10} {str(w['input']):>20} {'(onnxruntime)':>16} "
                      f"{rec['median_ms']:>10.3f} {rec['min_ms']:>10.3f}", flush=True)
            continue
        x = make_input(torch, w)
        kw = interp_kwargs(w)

        fwd = time_forward(torch, F, x, kw, args.runs)
        rec = {
            "id": w["id"],
            "mode": w["mode"],
            "torch": version,
            "threads": args.threads,
            "runs": args.runs,
            "median_ms": round(statistics.median(fwd), 4),
            "min_ms": round(min(fwd), 4),
        }
        if args.backward and x.is_floating_point():
            bwd = time_backward(torch, F, x, kw, args.runs)
            rec["backward_median_ms"] = round(statistics.median(bwd), 4)
            rec["backward_min_ms"] = round(min(bwd), 4)

        if args.json:
            print(json.dumps(rec), flush=True)
        else:
            line = (f"{w['id']:<20} {w['mode']:<10} {str(w['input']):>20} {str(w.get('size', w.get('scale_factor'))):>16} "
                    f"{rec['median_ms']:>10.3f} {rec['min_ms']:>10.3f}")
            if "backward_median_ms" in rec:
                line += f" {rec['backward_median_ms']:>11.3f} {rec['backward_min_ms']:>10.3f}"
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
