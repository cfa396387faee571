#!/usr/bin/env python3
"""Generate the zib-models data files from ../shared (public Nictiz material).

    python3 zib-models/generate.py           rewrite the files next to this script
    python3 zib-models/generate.py --check   exit 1 when the committed files differ

Sources (all below <repo>/../shared):
  reference/bgz-zibs.tsv, reference/bgz-zibs-related.tsv   -> bgz.tsv
  reference/bgz-concepts.tsv                               -> zibs/<zib>.tsv
  corpus/ada-zib2020/ada_schemas (Zorgaanbieder, BurgerlijkeStaat concepts)
  corpus/fhir-r4-zib2020/profiles (R4 element paths, bindings, value sets)
  corpus/fhir-stu3-bgz/zib2017-profiles (STU3 element paths, value sets)
  corpus/cda-bgz2020 (voc-*.xml value sets, CDA templates, examples)

Standard library only. Output is deterministic.
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True   # no __pycache__ beside the models
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_fhir_conceptmaps as cmaps  # noqa: E402  (its ConceptMap reading)

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, '..', '..', 'shared'))
REF = os.path.join(SHARED, 'reference')
CORPUS = os.path.join(SHARED, 'corpus')
R4DIR = os.path.join(CORPUS, 'fhir-r4-zib2020', 'profiles')
STU3DIR = os.path.join(CORPUS, 'fhir-stu3-bgz', 'zib2017-profiles')
ADADIR = os.path.join(CORPUS, 'ada-zib2020', 'ada_schemas')
CDADIR = os.path.join(CORPUS, 'cda-bgz2020')
VOCDIR = os.path.join(CDADIR, 'bgz2020-runtime-develop', 'include')

FHIR = '{http://hl7.org/fhir}'
HL7 = '{urn:hl7-org:v3}'
XS = '{http://www.w3.org/2001/XMLSchema}'

VERSION = 'bgz2020-zib2020 2021-06-09'
NLCM_RE = re.compile(r'^NL-CM:[0-9]+(\.[0-9]+)*$')
OID_RE = re.compile(r'^[0-2](\.[0-9]+)+$')
DECOR_ZIB_PREFIX = '2.16.840.1.113883.2.4.3.11.60.40.1.'
DATATYPES = {'CD', 'ST', 'TS', 'PQ', 'II', 'BL', 'INT', 'CO', 'ED', 'ANY', 'GROUP'}

BGZ_COLUMNS = ['n', 'section', 'zib_nl', 'zib_en', 'root_concept', 'zib_version',
               'fhir_r4_resource', 'fhir_r4_profiles', 'fhir_stu3_profiles',
               'cda_templates']
ZIB_COLUMNS = ['depth', 'concept_id', 'name_nl', 'name_en', 'datatype', 'card',
               'valuesets', 'fhir_r4', 'fhir_stu3', 'cda_template', 'cda_xpath']
VS_COLUMNS = ['valueset_oid', 'valueset_name', 'code', 'codesystem_oid', 'display']
CS_COLUMNS = ['oid', 'uri', 'name']

# Reference concepts ("contains" another zib) carry a project-local DECOR id in
# bgz-concepts.tsv. They stand for the root concept of the referenced zib.
REFERENCED_ZIB_ROOT = {
    'Probleem': ('NL-CM:5.1.1', 'Problem'),
    'Contactpersoon': ('NL-CM:3.1.1', 'ContactPerson'),
    'MedischHulpmiddel': ('NL-CM:10.1.1', 'MedicalDevice'),
    'Zorgverlener': ('NL-CM:17.1.1', 'HealthProfessional'),
    'Zorgaanbieder': ('NL-CM:17.2.1', 'HealthcareProvider'),
    'FarmaceutischProduct': ('NL-CM:9.7.19926', 'PharmaceuticalProduct'),
    'Medicatieafspraak': ('NL-CM:9.6.9580', 'MedicationAgreement'),
    'LaboratoriumUitslag': ('NL-CM:13.1.1', 'LaboratoryTestResult'),
    'Verrichting': ('NL-CM:14.1.1', 'Procedure'),
}

# zib2017-era entry templates seen per zib in the example document
# cda-bgz2020/xml-BgZ2020-notyetvalid.xml (checked at run time). They are
# listed in bgz.tsv cda_templates after the BgZ 2020 ones so that a reader can
# recognise documents made with either generation.
OLDER_TEMPLATES = {
    'Probleem': ['2.16.840.1.113883.2.4.3.11.60.7.10.45', '2.16.840.1.113883.2.4.3.11.60.7.10.3.19',
                 '2.16.840.1.113883.2.4.3.11.60.7.10.3.25'],
    'Woonsituatie': ['2.16.840.1.113883.2.4.3.11.60.7.10.34'],
    'DrugsGebruik': ['2.16.840.1.113883.2.4.3.11.60.3.10.22', '2.16.840.1.113883.2.4.3.11.60.3.10.21'],
    'Alert': ['2.16.840.1.113883.2.4.3.11.60.7.10.3.86', '2.16.840.1.113883.2.4.3.11.60.3.10.3.9'],
    'AllergieIntolerantie': ['2.16.840.1.113883.2.4.3.11.60.7.10.48', '2.16.840.1.113883.2.4.3.11.60.7.10.3.5'],
    'BehandelAanwijzing': ['2.16.840.1.113883.2.4.3.11.60.5.10.1'],
    'Wilsverklaring': ['2.16.840.1.113883.2.4.3.11.60.7.10.44'],
    'Contact': ['2.16.840.1.113883.2.4.3.11.60.7.10.43'],
    'FunctioneleOfMentaleStatus': ['2.16.840.1.113883.2.4.3.11.60.7.10.41'],
    'Bloeddruk': ['2.16.840.1.113883.2.4.3.11.60.3.10.27', '2.16.840.1.113883.2.4.3.11.60.7.10.35'],
    'MedischHulpmiddel': ['2.16.840.1.113883.2.4.3.11.60.7.10.3.85'],
    'Verrichting': ['2.16.840.1.113883.2.4.3.11.60.7.10.3.23', '2.16.840.1.113883.2.4.3.11.60.7.10.3.24'],
    'Vaccinatie': ['2.16.840.1.113883.2.4.3.11.60.7.10.42'],
}

# zib2017 BehandelAanwijzing (NL-CM:2.1.x, STU3 zib-TreatmentDirective) read
# as zib2020 BehandelAanwijzing2 (NL-CM:2.2.x), the zib the models hold.
# Matched by name and definition (zib2017 profile texts, zib2020 R4
# profile texts):
#   Behandeling: same definition, same codes (BehandelingCodelijst).
#   BehandelingToegestaan (JA / NEE / JA_MAAR) is the decision
#     BehandelBesluit (Wel uitvoeren / Niet uitvoeren / Anders); its codes
#     are translated by ZIB2017_CODES in gen_fhir_conceptmaps.py.
#   Beperkingen, "the restrictions that apply to the treatment" of a
#     'Ja, maar met beperkingen', is what SpecificatieAnders holds for an
#     'Anders': the instructions for carrying the treatment out or not.
#   EindDatum is DatumBeeindigd.
#   VerificatieDatum, when the directive was gone through with the patient
#     or the representative, is MeestRecenteBespreekdatum, the date it was
#     last discussed with them.
#   Wilsverklaring and Toelichting keep their names.
# Without a zib2020 concept: BeginDatum (zib2020 has no start date),
# Verificatie with Geverifieerd (a yes/no), and GeverifieerdBij other than
# 'Patient' (a role code; zib2020 AfspraakPartij references the party;
# 'Patient' is read, ZIB2017_PATHS).
ZIB2017_AS_ZIB2020 = {
    'BehandelAanwijzing': {
        'NL-CM:2.2.1': 'NL-CM:2.1.1',     # BehandelAanwijzing
        'NL-CM:2.2.2': 'NL-CM:2.1.4',     # BehandelBesluit <- BehandelingToegestaan
        'NL-CM:2.2.3': 'NL-CM:2.1.3',     # Behandeling
        'NL-CM:2.2.4': 'NL-CM:2.1.5',     # SpecificatieAnders <- Beperkingen
        'NL-CM:2.2.5': 'NL-CM:2.1.10',    # MeestRecenteBespreekdatum <- VerificatieDatum
        'NL-CM:2.2.6': 'NL-CM:2.1.7',     # DatumBeeindigd <- EindDatum
        'NL-CM:2.2.8': 'NL-CM:2.1.14',    # Wilsverklaring
        'NL-CM:2.2.13': 'NL-CM:2.1.15',   # Toelichting
    },
}

# zib2017 concepts with a zib2020 counterpart only for some values, as
# explicit STU3 paths: GeverifieerdBij 'Patient' (SNOMED 116154003) says
# the directive was gone through with the patient, the AfspraakPartij
# Patient (the Consent's patient); the CDA reader reads the zib2017
# template so too.  The code is told by a slice of gen_fhir_slices.py EXTRA.
ZIB2017_PATHS = {
    'BehandelAanwijzing': {
        'NL-CM:2.2.9': ['zib-TreatmentDirective#Consent.extension:verification.extension:VerifiedWith'
                        '.valueCodeableConcept:patient'],
        'NL-CM:2.2.10': ['zib-TreatmentDirective#Consent.patient'],
    },
    # zib-Product maps ProductCode to Medication.code.coding: each coding
    # would be a ProductCode of its own, where the codings are one product
    # at G-Standaard levels (GPK, PRK, HPK); read as R4 reads Medication.code.
    'FarmaceutischProduct': {
        'NL-CM:9.7.19927': ['zib-Product#Medication.code'],
    },
}

# ---------------------------------------------------------------------------
# CDA mapping. Derived by reading the BgZ 2020 template schematron
# (bgz2020-runtime-develop/include/<template>-*.sch), the transaction instance
# decor-transaction-instances/tr-...60.126.4.37-..._instance.xml and the
# example documents xml-BgZ2020*.xml. Key: (zib_nl, concept_id, occurrence)
# where occurrence is only needed for repeated ids. XPaths are relative to the
# root element of the template (hl7 = urn:hl7-org:v3, sdtc = urn:hl7-org:sdtc).
# The templates named here are checked against the .sch files at run time.
T = '2.16.840.1.113883.2.4.3.11.60.'
TOELICHTING = "hl7:entryRelationship/hl7:act[hl7:templateId/@root='%s3.10.0.32']/hl7:text" % T

def _name_parts(base):
    # PN.NL (template 3.10.0.4 and kin) also allows the unqualified parts:
    # an unqualified given is the given name(s), an unqualified family the
    # last name, an unqualified prefix right before a family its voorvoegsel;
    # any other unqualified prefix (Dr. before the given names) is a title.
    # The qualified form comes first in each predicate: the CDA writer builds
    # that one.
    fam = "[following-sibling::hl7:family[1][%s]]"
    vv = "[@qualifier='VV' or not(@qualifier) and following-sibling::*[1][self::hl7:family]]"
    return {
        'NL-CM:20.4.4': base + "/hl7:given[@qualifier='BR' or not(@qualifier)]",
        'NL-CM:20.4.5': base + "/hl7:given[@qualifier='IN']",
        'NL-CM:20.4.6': base + "/hl7:given[@qualifier='CL']",
        'NL-CM:20.4.2': base,
        'NL-CM:20.4.11': base + "/hl7:prefix" + vv + fam % "@qualifier='BR' or not(@qualifier)",
        'NL-CM:20.4.10': base + "/hl7:family[@qualifier='BR' or not(@qualifier)]",
        'NL-CM:20.4.3': base,
        'NL-CM:20.4.9': base + "/hl7:prefix" + vv + fam % "@qualifier='SP'",
        'NL-CM:20.4.8': base + "/hl7:family[@qualifier='SP']",
        'NL-CM:20.4.12': base + "/hl7:prefix[not(@qualifier) and not(following-sibling::*[1][self::hl7:family])"
                         " or @qualifier='AC' or @qualifier='NB' or @qualifier='PR']",
    }

def _addr_parts(base):
    return {
        'NL-CM:20.5.2': base + '/hl7:streetName',
        'NL-CM:20.5.12': base + '/hl7:houseNumber',
        'NL-CM:20.5.11': base + '/hl7:buildingNumberSuffix',
        'NL-CM:20.5.10': base + '/hl7:buildingNumberSuffix',
        'NL-CM:20.5.9': base + '/hl7:additionalLocator',
        'NL-CM:20.5.6': base + '/hl7:postalCode',
        'NL-CM:20.5.3': base + '/hl7:city',
        'NL-CM:20.5.4': base + '/hl7:county',
        'NL-CM:20.5.5': base + '/hl7:country',
        'NL-CM:20.5.7': base + '/hl7:unitID',
        'NL-CM:20.5.8': base + '/@use',
    }

def _telecom_parts(base):
    tel = base + "hl7:telecom[starts-with(@value,'tel:')]"
    mail = base + "hl7:telecom[starts-with(@value,'mailto:')]"
    return {
        'NL-CM:20.6.2': tel,
        'NL-CM:20.6.4': tel + '/@value',
        'NL-CM:20.6.6': tel + '/@use',
        'NL-CM:20.6.3': mail,
        'NL-CM:20.6.7': mail + '/@value',
        'NL-CM:20.6.8': mail + '/@use',
    }

def _cda_map():
    m = {}

    def put(zib, tmpl, d):
        for cid, xp in d.items():
            m[(zib, cid)] = (T + tmpl, xp)

    # header: patient (recordTarget)
    pat = 'hl7:patientRole/hl7:patient'
    d = {'NL-CM:0.1.1': '.', 'NL-CM:0.1.7': 'hl7:patientRole/hl7:id',
         'NL-CM:0.1.6': pat + '/hl7:name', 'NL-CM:0.1.4': 'hl7:patientRole/hl7:addr',
         'NL-CM:0.1.5': 'hl7:patientRole', 'NL-CM:0.1.10': pat + '/hl7:birthTime/@value',
         'NL-CM:0.1.9': pat + '/hl7:administrativeGenderCode',
         'NL-CM:0.1.31': pat + '/sdtc:multipleBirthInd/@value',
         'NL-CM:0.1.32': pat + '/sdtc:deceasedInd/@value',
         'NL-CM:0.1.33': pat + '/sdtc:deceasedTime/@value'}
    d.update(_name_parts(pat + '/hl7:name'))
    d.update(_addr_parts('hl7:patientRole/hl7:addr'))
    d.update(_telecom_parts('hl7:patientRole/'))
    put('Patient', '3.10.1', d)
    put('BurgerlijkeStaat', '3.10.1', {'NL-CM:7.9.2': pat + '/hl7:maritalStatusCode'})
    # header: contact person (participant/associatedEntity)
    d = {'NL-CM:3.1.1': '.', 'NL-CM:3.1.4': 'hl7:associatedPerson/hl7:name',
         'NL-CM:3.1.6': '.', 'NL-CM:3.1.5': 'hl7:addr',
         'NL-CM:3.1.2': '../hl7:functionCode', 'NL-CM:3.1.3': 'hl7:code'}
    d.update(_name_parts('hl7:associatedPerson/hl7:name'))
    d.update(_addr_parts('hl7:addr'))
    d.update(_telecom_parts(''))
    put('Contactpersoon', '3.10.35', d)
    # header: general practitioner (participant/associatedEntity)
    d = {'NL-CM:17.1.1': '.', 'NL-CM:17.1.2': 'hl7:id', 'NL-CM:17.1.3': 'hl7:associatedPerson/hl7:name',
         'NL-CM:17.1.4': 'hl7:code', 'NL-CM:17.1.7': 'hl7:addr', 'NL-CM:17.1.8': '.',
         'NL-CM:17.1.6': 'hl7:scopingOrganization', 'NL-CM:17.2.1': 'hl7:scopingOrganization'}
    d.update(_name_parts('hl7:associatedPerson/hl7:name'))
    d.update(_addr_parts('hl7:addr'))
    d.update(_telecom_parts(''))
    put('Zorgverlener', '3.10.1.34', d)
    # Sociale anamnese
    put('AlcoholGebruik', '121.10.2', {
        'NL-CM:7.3.1': '.', 'NL-CM:7.3.7': TOELICHTING,
        'NL-CM:7.3.3': 'hl7:effectiveTime',
        'NL-CM:7.3.4': 'hl7:effectiveTime/hl7:low/@value',
        'NL-CM:7.3.5': 'hl7:effectiveTime/hl7:high/@value', 'NL-CM:7.3.6': 'hl7:value'})
    put('AlcoholGebruik', '121.10.1', {'NL-CM:7.3.2': 'hl7:value'})
    put('TabakGebruik', '121.10.6', {
        'NL-CM:7.2.1': '.', 'NL-CM:7.2.3': TOELICHTING,
        'NL-CM:7.2.9': "hl7:entryRelationship/hl7:observation[hl7:code/@code='ASSERTION']/hl7:value",
        'NL-CM:7.2.2': 'hl7:effectiveTime',
        'NL-CM:7.2.4': 'hl7:effectiveTime/hl7:low/@value',
        'NL-CM:7.2.5': 'hl7:effectiveTime/hl7:high/@value', 'NL-CM:7.2.6': 'hl7:value',
        'NL-CM:7.2.7': "hl7:entryRelationship/hl7:observation[hl7:code/@code='401201003']/hl7:value"})
    put('TabakGebruik', '3.10.16', {'NL-CM:7.2.10': 'hl7:value'})
    put('DrugsGebruik', '121.10.7', {
        'NL-CM:7.4.1': '.', 'NL-CM:7.4.5': 'hl7:effectiveTime',
        'NL-CM:7.4.6': 'hl7:effectiveTime/hl7:low/@value',
        'NL-CM:7.4.7': 'hl7:effectiveTime/hl7:high/@value', 'NL-CM:7.4.8': 'hl7:value',
        'NL-CM:7.4.9': TOELICHTING,
        'NL-CM:7.4.2': "hl7:entryRelationship/hl7:observation[hl7:code/@code='ASSERTION']/hl7:value",
        'NL-CM:7.4.4': "hl7:entryRelationship/hl7:observation[hl7:code/@code='410675002']/hl7:value"})
    put('DrugsGebruik', '121.10.4', {'NL-CM:7.4.3': 'hl7:value'})
    put('Woonsituatie', '121.10.8', {
        'NL-CM:7.8.1': '.', 'NL-CM:7.8.3': 'hl7:value',
        'NL-CM:7.8.5': "hl7:entryRelationship/hl7:observation[hl7:code/@code='118871000146108']/hl7:value",
        'NL-CM:7.8.4': "hl7:entryRelationship/hl7:observation[hl7:code/@code='224249004']/hl7:value",
        'NL-CM:7.8.2': TOELICHTING})
    problem = "hl7:entryRelationship/hl7:observation[hl7:templateId/@root='%s7.10.3.19']" % T
    put('Voedingsadvies', '121.10.9', {
        'NL-CM:7.11.1': '.',
        'NL-CM:7.11.2': "hl7:entryRelationship/hl7:observation[hl7:code/@code='41829006']/hl7:value",
        'NL-CM:7.11.3': "hl7:entryRelationship/hl7:observation[hl7:templateId/@root='%s3.10.28']/hl7:value" % T,
        'NL-CM:7.11.5': problem, 'NL-CM:5.1.1': problem, 'NL-CM:7.11.4': TOELICHTING})
    # Vitale functies
    sysobs = "hl7:component/hl7:observation[hl7:code/@code='8480-6']"
    put('Bloeddruk', '121.10.10', {
        'NL-CM:12.4.1': '.', 'NL-CM:12.4.2': sysobs + '/hl7:value',
        'NL-CM:12.4.3': "hl7:component/hl7:observation[hl7:code/@code='8462-4']/hl7:value",
        'NL-CM:12.4.4': "hl7:component/hl7:observation[hl7:code/@code='6797001']/hl7:value",
        'NL-CM:12.4.5': sysobs + '/hl7:effectiveTime/@value',
        'NL-CM:12.4.6': sysobs + '/' + TOELICHTING,
        'NL-CM:12.4.7': sysobs + '/hl7:methodCode',
        'NL-CM:12.4.10': sysobs + '/hl7:targetSiteCode',
        'NL-CM:12.4.9': sysobs + "/hl7:entryRelationship/hl7:observation[hl7:code/@code='70665002']/hl7:value",
        'NL-CM:12.4.11': sysobs + "/hl7:entryRelationship/hl7:observation[hl7:code/@code='424724000']/hl7:value",
        'NL-CM:12.4.8': "hl7:component/hl7:observation[hl7:code/@code='85549003']/hl7:value"})
    put('Lichaamsgewicht', '7.10.28', {
        'NL-CM:12.1.1': '.', 'NL-CM:12.1.2': 'hl7:value', 'NL-CM:12.1.3': TOELICHTING,
        'NL-CM:12.1.4': 'hl7:effectiveTime/@value',
        'NL-CM:12.1.5': "hl7:entryRelationship/hl7:observation[hl7:templateId/@root='%s3.10.29']/hl7:value" % T})
    put('Lichaamslengte', '7.10.30', {
        'NL-CM:12.2.1': '.', 'NL-CM:12.2.2': 'hl7:value', 'NL-CM:12.2.3': TOELICHTING,
        'NL-CM:12.2.4': 'hl7:effectiveTime/@value',
        'NL-CM:12.2.5': "hl7:entryRelationship/hl7:observation[hl7:templateId/@root='%s3.10.31']/hl7:value" % T})
    return m

CDA_MAP = _cda_map()


class SourceError(Exception):
    pass


def die(msg):
    raise SourceError(msg)


def read_tsv(path):
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    rows = []
    header = None
    for ln in lines:
        if not ln or ln.startswith('#'):
            continue
        fields = ln.split('\t')
        if header is None:
            header = fields
            continue
        if len(fields) != len(header):
            die('%s: wrong number of fields: %r' % (path, ln[:80]))
        rows.append(dict(zip(header, fields)))
    return rows


def clean(s):
    s = (s or '').replace('\t', ' ').replace('\r', ' ').replace('\n', ' ')
    return re.sub(r' +', ' ', s).strip()


def strip_parens(s):
    prev = None
    while prev != s:
        prev = s
        s = re.sub(r'\([^()]*\)', '', s)
    return clean(s)


def oid_key(oid):
    return tuple(int(x) for x in oid.split('.'))


def uniq(seq):
    out = []
    for x in seq:
        if x and x not in out:
            out.append(x)
    return out


# ---------------------------------------------------------------------------
# FHIR StructureDefinitions

def fval(el, name):
    c = el.find(FHIR + name)
    return c.get('value') if c is not None else None


def load_sds(paths):
    """Return list of dicts: id, url, type, elements[(elid, short, [maps], binding)]"""
    out = []
    for p in sorted(paths):
        try:
            root = ET.parse(p).getroot()
        except ET.ParseError:
            continue
        if root.tag != FHIR + 'StructureDefinition':
            continue
        sd = {'id': fval(root, 'id'), 'url': fval(root, 'url'), 'type': fval(root, 'type'),
              'file': p, 'elements': []}
        diff = root.find(FHIR + 'differential')
        if diff is None:
            continue
        for e in diff.findall(FHIR + 'element'):
            elid = e.get('id') or fval(e, 'path')
            maps = []
            for m in e.findall(FHIR + 'mapping'):
                maps.append((fval(m, 'identity') or '', (fval(m, 'map') or '').strip()))
                mc = (fval(m, 'comment') or '').strip()
                if mc and NLCM_RE.match(maps[-1][1]) and re.match(r'^[A-Za-z]+$', mc):
                    sd.setdefault('names', {}).setdefault(maps[-1][1], mc)
            for mm in re.finditer(r'\b([A-Z][A-Za-z]+) \((NL-CM:[0-9.]*[0-9])\)', fval(e, 'comment') or ''):
                sd.setdefault('names', {}).setdefault(mm.group(2), mm.group(1))
            b = e.find(FHIR + 'binding')
            vs = None
            if b is not None:
                vs = fval(b, 'valueSet') or fval(b, 'valueSetUri')
                r = b.find(FHIR + 'valueSetReference')
                if vs is None and r is not None:
                    vs = fval(r, 'reference')
            sd['elements'].append((elid, fval(e, 'short') or '', maps, vs))
            for t in e.findall(FHIR + 'type'):
                for tp in t.findall(FHIR + 'profile'):
                    sd.setdefault('typed', []).append((elid, profile_name(tp.get('value') or '')))
        out.append(sd)
    return out


def r4_conceptmap_targets():
    """zib value set OID -> the FHIR value sets R4 ConceptMaps translate it into"""
    out = {}
    for p in sorted(glob.glob(os.path.join(CORPUS, cmaps.FILES[0]))):
        oid, fhir_vs, forward = cmaps.value_sets(ET.parse(p).getroot())
        if oid and fhir_vs and forward:
            out.setdefault(oid, set()).add(fhir_vs)
    return out


def index_nlcm(sds):
    """NL-CM id -> list of (profile id, element id, identity, short)"""
    idx = {}
    for sd in sds:
        for elid, short, maps, _ in sd['elements']:
            for ident, m in maps:
                if NLCM_RE.match(m):
                    lst = idx.setdefault(m, [])
                    item = (sd['id'], elid, ident, short)
                    if item not in lst:
                        lst.append(item)
    return idx


def profile_name(url):
    return url.rstrip('/').rsplit('/', 1)[-1]


# ---------------------------------------------------------------------------
# ADA schemas (for the related zibs)

ADA_TYPES = {'string': 'ST', 'code': 'CD', 'identifier': 'II', 'datetime': 'TS',
             'quantity': 'PQ', 'boolean': 'BL', 'count': 'INT', 'ordinal': 'CO',
             'blob': 'ED', 'complex': 'ANY', 'text': 'ST', 'decimal': 'PQ',
             'duration': 'PQ', 'currency': 'PQ', 'ratio': 'PQ', 'reference': 'GROUP'}


def load_ada(path, top):
    """Concept tree from an ADA registratie xsd: list of (depth, conceptId,
    name_nl, datatype, card)."""
    root = ET.parse(path).getroot()
    types = {}
    doc = None
    for ch in root:
        if ch.tag == XS + 'annotation':
            d = ch.find(XS + 'documentation')
            doc = d.text if d is not None else None
        elif ch.tag == XS + 'complexType':
            inner = ch.find(XS + 'annotation/' + XS + 'documentation')
            types[ch.get('name')] = (ch, inner.text if inner is not None else doc)
            doc = None
    out = []

    def card(el):
        mn = el.get('minOccurs', '1')
        mx = el.get('maxOccurs', '1')
        return '%s..%s' % (mn, '*' if mx == 'unbounded' else mx)

    def type_cid(tname):
        for a in types[tname][0].findall(XS + 'attribute'):
            if a.get('name') == 'conceptId':
                return a.get('fixed') or ''
        return ''

    def walk(tname, depth, c):
        ct, d = types[tname]
        cid = None
        dt = 'GROUP'
        for a in ct.findall(XS + 'attribute'):
            if a.get('name') == 'conceptId':
                cid = a.get('fixed')
            if a.get('name') == 'datatype' and a.get('fixed'):
                dt = ADA_TYPES.get(a.get('fixed'))
                if dt is None:
                    die('%s: unknown ADA datatype %s' % (path, a.get('fixed')))
        name = ''
        if d:
            mm = re.match(r'Type for concept (?:group|item): (\S+)', d.strip())
            if mm:
                name = mm.group(1)
        out.append((depth, cid, name, dt, c))
        seq = ct.find(XS + 'sequence')
        if seq is None:
            return
        for el in seq.findall(XS + 'element'):
            n = el.get('name')
            if n.endswith('-start') or n == 'adaextension' or not el.get('type'):
                continue
            if type_cid(el.get('type')).startswith('2.16.840.1.113883.2.4.3.11.999.'):
                continue  # ADA administration (onderwerp, referenties)
            walk(el.get('type'), depth + 1, card(el))

    reg = types[top + '_registratie_type'][0]
    for el in reg.find(XS + 'sequence').findall(XS + 'element'):
        if el.get('type') and el.get('type') in types and \
                type_cid(el.get('type')).startswith(DECOR_ZIB_PREFIX):
            walk(el.get('type'), 0, card(el))
            break
    return out


# ---------------------------------------------------------------------------
# value sets

def voc_file(oid, dates):
    for d in sorted(dates):
        if d:
            p = os.path.join(VOCDIR, 'voc-%s-%s.xml' % (oid, d))
            if os.path.exists(p):
                return p
    p = os.path.join(VOCDIR, 'voc-%s-DYNAMIC.xml' % oid)
    if os.path.exists(p):
        return p
    return None


def load_voc_codesystems():
    """All sourceCodeSystem declarations: oid -> (uri, name)."""
    cs = {}
    for p in sorted(glob.glob(os.path.join(VOCDIR, 'voc-*.xml'))):
        try:
            root = ET.parse(p).getroot()
        except ET.ParseError:
            continue
        for s in root.iter('sourceCodeSystem'):
            oid = s.get('id')
            uri = s.get('canonicalUriR4') or s.get('canonicalUri') or ''
            name = s.get('identifierName') or ''
            if oid and oid not in cs:
                cs[oid] = (uri, name)
    return cs


def parse_voc(path):
    """-> (name, rows[(code, cs, display)], enumerable, reason)"""
    root = ET.parse(path).getroot()
    vs = root.find('valueSet')
    name = vs.get('displayName') or vs.get('name') or ''
    rows = []
    reason = None
    if vs.find('completeCodeSystem') is not None:
        reason = 'whole code system %s' % ' '.join(
            c.get('codeSystem') for c in vs.findall('completeCodeSystem'))
    cl = vs.find('conceptList')
    if cl is not None:
        for c in cl:
            if c.tag in ('concept', 'exception'):
                rows.append((c.get('code'), c.get('codeSystem'), clean(c.get('displayName'))))
            elif c.tag == 'include':
                if c.get('ref'):
                    reason = reason or 'includes value set %s' % c.get('ref')
                else:
                    reason = reason or 'intensional (%s %s)' % (c.get('op') or 'include', c.get('code'))
    return name, rows, reason is None, reason


def parse_fhir_vs(path, uri2oid):
    root = ET.parse(path).getroot()
    name = fval(root, 'name') or fval(root, 'title') or ''
    rows = []
    reason = None
    comp = root.find(FHIR + 'compose')
    for part in ('include', 'exclude'):
        for inc in (comp.findall(FHIR + part) if comp is not None else []):
            if part == 'exclude':
                reason = reason or 'has exclusions'
                continue
            system = fval(inc, 'system')
            if inc.find(FHIR + 'filter') is not None or inc.find(FHIR + 'valueSet') is not None:
                reason = reason or 'intensional'
                continue
            concepts = inc.findall(FHIR + 'concept')
            if not concepts:
                reason = reason or 'whole code system %s' % system
                continue
            oid = uri2oid.get(system)
            if oid is None and system and system.startswith('urn:oid:'):
                oid = system[8:]
            if oid is None:
                reason = reason or 'unknown code system %s' % system
                continue
            for c in concepts:
                rows.append((fval(c, 'code'), oid, clean(fval(c, 'display') or '')))
    return name, rows, reason is None, reason


def fhir_vs_file(oid):
    pats = [os.path.join(R4DIR, 'zib', 'terminology', 'ValueSet-*-%s--*.xml' % oid),
            os.path.join(R4DIR, 'nl-core', 'terminology', 'ValueSet-*-%s--*.xml' % oid),
            os.path.join(STU3DIR, 'Valuesets', '*-%s--*.xml' % oid)]
    for pat in pats:
        hits = sorted(glob.glob(pat))
        if hits:
            return hits[-1]
    return None


# ---------------------------------------------------------------------------

# ---------------------------------------------------------------------------
# R4 medication (MP9).  zib2020 R4 holds the three BgZ medication zibs in the
# MP9 profiles (mp-MedicationAgreement, ...), which are not in ../shared:
# their NL-CM mappings are kept in mp9-r4-mappings.tsv (facts, with source).
MP9_FILE = os.path.join(HERE, 'mp9-r4-mappings.tsv')
MP9_DOSAGE = 'mp-InstructionsForUse.DosageInstructions'
# zib -> (its R4 profile, resource type, the element that holds its Dosages)
MP9_ZIBS = {
    'MedicatieAfspraak': ('mp-MedicationAgreement', 'MedicationRequest', 'dosageInstruction'),
    'ToedieningsAfspraak': ('mp-AdministrationAgreement', 'MedicationDispense', 'dosageInstruction'),
    'MedicatieGebruik': ('mp-MedicationUse2', 'MedicationStatement', 'dosage'),
}
# R4 profile urls of the zibs that ../shared/reference does not list: the
# MP9 MedicationStatement profile is mp-MedicationUse2.
R4_EXTRA_PROFILES = {
    'MedicatieGebruik': ['http://nictiz.nl/fhir/StructureDefinition/mp-MedicationUse2'],
}
# Related zibs ../shared/reference does not list, in its bgz-zibs-related.tsv
# shape.  FarmaceutischProduct is the target of the three medication zibs'
# product (Afgesprokengeneesmiddel, GeneesmiddelBijToedieningsAfspraak,
# Gebruiksproduct): the Medication resource they reference.  Concepts from
# the ADA schema, paths from the profiles' NL-CM mappings (MP9's
# mp-PharmaceuticalProduct is nl-core-PharmaceuticalProduct's, as used by
# the mp- profiles of the medication zibs).
MEDICATION_PROFILES = 'http://nictiz.nl/fhir/StructureDefinition/'
EXTRA_RELATED = [{
    'n': 'R4', 'bgz_section': 'Medicatie (referenced from the medication zibs)',
    'zib_nl': 'FarmaceutischProduct', 'zib_en': 'PharmaceuticalProduct',
    'zib2017_id': 'nl.zorg.FarmaceutischProduct v2.0', 'zib2020_id': 'nl.zorg.FarmaceutischProduct v2.1.2',
    'root_concept': 'NL-CM:9.7.19926',
    'fhir_r4_profiles': ', '.join(MEDICATION_PROFILES + x for x in
                                  ('zib-PharmaceuticalProduct', 'nl-core-PharmaceuticalProduct',
                                   'mp-PharmaceuticalProduct')),
    'fhir_stu3_profiles': MEDICATION_PROFILES + 'zib-Product',
    'fhir_r4_resource': 'Medication', 'cda_template_ids': '', 'medmij_query': ''}]
# The R4 extension profiles of a related zib read from ADA whose concepts
# they map (Omschrijving: ext-PharmaceuticalProduct.Description).
ADA_EXTENSIONS = {'FarmaceutischProduct': {'ext-PharmaceuticalProduct.Description'}}
# Mappings a reader cannot follow element by element (ids as in the file):
# - Frequentie and Interval: FHIR spreads a number of times per time unit
#   over count/frequency(Max), period and periodUnit (Interval is the same
#   elements plus the timing-exact extension); the zib's Range of
#   quantities per unit is in none of them;
# - Toedieningsduur is a TimeInterval group in the zib model, a bare
#   duration + durationUnit in the Dosage.
MP9_SKIP_CONCEPTS = {'NL-CM:9.12.19949', 'NL-CM:9.12.19950', 'NL-CM:9.12.23141'}
# The profiles type these choice elements of a group: the path names the
# type (as an element id of a type slice does), so that a writer builds it.
MP9_TYPE_SLICE = {'extension:periodOfUse.value[x]': 'valuePeriod'}
# Dosering is read from the Dosage, not from Dosage.doseAndRate: the zib's
# Dosering also holds Toedieningsschema and Zonodig, which lie on Dosage.
MP9_GROUP_AT = {'NL-CM:9.12.19935': 'Dosage'}


def mp9_skipped(cid, el):
    """The Range parts mapped on Timing belong to Frequentie (skipped)."""
    return (cid in MP9_SKIP_CONCEPTS or
            (cid.startswith('NL-CM:20.1.') and el.startswith('Dosage.timing.')))


def mp9_elements(zib_nl):
    """concept id -> resource element paths of zib_nl's MP9 profile."""
    prof, rtype, dosage = MP9_ZIBS[zib_nl]
    out = {}
    for f in read_tsv(MP9_FILE):
        cid, el = f['concept_id'], f['element_id']
        if mp9_skipped(cid, el):
            continue
        el = MP9_GROUP_AT.get(cid, el)
        for tail, typed in MP9_TYPE_SLICE.items():
            if el.endswith('.' + tail):
                el += ':' + typed
        if f['profile'] == MP9_DOSAGE:
            el = rtype + '.' + dosage + el[len('Dosage'):]
        elif f['profile'] != prof:
            continue
        if not el.startswith(rtype):
            die('%s: %s %s is not a %s element' % (MP9_FILE, cid, el, rtype))
        out.setdefault(cid, [])
        if el not in out[cid]:
            out[cid].append(el)
    return out


