# The README's tables of the paper study (issue 17, section 3), from the study.json that
# `redifine study SWEEP --metric sharpness --metric high_frequency_ratio --metric latent_std --metric saturation
# --metric diffnorm_last` writes: per condition D_0's value, iteration 1's and K-reusability with 95% intervals;
# then the reusability differences of ReDiFine and its ablations against CFG 7.5 and the best constant CFG.
import json, sys

study = json.load(open(sys.argv[1]))
METRICS = [('fd', 2), ('sharpness', 0), ('high_frequency_ratio', 4), ('latent_std', 2), ('saturation', 3), ('diffnorm_last', 2)]


def interval(r, digits, sign=True):
    f = f"{{:{'+' if sign else ''}.{digits}f}}"
    return f"{f.format(r['mean'])} [{f.format(r['ci_low'])}, {f.format(r['ci_high'])}]"


def at(condition, metric, k):
    return next(x for x in condition['per_iteration'][metric] if x['iteration'] == k)


conditions = study['conditions']
print('Values at iteration 1, mean [95% t interval] over seeds; D_0 (iteration 0) in the first row.\n')
print('| condition | seeds | ' + ' | '.join(m for m, _ in METRICS) + ' |')
print('|' + '---|' * (2 + len(METRICS)))
print('| D_0 | | ' + ' | '.join(f"{at(conditions[0], m, 0)['mean']:.{d}f}" if m not in ('fd', 'diffnorm_last') else '' for m, d in METRICS) + ' |')
for c in conditions:
    print(f"| {c['label']} | {len(c['seeds'])} | " + ' | '.join(interval(at(c, m, 1), d, False) for m, d in METRICS) + ' |')

NAMES = {'CFG 7.5 exp(-2t/T), drop 0.2': 'ReDiFine (CFG 7.5 exp(-2t/T), drop 0.2)',
         'CFG 7.5, drop 0.2': 'condition drop alone (CFG 7.5, drop 0.2)',
         'CFG 7.5 exp(-2t/T), drop 0': 'schedule alone (CFG 7.5 exp(-2t/T))'}
print('\nK-reusability metric_6 - metric_1, mean [95% t interval] over seeds, with FD_1 (the README table).\n')
print('| condition (seeds) | FD_1 | FD | sharpness | high-frequency ratio | latent std | saturation | Diff norm, last step |')
print('|' + '---|' * (2 + len(METRICS)))
for c in conditions:
    name = NAMES.get(c['label'], c['label'].removesuffix(', drop 0'))
    print(f"| {name} ({len(c['seeds'])}) | {interval(at(c, 'fd', 1), 2, False)} | "
          + ' | '.join(interval(c['reusability'][m], d) for m, d in METRICS) + ' |')

print('\nReusability differences, condition - reference (below 0: more reusable than the reference): FD for every\n'
      'condition, every metric for ReDiFine and its ablations.\n')
print('| condition | against | metric | difference [95% interval] | method |')
print('|---|---|---|---|---|')
for x in study['comparisons']:
    if x['metric'] != 'fd' and x['condition_label'] not in NAMES:
        continue
    digits = dict(METRICS)[x['metric']] + 1
    print(f"| {x['condition_label']} | {x['reference_label']} ({x['against']}) | {x['metric']} | "
          f"{interval(dict(x, mean=x['difference']), digits)} | {x['method']}" + (f", df {x['df']:.1f}" if x['method'] == 'welch' else '') + ' |')
print('\nproblems:', study.get('problems'))
