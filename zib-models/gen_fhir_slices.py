#!/usr/bin/env python3
"""Generates lib/fhir/slices_gen.c: how to recognise the slices the
zib-models FHIR paths name (component:SystolicBP, extension:position, ...).

For every slice of the zib2020 (R4) and zib2017 (STU3) profiles in
../shared/corpus it records the discriminator the profile fixes:
  u  an extension slice: the extension's url
  c  a coded slice: the codes fixed by pattern/fixed values of the slice,
     its code, coding or system (space-separated)
  s  an identifier slice: the fixed identifier system
  v  a slice told apart by its bound value set (the OID)

    python3 zib-models/gen_fhir_slices.py           # rewrite
    python3 zib-models/gen_fhir_slices.py --check   # exit 1 when out of date
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(ROOT, '..', 'shared', 'corpus')
OUT = os.path.join(ROOT, 'lib', 'fhir', 'slices_gen.c')
NS = '{http://hl7.org/fhir}'
DIRS = ['fhir-r4-zib2020/profiles/zib', 'fhir-r4-zib2020/profiles/nl-core',
        'fhir-stu3-bgz/zib2017-profiles']


def val(e, tag):
    c = e.find(NS + tag)
    return c.get('value') if c is not None else None


def codes_in(e):
    out = []
    for child in e:
        tag = child.tag[len(NS):]
        if tag.startswith(('pattern', 'fixed')):
            if tag in ('patternCodeableConcept', 'fixedCodeableConcept'):
                for cd in child.iter(NS + 'code'):
                    out.append(cd.get('value'))
            elif tag in ('patternCoding', 'fixedCoding'):
                for cd in child.findall(NS + 'code'):
                    out.append(cd.get('value'))
            elif tag in ('fixedCode', 'patternCode'):
                out.append(child.get('value'))
    return [c for c in out if c]


def systems_in(e):
    out = []
    for child in e:
        tag = child.tag[len(NS):]
        if tag in ('fixedUri', 'patternUri'):
            out.append(child.get('value'))
        elif tag in ('patternIdentifier', 'fixedIdentifier'):
            s = child.find(NS + 'system')
            if s is not None:
                out.append(s.get('value'))
    return [s for s in out if s]


def valueset_oid(e):
    b = e.find(NS + 'binding')
    if b is None:
        return None
    vs = val(b, 'valueSet') or None
    if vs is None:
        r = b.find(NS + 'valueSetReference')
        if r is not None:
            vs = val(r, 'reference')
    if not vs:
        return None
    m = re.search(r'(\d+(?:\.\d+){4,})', vs)
    return m.group(1) if m else None


def put(rows, key, kind, value):
    """Records a slice.  R4 and STU3 profiles share ids (zib-BodyWeight), and
    their slices may fix other codes, systems or urls: keep the union, so a
    reader of either release recognises both."""
    old = rows.get(key)
    if old is None:
        rows[key] = (kind, value)
    elif old[0] == kind and kind in ('u', 'c', 's'):
        merged = old[1].split(' ') + value.split(' ')
        rows[key] = (kind, ' '.join(dict.fromkeys(merged)))


def read_profile(path, rows):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return
    if root.tag != NS + 'StructureDefinition':
        return
    url = val(root, 'url')
    if not url:
        return
    pid = url.rsplit('/', 1)[-1]
    elems = {}
    order = []
    for part in ('differential', 'snapshot'):
        p = root.find(NS + part)
        if p is None:
            continue
        for e in p.findall(NS + 'element'):
            eid = e.get('id')
            if eid and eid not in elems:
                elems[eid] = e
                order.append(eid)
    for eid in order:
        e = elems[eid]
        if val(e, 'sliceName') is None or not re.search(r':[^.]+$', eid):
            continue
        key = pid + '#' + eid
        t = e.find(NS + 'type')
        prof = None
        if t is not None:
            prof = val(t, 'profile')
        is_ext = eid.rsplit('.', 1)[-1].split(':')[0] in ('extension', 'modifierExtension')
        if prof and is_ext:
            put(rows, key, 'u', prof)
            continue
        if is_ext and eid + '.url' in elems and systems_in(elems[eid + '.url']):
            # a complex extension's part: its url is fixed on .url
            put(rows, key, 'u', systems_in(elems[eid + '.url'])[0])
            continue
        codes = codes_in(e)
        for sub in ('code', 'coding', 'coding.code', 'code.coding', 'code.coding.code'):
            if eid + '.' + sub in elems:
                codes += codes_in(elems[eid + '.' + sub])
        if codes:
            put(rows, key, 'c', ' '.join(dict.fromkeys(codes)))
            continue
        systems = systems_in(e)
        if eid + '.system' in elems:
            systems += systems_in(elems[eid + '.system'])
        if systems:
            put(rows, key, 's', ' '.join(dict.fromkeys(systems)))
            continue
        oid = valueset_oid(e)
        for sub in ('code', 'coding'):
            if not oid and eid + '.' + sub in elems:
                oid = valueset_oid(elems[eid + '.' + sub])
        if oid:
            put(rows, key, 'v', oid)


def read_mp9(rows):
    """The extension slices of the MP9 medication profiles (not in
    ../shared): mp9-r4-extensions.tsv, keyed by the paths generate.py gives
    the medication zibs (the Dosage profile's inside each resource)."""
    sys.path.insert(0, HERE)
    sys.dont_write_bytecode = True
    import generate
    facts = generate.read_tsv(os.path.join(HERE, 'mp9-r4-extensions.tsv'))
    for prof, rtype, dosage in generate.MP9_ZIBS.values():
        for f in facts:
            el = f['element_id']
            if f['profile'] == generate.MP9_DOSAGE:
                el = rtype + '.' + dosage + el[len('Dosage'):]
            elif f['profile'] != prof:
                continue
            put(rows, prof + '#' + el, 'u', f['url'])


# Slices no profile declares, for zib-models paths that pick an element by
# its code (generate.py ZIB2017_PATHS: zib2017 GeverifieerdBij 'Patient'
# read as zib2020 AfspraakPartij Patient).
EXTRA = [('zib-TreatmentDirective#Consent.extension:verification.extension:VerifiedWith'
          '.valueCodeableConcept:patient', 'c', '116154003')]


def cstr(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def generate():
    rows = {}
    for d in DIRS:
        full = os.path.join(CORPUS, d)
        for name in sorted(os.listdir(full)):
            if name.endswith('.xml'):
                read_profile(os.path.join(full, name), rows)
    read_mp9(rows)
    for key, kind, value in EXTRA:
        put(rows, key, kind, value)
    # The slices of a complex extension (Verification's VerificationDate,
    # url "VerificationDate") under each slice that uses it.
    inner = {}
    for k, (kind, v) in rows.items():
        prof, _, eid = k.partition('#')
        if kind == 'u' and re.match(r'^Extension\.extension:[^.]+$', eid):
            inner.setdefault(prof, []).append((eid[len('Extension'):], v))
    for k, (kind, v) in sorted(rows.items()):
        if kind != 'u':
            continue
        for url in v.split(' '):
            for sub, suburl in inner.get(url.rsplit('/', 1)[-1], []):
                if k + sub not in rows:
                    rows[k + sub] = ('u', suburl)
    lines = ['/* Generated by zib-models/gen_fhir_slices.py from the zib2020 and zib2017',
             ' * profiles and zib-models/mp9-r4-extensions.tsv; do not edit.  Kinds: u',
             ' * extension url, c fixed codes, s identifier system, v bound value set OID. */',
             '#include "fhir/slices.h"', '',
             'const struct fhir_slice fhir_slices[] = {']
    for k in sorted(rows):
        kind, v = rows[k]
        lines.append('\t{ %s, \'%s\', %s },' % (cstr(k), kind, cstr(v)))
    lines += ['};', '', 'const size_t fhir_nslices = sizeof(fhir_slices) / sizeof(fhir_slices[0]);', '']
    return '\n'.join(lines)


def main():
    text = generate()
    if '--check' in sys.argv[1:]:
        with open(OUT, encoding='utf-8') as f:
            if f.read() != text:
                print('lib/fhir/slices_gen.c is out of date', file=sys.stderr)
                return 1
        return 0
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