def is_below(path, top):
    return path == top or path.startswith(top + '.') or path.startswith(top + ':')


def mp9_r4_paths(zibrows):
    """Fills fhir_r4 of the medication zibs from the MP9 mappings.  A
    concept that occurs under several groups (the Range parts of Keerdosis,
    Toedieningssnelheid and Frequentie) takes the elements below its
    group's; a group without an element reads its parts from its parent's."""
    for zib_nl, (prof, rtype, _) in sorted(MP9_ZIBS.items()):
        els = mp9_elements(zib_nl)
        at_depth = []
        for r in zibrows[zib_nl]:
            d = r['depth']
            above = at_depth[d - 1] if d else []
            mine = [e for e in els.get(r['concept_id'], [])
                    if not above or any(is_below(e, a) for a in above)]
            if mine:
                r['fhir_r4'] = ' '.join('%s#%s' % (prof, e) for e in mine)
            del at_depth[d:]
            at_depth.append(mine or above)


# zib2017 concepts that zib2020 numbers otherwise, by zib: (zib2020 id,
# zib2017 id).  zib2017 Procedure's AnatomischeLocatie (NL-CM:14.1.8) is a
# code on bodySite and its laterality (14.1.11) an extension there; zib2020
# makes them the VerrichtingAnatomischeLocatie group (14.1.13) with the
# AnatomicalLocation's Locatie and Lateraliteit, on the same elements.
# zib2017 MedicalDevice does the same on DeviceUseStatement.bodySite
# (AnatomischeLocatie 10.1.6, Lateraliteit 10.1.12): zib2020's
# AnatomischeLocatie group is 10.1.15.
# zib2017 VaccinationRecommendation (a GeplandeImmunisatie, NL-CM:16.1.5)
# holds the Vaccination zib's ProductCode and DesiredDateForRevaccination
# (11.1.5), a concept zib2020 dropped: its planned vaccination is a
# Vaccinatie whose VaccinatieDatum lies ahead (zib-Vaccination-request).
STU3_RENUMBERED = {
    'Verrichting': [('NL-CM:14.1.13', 'NL-CM:14.1.8'), ('NL-CM:20.7.3', 'NL-CM:14.1.11')],
    'Vaccinatie': [('NL-CM:11.1.1', 'NL-CM:16.1.5'), ('NL-CM:11.1.3', 'NL-CM:11.1.5')],
    'MedischHulpmiddel': [('NL-CM:10.1.15', 'NL-CM:10.1.6'), ('NL-CM:20.7.3', 'NL-CM:10.1.12')],
}

