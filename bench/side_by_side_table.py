#!/usr/bin/env python3
"""Prints the markdown table of a side_by_side.sh run: rnn4j vs PyTorch per workload, ratios, GFLOP/s, peak RSS.
With rnn4j17-<workload>.json files in the same folder (rnn4j run on JDK 17), adds their figures as a last column."""
import json, os, sys

out = sys.argv[1]
spec = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'workloads.json')))


def rss(peer, w):
    try:
        return int(open(os.path.join(out, '%s-%s.rss' % (peer, w))).read().split()[-1]) / 1024.0
    except (OSError, ValueError, IndexError):
        return float('nan')


def rnn4j(peer, w):
    try:
        return json.loads(open(os.path.join(out, '%s-%s.json' % (peer, w))).read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return None


def figures(d, r, t):
    """rnn4j's figure, its ratio to PyTorch's, GFLOP/s."""
    if r is None:
        return '', '', ''
    if d['kind'] == 'seed':
        return '%.4f s' % r['fit_seconds'], '%.0fx' % (t['fit_seconds'] / r['fit_seconds']), '%.2f' % r['gflops']
    if d['kind'] == 'throughput':
        return ('%.0f / %.0f' % (r['train_samples_per_s'], r['infer_samples_per_s']),
                '%.1fx / %.1fx' % (r['train_samples_per_s'] / t['train_samples_per_s'],
                                   r['infer_samples_per_s'] / t['infer_samples_per_s']),
                '%.0f / %.0f' % (r['gflops'], r['gflops_infer']))
    pob = r.get('us_per_step_predict_on_batch')
    return ('%.1f us%s' % (r['us_per_step'], ' (predict_on_batch %.1f)' % pob if pob else ''),
            '%.1fx' % (t['us_per_step'] / r['us_per_step']), '%.1f' % r['gflops'])


rows = []
jdk, jdk17 = '?', None
for w, d in spec['workloads'].items():
    try:
        t = json.load(open(os.path.join(out, 'torch-%s.json' % w)))['results'][w]
    except (OSError, KeyError, ValueError):
        continue
    r, r17 = rnn4j('rnn4j', w), rnn4j('rnn4j17', w)
    if r is None:
        continue
    jdk = r.get('jdk', jdk)
    if r17 is not None:
        jdk17 = r17.get('jdk')
    mem = '%.0f / %.0f MB' % (rss('rnn4j', w), rss('torch', w))
    if d['kind'] == 'seed':
        torch = '%.3f s' % t['fit_seconds']
        note = 'loss %.2g vs %.2g' % (r['final_loss'], t['final_loss'])
    elif d['kind'] == 'throughput':
        torch = '%.0f / %.0f' % (t['train_samples_per_s'], t['infer_samples_per_s'])
        note = ''
    else:
        torch = '%.1f us' % t['us_per_step']
        note = ''
    fig, ratio, gf = figures(d, r, t)
    fig17, ratio17, _ = figures(d, r17, t)
    label = w + (' fit' if d['kind'] == 'seed' else ' train / infer (samples/s)' if d['kind'] == 'throughput' else ' (per step)')
    row = '| %s | %s | %s | **%s** | %s | %s | %s |' % (label, torch, fig, ratio, gf, mem, note)
    if jdk17:
        row += ' %s (%s) |' % (fig17, ratio17)
    rows.append(row)
head = '| workload | PyTorch | rnn4j (JDK %s) | speed-up | rnn4j GFLOP/s | peak RSS rnn4j / PyTorch | note |' % jdk
sep = '| --- | --- | --- | --- | --- | --- | --- |'
if jdk17:
    head += ' rnn4j JDK %s (speed-up) |' % jdk17
    sep += ' --- |'
print(head)
print(sep)
print('\n'.join(rows))
