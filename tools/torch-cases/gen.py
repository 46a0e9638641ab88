#!/usr/bin/env python3
"""Random conformance corpus generator (resample-cases/1) for torch interpolate.
usage: gen.py OUTDIR [seed]"""
import json, math, os, sys, random, shutil
import numpy as np, torch, torch.nn.functional as F

torch.set_num_threads(1)
OUT = SEED = rng = nrng = None
def init(out, seed):
    global OUT, SEED, rng, nrng
    OUT, SEED = out, seed
    rng = random.Random(SEED); nrng = np.random.default_rng(SEED)
    shutil.rmtree(OUT, ignore_errors=True); os.makedirs(OUT + '/cases')
    cases.clear()

NEAREST = ('nearest', 'nearest-exact')
ND = {'nearest': (1, 2, 3), 'nearest-exact': (1, 2, 3), 'area': (1, 2, 3), 'linear': (1,),
      'bilinear': (2,), 'bicubic': (2,), 'trilinear': (3,), 'lanczos': (2,)}
U8_OK = ('nearest', 'nearest-exact', 'bilinear', 'bicubic', 'lanczos')
MAXEL = 3000
SPECIAL_SCALES = [1/3, 2/3, 0.7, 1.001, 2.5, 0.5, 2.0, 1.0, 3.0, 0.999, 1.1, 0.3, 0.25, 4.0,
                  1.5, 0.6, 0.9, 0.4, 0.1, 5.0, 0.2, 1/7, 3/7, 1.7, 0.35, 1.25, 0.75, 2.2]
cases = []

def save(name, arr):
    np.save(f'{OUT}/cases/{name}', arr); return f'cases/{name}'

def call(x, s):
    return F.interpolate(x, size=s['size'], scale_factor=s['scale_factor'], mode=s['mode'],
                         align_corners=s['align_corners'],
                         recompute_scale_factor=s['recompute_scale_factor'], antialias=s['antialias'])

def make_input(shape, dtype, vrange):
    if dtype == 'uint8':
        return nrng.integers(0, 256, size=shape, dtype=np.uint8)
    lo, hi = vrange
    return (lo + (hi - lo) * nrng.random(shape)).astype(np.float32)

def emit(s, shape, want_error=False, vrange=(-2.0, 3.0)):
    """Run torch on spec; returns 'ok'/'err'/None(skipped)."""
    cid = f'r{len(cases):05d}'
    dtype = s.get('dtype')
    x = make_input(shape, dtype, vrange)
    e = {'id': cid, 'mode': s['mode'], 'size': s['size'], 'scale_factor': s['scale_factor'],
         'align_corners': s['align_corners'], 'recompute_scale_factor': s['recompute_scale_factor'],
         'antialias': s['antialias']}
    if dtype: e['dtype'] = dtype
    try:
        if dtype == 'uint8':
            y = call(torch.from_numpy(x), s)
        else:
            x64 = torch.from_numpy(x).double().requires_grad_(True)
            y = call(x64, s)
    except Exception as ex:
        if not want_error:
            return None
        e['input'] = save(cid + '.input.npy', x)
        e['expect_error'] = str(ex).split('\n')[0][:200]
        cases.append(e); return 'err'
    if want_error:
        return None
    if y.numel() > MAXEL or (y.numel() == 0 and not s.get('empty_ok')):
        return None
    e['input'] = save(cid + '.input.npy', x)
    e['output_shape'] = list(y.shape)
    if dtype == 'uint8':
        e['expected'] = save(cid + '.output.npy', y.numpy())
        e['atol'] = 0.0 if s['mode'] in NEAREST else 1.0
        cases.append(e); return 'ok'
    y64 = y.detach().numpy()
    go = (nrng.random(y64.shape) * 2 - 1).astype(np.float32)
    if s['mode'] in NEAREST:
        # The contract for nearest picks is torch's answer in the data's own dtype (float32).
        exp = nearest_f32(x, go, s)
        e['expected'] = save(cid + '.output.npy', exp['output'])
        e['atol'] = 0.0
        if 'grad_input' in exp:
            e['grad_output'] = save(cid + '.grad_output.npy', go)
            e['expected_grad_input'] = save(cid + '.grad_input.npy', exp['grad_input'])
            e['grad_atol'] = exp['grad_atol']
        cases.append(e); return 'ok'
    x32 = torch.from_numpy(x).requires_grad_(True)
    y32 = call(x32, s)
    err = float(np.abs(y32.detach().double().numpy() - y64).max()) if y64.size else 0.0
    mx = float(np.abs(y64).max()) if y64.size else 0.0
    e['expected'] = save(cid + '.output.npy', y64.astype(np.float64))
    e['atol'] = max(8 * err, 2e-6 * mx)
    try:
        y.backward(torch.from_numpy(go).double())
        y32.backward(torch.from_numpy(go))
        g64 = x64.grad.numpy(); g32 = x32.grad.double().numpy()
        gerr = float(np.abs(g64 - g32).max()) if g64.size else 0.0
        gmx = float(np.abs(g64).max()) if g64.size else 0.0
        e['grad_output'] = save(cid + '.grad_output.npy', go)
        e['expected_grad_input'] = save(cid + '.grad_input.npy', g64.astype(np.float64))
        e['grad_atol'] = max(8 * gerr, 1e-5 * gmx)
    except Exception as ex:
        print('no grad', cid, ex, file=sys.stderr)
    cases.append(e); return 'ok'