# zib2017 profiles of a zib's planned variant that the sources list under
# GeplandeZorgActiviteit only (see STU3_RENUMBERED).
STU3_PLANNED = {
    'Vaccinatie': ['http://nictiz.nl/fhir/StructureDefinition/zib-VaccinationRecommendation'],
}


def is_reference_row(rows, r):
    """Is r a concept that references another zib's instance (a leaf below
    the root holding a REFERENCED_ZIB_ROOT root id)?  Its STU3 path is the
    element holding the Reference, its parent's: zib-Product maps its root
    Medication to FarmaceutischProduct (NL-CM:9.7.19926), but that root is
    the referenced resource, not an element of the referring one (without
    it the reader reads the Reference, as in R4)."""
    i = rows.index(r)
    leaf = i + 1 == len(rows) or int(rows[i + 1]['depth']) <= int(r['depth'])
    roots = {cid for cid, _ in REFERENCED_ZIB_ROOT.values()}
    other = r['concept_id'] != rows[0]['concept_id']   # not GerelateerdeUitslag's own zib
    return int(r['depth']) > 0 and leaf and other and r['concept_id'] in roots


def stu3_renumbered(zibrows, zibinfo, stu3_idx):
    for zib_nl, pairs in STU3_RENUMBERED.items():
        own = set(zibinfo[zib_nl]['stu3'])
        for new, old in pairs:
            rows = [r for r in zibrows[zib_nl] if r['concept_id'] == new]
            if len(rows) != 1:
                die('STU3_RENUMBERED: %s %s is not one concept' % (zib_nl, new))
            paths = ['%s#%s' % (h[0], h[1]) for h in stu3_idx.get(old, []) if h[0] in own]
            if not paths:
                die('STU3_RENUMBERED: no zib2017 mapping of %s' % old)
            rows[0]['fhir_stu3'] = ' '.join(uniq(rows[0]['fhir_stu3'].split() + paths))


