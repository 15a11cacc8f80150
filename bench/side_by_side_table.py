#!/usr/bin/env python3
"""Prints the markdown table of a side_by_side.sh run: rnn4j vs PyTorch per workload, ratios, GFLOP/s, peak RSS."""
import json, os, sys

out = sys.argv[1]
spec = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'workloads.json')))


def rss(peer, w):
    try:
        return int(open(os.path.join(out, '%s-%s.rss' % (peer, w))).read().split()[-1]) / 1024.0
    except (OSError, ValueError, IndexError):
        return float('nan')


rows = []
jdk = '?'
for w, d in spec['workloads'].items():
    try:
        t = json.load(open(os.path.join(out, 'torch-%s.json' % w)))['results'][w]
        r = json.loads(open(os.path.join(out, 'rnn4j-%s.json' % w)).read().strip().splitlines()[-1])
    except (OSError, KeyError, ValueError, IndexError):
        continue
    jdk = r.get('jdk', jdk)
    mem = '%.0f / %.0f MB' % (rss('rnn4j', w), rss('torch', w))
    if d['kind'] == 'seed':
        rows.append('| %s fit | %.3f s | %.4f s | **%.0fx** | %.3f | loss %.2g vs %.2g | %s |' % (
            w, t['fit_seconds'], r['fit_seconds'], t['fit_seconds'] / r['fit_seconds'], r['gflops'],
            r['final_loss'], t['final_loss'], mem))
    elif d['kind'] == 'throughput':
        rows.append('| %s train / infer (samples/s) | %.0f / %.0f | %.0f / %.0f | **%.1fx / %.1fx** | %.1f / %.1f | | %s |' % (
            w, t['train_samples_per_s'], t['infer_samples_per_s'], r['train_samples_per_s'], r['infer_samples_per_s'],
            r['train_samples_per_s'] / t['train_samples_per_s'], r['infer_samples_per_s'] / t['infer_samples_per_s'],
            r['gflops'], r['gflops_infer'], mem))
    else:
        rows.append('| %s (us per step) | %.1f | %.1f | **%.1fx** | %.2f | | %s |' % (
            w, t['us_per_step'], r['us_per_step'], t['us_per_step'] / r['us_per_step'], r['gflops'], mem))
print('JDK %s' % jdk)
print('| workload | PyTorch | rnn4j | rnn4j speed-up | rnn4j GFLOP/s | note | peak RSS rnn4j / PyTorch |')
print('| --- | --- | --- | --- | --- | --- | --- |')
print('\n'.join(rows))