def nearest_f32(x, go, s):
    """torch's float32 answer for a nearest / nearest-exact case: the forward (exact picks,
    widened to float64) and the float32 backward of `go`, with a gradient tolerance of eight
    times the bound of float32 summation error, (n - 1) * 2^-24 * sum |terms|, where n is the
    largest number of outputs that read one input."""
    out = {}
    x32 = torch.from_numpy(x).requires_grad_(True)
    y32 = call(x32, s)
    out['output'] = y32.detach().double().numpy()
    if y32.numel() == 0:
        return out
    try:
        y32.backward(torch.from_numpy(go))
        g = x32.grad.double().numpy()
        def bwd(v):
            xv = torch.from_numpy(x).requires_grad_(True)
            call(xv, s).backward(torch.from_numpy(v.astype(np.float32)))
            return xv.grad.double().numpy()
        fan = float(bwd(np.ones_like(go)).max()) if g.size else 0.0
        mass = float(bwd(np.abs(go)).max()) if g.size else 0.0
        gmx = float(np.abs(g).max()) if g.size else 0.0
        out['grad_input'] = g
        out['grad_atol'] = max(8 * max(fan - 1, 0) * 2.0 ** -24 * mass, 1e-5 * gmx)
    except Exception as ex:
        print('no grad', ex, file=sys.stderr)
    return out

def rand_in(nd):
    if nd == 3:
        d = [rng.randint(1, 12) for _ in range(3)]
    elif nd == 2:
        d = [rng.randint(1, 40) for _ in range(2)]
    else:
        d = [rng.randint(1, 40)]
    if rng.random() < 0.06:
        d[rng.randrange(nd)] = rng.choice([64, 77, 100]) if nd < 3 else rng.choice([30, 40])
    return d

def rand_scale():
    r = rng.random()
    if r < 0.35: return rng.choice(SPECIAL_SCALES)
    if r < 0.6: return round(rng.uniform(0.1, 5.0), rng.choice([1, 2, 3]))
    return rng.uniform(0.1, 5.0)

def rand_spec(mode):
    nd = rng.choice(ND[mode])
    s = {'mode': mode}
    s['antialias'] = mode == 'lanczos' or (mode in ('bilinear', 'bicubic') and rng.random() < 0.4)
    if mode in NEAREST or mode == 'area':
        s['align_corners'] = None
    elif mode == 'lanczos':
        s['align_corners'] = rng.choice([False, None])
    else:
        s['align_corners'] = rng.choice([True, False, None])
    if mode in U8_OK and rng.random() < 0.18:
        s['dtype'] = 'uint8'
    ins = rand_in(nd)
    if rng.random() < 0.45:
        s['size'] = [rng.randint(1, 40 if nd < 3 else 14) for _ in range(nd)]
        if rng.random() < 0.05: s['size'][rng.randrange(nd)] = rng.choice([1, 90, 100]) if nd < 3 else 1
        s['scale_factor'] = None
        s['recompute_scale_factor'] = rng.choice([False, None])
    else:
        s['size'] = None
        if rng.random() < 0.3:
            sc = rand_scale(); s['scale_factor'] = [sc] * nd
        else:
            s['scale_factor'] = [rand_scale() for _ in range(nd)]
        s['recompute_scale_factor'] = rng.choice([True, False, None])
    return s, ins

def shape_for(ins):
    return [rng.randint(1, 2), rng.randint(1, 3)] + ins

def write_manifest():
    json.dump({'format': 'resample-cases/1', 'generator': f'torch {torch.__version__}, float64 reference, float32 nearest picks (random, seed {SEED})',
               'cases': cases}, open(OUT + '/manifest.json', 'w'), indent=1)