# The role a referenced Zorgverlener has in the referring zib: the profiles
# map ZorgverlenerRol (NL-CM:17.1.5) to an element beside the reference
# (Encounter.participant.type beside .individual, Immunization.practitioner
# .role beside .actor, ProcedureRequest.performerType).  It is the role in
# this contact, vaccination or procedure, not one of the Practitioner, so it
# is read into the group that holds the reference, next to it.
ROLE_OF_REFERENCED = {'Contact': 'NL-CM:15.1.7', 'Vaccinatie': 'NL-CM:11.1.6', 'Verrichting': 'NL-CM:14.1.6'}
ROLE = 'NL-CM:17.1.5'


def role_of_referenced(zibrows, zibinfo, r4_idx, stu3_idx):
    src = [r for r in zibrows['Zorgverlener'] if r['concept_id'] == ROLE][0]
    for zib_nl, group in ROLE_OF_REFERENCED.items():
        rows = zibrows[zib_nl]
        at = [i for i, r in enumerate(rows) if r['concept_id'] == group]
        if len(at) != 1 or rows[at[0] + 1]['concept_id'] != 'NL-CM:17.1.1':
            die('ROLE_OF_REFERENCED: %s %s is no group holding a Zorgverlener' % (zib_nl, group))
        i = at[0]
        end = i + 1
        while end < len(rows) and rows[end]['depth'] > rows[i]['depth']:
            end += 1
        r4 = ['%s#%s' % (h[0], h[1]) for h in r4_idx.get(ROLE, []) if h[0] in zibinfo[zib_nl]['r4']]
        stu3 = ['%s#%s' % (h[0], h[1]) for h in stu3_idx.get(ROLE, []) if h[0] in zibinfo[zib_nl]['stu3']]
        if not r4 and not stu3:
            die('ROLE_OF_REFERENCED: no %s mapping in the profiles of %s' % (ROLE, zib_nl))
        rows.insert(end, dict(src, depth=rows[i]['depth'] + 1, card='0..1',
                              fhir_r4=' '.join(uniq(r4)), fhir_stu3=' '.join(uniq(stu3)),
                              cda_template='', cda_xpath=''))


