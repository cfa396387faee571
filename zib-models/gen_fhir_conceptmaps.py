#!/usr/bin/env python3
"""Generates lib/model/conceptmaps_gen.c: FHIR codes back to zib codes.

The zib2020 (R4) and zib2017 (STU3) profiles carry ConceptMaps between a
zib value set (http://decor.nictiz.nl/fhir/ValueSet/OID--date) and the
FHIR-native codes the profiles use instead (Condition.clinicalStatus
'active' for ProbleemStatus 55561003, ...).  The FHIR zib reader turns a
FHIR code that is not in the concept's zib value set into the zib code
through this table.  Per (zib value set, FHIR system, FHIR code) one zib
code: the first map with equivalence equal/equivalent/wider/subsumes,
else the first; 'unmatched' and 'disjoint' rows are left out.  Maps whose
zib value set is not named (some zib2017 ones) are left out too.

A map into the value set an R4 CodeableConcept element requires
(Condition.clinicalStatus: condition-clinical) names that element, so the
FHIR writer can put the FHIR code beside the zib code there, and choose
that element for the codes it maps (AllergieStatus 'nullified' is
AllergyIntolerance.verificationStatus 'entered-in-error').

    python3 zib-models/gen_fhir_conceptmaps.py           # rewrite
    python3 zib-models/gen_fhir_conceptmaps.py --check   # exit 1 when out of date
"""
import glob
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(ROOT, '..', 'shared', 'corpus')
OUT = os.path.join(ROOT, 'lib', 'model', 'conceptmaps_gen.c')
NS = '{http://hl7.org/fhir}'
FILES = ['fhir-r4-zib2020/profiles/zib/terminology/manual/ConceptMap-*.xml',
         'fhir-stu3-bgz/zib2017-profiles/conceptmap-*.xml']
GOOD = ('equal', 'equivalent', 'wider', 'subsumes', 'relatedto', 'inexact')
DERIVED = len(GOOD) + 1   # rank of a code mapped through the CodeSystem hierarchy


# zib2017 codes of a concept the zib2020 model holds under another zib
# version (generate.py ZIB2017_AS_ZIB2020): zib2017 BehandelingToegestaan
# (STU3 TreatmentPermitted, code system ...60.40.4) read as zib2020
# BehandelBesluit (BehandelBesluitCodelijst, code system ...60.40.4.25.1).
# 'Ja, maar met beperkingen' is an 'Anders' whose restrictions are the
# SpecificatieAnders.  (zib value set, FHIR system, FHIR code, zib system, zib code)
ZIB2017_CODES = [
    ('2.16.840.1.113883.2.4.3.11.60.40.2.2.2.2', 'urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4', code,
     'urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4.25.1', zib)
    for code, zib in (('JA', '0'), ('JA_MAAR', '1'), ('NEE', '2'))]

def val(e, tag):
    c = e.find(NS + tag)
    return c.get('value') if c is not None else None


def vs_oid(url):
    m = re.match(r'http://decor\.nictiz\.nl/fhir/ValueSet/([0-9.]+)(--.*)?$', url or '')
    return m.group(1) if m else None


def c_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def core_resources(name):
    """The resources of an R4 core Bundle file (none without the corpus)."""
    path = os.path.join(CORPUS, 'fhir-r4-core', name)
    if not os.path.exists(path):
        return []
    with open(path, encoding='utf-8') as f:
        bundle = json.load(f)
    return [e.get('resource', {}) for e in bundle.get('entry', [])]


def required_elements():
    """R4 core: value set url -> the CodeableConcept elements that require it."""
    out = {}
    for r in core_resources('profiles-resources.json'):
        if r.get('resourceType') != 'StructureDefinition' or r.get('kind') != 'resource':
            continue
        for el in r.get('snapshot', {}).get('element', []):
            b = el.get('binding') or {}
            if b.get('strength') == 'required' and b.get('valueSet') and \
               any(t.get('code') == 'CodeableConcept' for t in el.get('type', [])):
                out.setdefault(b['valueSet'].split('|')[0], []).append(el['path'])
    return out


def value_sets(root):
    """A ConceptMap's (zib value set OID, FHIR value set url, zib -> FHIR?);
    the OID is None when the map names no zib value set."""
    src = val(root, 'sourceCanonical') or val(root, 'sourceUri')
    tgt = val(root, 'targetCanonical') or val(root, 'targetUri')
    forward = vs_oid(src) is not None
    oid = vs_oid(src) if forward else vs_oid(tgt)
    return oid, ((tgt if forward else src) or '').split('|')[0], forward


