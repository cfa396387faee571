#!/usr/bin/env python3
"""Helper for tests/t6001-fhir-unmapped.sh (not run by the suite): classify the
ZIB-FHIRZ-003 findings of `zib validate -v` (stdin) into
FILE<TAB>FHIRPath<TAB>reason lines (stdout), using the NL-CM mappings of
the zib2020 and zib2017 profiles in ../shared/corpus."""
import glob, os, re, sys
import xml.etree.ElementTree as ET

CORPUS = os.environ.get('ZIB_CORPUS', os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'corpus')))
F = '{http://hl7.org/fhir}'
NLCM = re.compile(r'^NL-CM:[0-9]+(\.[0-9]+)*$')

def fval(e, name):
    c = e.find(F + name)
    return c.get('value') if c is not None else None

def norm(elid):
    # Patient.contact:x.telecom.value[x]:valueString -> Patient.contact.telecom.value
    p = re.sub(r':[^.]*', '', elid)
    p = p.replace('[x]', '')
    return p

maps = {}   # profile name -> {normalised path: set(NL-CM)}
for p in glob.glob(os.path.join(CORPUS, 'fhir-r4-zib2020', 'profiles', '**', '*.xml'), recursive=True) + \
        glob.glob(os.path.join(CORPUS, 'fhir-stu3-bgz', 'zib2017-profiles', '*.xml')):
    try:
        root = ET.parse(p).getroot()
    except ET.ParseError:
        continue
    if root.tag != F + 'StructureDefinition':
        continue
    url = fval(root, 'url') or ''
    name = url.rsplit('/', 1)[-1]
    d = maps.setdefault(name, {})
    for part in ('differential', 'snapshot'):
        x = root.find(F + part)
        if x is None:
            continue
        for e in x.findall(F + 'element'):
            elid = e.get('id') or fval(e, 'path')
            for m in e.findall(F + 'mapping'):
                v = (fval(m, 'map') or '').strip()
                if NLCM.match(v):
                    d.setdefault(norm(elid), set()).add(v)

def profiles_of(path, cache={}):
    if path not in cache:
        try:
            root = ET.parse(path).getroot()
            meta = root.find(F + 'meta')
            cache[path] = [c.get('value').split('|')[0].rsplit('/', 1)[-1]
                           for c in (meta.findall(F + 'profile') if meta is not None else [])]
        except Exception:
            cache[path] = []
    return cache[path]

CHOICE = re.compile(r'^(value|effective|onset|abatement|deceased|multipleBirth|occurrence|performed|timing|asNeeded|dose|rate|medication|item|product|reported|serviced|location|started|born|age|fixedDate|defaultValue)([A-Z][A-Za-z]*)$')

def fhir_norm(fp):
    segs = re.sub(r'\[[0-9]+\]', '', fp).split('.')
    out = []
    for s in segs:
        m = CHOICE.match(s)
        out.append(m.group(1) if m else s)
    return out

DATATYPE_TAIL = {'coding', 'code', 'system', 'display', 'version', 'text', 'value', 'unit',
                 'reference', 'type', 'start', 'end', 'low', 'high', 'numerator', 'denominator',
                 'url', 'uri', 'given', 'family', 'line', 'city', 'postalCode', 'country',
                 'district', 'use', 'assigner', 'contentType', 'data', 'title'}

def home(file, fp):
    segs = fhir_norm(fp)
    best = None
    for prof in profiles_of(file):
        d = maps.get(prof, {})
        for n in range(len(segs), 0, -1):
            k = '.'.join(segs[:n])
            if k in d:
                if best is None or n > best[0]:
                    best = (n, sorted(d[k]))
                break
    return best, segs

lines = sys.stdin.readlines()
unresolved = set()   # (file, path of the Reference element)
cur = None
for line in lines:
    m = re.match(r'^(\S+?):\d+(?::\d+)?: warning\[ZIB-FHIRZ-002\]', line)
    if m:
        cur = m.group(1)
        continue
    m2 = re.match(r'^    at (\S+)\.reference$', line)
    if m2 and cur:
        unresolved.add((cur, m2.group(1)))
    cur = None

