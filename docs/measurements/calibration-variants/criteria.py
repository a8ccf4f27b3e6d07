#!/usr/bin/python3
"""Issue 17: the calibration criteria of a world, from the files measure.sh wrote.

usage: criteria.py WORK_DIR PLAN_NAME BASE:CANDIDATE_LABEL[,...] ...
  e.g. criteria.py /work/calib3 variants shipped:shipped-steps300,shipped-steps1000 heldout:heldout-steps300,heldout-steps1000
Base files: WORK/BASE-s{0,1,2}.json, WORK/floor-BASE.json; the other group: WORK/other.json (or other-BASE.json).
Prints one table row per candidate: FD_1 mean [95% t], the base model's FD, the other group's FD, the floor and
criteria 1 and 2 (criterion 3 is judged on the grids)."""
import json, math, os, statistics, sys

T975 = {1: 12.7062, 2: 4.3027, 3: 3.1824, 4: 2.7764}   # Student t 0.975 quantiles

def interval(values):
    m = statistics.mean(values)
    h = T975[len(values) - 1] * statistics.stdev(values) / math.sqrt(len(values))
    return m, m - h, m + h

def fd(path):
    return json.load(open(path))['metrics']['fd']   # `redifine metrics run --json`

work, plan = sys.argv[1], sys.argv[2]
for spec in sys.argv[3:]:
    base, labels = spec.split(':')
    base_fd = interval([fd(f'{work}/{base}-s{s}.json') for s in range(3)])
    other_path = f'{work}/other-{base}.json' if os.path.exists(f'{work}/other-{base}.json') else f'{work}/other.json'
    other = fd(other_path)
    floor = fd(f'{work}/floor-{base}.json')
    for label in labels.split(','):
        fd1 = interval([json.load(open(f'{work}/sweep/{plan}-{label}-seed{s}/iter_1/metrics.json'))['features']['fd']
                        for s in range(3)])
        c1 = fd1[0] <= other / 4
        c2 = fd1[2] < base_fd[1]
        print(f'| {label} | {fd1[0]:.2f} [{fd1[1]:.2f}, {fd1[2]:.2f}] | {base_fd[0]:.2f} [{base_fd[1]:.2f}, {base_fd[2]:.2f}] '
              f'| {other:.2f} | {floor:.2f} | {"yes" if c1 else "no"} ({fd1[0] / other:.2f} of it) | {"yes" if c2 else "no"} |')
