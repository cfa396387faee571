#!/usr/bin/env python3
"""Edited copies of the three Nictiz BgZ 2020 example CDA documents, the
way real exports go wrong (issue 21) and the way they harmlessly differ.

    python3 tests/strict_edits.py CORPUS_DIR OUT_DIR [tune|held]

CORPUS_DIR is ../shared/corpus/cda-bgz2020.  Writes OUT_DIR/<edit>--<doc>
for every edit that applies to a document, and OUT_DIR/manifest.tsv:
file, source document, kind, expected outcome.  Kinds:

  harmful   must get a new error (compared with the unedited document)
  harmless  must get no new error
  relaxed   the zib requires the value but the BgZ transaction relaxes it
            (zib-models/bgz-transaction.tsv): a new warning, by the policy
  allowed   the issue lists it as harmful, but the zib allows it: no new
            error (the reason is given per edit below)

The `tune` set is what the rules were tuned on; the `held` set was kept
aside and run once at the end (tests/t3100-strict-edits.sh runs both).
An edit that no longer finds its text in a document it is written for is
an error of this script (exit 1), so a corpus change cannot hide an edit.
"""
import os
import re
import sys

MAIN, TEST, NYV = 'xml-BgZ2020.xml', 'xml-BgZ2020-test.xml', 'xml-BgZ2020-notyetvalid.xml'
ALL = (MAIN, TEST, NYV)
VITALS = (MAIN, NYV)     # the documents with weight, height, blood pressure

BSN_ID = '<id extension="950034253" root="2.16.840.1.113883.2.4.6.3"/>'
WEIGHT = '<value xsi:type="PQ" value="75" unit="kg"/>'
HEIGHT = '<value xsi:type="PQ" value="177" unit="cm"/>'
DIASTOLIC = '<value xsi:type="PQ" value="1"/>'
ALCOHOL = '<value xsi:type="PQ" value="1" unit="L/d"/>'
NL_HEADER = '<templateId root="2.16.840.1.113883.2.4.6.10.100001"/>'
DOC_TIME = '<effectiveTime value="20171101125600"/>'
BIRTH = '<birthTime value="19320924"/>'
ALCOHOL_STATUS = ('<value xsi:type="CD" code="783261004" displayName="Lifetime non-drinker of alcohol" '
                  'codeSystem="2.16.840.1.113883.6.96" codeSystemName="SNOMED CT"/>')
DRUG_STATUS = '<value xsi:type="CD" code="417284009" displayName="Current drug user" codeSystem="2.16.840.1.113883.6.96"/>'
HOUSE_TYPE = ('<value xsi:type="CD" code="BOVENW" codeSystem="2.16.840.1.113883.2.4.3.11.60.40.4.13.1" '
              'displayName="Bovenwoning"/>')
LANGUAGE = '<languageCode code="nl-NL"/>'


def sub(old, new):
    """An edit replacing the first occurrence of old."""
    return lambda text: text.replace(old, new, 1) if old in text else None


def whole(fn):
    """An edit of the whole text; None when it changes nothing."""
    def edit(text):
        out = fn(text)
        return out if out != text else None
    return edit


