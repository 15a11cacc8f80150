#!/usr/bin/env python3
"""Markdown scaling table from bench/scaling.sh's OUTDIR: 1 vs 2 threads per workload for rnn4j and PyTorch, the
parallel efficiency, the serial fraction that Amdahl's law gives from the two points, and its projection to
8/16/32 cores. Usage: scaling_table.py OUTDIR workload..."""
import json, os, sys

out, workloads = sys.argv[1], sys.argv[2:]

def rnn4j(w, t):
    with open(os.path.join(out, 'rnn4j-%s-%d.json' % (w, t))) as f:
        return json.loads(f.readline())

def torch(w, t):
    with open(os.path.join(out, 'torch-%s-%d.json' % (w, t))) as f:
        return json.load(f)['results'][w]

def metrics(d):
    """(name, value, higher_is_better) of each headline figure of a workload's result."""
    if 'fit_seconds' in d: return [('fit s', d['fit_seconds'], False)]
    if 'us_per_step' in d: return [('us/step', d['us_per_step'], False)]
    return [('train samples/s', d['train_samples_per_s'], True), ('infer samples/s', d['infer_samples_per_s'], True)]

def speedup(a, b, higher):
    return b / a if higher else a / b

def serial(s):
    """Amdahl's serial fraction f from the 2-thread speed-up s: s = 1 / (f + (1 - f) / 2)."""
    return min(1.0, max(0.0, 2.0 / s - 1.0))

def project(f, n):
    return 1.0 / (f + (1.0 - f) / n)

def fmt(v):
    return ('%.4f' % v) if v < 0.1 else ('%.1f' % v if v < 1000 else '{:,.0f}'.format(v).replace(',', ' '))

print('| workload | figure | rnn4j 1 / 2 threads | speed-up | efficiency | serial fraction | projected 8 / 16 / 32 cores'
      ' | PyTorch 1 / 2 threads | PyTorch speed-up |')
print('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
for w in workloads:
    r1, r2 = rnn4j(w, 1), rnn4j(w, 2)
    try:
        p1, p2 = torch(w, 1), torch(w, 2)
        pm = dict((n, (v1, v2)) for (n, v1, _), (_, v2, _) in zip(metrics(p1), metrics(p2)))
    except (OSError, KeyError):
        pm = {}
    for (name, a, higher), (_, b, _) in zip(metrics(r1), metrics(r2)):
        s = speedup(a, b, higher)
        f = serial(s)
        proj = ' / '.join('%.1fx' % project(f, n) for n in (8, 16, 32))
        if name in pm:
            pa, pb = pm[name]
            ps = '%s / %s' % (fmt(pa), fmt(pb)), '%.2fx' % speedup(pa, pb, higher)
        else:
            ps = ('-', '-')
        print('| %s | %s | %s / %s | %.2fx | %.0f%% | %.2f | %s | %s | %s |' % (
            w, name, fmt(a), fmt(b), s, 50 * s, f, proj, ps[0], ps[1]))
for t in (1, 2):
    path = os.path.join(out, 'rnn4j-serve-%d.json' % t)
    if not os.path.exists(path): continue
    with open(path) as f:
        for line in f:
            print('\nserve, %d kernel thread(s): `%s`' % (t, line.strip()))
