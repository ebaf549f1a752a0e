#!/usr/bin/env python3
"""Derives engine/kms/src/main/resources/dev/keyward/server/kms-shapes.json from botocore's KMS service model.

The server validates request members (names, types, required, lengths, ranges, enums) against this subset of
the model; KmsShapesTest checks it against the installed model when the AWS CLI is present.
Usage: python3 engine/kms/src/test/cli/kms-shapes.py > engine/kms/src/main/resources/dev/keyward/server/kms-shapes.json
"""
import gzip, json, os, sys
import botocore

base = os.path.join(os.path.dirname(botocore.__file__), 'data', 'kms', '2014-11-01', 'service-2.json')
model = json.load(gzip.open(base + '.gz')) if os.path.exists(base + '.gz') else json.load(open(base))
shapes, out = model['shapes'], {}

def visit(name):
    if name in out:
        return
    s = shapes[name]
    t = s['type']
    o = {'type': t}
    for k in ('min', 'max', 'enum', 'required'):
        if k in s:
            o[k] = s[k]
    out[name] = o
    if t == 'structure':
        o['members'] = {m: v['shape'] for m, v in s['members'].items()}
        for v in o['members'].values():
            visit(v)
    elif t == 'list':
        o['member'] = s['member']['shape']
        visit(o['member'])
    elif t == 'map':
        o['key'] = s['key']['shape']
        o['value'] = s['value']['shape']
        visit(o['key'])
        visit(o['value'])

ops = {}
for op, o in sorted(model['operations'].items()):
    e = {}
    if 'input' in o:
        e['input'] = o['input']['shape']
        visit(e['input'])
    if 'output' in o:
        e['output'] = o['output']['shape']
        visit(e['output'])
    e['errors'] = [x['shape'] for x in o.get('errors', [])]
    ops[op] = e
json.dump({'source': 'botocore ' + botocore.__version__ + ' data/kms/2014-11-01/service-2.json (Apache-2.0), members only',
           'metadata': {k: model['metadata'][k] for k in ('apiVersion', 'jsonVersion', 'targetPrefix')},
           'operations': ops, 'shapes': dict(sorted(out.items()))}, sys.stdout, indent=1, sort_keys=False)
print()
