#!/usr/bin/env python3
"""Runs HL7's validator test cases (fhir-test-cases/validator/manifest.json)
through `zib validate`, base and with the case's profile, and compares the
verdict (valid: no error, invalid: one or more) with the reference (Java)
validator's expected-base-errors / expected-profile-errors.  zib runs with
--checks fhir: the reference checks FHIR conformance, not zib rules (the
BSN eleven-test and the like).

Two agreement figures per kind: over all cases, and over the cases whose
named files (the instance, its supporting files and profiles, the profile
source and its supporting files) are all in the corpus; a case whose files
were kept aside cannot be judged as the reference judged it.

Usage: t9100-validator.py CORPUS_VALIDATOR_DIR KNOWN_FILE [--list]
Prints one line per disagreement, the agreement figures, and "ok"/"not ok"
lines: a disagreement not in KNOWN_FILE fails, and so does a listed case
that now agrees (the list must shrink with the code).
KNOWN_FILE: "base|profile CASE-NAME reason" per line, '#' comments.
"""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET


def profile_url(path):
    """The canonical url of a StructureDefinition file (XML or JSON)."""
    try:
        if path.endswith('.json'):
            with open(path, encoding='utf-8-sig') as f:
                return json.load(f).get('url')
        root = ET.parse(path).getroot()
        for c in root:
            if c.tag.endswith('}url'):
                return c.get('value')
    except (OSError, ValueError, ET.ParseError):
        return None
    return None


def zib_errors(args, cwd):
    """Runs zib validate; returns (errors, first error lines) or (None, why)."""
    # T9100_CHECKS=none: no --checks option (to measure a zib before it).
    checks = os.environ.get('T9100_CHECKS', 'fhir')
    cmd = ['zib', 'validate', '-q', '-j', '1', '--format', 'json'] + \
        ([] if checks == 'none' else ['--checks', checks]) + args
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)
    if p.returncode not in (0, 1):
        return None, ['exit %d: %s' % (p.returncode, p.stderr.strip()[:200])]
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        return None, ['output is not JSON']
    errs = [f for d in doc['documents'] for f in d['findings'] if f['severity'] == 'error']
    return sum(d['errors'] for d in doc['documents']), \
        ['%s %s' % (f.get('code'), f.get('message', ''))[:160] for f in errs[:3]]


def main():
    vdir, known_file = sys.argv[1], sys.argv[2]
    verbose = '--list' in sys.argv
    with open(os.path.join(vdir, 'manifest.json'), encoding='utf-8') as f:
        cases = json.load(f)['test-cases']
    known = {}
    with open(known_file, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            kind, name, reason = (line.split(None, 2) + ['', ''])[:3]
            known[(kind, name)] = reason
    stats = {'base': [0, 0, 0, 0], 'profile': [0, 0, 0, 0]}
    failed = False
    seen = set()
    for c in cases:
        # The case's own supporting files and profiles are loaded in both
        # runs (as the reference's test runner does); the profile run adds
        # the profile and its supporting files and names it with --profile.
        named = [c['file']] + c.get('supporting', []) + c.get('profiles', [])
        base_args = []
        for fn in dict.fromkeys(c.get('supporting', []) + c.get('profiles', [])):
            if os.path.exists(os.path.join(vdir, fn)):
                base_args += ['--fhir-package', fn]
        runs = [('base', base_args, c.get('expected-base-errors'), named)]
        if 'expected-profile-errors' in c:
            p = c['profile']
            files = c.get('supporting', []) + c.get('profiles', []) + \
                p.get('supporting', []) + [p['source']]
            args = []
            for fn in dict.fromkeys(files):
                # A file the corpus does not hold (kept aside) is left out;
                # the case then says so in its known reason if it differs.
                if os.path.exists(os.path.join(vdir, fn)):
                    args += ['--fhir-package', fn]
            url = profile_url(os.path.join(vdir, p['source']))
            if url:
                args += ['--profile', url]
            runs.append(('profile', args, c['expected-profile-errors'], [c['file']] + files))
        for kind, args, want, files in runs:
            if want is None:
                continue
            got, detail = zib_errors(args + [c['file']], vdir)
            agree = got is not None and (got > 0) == (want > 0)
            on_hand = all(os.path.exists(os.path.join(vdir, fn)) for fn in files)
            stats[kind][0] += 1
            stats[kind][1] += agree
            stats[kind][2] += on_hand
            stats[kind][3] += agree and on_hand
            key = (kind, c['name'])
            seen.add(key)
            if verbose or (not agree and key not in known):
                print('# %s %s: zib %s, reference %d errors%s' % (
                    kind, c['name'], got if got is not None else 'failed', want,
                    ''.join('\n#     ' + d for d in (detail or []))))
            if not agree and key not in known:
                print('not ok %s %s: disagrees and is not in %s' % (
                    kind, c['name'], os.path.basename(known_file)))
                failed = True
            elif agree and key in known:
                print('not ok %s %s: agrees now; drop it from %s' % (
                    kind, c['name'], os.path.basename(known_file)))
                failed = True
    for key in sorted(set(known) - seen):
        print('not ok %s %s: listed in %s but no such case' % (key[0], key[1],
              os.path.basename(known_file)))
        failed = True
    for kind in ('base', 'profile'):
        n, a, hn, ha = stats[kind]
        print('# validator %s cases: %d, agree %d (%.1f%%); with all their files in the '
              'corpus: %d, agree %d (%.1f%%)' % (kind, n, a, 100.0 * a / max(n, 1), hn, ha,
                                                 100.0 * ha / max(hn, 1)))
    print('%s validator verdicts agree with the reference or are listed' % (
        'not ok' if failed else 'ok'))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