def extension_value_type(sd):
    """The value[x] type an extension StructureDefinition allows, if one."""
    root = ET.parse(sd['file']).getroot()
    types = set()
    for part in ('differential', 'snapshot'):
        x = root.find(FHIR + part)
        for e in (x.findall(FHIR + 'element') if x is not None else []):
            if re.match(r'^Extension\.value[^.]*$', fval(e, 'path') or ''):
                types |= {fval(t, 'code') for t in e.findall(FHIR + 'type')}
    return types.pop() if len(types) == 1 else None


# The zib TimeInterval (NL-CM:20.3.x) of a zib2017 medication profile: the
# profile maps Gebruiksperiode to the extensions that hold it (periodOfUse, a
# Period; usageDuration, a Duration) or to a Period with a Duration extension
# (MedicationStatement.effectivePeriod), and maps nothing to their parts.
TIME_INTERVAL_PARTS = {'Period': [('NL-CM:20.3.2', 'valuePeriod.start'), ('NL-CM:20.3.3', 'valuePeriod.end')],
                       'Duration': [('NL-CM:20.3.4', 'valueDuration')]}


def stu3_time_interval_extensions(zibrows, stu3_sds):
    by_name = {profile_name(sd['url'] or ''): sd for sd in stu3_sds}
    by_id = {sd['id']: sd for sd in stu3_sds}
    for rows in zibrows.values():
        for i, r in enumerate(rows):
            kids = {x['concept_id']: x for x in rows[i + 1:i + 4] if x['depth'] == r['depth'] + 1}
            if r['datatype'] != 'GROUP' or set(kids) != {'NL-CM:20.3.2', 'NL-CM:20.3.3', 'NL-CM:20.3.4'}:
                continue
            for path in r['fhir_stu3'].split():
                prof, elid = path.split('#', 1)
                sd = by_id.get(prof)
                for typed_el, ext in (sd.get('typed', []) if sd else []):
                    # the group's element itself, or an extension on it
                    if typed_el != elid and not re.match(re.escape(elid) + r'\.extension:[^.]+$', typed_el):
                        continue
                    vt = extension_value_type(by_name[ext]) if ext in by_name else None
                    for cid, tail in TIME_INTERVAL_PARTS.get(vt, []):
                        k = kids[cid]
                        k['fhir_stu3'] = ' '.join(uniq(k['fhir_stu3'].split() + ['%s#%s.%s' % (prof, typed_el, tail)]))


# The zib Range (NL-CM:20.1.x) of a group zib2017 maps to a choice element
# (InstructionsForUse Keerdosis on Dosage.dose[x]): the profile slices the
# choice by type and maps nothing to the slices.  A Quantity is the nominal
# value, a Range's low and high its minimum and maximum.
RANGE_SLICES = [('Quantity', 'NL-CM:20.1.4'), ('Range.low', 'NL-CM:20.1.2'), ('Range.high', 'NL-CM:20.1.3')]


def range_slice_maps(elements):
    """(element id, NL-CM id) of the type slices of mapped choice elements."""
    mapped = {e for e, _, maps, _ in elements if any(NLCM_RE.match(m) for _, m in maps)}
    out = []
    for e, _, _, _ in elements:
        m = re.match(r'^(.*\.([a-z]+)\[x\]):\2([A-Z].*)$', e)
        if m and m.group(1) in mapped:
            out += [(e, cid) for tail, cid in RANGE_SLICES if m.group(3) == tail]
    return out


def type_profile_elements(sd, by_name, seen=()):
    """(element id, NL-CM id) of a datatype profile, with those of the
    profiles of its elements' types, ids starting with sd's type."""
    out = [(e, m) for e, _, maps, _ in sd['elements'] for _, m in maps if NLCM_RE.match(m)]
    out += range_slice_maps(sd['elements'])
    for el, tname in sd.get('typed', []):
        t = by_name.get(tname)
        if t and t['id'] not in seen and el != sd['type']:
            out += [(el + e[len(t['type']):], m)
                    for e, m in type_profile_elements(t, by_name, seen + (sd['id'],))]
    return out


def stu3_type_profile_paths(zibrows, zibinfo, stu3_sds):
    """zib2017 maps a part zib's concepts in the profile of an element's
    type (MedicationRequest.dosageInstruction is a zib-InstructionsForUse
    Dosage, its timing a zib-AdministrationSchedule Timing), not in the
    zib's own profile.  Those paths, put onto the zib's element, fill the
    concepts below the group read from that element that have none.  As
    for MP9 (mp9_r4_paths), a concept takes the elements below its group's,
    and Frequentie, Interval and Toedieningsduur are skipped."""
    by_name = {profile_name(sd['url'] or ''): sd for sd in stu3_sds}
    by_id = {sd['id']: sd for sd in stu3_sds}
    for zib_nl, rows in zibrows.items():
        for prof in zibinfo[zib_nl]['stu3']:
            for elid, tname in by_id[prof].get('typed', []) if prof in by_id else []:
                t = by_name.get(tname)
                at = '%s#%s' % (prof, elid)
                top = next((i for i, r in enumerate(rows) if at in r['fhir_stu3'].split()), None)
                if not t or t['type'] not in TYPE_PROFILE_TYPES or top is None:
                    continue
                els = {}
                for e, cid in type_profile_elements(t, by_name):
                    if not mp9_skipped(cid, e):
                        els.setdefault(cid, []).append(at + e[len(t['type']):])
                fill_below(rows, top, els)


# Datatypes whose zib2017 profiles hold a part zib (zib-InstructionsForUse).
TYPE_PROFILE_TYPES = {'Dosage'}


def kids_els(rows, i, els):
    """The paths of rows[i]'s children.  A group zib2017 maps to the element
    of one of its parts (Zonodig and Criterium both on asNeeded[x]) gets no
    path of its own: it reads its parts from its parent's node."""
    out = set()
    for r in rows[i + 1:]:
        if r['depth'] <= rows[i]['depth']:
            break
        if r['depth'] == rows[i]['depth'] + 1:
            out |= set(els.get(r['concept_id'], []))
    return out


def fill_below(rows, top, els):
    """Fills the empty fhir_stu3 of the rows below rows[top] from els
    (NL-CM id -> paths), each row's paths below its nearest group's; a
    concept the zib has more than once loses paths outside its group."""
    repeated = {}
    for r in rows:
        repeated[r['concept_id']] = repeated.get(r['concept_id'], 0) + 1
    at_depth = [rows[top]['fhir_stu3'].split()]
    d0 = rows[top]['depth']
    for at, r in enumerate(rows[top + 1:]):
        d = r['depth'] - d0
        if d <= 0:
            break
        above = at_depth[d - 1]
        mine = r['fhir_stu3'].split()
        if mine and repeated[r['concept_id']] > 1:
            # A part of a repeated datatype (Toedieningsduur's
            # startDatumTijd, also Gebruiksperiode's) keeps only the paths
            # below its group's: the others are the other group's.
            mine = [e for e in mine if any(is_below(e.split('#', 1)[1], a.split('#', 1)[1]) for a in above)]
            r['fhir_stu3'] = ' '.join(mine)
        if not mine:
            mine = uniq(e for e in els.get(r['concept_id'], [])
                        if any(is_below(e.split('#', 1)[1], a.split('#', 1)[1]) for a in above)
                        and e not in kids_els(rows, top + 1 + at, els))
            if mine:
                r['fhir_stu3'] = ' '.join(mine)
        del at_depth[d:]
        at_depth.append(mine or above)