OUTSIDE = [
    (r'\.identifier\.(system|value|use|type.*)$', 'outside the zib: the resource\'s business identifier, no zib concept'),
    (r'^Immunization\.(primarySource|notGiven)$', 'outside the zib: STU3 Immunization bookkeeping flag, no zib concept'),
    (r'^Consent\.(policy|policyRule|scope)\b', 'outside the zib: Consent policy/scope FHIR requires, no zib concept'),
    (r'^Consent\.except\.type$', 'outside the zib: Consent provision type FHIR requires (the zib code is read from except.code)'),
    (r'\.referenceRange\.type\b', 'outside the zib: the kind of reference range (normal), no zib concept'),
    (r'^Appointment\.participant\.status$', 'outside the zib: Appointment participant status FHIR requires, no zib concept'),
    (r'^NutritionOrder\.dateTime$', 'outside the zib: NutritionOrder.dateTime FHIR requires, no zib concept in Voedingsadvies'),
]

# Datatype profiles map their own elements (nl-core-address, ...), not the
# resource profile: the zib homes by datatype.
DATATYPE_HOME = [
    (r'^(Patient|RelatedPerson)\.(contact\.)?relationship\b', 'zib home NL-CM:3.1.2 Rol / NL-CM:3.1.3 Relatie (Contactpersoon), not read yet'),
    (r'\.address\b', 'zib home NL-CM:20.5.1 Adresgegevens (nl-core-address), not read yet'),
    (r'\.telecom\b', 'zib home NL-CM:20.6.1 Contactgegevens (nl-core-contactpoint), not read yet'),
    (r'\.name\b', 'zib home NL-CM:20.4.1 Naamgegevens (nl-core-humanname), not read yet'),
]

out = []
file = None
for line in lines:
    m = re.match(r'^(\S+?):\d+(?::\d+)?: info\[ZIB-FHIRZ-003\]', line)
    if m:
        file = m.group(1)
        continue
    if not line.startswith('    at '):
        file = None
        continue
    m2 = re.match(r'^    at (\S+)', line)
    if not m2 or not file:
        continue
    fp = m2.group(1)
    rel = os.path.relpath(os.path.abspath(file), CORPUS)
    best, segs = home(file, fp)
    flat = '.'.join(segs)
    reason = None
    refpath = re.sub(r'\.(reference|display|type|identifier(\..*)?)$', '', fp)
    if (file, refpath) in unresolved:
        out.append((rel, fp, 'reference to a resource outside this file: read as its own zib when the input holds it (validate --set)', segs))
        continue
    homed = best and all(x in DATATYPE_TAIL or x == 'extension' for x in segs[best[0]:])
    for pat, why in OUTSIDE:
        if re.search(pat, flat) and not homed:
            reason = why
            break
    if not reason and not homed:
        for pat, why in DATATYPE_HOME:
            if re.search(pat, flat):
                reason = why
                break
    if reason:
        out.append((rel, fp, reason, segs))
        continue
    last = segs[-1]
    parentpath = '.'.join(segs[:-1])
    reason = None
    if last in ('display', 'type') and len(segs) >= 2 and re.search(r'\.(reference|display|type)$', '.'.join(segs)) \
            and best and best[0] < len(segs) - 1:
        pass
    if best:
        n, ids = best
        rest = segs[n:]
        if all(s in DATATYPE_TAIL or s == 'extension' for s in rest):
            if rest and rest[-1] in ('display', 'type') and 'reference' not in rest and any(
                    x in ('Reference',) for x in []):
                pass
            if ids == ['NL-CM:0.0.6']:
                reason = 'zib home NL-CM:0.0.6 (zib2017 basis element IdentificatieNummer, no concept in the zib models), not read yet'
            else:
                reason = 'zib home %s, not read yet' % ' '.join(ids)
        else:
            reason = 'zib home below %s (no concept of its own in the profile mapping), not read yet' % ' '.join(ids)
    out.append((rel, fp, reason, segs))
    file = file

for rel, fp, reason, segs in out:
    print('%s\t%s\t%s' % (rel, fp, reason or 'no NL-CM mapping in the profile for this element: zib home not determined, not read'))
