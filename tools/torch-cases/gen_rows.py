#!/usr/bin/env python3
"""Cases for the row kernels (shaders/rows*.wgsl): random modes and dimensions whose last axis
is a multiple of 8 elements in and out (the row kernels' layouts, pair loads included), at
the scales whose taps repeat along a row (2x, 4x, 1/2, 1/4, 3/2, 2/3) and at random ones,
forward, gradient and uint8. usage: gen_rows.py OUT_DIR [seed]"""
import sys, random
sys.path.insert(0, __import__('os').path.dirname(__file__)); import gen
gen.MAXEL = 2000
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 808
gen.init(sys.argv[1] if len(sys.argv) > 1 else 'corpus-rows', seed)
rng = random.Random(seed)
RATIOS = [(2, 1), (4, 1), (1, 2), (1, 4), (3, 2), (2, 3), (1, 1)]
def width_pair():
    if rng.random() < 0.7:
        a, b = rng.choice(RATIOS)
        n = 24 * rng.randint(1, 4)            # a multiple of 8 * 3: every ratio stays whole
        return n, n * a // b
    return 8 * rng.randint(1, 12), 8 * rng.randint(1, 12)
want = {'nearest': 15, 'nearest-exact': 12, 'linear': 20, 'bilinear': 30, 'bicubic': 30,
        'trilinear': 18, 'area': 20, 'lanczos': 18}
for mode, n in want.items():
    got = 0
    while got < n:
        nd = rng.choice(gen.ND[mode])
        w_in, w_out = width_pair()
        ins = [rng.randint(1, 6 if nd == 3 else 24) for _ in range(nd - 1)] + [w_in]
        size = [rng.randint(1, 8 if nd == 3 else 24) for _ in range(nd - 1)] + [w_out]
        aa = mode == 'lanczos' or (mode in ('bilinear', 'bicubic') and rng.random() < 0.5)
        if mode in gen.NEAREST or mode == 'area':
            ac = None
        elif mode == 'lanczos':
            ac = rng.choice([False, None])
        else:
            ac = rng.choice([True, False, None])
        s = {'mode': mode, 'size': size, 'scale_factor': None, 'align_corners': ac,
             'recompute_scale_factor': None, 'antialias': aa}
        if mode in gen.U8_OK and rng.random() < 0.2:
            s['dtype'] = 'uint8'
        vr = (0.0, 255.0) if mode in ('bicubic', 'lanczos') and rng.random() < 0.25 else (-2.0, 3.0)
        if gen.emit(s, [rng.randint(1, 2), rng.randint(1, 3)] + ins, vrange=vr) == 'ok':
            got += 1
gen.write_manifest()
import json
m = json.load(open(gen.OUT + '/manifest.json'))
m['generator'] = f'torch {gen.torch.__version__}, float64 reference (tools/torch-cases/gen_rows.py, seed {seed})'
json.dump(m, open(gen.OUT + '/manifest.json', 'w'), indent=1)
print(len(gen.cases), 'cases')