def build():
    out = {}
    notes = []
    if not os.path.isdir(REF) or not os.path.isdir(CORPUS):
        raise FileNotFoundError(SHARED)

    r4_sds = load_sds(glob.glob(os.path.join(R4DIR, 'zib', '*.xml')) +
                      glob.glob(os.path.join(R4DIR, 'nl-core', '*.xml')))
    r4_by_url = {sd['url']: sd for sd in r4_sds}
    r4_idx = index_nlcm(r4_sds)
    stu3_sds = load_sds(glob.glob(os.path.join(STU3DIR, '*.xml')))
    stu3_by_url = {sd['url']: sd for sd in stu3_sds}
    stu3_idx = index_nlcm(stu3_sds)

    # ---------------- bgz.tsv
    zibs = read_tsv(os.path.join(REF, 'bgz-zibs.tsv'))
    related = read_tsv(os.path.join(REF, 'bgz-zibs-related.tsv'))
    if len(zibs) != 26:
        die('bgz-zibs.tsv: expected 26 zibs, found %d' % len(zibs))
    example_old = open(os.path.join(CDADIR, 'xml-BgZ2020-notyetvalid.xml'), encoding='utf-8').read()
    bgz_rows = []
    zibinfo = {}
    for src in zibs + related + EXTRA_RELATED:
        zib_nl = re.match(r'[A-Za-z0-9_]+', src['zib_nl'].strip()).group(0)
        rc = src['root_concept']
        m = re.search(r'(NL-CM:[0-9.]*[0-9])\s*\(zib2020', rc)
        root = m.group(1) if m else re.search(r'NL-CM:[0-9.]*[0-9]', rc).group(0)
        ver = src['zib2020_id'].strip()
        mm = re.match(r'^(nl\.zorg\.\S+)(?:\s+(v[0-9][0-9.]*))?\s*(?:\((\d{4}-\d\d-\d\d)[^)]*\))?', ver)
        if mm:
            version = mm.group(1) + (' ' + mm.group(2) if mm.group(2) else '') + \
                (' ' + mm.group(3) if mm.group(3) and not mm.group(2) else '')
        else:
            # no zib2020 version (GeplandeZorgActiviteit): keep the zib2017 id
            version = strip_parens(src['zib2017_id'])
        r4prof = [u for u in (x.strip() for x in strip_parens(src['fhir_r4_profiles']).split(','))
                  if u.startswith('http')]
        zib_key = re.match(r'[A-Za-z0-9_]+', src['zib_nl'].strip()).group(0)
        r4prof += [u for u in R4_EXTRA_PROFILES.get(zib_key, []) if u not in r4prof]
        stu3prof = [u for u in (x.strip() for x in strip_parens(src['fhir_stu3_profiles']).split(','))
                    if u.startswith('http')]
        stu3prof += [u for u in STU3_PLANNED.get(zib_nl, []) if u not in stu3prof]
        # resource types: the text, without STU3-only items, plus profile types
        res = []
        if r4prof:
            for item in src['fhir_r4_resource'].split(';'):
                if 'STU3' in item:
                    continue
                extra = re.findall(r'\(\+([A-Z][A-Za-z]+)\)', item)
                extra += re.findall(r'\(([A-Z][A-Za-z]+) for planned\)', item)
                base = strip_parens(item)
                for tok in [base] + extra:
                    tok = tok.split('.')[0].strip()
                    if re.match(r'^[A-Z][A-Za-z]+$', tok):
                        res.append(tok)
            for u in r4prof:
                sd = r4_by_url.get(u)
                if sd and sd['type']:
                    res.append(sd['type'])
        res = uniq(res)
        cda = uniq(re.findall(r'\b2\.16\.840\.1\.113883(?:\.[0-9]+)+\b', strip_parens(src['cda_template_ids'])))
        for o in OLDER_TEMPLATES.get(zib_nl, []):
            if 'root="%s"' % o not in example_old:
                die('older template %s for %s not found in example' % (o, zib_nl))
            if o not in cda:
                cda.append(o)
        row = {'n': src['n'], 'section': strip_parens(src['bgz_section']), 'zib_nl': zib_nl,
               'zib_en': clean(src['zib_en']), 'root_concept': root, 'zib_version': version,
               'fhir_r4_resource': ' '.join(res), 'fhir_r4_profiles': ' '.join(r4prof),
               'fhir_stu3_profiles': ' '.join(stu3prof), 'cda_templates': ' '.join(cda)}
        bgz_rows.append(row)
        zibinfo[zib_nl] = {'row': row, 'r4': [profile_name(u) for u in r4prof],
                           'stu3': [stu3_by_url[u]['id'] for u in stu3prof if u in stu3_by_url],
                           'hcim': 'hcim-' + clean(src['zib_en']).lower() + '-'}

    # ---------------- concepts of the 26 zibs
    concepts = read_tsv(os.path.join(REF, 'bgz-concepts.tsv'))
    inherited = {}  # NL-CM id of part zib concepts -> reference row
    for c in concepts:
        if c['inherits_from'] and c['concept_id'] not in inherited:
            inherited[c['concept_id']] = c
    by_zib = {}
    for c in concepts:
        by_zib.setdefault(c['zib_nl'], []).append(c)
    bindings = {}  # oid -> set of dates
    zibrows = {}
    for zib_nl in [r['zib_nl'] for r in bgz_rows]:
        if zib_nl not in by_zib:
            continue
        rows = []
        stack = []  # (concept id as in source, depth)
        for c in by_zib[zib_nl]:
            pid = c['parent_concept_id']
            if not pid:
                if stack:
                    die('%s: second root %s' % (zib_nl, c['concept_id']))
                depth = 0
            else:
                while stack and stack[-1][0] != pid:
                    stack.pop()
                if not stack:
                    die('%s: parent %s of %s not above it' % (zib_nl, pid, c['concept_id']))
                depth = stack[-1][1] + 1
            stack.append((c['concept_id'], depth))
            cid = c['concept_id']
            name_en = clean(c['name_en'])
            if not NLCM_RE.match(cid):
                ref = REFERENCED_ZIB_ROOT.get(c['name_nl'])
                if ref is None:
                    die('%s: cannot resolve reference concept %s %s' % (zib_nl, cid, c['name_nl']))
                cid, ref_en = ref
                name_en = name_en or ref_en
            vsl = []
            for part in c['valueset'].split(';'):
                bits = part.split('|')
                if bits and OID_RE.match(bits[0].strip()):
                    vsl.append(bits[0].strip())
                    bindings.setdefault(bits[0].strip(), set()).add(bits[1].strip() if len(bits) > 1 else '')
            rows.append({'depth': depth, 'concept_id': cid, 'name_nl': clean(c['name_nl']),
                         'name_en': name_en, 'datatype': c['datatype'].strip(),
                         'card': c['cardinality'].strip(), 'valuesets': ' '.join(uniq(vsl)),
                         'fhir_r4': ' '.join(uniq(c['fhir_r4_element'].split())),
                         'fhir_stu3': '', 'cda_template': '', 'cda_xpath': ''})
        zibrows[zib_nl] = rows

    # ---------------- related zibs from ADA + R4
    def r4_for(cid, profiles):
        hits = [h for h in r4_idx.get(cid, []) if h[0] in profiles]
        names = [sd['names'][cid] for sd in r4_sds if sd['id'] in profiles and cid in sd.get('names', {})]
        if not names:
            names = [x for h in hits for x in h[3].split(' / ') if x]
        return uniq('%s#%s' % (h[0], h[1]) for h in hits), uniq(names)

    def r4_bindings(cid, profiles):
        out_vs = []
        for sd in r4_sds:
            if sd['id'] not in profiles:
                continue
            for elid, short, maps, vs in sd['elements']:
                if vs and any(m == cid for _, m in maps):
                    mm = re.search(r'/([0-9]+(?:\.[0-9]+)+)--(\d{8})', vs)
                    if mm:
                        d = mm.group(2)
                        out_vs.append(mm.group(1))
                        bindings.setdefault(mm.group(1), set()).add('%s-%s-%sT000000' % (d[:4], d[4:6], d[6:]))
        return uniq(out_vs)

    def from_ada(zib_nl, xsd, top, profiles):
        rows = []
        for depth, cid, name, dt, card in load_ada(os.path.join(ADADIR, xsd), top):
            if cid and cid.startswith(DECOR_ZIB_PREFIX):
                nlcm = 'NL-CM:' + cid[len(DECOR_ZIB_PREFIX):]
                inh = None
            else:
                cands = [k for k, v in inherited.items() if v['name_nl'] == name]
                if len(cands) != 1:
                    die('%s: cannot resolve ADA concept %s %s' % (zib_nl, cid, name))
                nlcm = cands[0]
                inh = inherited[nlcm]
            paths, shorts = r4_for(nlcm, profiles)
            vsl = r4_bindings(nlcm, profiles)
            if inh is not None:
                paths = paths or inh['fhir_r4_element'].split()
                shorts = shorts or [clean(inh['name_en'])]
                if not vsl:
                    for part in inh['valueset'].split(';'):
                        b = part.split('|')
                        if OID_RE.match(b[0]):
                            vsl.append(b[0])
                            bindings.setdefault(b[0], set()).add(b[1] if len(b) > 1 else '')
            if depth == 0:
                card = '0..*'
                shorts = [zibinfo[zib_nl]['row']['zib_en']]
            rows.append({'depth': depth, 'concept_id': nlcm, 'name_nl': name,
                         'name_en': ' / '.join(uniq(shorts)), 'datatype': dt, 'card': card,
                         'valuesets': ' '.join(uniq(vsl)), 'fhir_r4': ' '.join(uniq(paths)),
                         'fhir_stu3': '', 'cda_template': '', 'cda_xpath': ''})
        return rows

    zibrows['Zorgaanbieder'] = from_ada('Zorgaanbieder', 'zorgaanbieder_registratie.xsd', 'zorgaanbieder',
                                        set(zibinfo['Zorgaanbieder']['r4']))
    fp = zibinfo['FarmaceutischProduct']
    zibrows['FarmaceutischProduct'] = from_ada('FarmaceutischProduct', 'farmaceutisch_product_registratie.xsd',
                                               'farmaceutisch_product',
                                               set(fp['r4']) | ADA_EXTENSIONS['FarmaceutischProduct'])
    for r in zibrows['FarmaceutischProduct']:
        # a group no profile maps: the zib's own English name
        if r['concept_id'] == 'NL-CM:9.7.19928' and not r['name_en']:
            r['name_en'] = 'ProductSpecification'
    bs = from_ada('BurgerlijkeStaat', 'burgerlijke_staat_registratie.xsd', 'burgerlijke_staat',
                  {'zib-Patient'})
    bs[0]['name_en'] = bs[0]['name_en'] or zibinfo['BurgerlijkeStaat']['row']['zib_en']
    zibrows['BurgerlijkeStaat'] = bs
    g = zibinfo['GeplandeZorgActiviteit']
    hits = [h for h in stu3_idx.get(g['row']['root_concept'], []) if h[0] in g['stu3']]
    zibrows['GeplandeZorgActiviteit'] = [{
        'depth': 0, 'concept_id': g['row']['root_concept'], 'name_nl': 'GeplandeZorgActiviteit',
        'name_en': g['row']['zib_en'], 'datatype': 'GROUP', 'card': '0..*', 'valuesets': '',
        'fhir_r4': '', 'fhir_stu3': ' '.join(uniq('%s#%s' % (h[0], h[1]) for h in hits)),
        'cda_template': '', 'cda_xpath': ''}]

    # ---------------- zib value sets behind a FHIR binding
    # zib2020 binds BehandelBesluit to Consent.provision.type's FHIR value
    # set; the zib's own value set is the one the profiles' ConceptMap maps
    # to it.  The concept takes that one, so that a reader turns 'permit'
    # into the zib code through the map.
    behind = {}
    for p in sorted(glob.glob(os.path.join(R4DIR, 'zib', 'terminology', 'manual', 'ConceptMap-*.xml'))):
        root = ET.parse(p).getroot()
        src, tgt = fval(root, 'sourceCanonical') or '', fval(root, 'targetCanonical') or ''
        mm = re.search(r'/ValueSet/([0-9]+(?:\.[0-9]+)+)--(\d{8})', src)
        if mm and tgt.startswith('http://hl7.org/fhir/ValueSet/'):
            d = mm.group(2)
            behind.setdefault(tgt, (mm.group(1), '%s-%s-%sT000000' % (d[:4], d[4:6], d[6:])))
    for zib_nl, rows in zibrows.items():
        src = {c['concept_id']: c for c in by_zib.get(zib_nl, [])}
        for r in rows:
            c = src.get(r['concept_id'])
            url = c['valueset'].split('|')[0].strip() if c else ''
            if r['valuesets'] or url not in behind:
                continue
            r['valuesets'] = behind[url][0]
            bindings.setdefault(behind[url][0], set()).add(behind[url][1])

    # ---------------- dates the sources map to .status
    # The profiles map a zib date both to the resource's status (which it
    # implies) and to the element that holds it (Flag.period.end); the
    # sources keep only the first.  A date is read from the element.
    for zib_nl, rows in zibrows.items():
        for r in rows:
            if r['datatype'] != 'TS':
                continue
            paths = r['fhir_r4'].split()
            if not any(x.endswith('.status') for x in paths):
                continue
            keep = []
            for x in paths:
                if not x.endswith('.status'):
                    keep.append(x)
                    continue
                prof = x.split('#', 1)[0]
                alt = ['%s#%s' % (h[0], h[1]) for h in r4_idx.get(r['concept_id'], [])
                       if h[0] == prof and not h[1].endswith('.status')]
                keep.extend(alt)
            r['fhir_r4'] = ' '.join(uniq(keep))

    # ---------------- planned variants (Vaccination-request, Procedure-request)
    # The reference gives each concept the path of the zib's main profile;
    # a zib with a second profile on another resource (the planned
    # vaccination as ImmunizationRecommendation) gets that profile's own
    # NL-CM mappings as well, so its resources are read too.
    # The date criterion's code only says which date it is; the date is its value.
    r4_not = {('NL-CM:11.1.3', 'zib-Vaccination-request#ImmunizationRecommendation.recommendation.dateCriterion.code')}
    for zib_nl, rows in zibrows.items():
        if zib_nl not in zibinfo:
            continue
        have = {x.split('#', 1)[1].split('.')[0] for r in rows for x in r['fhir_r4'].split() if '#' in x}
        for prof in zibinfo[zib_nl]['r4']:
            sd = next((x for x in r4_sds if x['id'] == prof), None)
            if not prof.startswith('zib-') or not prof.endswith('-request') or not sd or sd['type'] in have:
                continue
            for r in rows:
                extra = ['%s#%s' % (h[0], h[1]) for h in r4_idx.get(r['concept_id'], [])
                         if h[0] == prof and (r['concept_id'], '%s#%s' % (h[0], h[1])) not in r4_not]
                r['fhir_r4'] = ' '.join(uniq(r['fhir_r4'].split() + extra))

    # ---------------- the zib's other R4 profiles
    # The reference gives one path per concept; a zib with profiles on two
    # resources maps some concepts on both (Zorgverlener Contactgegevens on
    # Practitioner.telecom and PractitionerRole.telecom).  A group's path on
    # another resource type of the zib's own profiles follows.
    # nl-core profiles type some elements with an address or contact
    # datatype profile without an NL-CM mapping of their own
    # (Organization.address, Organization.telecom): those are the zib's
    # Adresgegevens / Contactgegevens group when it has exactly one.
    typed_groups = {'nl-core-AddressInformation': 'NL-CM:20.5.2',
                    'nl-core-ContactInformation-TelephoneNumbers': 'NL-CM:20.6.2',
                    'nl-core-ContactInformation-EmailAddresses': 'NL-CM:20.6.2'}
    for zib_nl, rows in zibrows.items():
        if zib_nl not in zibinfo:
            continue
        own = set(zibinfo[zib_nl]['r4'])
        for r in rows:
            types = {x.split('#', 1)[1].split('.')[0] for x in r['fhir_r4'].split() if '#' in x}
            extra = ['%s#%s' % (h[0], h[1]) for h in r4_idx.get(r['concept_id'], [])
                     if h[0] in own and not h[0].endswith('-request') and r['depth'] > 0
                     and h[1].split('.')[0] not in types and r['datatype'] == 'GROUP']
            # (a group that is a resource of its own, Verzekeraar as
            # Organization, is reached through its reference instead)
            if r['fhir_r4'] and extra and all('.' in x for x in r['fhir_r4'].split()):
                r['fhir_r4'] = ' '.join(uniq(r['fhir_r4'].split() + extra))
        for prof in sorted(own):
            sd = next((x for x in r4_sds if x['id'] == prof), None)
            if not sd or not prof.startswith('nl-core-'):
                continue
            for elid, dtype in sd.get('typed', []):
                first = typed_groups.get(dtype)
                base = re.sub(r':[A-Za-z]+$', '', elid)
                if not first or '.contact.' in base:
                    continue
                parents = [rows[i - 1] for i, x in enumerate(rows) if i and x['concept_id'] == first
                           and rows[i - 1]['depth'] == x['depth'] - 1]
                if len(parents) != 1:
                    continue
                path = '%s#%s' % ('zib-' + prof[len('nl-core-'):], base)
                covered = any(x.split('#', 1)[1] == base for r in rows for x in r['fhir_r4'].split() if '#' in x)
                if not covered:
                    parents[0]['fhir_r4'] = ' '.join(uniq(parents[0]['fhir_r4'].split() + [path]))

    # ---------------- extensions the reference leaves out
    # The reference may give a concept only a path in another resource
    # (VerrichtingMethode: zib-Procedure-request's ServiceRequest.orderDetail)
    # while the zib's own profile also types an extension whose value maps
    # it (zib-Procedure-event's Procedure.extension:procedureMethod,
    # ext-Procedure.ProcedureMethod).  Its path is added; the pass below puts
    # the element of the own profile first, where writers put the value.
    # Only for concepts with no path in the zib's own resource type
    # (Wilsverklaring keeps Consent.source first, not the extension for
    # additional directives).
    def resource_type(path):
        return path.partition('#')[2].split('.', 1)[0]

    for zib_nl, rows in zibrows.items():
        if zib_nl not in zibinfo or not rows or not rows[0]['fhir_r4']:
            continue
        root = resource_type(rows[0]['fhir_r4'].split()[0])
        typed = {t for sd in r4_sds if sd['id'] in zibinfo[zib_nl]['r4'] and sd['id'].startswith('zib-')
                 for _, t in sd.get('typed', [])}
        for r in rows:
            paths = r['fhir_r4'].split()
            if any(resource_type(x) == root for x in paths):
                continue
            extra = ['%s#%s' % (h[0], h[1]) for h in r4_idx.get(r['concept_id'], [])
                     if h[0].startswith('ext-') and h[0] in typed
                     and (h[1] == 'Extension' or h[1].startswith('Extension.'))]
            extra = [x for x in uniq(extra) if x not in paths]
            if paths and extra:
                r['fhir_r4'] = ' '.join(paths + extra)

    # ---------------- extensions on the zib's own profile
    # The reference gives some concepts only their path inside an extension
    # profile (ext-TreatmentDirective2.SpecificationOther#Extension.value[x],
    # ext-Payer.BankInformation#Extension), which does not say where the
    # extension sits.  The zib's own zib- profile types an element with that
    # extension (Consent.modifierExtension:specificationOther): that
    # element's path comes first.
    for zib_nl, rows in zibrows.items():
        if zib_nl not in zibinfo:
            continue
        own = [sd for sd in r4_sds if sd['id'] in zibinfo[zib_nl]['r4'] and sd['id'].startswith('zib-')]
        for r in rows:
            paths = r['fhir_r4'].split()
            extra = []
            for x in paths:
                prof, _, el = x.partition('#')
                if not prof.startswith('ext-') or not (el == 'Extension' or el.startswith('Extension.')):
                    continue
                extra += ['%s#%s%s' % (sd['id'], elid, el[len('Extension'):])
                          for sd in own for elid, t in sd.get('typed', []) if t == prof]
            if extra:
                r['fhir_r4'] = ' '.join(uniq(extra + paths))

    # ---------------- a zib held inside another zib's resource
    # zib-Patient maps Patient.contact to ContactPerson (NL-CM:3.1.x): a
    # contact person may be a backbone element of the Patient instead of a
    # RelatedPerson.  Those paths follow the zib's own, so writers keep
    # theirs; the contactPerson extension only references a RelatedPerson.
    embedded = {'Contactpersoon': ('zib-Patient', 'Patient.contact')}
    for zib_nl, (prof, top) in embedded.items():
        for r in zibrows[zib_nl]:
            extra = ['%s#%s' % (h[0], h[1]) for h in r4_idx.get(r['concept_id'], [])
                     if h[0] == prof and (h[1] == top or h[1].startswith(top + '.'))
                     and 'extension:contactPerson' not in h[1]]
            r['fhir_r4'] = ' '.join(uniq(r['fhir_r4'].split() + extra))

    # ---------------- a zib code held in a second FHIR element
    # The reference gives a coded concept one path; its R4 profile may map
    # it to a second element of the resource, bound to a FHIR value set the
    # zib's value set is translated into by a ConceptMap (AllergieStatus:
    # clinicalStatus, and verificationStatus for 'nullified', which R4
    # writes as 'entered-in-error').  That path follows the first.
    cm_targets = r4_conceptmap_targets()
    for zib_nl, rows in zibrows.items():
        if zib_nl not in zibinfo:
            continue
        own = set(zibinfo[zib_nl]['r4'])
        for r in rows:
            if r['datatype'] not in ('CD', 'CO') or not r['fhir_r4']:
                continue
            targets = set()
            for oid in r['valuesets'].split():
                targets |= cm_targets.get(oid, set())
            extra = ['%s#%s' % (sd['id'], elid) for sd in r4_sds if sd['id'] in own
                     for elid, _, maps, vs in sd['elements']
                     if vs and vs.split('|')[0] in targets and any(m == r['concept_id'] for _, m in maps)]
            r['fhir_r4'] = ' '.join(uniq(r['fhir_r4'].split() + extra))

    mp9_r4_paths(zibrows)

    # ---------------- zib2017 concepts of another zib version
    # A zib zib2020 replaced (BehandelAanwijzing -> BehandelAanwijzing2):
    # the zib2017 concept's STU3 paths are the zib2020 concept's.
    for zib_nl, pairs in sorted(ZIB2017_AS_ZIB2020.items()):
        info = zibinfo[zib_nl]
        for new, old in sorted(pairs.items()):
            row = next((r for r in zibrows[zib_nl] if r['concept_id'] == new), None)
            hits = [h for h in stu3_idx.get(old, []) if h[0] in info['stu3']]
            if row is None or not hits:
                die('zib2017 map: %s %s <- %s not found' % (zib_nl, new, old))
            row['fhir_stu3'] = ' '.join(uniq('%s#%s' % (h[0], h[1]) for h in hits))
    for zib_nl, paths in sorted(ZIB2017_PATHS.items()):
        for cid, lst in sorted(paths.items()):
            row = next((r for r in zibrows[zib_nl] if r['concept_id'] == cid), None)
            if row is None:
                die('zib2017 paths: %s %s not a concept' % (zib_nl, cid))
            row['fhir_stu3'] = ' '.join(lst)

    # ---------------- STU3 paths and CDA
    # zib2017 mappings that read the wrong element: nl-core-contactpoint maps
    # EmailSoort to ContactPoint.system as well, but system 'email' only says
    # the ContactPoint is an e-mail address; its kind is ContactPoint.use.
    # nl-core-organization maps Organization.name to LocatieNaam as well as to
    # OrganisatieNaam: one name read twice, and an OrganisatieLocatie group
    # for every Organization; a location's name is Location.name.
    stu3_not = {('NL-CM:20.6.8', 'nl-core-contactpoint#ContactPoint.system'),
                ('NL-CM:17.2.8', 'nl-core-organization#Organization.name')}
    generic_stu3 = {'nl-core-humanname', 'nl-core-address', 'nl-core-contactpoint',
                    'zib-ContactInformation', 'nl-core-address-official'}
    cda_templates_seen = {}
    for zib_nl, rows in zibrows.items():
        info = zibinfo[zib_nl]
        for r in rows:
            cid = r['concept_id']
            if not r['fhir_stu3']:
                hits = stu3_idx.get(cid, [])
                sel = [h for h in hits if h[0] in info['stu3']]
                if not sel:
                    sel = [h for h in hits if h[2].startswith(info['hcim'])]
                if not sel and cid.startswith('NL-CM:20.'):
                    sel = [h for h in hits if h[0] in generic_stu3]
                if is_reference_row(rows, r):
                    sel = [h for h in sel if '.' in h[1]]
                r['fhir_stu3'] = ' '.join(uniq('%s#%s' % (h[0], h[1]) for h in sel
                                               if (cid, '%s#%s' % (h[0], h[1])) not in stu3_not))
            cm = CDA_MAP.get((zib_nl, cid))
            if cm:
                r['cda_template'], r['cda_xpath'] = cm
                cda_templates_seen.setdefault(cm[0], []).append(zib_nl)
    stu3_renumbered(zibrows, zibinfo, stu3_idx)
    role_of_referenced(zibrows, zibinfo, r4_idx, stu3_idx)
    stu3_time_interval_extensions(zibrows, stu3_sds)
    stu3_type_profile_paths(zibrows, zibinfo, stu3_sds)
    for (zib_nl, cid), (tmpl, _) in CDA_MAP.items():
        if zib_nl not in zibrows or not any(r['concept_id'] == cid for r in zibrows[zib_nl]):
            die('CDA map: %s %s not a concept' % (zib_nl, cid))
    for tmpl in cda_templates_seen:
        if not glob.glob(os.path.join(VOCDIR, tmpl + '-*.sch')):
            die('CDA map: no schematron for template %s' % tmpl)

    # ---------------- write zib files
    for zib_nl, rows in zibrows.items():
        lines = ['\t'.join(ZIB_COLUMNS)]
        for r in rows:
            lines.append('\t'.join(clean(str(r[k])) for k in ZIB_COLUMNS))
        out['zibs/%s.tsv' % zib_nl] = '\n'.join(lines) + '\n'
    lines = ['\t'.join(BGZ_COLUMNS)]
    for r in bgz_rows:
        lines.append('\t'.join(clean(r[k]) for k in BGZ_COLUMNS))
    out['bgz.tsv'] = '\n'.join(lines) + '\n'
    out['VERSION'] = VERSION + '\n'

    # ---------------- value sets
    voc_cs = load_voc_codesystems()
    uri2oid = {}
    for oid, (uri, _) in sorted(voc_cs.items()):
        if uri and uri not in uri2oid:
            uri2oid[uri] = oid
    used = set()
    for rows in zibrows.values():
        for r in rows:
            used.update(r['valuesets'].split())
    vs_lines = []
    not_enum = []
    missing = []
    cs_used = {}
    for oid in sorted(used, key=oid_key):
        p = voc_file(oid, bindings.get(oid, set()))
        src = 'voc'
        if p:
            name, rows, ok, reason = parse_voc(p)
        else:
            p = fhir_vs_file(oid)
            if not p:
                missing.append(oid)
                continue
            src = 'fhir'
            name, rows, ok, reason = parse_fhir_vs(p, uri2oid)
        if not ok:
            not_enum.append('%s %s (%s)' % (oid, name, reason))
            continue
        seen = set()
        for code, cs, disp in rows:
            if (code, cs) in seen:
                continue
            seen.add((code, cs))
            vs_lines.append('\t'.join([oid, clean(name), clean(code), clean(cs), disp]))
            cs_used.setdefault(cs, name)
        if src == 'fhir':
            notes.append('%s from %s' % (oid, os.path.relpath(p, CORPUS)))
        else:
            # The R4 ValueSet may spell a code of the voc file otherwise
            # (RolCodelijst: voc "1", R4 "01", same code system and
            # display): both spellings are the set's.
            fp = fhir_vs_file(oid)
            by_disp = {(cs, disp.lower()) for _, cs, disp in rows if disp}
            alt = []
            if fp:
                _, frows, fok, _ = parse_fhir_vs(fp, uri2oid)
                alt = [(c, cs, d) for c, cs, d in frows if fok and (c, cs) not in seen
                       and d and (cs, d.lower()) in by_disp]
            for code, cs, disp in alt:
                seen.add((code, cs))
                vs_lines.append('\t'.join([oid, clean(name), clean(code), clean(cs), disp]))
            if alt:
                notes.append('%s also %d R4 spellings from %s' % (oid, len(alt), os.path.relpath(fp, CORPUS)))
    head = ['# value sets bound in zibs/*.tsv; source: cda-bgz2020 voc-*.xml (binding date, else DYNAMIC),',
            '# else the FHIR ValueSet of the R4 / STU3 profiles']
    head += ['# from FHIR: %s' % n for n in notes]
    head += ['# not enumerable: %s' % n for n in not_enum]
    head += ['# missing: %s (no voc file, no FHIR ValueSet)' % m for m in missing]
    out['valuesets.tsv'] = '\n'.join(head + ['\t'.join(VS_COLUMNS)] + vs_lines) + '\n'

    # ---------------- code systems
    r4_cs = {}
    for p in sorted(glob.glob(os.path.join(R4DIR, '*', 'terminology', 'CodeSystem-*.xml'))):
        root = ET.parse(p).getroot()
        url = fval(root, 'url')
        name = fval(root, 'title') or fval(root, 'name')
        for ident in root.findall(FHIR + 'identifier'):
            v = fval(ident, 'value') or ''
            if v.startswith('urn:oid:'):
                r4_cs.setdefault(v[8:], (url, name))
    fixed = {'2.16.840.1.113883.6.96': ('http://snomed.info/sct', None),
             '2.16.840.1.113883.6.1': ('http://loinc.org', None),
             '2.16.840.1.113883.6.8': ('http://unitsofmeasure.org', None),
             '2.16.840.1.113883.5.1008': ('http://terminology.hl7.org/CodeSystem/v3-NullFlavor', None)}
    cs_lines = []
    for oid in fixed:
        cs_used.setdefault(oid, '')
    # Every code system the sources declare, not only those of enumerable
    # value sets: an ICD-10-NL, ICPC, ATC or G-Standaard code is then known
    # (no ZIB-VS-002) though its value set cannot be listed.
    for oid in sorted(set(cs_used) | set(voc_cs) | set(r4_cs), key=oid_key):
        uri, name = voc_cs.get(oid, ('', ''))
        if not uri and oid in r4_cs:
            uri, name = r4_cs[oid][0] or '', name or r4_cs[oid][1] or ''
        if not name and oid in r4_cs:
            name = r4_cs[oid][1] or ''
        uri = uri or 'urn:oid:' + oid
        if oid == '2.16.840.1.113883.6.8' and not name:
            name = 'Unified Code for Units of Measure'
        if oid in fixed and uri != fixed[oid][0]:
            die('code system %s: uri %s, expected %s' % (oid, uri, fixed[oid][0]))
        cs_lines.append('\t'.join([oid, clean(uri), clean(name)]))
        # FHIR STU3 (zib2017) names the HL7 v2/v3 code systems by their
        # older urls: an alias row after the R4 one (readers keep the first
        # row of an oid for oid -> uri).
        for r4pre, stu3pre in (('http://terminology.hl7.org/CodeSystem/v3-', 'http://hl7.org/fhir/v3/'),
                               ('http://terminology.hl7.org/CodeSystem/v2-', 'http://hl7.org/fhir/v2/')):
            if uri.startswith(r4pre):
                cs_lines.append('\t'.join([oid, stu3pre + uri[len(r4pre):], clean(name)]))
    out['codesystems.tsv'] = '\n'.join(['\t'.join(CS_COLUMNS)] + cs_lines) + '\n'
    return out


