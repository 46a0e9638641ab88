#!/usr/bin/env python3
"""Random ONNX Resize (opset 19) cases for resample's conformance runner.

Each case is one Resize node on a random float32 tensor (rank 3 to 5, batch and channels
first), with random attributes and inputs: every mode, coordinate transformation mode,
nearest mode, cubic coefficient, exclude_outside, antialias, scales or sizes (with a
keep_aspect_ratio_policy), axes and roi. It is run through onnxruntime's CPU kernels and
through the onnx package's reference evaluator, and kept only where both accept it and agree
(onnxruntime's output is the expected one). Cases one of them rejects (onnxruntime has no
cubic on tensors other than 2-D or 4-D, for example) are skipped.

    pip install onnx onnxruntime numpy
    python3 tools/onnx-cases/gen.py OUT_DIR --count 150 --seed 19

writes OUT_DIR/manifest.json and OUT_DIR/cases/*.npy in the resample-cases/1 format
(tests/data/FORMAT.md, "ONNX Resize cases").

With --disagreements it keeps the other cases instead: those both accept but where they
disagree. Each gets both outputs (cases/ID.onnxruntime.npy, cases/ID.reference.npy), and the
manifest expects the reference's; a person decides which one the spec's text gives
(tests/data/onnx-disagreements was made this way, with --seed 7 --count 50).
"""

import argparse
import json
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

MODES = ["nearest", "linear", "cubic"]
COORDS = ["half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners",
          "asymmetric", "tf_crop_and_resize"]
NEAREST = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"]
POLICIES = ["stretch", "not_larger", "not_smaller"]


def random_case(rng):
    rank = int(rng.integers(3, 6))
    shape = [int(rng.integers(1, 3)), int(rng.integers(1, 4))]
    shape += [int(rng.integers(1, 12)) for _ in range(rank - 2)]
    mode = str(rng.choice(MODES))
    a = {
        "mode": mode,
        "coordinate_transformation_mode": str(rng.choice(COORDS)),
        "nearest_mode": str(rng.choice(NEAREST)),
        "cubic_coeff_a": float(rng.choice([-0.75, -0.5, -0.6])),
        "exclude_outside": int(rng.integers(0, 2)),
        "extrapolation_value": float(rng.choice([0.0, -1.5, 10.0])),
        "antialias": int(mode != "nearest" and rng.integers(0, 2)),
        "keep_aspect_ratio_policy": "stretch",
        "axes": None,
        "roi": None,
        "scales": None,
        "sizes": None,
    }
    spatial = list(range(2, rank))
    axes = spatial if rng.integers(0, 2) else list(range(rank))
    if rng.integers(0, 2) and axes != list(range(rank)):
        axes = [ax - rank if rng.integers(0, 2) else ax for ax in axes]
        a["axes"] = axes
    elif axes != list(range(rank)):
        a["axes"] = axes
    resized = [(ax % rank) >= 2 for ax in axes]
    if rng.integers(0, 2):
        choices = [0.5, 0.6, 0.75, 0.8, 1.25, 1.5, 1.7, 2.0, 3.0, 0.3]
        a["scales"] = [float(np.float32(rng.choice(choices))) if r else 1.0 for r in resized]
    else:
        a["sizes"] = [int(rng.integers(1, 16)) if r else shape[ax % rank]
                      for ax, r in zip(axes, resized)]
        if len(axes) < rank or rng.integers(0, 2):
            a["keep_aspect_ratio_policy"] = str(rng.choice(POLICIES))
    if a["coordinate_transformation_mode"] == "tf_crop_and_resize":
        starts = [float(rng.uniform(-0.3, 0.4)) if r else 0.0 for r in resized]
        ends = [float(rng.uniform(0.6, 1.3)) if r else 1.0 for r in resized]
        a["roi"] = starts + ends
    return shape, a


def model(a):
    attrs = {k: a[k] for k in ["mode", "coordinate_transformation_mode", "nearest_mode",
                               "cubic_coeff_a", "exclude_outside", "extrapolation_value",
                               "antialias", "keep_aspect_ratio_policy"]}
    if a["axes"] is not None:
        attrs["axes"] = a["axes"]
    # Absent optional inputs are empty names (onnxruntime rejects empty tensors for them).
    given = [n for n in ["roi", "scales", "sizes"] if a[n] is not None]
    node = helper.make_node("Resize", ["X"] + [n if n in given else "" for n in
                                               ["roi", "scales", "sizes"]], ["Y"], **attrs)
    types = {"roi": TensorProto.FLOAT, "scales": TensorProto.FLOAT, "sizes": TensorProto.INT64}
    inputs = [helper.make_tensor_value_info("X", TensorProto.FLOAT, None)] + [
        helper.make_tensor_value_info(n, types[n], None) for n in given]
    out = [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)]
    graph = helper.make_graph([node], "resize", inputs, out)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])


def feeds(x, a):
    dtypes = {"roi": np.float32, "scales": np.float32, "sizes": np.int64}
    return {"X": x, **{n: np.array(a[n], t) for n, t in dtypes.items() if a[n] is not None}}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--count", type=int, default=150)
    p.add_argument("--seed", type=int, default=19)
    p.add_argument("--disagreements", action="store_true")
    args = p.parse_args()
    rng = np.random.default_rng(args.seed)
    os.makedirs(os.path.join(args.out, "cases"), exist_ok=True)
    cases, tried = [], 0
    while len(cases) < args.count and tried < 50 * args.count:
        tried += 1
        shape, a = random_case(rng)
        x = rng.uniform(-1, 1, shape).astype(np.float32)
        m = model(a)
        try:
            sess = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
            y = sess.run(None, feeds(x, a))[0]
            r = ReferenceEvaluator(m).run(None, feeds(x, a))[0]
        except Exception:  # one of them rejects the case: skipped
            continue
        if y.shape != r.shape or y.size == 0:
            continue
        nearest = a["mode"] == "nearest"
        atol = 0.0 if nearest else 1e-4 * max(1.0, float(np.abs(y).max()))
        agree = np.allclose(y, r, rtol=0, atol=atol)
        if agree == args.disagreements:
            continue
        cid = f"{'d' if args.disagreements else 'r'}{len(cases):04d}"
        np.save(os.path.join(args.out, "cases", f"{cid}.input.npy"), x)
        if args.disagreements:
            for name, v in (("onnxruntime", y), ("reference", r)):
                np.save(os.path.join(args.out, "cases", f"{cid}.{name}.npy"),
                        v.astype(np.float64))
            expected = f"cases/{cid}.reference.npy"
        else:
            expected = f"cases/{cid}.output.npy"
            np.save(os.path.join(args.out, expected), y.astype(np.float64))
        cases.append({
            "id": cid,
            "convention": "onnx",
            "onnx": a,
            "input": f"cases/{cid}.input.npy",
            "output_shape": list(y.shape),
            "expected": expected,
            "atol": atol,
            "origin": f"random (seed {args.seed}), onnxruntime {ort.__version__} = onnx "
                      f"{onnx.__version__} reference",
        })
    manifest = {
        "format": "resample-cases/1",
        "generator": f"tools/onnx-cases/gen.py: onnx {onnx.__version__} (Resize-19), "
                     f"onnxruntime {ort.__version__}",
        "cases": cases,
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"{len(cases)} cases kept of {tried} drawn -> {args.out}")


if __name__ == "__main__":
    main()
