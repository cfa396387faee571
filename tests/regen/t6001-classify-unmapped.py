#!/usr/bin/env python3
"""Helper for tests/regen/t6001-allow.sh (make regen; never run by the suite): classify the
ZIB-FHIRZ-003 findings of `zib validate -v` (stdin) into
FILE<TAB>FHIRPath<TAB>reason lines (stdout), using the NL-CM mappings of
the zib2020 and zib2017 profiles in ../shared/corpus."""
import glob, os, re, sys
import xml.etree.ElementTree as ET

CORPUS = os.environ.get('ZIB_CORPUS', os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'corpus')))
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
bases = {}  # profile name -> name of its baseDefinition (nl-core-X -> zib-X)
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
    bases[name] = (fval(root, 'baseDefinition') or '').rsplit('/', 1)[-1]
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

def zib_of(concept):
    return '.'.join(concept.split('.')[:2])      # NL-CM:19.1.2 -> NL-CM:19.1

# The zibs in the models, by their NL-CM prefix (zib2020 numbering: only
# R4 mappings can be compared with it).
MODEL_ZIBS = set()
for t in glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'zib-models', 'zibs', '*.tsv')):
    with open(t) as fh:
        for row in fh:
            cid = row.split('\t')[1] if '\t' in row else ''
            if NLCM.match(cid):
                MODEL_ZIBS.add(zib_of(cid))

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
    chain = []
    for prof in profiles_of(file):
        # An nl-core profile's differential leaves the zib mappings to the
        # zib profile it is based on: look there too.
        while prof and prof not in chain:
            chain.append(prof)
            prof = bases.get(prof)
    for prof in chain:
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
    (r'\.identifier\.(system|value|use|type.*|assigner.*)$', 'outside the zib: the resource\'s business identifier (zib2017: basis element IdentificatieNummer), no zib2020 concept'),
    (r'^Immunization\.(primarySource|notGiven)$', 'outside the zib: STU3 Immunization bookkeeping flag, no zib concept'),
    (r'^Consent\.(policy|policyRule|scope)\b', 'outside the zib: Consent policy/scope FHIR requires, no zib concept'),
    (r'^Consent\.except\.type$', 'outside the zib: Consent provision type FHIR requires (the zib code is read from except.code)'),
    (r'\.referenceRange\.type\b', 'outside the zib: the kind of reference range (normal), no zib concept'),
    (r'^Appointment\.participant\.status$', 'outside the zib: Appointment participant status FHIR requires, no zib concept'),
    (r'^Immunization\.(performer\.function|protocolApplied|reasonCode|route|site)\b', 'outside the zib: Vaccinatie has no concept for it (the profile maps it to none)'),
    (r'^Medication\.batch\b', 'outside the zib: FarmaceutischProduct has no concept for it (nl-core-PharmaceuticalProduct maps batch.lotNumber to the immunization dataset, imm-dataelement-145)'),
    (r'^ImmunizationRecommendation\.(date|recommendation\.forecastStatus)\b', 'outside the zib: recommendation bookkeeping FHIR requires (creation date, forecast status), no zib concept'),
    (r'^Appointment\.(start|end|appointmentType|participant\.type)\b', 'outside the zib: the eAfspraak Appointment profile maps no zib concept (GeplandeZorgActiviteit has only its root in the models)'),
    (r'^Observation\.effective$', 'outside the zib: the profile maps no concept to the observation date (Woonsituatie has none)'),
    (r'^NutritionOrder\.dateTime\.extension\b', 'outside the zib: data-absent-reason on the dateTime FHIR requires, no zib concept'),
    (r'^NutritionOrder\.dateTime$', 'outside the zib: NutritionOrder.dateTime FHIR requires, no zib concept in Voedingsadvies'),
]

# Elements a profile maps to a zib concept that is read from a sibling: the
# rule holds even though the element has a zib home.
ALWAYS_OUTSIDE = [
    (r'^ImmunizationRecommendation\.recommendation\.dateCriterion\.code\b', 'outside the zib: the kind of date criterion (the recommended date); the date itself is read from dateCriterion.value'),
]