def validate(out):
    """Self checks of the generated tables; raise on error."""
    errs = []
    for path, text in out.items():
        if not path.endswith('.tsv'):
            continue
        lines = [l for l in text.split('\n')[:-1] if not l.startswith('#')]
        ncol = len(lines[0].split('\t'))
        for i, l in enumerate(lines):
            if len(l.split('\t')) != ncol or '\r' in l:
                errs.append('%s: bad line %d' % (path, i))
    bgz = [dict(zip(BGZ_COLUMNS, l.split('\t'))) for l in out['bgz.tsv'].split('\n')[1:-1]]
    for b in bgz:
        p = 'zibs/%s.tsv' % b['zib_nl']
        if p not in out:
            errs.append('no file for %s' % b['zib_nl'])
            continue
        rows = [dict(zip(ZIB_COLUMNS, l.split('\t'))) for l in out[p].split('\n')[1:-1]]
        roots = [r for r in rows if r['depth'] == '0']
        if len(roots) != 1 or rows[0]['depth'] != '0' or roots[0]['concept_id'] != b['root_concept']:
            errs.append('%s: root mismatch' % p)
        prev = -1
        for r in rows:
            d = int(r['depth'])
            if d > prev + 1:
                errs.append('%s: depth jump at %s' % (p, r['concept_id']))
            prev = d
            if not NLCM_RE.match(r['concept_id']):
                errs.append('%s: bad id %s' % (p, r['concept_id']))
            if not re.match(r'^[0-9]+\.\.([0-9]+|\*)$', r['card']):
                errs.append('%s: bad card %s' % (p, r['card']))
            if r['datatype'] not in DATATYPES:
                errs.append('%s: bad datatype %s' % (p, r['datatype']))
            if not r['name_nl']:
                errs.append('%s: no name for %s' % (p, r['concept_id']))
    if errs:
        die('\n'.join(errs))