# (name, kind, documents, edit)
TUNE = [
    ('unit-lb', 'harmful', VITALS, sub(WEIGHT, WEIGHT.replace('"kg"', '"lb"'))),
    ('unit-mmHg', 'harmful', ALL, sub(ALCOHOL, ALCOHOL.replace('"L/d"', '"mmHg"'))),
    ('weight-in-cm', 'harmful', VITALS, sub(WEIGHT, WEIGHT.replace('"kg"', '"cm"'))),
    ('height-in-kg', 'harmful', VITALS, sub(HEIGHT, HEIGHT.replace('"cm"', '"kg"'))),
    ('weight-no-unit', 'harmful', VITALS, sub(WEIGHT, WEIGHT.replace(' unit="kg"', ''))),
    ('drug-status-removed', 'harmful', (MAIN,), sub(DRUG_STATUS, '')),
    ('patient-id-agb', 'harmful', ALL, sub(BSN_ID, BSN_ID.replace('2.16.840.1.113883.2.4.6.3', '2.16.840.1.113883.2.4.6.1'))),
    ('patient-id-null', 'harmful', ALL, sub(BSN_ID, '<id nullFlavor="NI"/>')),
    ('birthtime-null', 'harmful', ALL, sub(BIRTH, '<birthTime nullFlavor="UNK"/>')),
    ('nl-header-removed', 'harmful', ALL, sub(NL_HEADER, '')),
    ('doc-time-null', 'harmful', ALL, sub(DOC_TIME, '<effectiveTime nullFlavor="NI"/>')),
    # zib AlcoholGebruikStatus is 1..1, the transaction's value 0..1 R.
    ('alcohol-status-removed', 'relaxed', ALL, sub(ALCOHOL_STATUS, '')),
    # zib2020 Woonsituatie: WoningType 0..1 (zib, ADA schema, transaction 0..1 R).
    ('housetype-removed', 'allowed', VITALS, sub(HOUSE_TYPE, '')),
    # zib-BodyHeight binds ucum-bodylength (cm, [in_i]) as required.
    ('height-in-inch', 'allowed', VITALS, sub(HEIGHT, '<value xsi:type="PQ" value="69.7" unit="[in_i]"/>')),

    ('reindent-tabs', 'harmless', ALL, whole(lambda t: re.sub(r'(?m)^((?:    )+)', lambda m: '\t' * (len(m.group(1)) // 4), t))),
    ('attr-order-id', 'harmless', ALL, sub(BSN_ID, '<id root="2.16.840.1.113883.2.4.6.3" extension="950034253"/>')),
    ('attr-order-pq', 'harmless', VITALS, sub(WEIGHT, '<value unit="kg" value="75" xsi:type="PQ"/>')),
    ('comment-added', 'harmless', ALL, whole(lambda t: t.replace('<entry typeCode="DRIV">', '<entry typeCode="DRIV"><!-- edited -->'))),
    ('charref-unit', 'harmless', VITALS, sub(WEIGHT, WEIGHT.replace('"kg"', '"&#107;g"'))),
    ('charref-display', 'harmless', VITALS, sub(HOUSE_TYPE, HOUSE_TYPE.replace('Bovenwoning', 'Bovenwo&#x6E;ing'))),
    ('decimal-form', 'harmless', VITALS, sub(WEIGHT, WEIGHT.replace('"75"', '"75.0"'))),
    ('weight-in-g', 'harmless', VITALS, sub(WEIGHT, '<value xsi:type="PQ" value="75000" unit="g"/>')),
    ('empty-element-form', 'harmless', ALL, sub(BIRTH, '<birthTime value="19320924"></birthTime>')),
    ('prefixed-element', 'harmless', ALL, whole(lambda t: re.sub(r'<title>([^<]*)</title>',
        r'<hl7:title xmlns:hl7="urn:hl7-org:v3">\1</hl7:title>', t, count=1))),
    ('set-id-added', 'harmless', ALL, sub(LANGUAGE, LANGUAGE + '<setId extension="b732" root="2.16.840.1.113883.19.25"/>'
                                          '<versionNumber value="1"/>')),
    ('second-patient-id', 'harmless', ALL, sub(BSN_ID, BSN_ID + '<id extension="12345" root="2.16.840.1.113883.19.5.99"/>')),
]

HELD = [
    ('unit-pound-ucum', 'harmful', VITALS, sub(WEIGHT, WEIGHT.replace('"kg"', '"[lb_av]"'))),
    ('unit-inch-word', 'harmful', VITALS, sub(HEIGHT, HEIGHT.replace('"cm"', '"inch"'))),
    ('diastolic-mmHg', 'harmful', VITALS, sub(DIASTOLIC, DIASTOLIC.replace('/>', ' unit="mmHg"/>'))),
    ('height-in-s', 'harmful', VITALS, sub(HEIGHT, HEIGHT.replace('"cm"', '"s"'))),
    ('height-no-unit', 'harmful', VITALS, sub(HEIGHT, HEIGHT.replace(' unit="cm"', ''))),
    ('weight-removed', 'harmful', VITALS, sub(WEIGHT, '')),
    ('patient-id-ura', 'harmful', ALL, sub(BSN_ID, BSN_ID.replace('2.16.840.1.113883.2.4.6.3', '2.16.528.1.1007.3.3'))),
    ('patient-id-uzi', 'harmful', ALL, sub(BSN_ID, BSN_ID.replace('2.16.840.1.113883.2.4.6.3', '2.16.528.1.1007.3.1'))),
    ('patient-id-unk', 'harmful', ALL, sub(BSN_ID, '<id nullFlavor="UNK"/>')),
    ('birthtime-ni', 'harmful', ALL, sub(BIRTH, '<birthTime nullFlavor="NI"/>')),
    ('nl-header-typo', 'harmful', ALL, sub(NL_HEADER, NL_HEADER.replace('100001', '100002'))),
    ('doc-time-unk', 'harmful', ALL, sub(DOC_TIME, '<effectiveTime nullFlavor="UNK"/>')),

    ('comments-removed', 'harmless', ALL, whole(lambda t: re.sub(r'<!--.*?-->', '', t, flags=re.S))),
    ('crlf', 'harmless', ALL, whole(lambda t: t.replace('\n', '\r\n'))),
    ('attr-order-birth', 'harmless', ALL, sub(BIRTH, '<birthTime  value = "19320924" />')),
    ('charref-title', 'harmless', ALL, whole(lambda t: re.sub(r'<title>B', '<title>&#66;', t, count=1))),
    ('alcohol-id-added', 'harmless', ALL, sub('<templateId root="2.16.840.1.113883.2.4.3.11.60.121.10.2"/>',
        '<templateId root="2.16.840.1.113883.2.4.3.11.60.121.10.2"/><id root="1.2.3.999" extension="added"/>')),
    ('height-exponent', 'harmless', VITALS, sub(HEIGHT, HEIGHT.replace('"177"', '"1.77e2"'))),
    ('blank-lines', 'harmless', ALL, whole(lambda t: t.replace('</entry>', '</entry>\n\n'))),
]


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ('tune', 'held'):
        sys.exit('usage: strict_edits.py CORPUS_DIR OUT_DIR tune|held')
    corpus, out, which = sys.argv[1:]
    edits = TUNE if which == 'tune' else HELD
    rows = []
    for name, kind, docs, edit in edits:
        for doc in docs:
            with open(os.path.join(corpus, doc), encoding='utf-8', newline='') as f:
                text = f.read()
            new = edit(text)
            if new is None:
                sys.exit('strict_edits.py: edit %s does not apply to %s' % (name, doc))
            target = '%s--%s' % (name, doc)
            with open(os.path.join(out, target), 'w', encoding='utf-8', newline='') as f:
                f.write(new)
            rows.append((target, doc, kind))
    with open(os.path.join(out, 'manifest.tsv'), 'w', encoding='utf-8') as f:
        for r in rows:
            f.write('\t'.join(r) + '\n')


if __name__ == '__main__':
    main()
