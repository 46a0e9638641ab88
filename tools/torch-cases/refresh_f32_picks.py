#!/usr/bin/env python3
"""Rewrite the nearest and nearest-exact float32 cases of a resample-cases/1 corpus with torch's
float32 answer (the contract: nearest picks in the data's own dtype), keeping their inputs and
upstream gradients. Cases made before that contract hold torch's float64 picks.
usage: refresh_f32_picks.py MANIFEST.json"""
import json, os, sys
import numpy as np
sys.path.insert(0, os.path.dirname(__file__))
import gen

path = sys.argv[1]
root = os.path.dirname(path)
m = json.load(open(path))
changed = 0
for c in m['cases']:
    if c['mode'] not in gen.NEAREST or c.get('dtype') or 'expected' not in c:
        continue
    x = np.load(os.path.join(root, c['input']))
    go = np.load(os.path.join(root, c['grad_output'])) if 'grad_output' in c else \
        np.zeros(c['output_shape'], np.float32)
    exp = gen.nearest_f32(x, go, c)
    old = np.load(os.path.join(root, c['expected']))
    changed += int(not np.array_equal(old, exp['output']))
    np.save(os.path.join(root, c['expected']), exp['output'])
    if 'expected_grad_input' in c and 'grad_input' in exp:
        np.save(os.path.join(root, c['expected_grad_input']), exp['grad_input'])
        c['grad_atol'] = exp['grad_atol']
m['generator'] += '; nearest cases: float32 picks (refresh_f32_picks.py)'
json.dump(m, open(path, 'w'), indent=1)
print(f'{changed} nearest forwards changed')