# zib2017 concepts of a zib that zib2020 replaced (BehandelAanwijzing ->
# BehandelAanwijzing2, zib-models/generate.py ZIB2017_AS_ZIB2020) that have
# no zib2020 counterpart: (profile, path without indexes, reason).
ZIB2017_ONLY = [
    ('zib-TreatmentDirective', r'^Consent\.period\.start$',
     'zib2017 only: BeginDatum (NL-CM:2.1.6) has no zib2020 concept (BehandelAanwijzing2 keeps MeestRecenteBespreekdatum and DatumBeeindigd)'),
    ('zib-TreatmentDirective', r'^Consent\.extension\.extension\.valueBoolean\b',
     'zib2017 only: Geverifieerd (NL-CM:2.1.9) has no zib2020 concept (BehandelAanwijzing2 keeps the date and the parties of the agreement)'),
    ('zib-TreatmentDirective', r'^Consent\.extension\.extension\.valueCodeableConcept\b',
     "zib2017 only: GeverifieerdBij (NL-CM:2.1.11) other than 'Patient' is a role code; zib2020 AfspraakPartij references the party (Patient only is read, as the Consent's patient)"),
]

# Values the reader tried and could not take (their element is typed other
# than the concept's datatype expects), and parts of a Dosage (medication
# zibs' Gebruiksinstructie) whose zib home lies in the zib2017 datatype
# profiles the resource profile does not map itself.
VALUE_HOME = [
    (r'^Consent\.sourceAttachment\.(data|contentType)$',
     'zib home NL-CM:7.15.5 WilsverklaringDocument: an Attachment (data, contentType), which the ED value is not filled from, not read yet'),
    (r'\.(dosageInstruction|dosage)\.timing\.repeat\.(frequency|frequencyMax|period|periodUnit)$',
     'zib home NL-CM:9.12.19949 Frequentie / NL-CM:9.12.19950 Interval: read from frequency, frequencyMax, period and periodUnit (lib/fhir/zib_read.c read_schedule_part) except a period that is no whole number (no UCUM factor for the unit per period) or periodMax, not read yet'),
    (r'\.(dosageInstruction|dosage)\.maxDosePerPeriod\b',
     'zib home NL-CM:9.12.19946 MaximaleDosering: a PQ in the zib model, read from a Ratio of UCUM units (mg per 1 d is mg/d); this numerator counts in a G-Standaard unit (229 mg, ST, 245 stuk), which has no UCUM code, so no faithful PQ: left unread'),
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
    if (file, refpath) in unresolved and re.search(r'\.(hasMember|related)\[', refpath):
        out.append((rel, fp, 'reference to a lab panel member outside this file: read as the panel\'s LaboratoriumTest when the input holds it (validate --set)', segs))
        continue
    if (file, refpath) in unresolved:
        out.append((rel, fp, 'reference to a resource outside this file: read as its own zib when the input holds it (validate --set)', segs))
        continue
    if best:
        # zib2017 basis elements (NL-CM:0.0.x: IdentificatieNummer, DateTime)
        # are no zib2020 concept: they home nothing by themselves.
        ids = [i for i in best[1] if not i.startswith('NL-CM:0.0.')]
        best = (best[0], ids) if ids else None
    for pat, why in ALWAYS_OUTSIDE:
        if re.search(pat, flat):
            reason = why
    for prof, pat, why in ZIB2017_ONLY:
        if prof in profiles_of(file) and re.search(pat, re.sub(r'\[[0-9]+\]', '', fp)):
            reason = why
    homed = not reason and best and all(x in DATATYPE_TAIL or x == 'extension' for x in segs[best[0]:])
    for pat, why in OUTSIDE:
        if re.search(pat, flat) and not homed and not reason:
            reason = why
            break
    for pat, why in VALUE_HOME:
        if not reason and re.search(pat, flat):
            reason = why
    if not reason and not homed:
        for pat, why in DATATYPE_HOME:
            if re.search(pat, flat):
                reason = why
                break
    if not reason and best and rel.startswith('fhir-r4') and \
            not any(zib_of(i) in MODEL_ZIBS for i in best[1]):
        reason = 'zib home %s in a zib that is not one of the 26 BgZ zibs (not in the zib models), not read' % ' '.join(best[1])
    if not reason and best:
        n, ids = best
        if homed:
            reason = 'zib home %s, not read yet' % ' '.join(ids)
        else:
            reason = 'zib home below %s (no concept of its own in the profile mapping), not read yet' % ' '.join(ids)
    out.append((rel, fp, reason, segs))

for rel, fp, reason, segs in out:
    print('%s\t%s\t%s' % (rel, fp, reason or 'no NL-CM mapping in the profile for this element: zib home not determined, not read'))