def main(argv):
    check = '--check' in argv[1:]
    if not os.path.isdir(SHARED):
        print('cannot find ../shared (%s); skipping' % SHARED, file=sys.stderr)
        return 77
    try:
        out = build()
        validate(out)
    except SourceError as e:
        print('generate.py: %s' % e, file=sys.stderr)
        return 2
    if check:
        bad = []
        for path, text in sorted(out.items()):
            fp = os.path.join(HERE, path)
            try:
                with open(fp, encoding='utf-8', newline='') as f:
                    if f.read() != text:
                        bad.append(path)
            except OSError:
                bad.append(path)
        for fp in sorted(glob.glob(os.path.join(HERE, 'zibs', '*.tsv'))):
            rel = 'zibs/' + os.path.basename(fp)
            if rel not in out:
                bad.append(rel + ' (not generated)')
        if bad:
            print('zib-models out of date: %s' % ' '.join(bad), file=sys.stderr)
            return 1
        return 0
    os.makedirs(os.path.join(HERE, 'zibs'), exist_ok=True)
    for path, text in sorted(out.items()):
        with open(os.path.join(HERE, path), 'w', encoding='utf-8', newline='') as f:
            f.write(text)
    for fp in sorted(glob.glob(os.path.join(HERE, 'zibs', '*.tsv'))):
        if 'zibs/' + os.path.basename(fp) not in out:
            os.remove(fp)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