def main():
  init(sys.argv[1] if len(sys.argv) > 1 else 'corpus', int(sys.argv[2]) if len(sys.argv) > 2 else 12345)
  if True:
    # ---------- random valid cases
    weights = {'nearest': 160, 'nearest-exact': 160, 'linear': 130, 'bilinear': 220, 'bicubic': 210,
               'trilinear': 110, 'area': 150, 'lanczos': 130}
    for mode, n in weights.items():
        got = 0
        while got < n:
            s, ins = rand_spec(mode)
            vr = (0.0, 255.0) if mode in ('bicubic', 'lanczos') and rng.random() < 0.25 else (-2.0, 3.0)
            if emit(s, shape_for(ins), vrange=vr) == 'ok': got += 1

    # ---------- boundary scales: in * scale lands just below / above an integer in double
    def boundary_pairs():
        out = []
        for n in range(2, 41):
            for k in range(1, 5 * n + 1):
                sc = k / n
                if not (0.1 <= sc <= 5): continue
                p = n * sc
                if p != k: out.append((n, sc))
        for n in range(1, 41):
            for sc in (0.7, 0.1, 0.3, 0.6, 1.1, 2.2, 0.35, 1.7, 2.3, 1.9, 0.9):
                if n * sc != round(n * sc) and abs(n * sc - round(n * sc)) < 1e-9: out.append((n, sc))
        return out
    bp = boundary_pairs(); rng.shuffle(bp)
    print('boundary pairs', len(bp), file=sys.stderr)
    i = 0; got = 0
    for mode in ['nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'area', 'lanczos', 'trilinear'] * 4:
        for _ in range(4):
            n, sc = bp[i % len(bp)]; i += 1
            nd = ND[mode][-1] if mode != 'area' else rng.choice((1, 2))
            s, _ = rand_spec(mode)
            s['size'] = None
            ins = [n] + [rng.randint(1, 8 if nd == 3 else 20) for _ in range(nd - 1)]
            s['scale_factor'] = [sc] + [rand_scale() for _ in range(nd - 1)]
            if nd == 3: ins[0] = min(n, 14)
            s['recompute_scale_factor'] = rng.choice([True, False, None])
            if emit(s, shape_for(ins)) == 'ok': got += 1
    print('boundary cases', got, file=sys.stderr)

    # ---------- edge shapes: size 1 in/out, identity, exact 2x, align_corners True
    for mode in ND:
        for nd in ND[mode]:
            for kind in ('in1', 'out1', 'identity', 'x2', 'identscale'):
                for ac in ([None] if mode in NEAREST + ('area',) else [True, False] if mode != 'lanczos' else [False]):
                    for dt in ([None, 'uint8'] if mode in U8_OK else [None]):
                        ins = [rng.randint(2, 9) for _ in range(nd)]
                        s = {'mode': mode, 'align_corners': ac, 'antialias': mode == 'lanczos',
                             'recompute_scale_factor': None, 'scale_factor': None, 'size': None}
                        if dt: s['dtype'] = dt
                        if kind == 'in1': ins = [1] * nd; s['size'] = [rng.randint(1, 7) for _ in range(nd)]
                        elif kind == 'out1': s['size'] = [1] * nd
                        elif kind == 'identity': s['size'] = list(ins)
                        elif kind == 'x2': s['scale_factor'] = [2.0] * nd
                        else: s['scale_factor'] = [1.0] * nd; s['recompute_scale_factor'] = rng.choice([False, None])
                        emit(s, shape_for(ins))
                        if mode in ('bilinear', 'bicubic'):
                            s2 = dict(s); s2['antialias'] = True; emit(s2, shape_for(ins))

    # area with an output size of 0: torch accepts, returns an empty tensor
    for nd in (1, 2, 3):
        ins = [rng.randint(2, 9) for _ in range(nd)]
        sz = [rng.randint(1, 5) for _ in range(nd)]; sz[rng.randrange(nd)] = 0
        emit({'mode': 'area', 'size': sz, 'scale_factor': None, 'align_corners': None,
              'recompute_scale_factor': None, 'antialias': False, 'empty_ok': True}, shape_for(ins))
        emit({'mode': 'area', 'size': None, 'scale_factor': [0.1] * nd, 'align_corners': None,
              'recompute_scale_factor': None, 'antialias': False, 'empty_ok': True}, shape_for(ins))

    nvalid = sum('expect_error' not in c for c in cases)
    # ---------- rejected arguments
    def E(mode, shape, size=None, scale=None, ac=None, rsf=None, aa=False, dtype=None):
        s = {'mode': mode, 'size': size, 'scale_factor': scale, 'align_corners': ac,
             'recompute_scale_factor': rsf, 'antialias': aa}
        if dtype: s['dtype'] = dtype
        r = emit(s, shape, want_error=True)
        if r is None: print('NOT rejected by torch:', s, shape, file=sys.stderr)
    S3, S4, S5 = [1, 2, 7], [1, 2, 6, 5], [1, 1, 4, 5, 3]
    E('bilinear', S4, size=[4, 4], scale=[2.0, 2.0])
    E('nearest', S3, size=[4], scale=[2.0])
    E('trilinear', S5, size=[2, 2, 2], scale=[1.5, 1.5, 1.5])
    E('bicubic', S4); E('nearest', S5); E('area', S3)
    E('bilinear', S4, size=[4]); E('nearest', S3, size=[4, 4]); E('nearest-exact', S5, size=[3, 3])
    E('bicubic', S4, size=[4, 4, 4]); E('area', S4, size=[2, 3, 4])
    E('bilinear', S4, scale=[2.0]); E('nearest', S5, scale=[2.0, 2.0]); E('linear', S3, scale=[2.0, 2.0])
    E('nearest', S4, size=[4, 4], ac=True); E('nearest', S3, size=[4], ac=False)
    E('nearest-exact', S4, size=[4, 4], ac=True); E('area', S4, size=[4, 4], ac=False); E('area', S5, size=[2, 2, 2], ac=True)
    E('nearest', S4, size=[4, 4], aa=True); E('nearest-exact', S4, size=[3, 3], aa=True)
    E('area', S4, size=[3, 3], aa=True); E('linear', S3, size=[3], aa=True); E('trilinear', S5, size=[2, 2, 2], aa=True)
    E('bilinear', S3, size=[3], aa=True); E('bicubic', S5, size=[2, 2, 2], aa=True); E('lanczos', S3, size=[3], aa=True)
    E('lanczos', S4, size=[3, 3]); E('lanczos', S4, size=[3, 3], ac=False); E('lanczos', S4, scale=[0.5, 0.5])
    E('lanczos', S4, size=[3, 3], ac=True, aa=True)
    E('bilinear', S4, size=[0, 3]); E('bicubic', S4, size=[3, -2]); E('nearest', S3, size=[0])
    E('nearest-exact', S5, size=[2, 0, 2]); E('linear', S3, size=[-1]); E('trilinear', S5, size=[2, 2, 0])
    E('lanczos', S4, size=[0, 4], aa=True); E('bilinear', S4, size=[0, 3], aa=True); E('area', S4, size=[-1, 3])
    E('bilinear', S4, scale=[0.1, 1.0]); E('nearest', S3, scale=[0.1]); E('bicubic', S4, scale=[1.0, 0.15], rsf=True)
    E('trilinear', S5, scale=[0.2, 1.0, 1.0]); E('linear', S3, scale=[0.0]); E('nearest', S4, scale=[-1.0, 1.0])
    E('lanczos', S4, scale=[0.1, 0.1], aa=True); E('area', S4, scale=[-2.0, 1.0])
    E('bilinear', S4, size=[4, 4], rsf=True); E('area', S3, size=[4], rsf=True); E('nearest', S5, size=[2, 2, 2], rsf=True)
    E('linear', S4, size=[4, 4]); E('linear', S5, size=[2, 2, 2]); E('bilinear', S3, size=[4])
    E('bilinear', S5, size=[2, 2, 2]); E('bicubic', S3, size=[4]); E('bicubic', S5, size=[2, 2, 2])
    E('trilinear', S3, size=[4]); E('trilinear', S4, size=[4, 4]); E('lanczos', S5, size=[2, 2, 2], aa=True)
    E('nearest', [1, 1, 2, 2, 2, 2], size=[2, 2, 2, 2]); E('bilinear', [1, 1, 2, 2, 2, 2], size=[2, 2, 2, 2])
    E('bilinear', [1, 2, 0, 5], size=[3, 3]); E('nearest', [1, 1, 0], size=[3])
    E('area', [1, 1, 0, 4], size=[2, 2])
    if os.environ.get('U8_REJECTS'):
      E('linear', S3, size=[4], dtype='uint8'); E('trilinear', S5, size=[2, 2, 2], dtype='uint8')
      E('area', S4, size=[3, 3], dtype='uint8'); E('area', S3, size=[3], dtype='uint8')

    write_manifest()
    nerr = sum('expect_error' in c for c in cases)
    print(f'{len(cases)} cases: {nvalid} valid, {nerr} errors, {sum("grad_atol" in c for c in cases)} with grad', file=sys.stderr)

if __name__ == '__main__':
    main()
