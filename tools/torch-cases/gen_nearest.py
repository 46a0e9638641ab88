#!/usr/bin/env python3
"""Nearest/nearest-exact index cases that tell torch's kernels apart (2-D nearest_idx kernel when
H_out + W_out <= 128, the generic kernel otherwise; the shortcuts), and pairs where float32 and
float64 pick differently (the expected picks are torch's float32 ones: the data's dtype).
usage: gen_nearest.py OUT_DIR"""
import sys, random, numpy as np
sys.path.insert(0, __import__('os').path.dirname(__file__)); import gen
f32=np.float32
def idx_rule(n_in,n_out,exact):  # nearest_idx kernel, no shortcuts considered here
    s=f32(n_in)/f32(n_out)
    if exact: return [min(int(np.floor(f32((i+0.5)*float(s)))), n_in-1) for i in range(n_out)]
    return [min(int(np.floor(f32(i)*s)), n_in-1) for i in range(n_out)]
def gen64(n_in,n_out,exact):
    s=n_in/n_out; return [min(int(np.floor(f32((i+0.5*exact)*s))), n_in-1) for i in range(n_out)]
def gen32(n_in,n_out,exact):
    s=f32(n_in)/f32(n_out)
    if exact:
        return [min(int(np.floor(f32(max(f32(float(s)*(i+0.5)-0.5),f32(0))+f32(0.5)))), n_in-1) for i in range(n_out)]
    return [min(int(np.floor(f32(i)*s)), n_in-1) for i in range(n_out)]
gen.MAXEL = 40000
gen.init(sys.argv[1] if len(sys.argv) > 1 else 'corpus-nearest', 4242)
rng=random.Random(4242)
def pairs(pred, lo, hi_out, k):
    out=[]
    while len(out)<k:
        a,b=rng.randint(2,120),rng.randint(lo,hi_out)
        if b in (a,2*a): continue
        if pred(a,b): out.append((a,b))
    return out
E=lambda mode,size,shape,dtype=None: gen.emit({'mode':mode,'size':size,'scale_factor':None,'align_corners':None,'recompute_scale_factor':None,'antialias':False,**({'dtype':dtype} if dtype else {})}, shape)
for mode,ex in (('nearest',0),('nearest-exact',1)):
    differ=lambda a,b: idx_rule(a,b,ex)!=gen32(a,b,ex) or gen32(a,b,ex)!=gen64(a,b,ex)
    # 2-D, f32 data: nearest_idx kernel (sum <= 128) vs the generic kernel (sum > 128)
    for a,b in pairs(differ, 20, 120, 4):
        E(mode,[b,max(1,128-b)],[1,1,a,3])
    for a,b in pairs(differ, 130, 300, 4):
        E(mode,[b,2],[1,1,a,3])
    # 1-D and 3-D, f32 data: the generic kernel
    for a,b in pairs(differ, 2, 300, 3):
        E(mode,[b],[1,2,a]); E(mode,[b,2,2],[1,1,a,2,3])
    # uint8: generic f32 (1-D; 2-D beyond 128)
    for a,b in pairs(differ, 2, 300, 4):
        E(mode,[b],[1,2,a],'uint8')
        if b>128: E(mode,[b,3],[1,1,a,2],'uint8')
# the shortcuts only in the nearest_idx kernel: out == in or 2 in with another scale
for sh,sf in (([1,1,6,5],[1.1,1.0]),([1,1,60,3],[1.05,40.0]),([1,1,70,4],[2.04,30.0]),([1,1,3,50],[2.05,2.9])):
    gen.emit({'mode':'nearest','size':None,'scale_factor':sf,'align_corners':None,'recompute_scale_factor':False,'antialias':False}, sh)
gen.write_manifest(); print(len(gen.cases))