def rows_of(path, required):
    """-> [(zib_vs_oid, fhir_system, fhir_code, zib_system, zib_code, rank, element)]"""
    root = ET.parse(path).getroot()
    oid, fhir_vs, forward = value_sets(root)
    if not oid:
        return []
    element = ' '.join(required.get(fhir_vs, []))
    out = []
    for g in root.findall(NS + 'group'):
        gs, gt = val(g, 'source'), val(g, 'target')
        for el in g.findall(NS + 'element'):
            code = val(el, 'code')
            for t in el.findall(NS + 'target'):
                eq = val(t, 'equivalence') or 'equivalent'
                tcode = val(t, 'code')
                if eq in ('unmatched', 'disjoint') or not tcode or not code:
                    continue
                rank = GOOD.index(eq) if eq in GOOD else len(GOOD)
                if forward:
                    out.append((oid, gt or '', tcode, gs or '', code, rank, element))
                else:
                    out.append((oid, gs or '', code, gt or '', tcode, rank, element))
    return out


def core_children():
    """(FHIR system, code) -> codes below it in the R4 core CodeSystem
    hierarchy (condition-clinical: recurrence and relapse under active)."""
    out = {}

    def walk(url, concepts, above):
        for c in concepts:
            for a in above:
                out.setdefault((url, a), []).append(c['code'])
            walk(url, c.get('concept', []), above + [c['code']])
    for r in core_resources('valuesets.json'):
        if r.get('resourceType') == 'CodeSystem' and r.get('url'):
            walk(r['url'], r.get('concept', []), [])
    return out


def generate():
    best = {}
    sources = []
    required = required_elements()
    for pat in FILES:
        for p in sorted(glob.glob(os.path.join(CORPUS, pat))):
            # STU3 maps name the same value set urls, with STU3 systems
            rows = rows_of(p, required if 'fhir-r4' in pat else {})
            if rows:
                sources.append(os.path.relpath(p, CORPUS))
            for oid, fs, fc, zs, zc, rank, element in rows:
                k = (oid, fs, fc)
                if k not in best or rank < best[k][2]:
                    best[k] = (zs, zc, rank, element)
    for oid, fs, fc, zs, zc in ZIB2017_CODES:
        best.setdefault((oid, fs, fc), (zs, zc, 0, ''))
    # A FHIR code below a mapped one in its CodeSystem maps as its parent
    # when no map names it: the zib2020 map gives 'active' and 'inactive'
    # only, R4 data also says 'resolved' (inactive) or 'relapse' (active).
    below = core_children()
    for (oid, fs, fc), (zs, zc, rank, element) in sorted(best.items()):
        for child in below.get((fs, fc), []):
            k = (oid, fs, child)
            if k not in best:
                best[k] = (zs, zc, DERIVED, element)
    lines = ['/* Generated by zib-models/gen_fhir_conceptmaps.py from the ConceptMaps of',
             ' * the zib2020 and zib2017 profiles; do not edit.  FHIR code -> zib code',
             ' * per zib value set (a code below a mapped one in the R4 core CodeSystem',
             ' * hierarchy maps as that one).  Sources:']
    lines += [' *   %s' % s for s in sources]
    lines += [' * and ZIB2017_CODES (zib2017 codes of zib2020 concepts).']
    lines += [' */', '#include "model/conceptmaps.h"', '',
              'const struct fhir_conceptmap model_fhir_conceptmaps[] = {']
    for (oid, fs, fc), (zs, zc, rank, element) in sorted(best.items()):
        lines.append('\t{ %s, %s, %s, %s, %s, %s, %d },' % (c_str(oid), c_str(fs), c_str(fc), c_str(zs),
                     c_str(zc), c_str(element), rank == DERIVED))
    lines += ['};', '',
              'const size_t model_fhir_nconceptmaps = sizeof(model_fhir_conceptmaps) / sizeof(model_fhir_conceptmaps[0]);', '']
    return '\n'.join(lines)


def main():
    text = generate()
    if '--check' in sys.argv[1:]:
        try:
            with open(OUT) as f:
                old = f.read()
        except OSError:
            old = None
        if old != text:
            sys.stderr.write('%s is out of date: run %s\n' % (os.path.relpath(OUT, ROOT), sys.argv[0]))
            return 1
        return 0
    with open(OUT, 'w') as f:
        f.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
