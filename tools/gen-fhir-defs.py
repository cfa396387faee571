#!/usr/bin/env python3
"""Generates the compiled-in FHIR structure table (lib/fhir/defs_<ver>.c).

Usage: gen-fhir-defs.py VERSION_TAG DEFS_DIR > lib/fhir/defs_r4.c
   e.g. gen-fhir-defs.py r4 ../shared/corpus/fhir-r4-core

DEFS_DIR holds the official profiles-types.json and profiles-resources.json
(the StructureDefinition snapshots of one FHIR release).  The output lists,
per complex type, resource and inline (backbone) element, its elements in
the order the specification defines, with max cardinality, kind and type;
choice elements (value[x]) are expanded into one row per type (valueString,
valueQuantity, ...).  Run at development time only: the output is
committed, so building needs neither python3 nor the definitions.  A STU3
table is made the same way from the STU3 definitions (tag "stu3").
"""
import json
import os
import sys

NUMBER_INT = {"integer", "positiveInt", "unsignedInt", "integer64"}
SYSTEM_TYPES = {
    "http://hl7.org/fhirpath/System.String": "string",
    "http://hl7.org/fhirpath/System.Boolean": "boolean",
    "http://hl7.org/fhirpath/System.Integer": "integer",
    "http://hl7.org/fhirpath/System.Decimal": "decimal",
    "http://hl7.org/fhirpath/System.Date": "date",
    "http://hl7.org/fhirpath/System.DateTime": "dateTime",
    "http://hl7.org/fhirpath/System.Time": "time",
}


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def type_code(t):
    code = t.get("code")
    if code is None:
        # STU3 primitive value elements carry the type in an extension.
        for x in t.get("_code", {}).get("extension", []):
            if "valueString" in x:
                return x["valueString"]
        return "string"
    if code in SYSTEM_TYPES:
        for x in t.get("extension", []):
            if x.get("url", "").endswith("structuredefinition-fhir-type"):
                return x.get("valueUrl") or x.get("valueUri") or SYSTEM_TYPES[code]
        return SYSTEM_TYPES[code]
    return code


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen-fhir-defs.py TAG DEFS_DIR")
    tag, ddir = sys.argv[1], sys.argv[2]
    sds = []
    version = "?"
    for name in ("profiles-types.json", "profiles-resources.json"):
        bundle = load(os.path.join(ddir, name))
        for e in bundle.get("entry", []):
            r = e.get("resource", {})
            if r.get("resourceType") != "StructureDefinition":
                continue
            if r.get("derivation") == "constraint" or "snapshot" not in r:
                continue
            version = r.get("fhirVersion", version)
            sds.append(r)

    primitives = {r["type"] for r in sds if r.get("kind") == "primitive-type"}
    complex_types = {}
    resources = set()
    for r in sds:
        kind = r.get("kind")
        if kind == "complex-type" and r["type"] not in ("Element", "BackboneElement"):
            complex_types[r["type"]] = r
        elif kind == "resource" and not r.get("abstract"):
            complex_types[r["type"]] = r
            resources.add(r["type"])

    # types: name -> list of element rows (attributes first, then as defined)
    types = {}
    for tname, r in complex_types.items():
        elements = r["snapshot"]["element"]
        by_parent = {}
        for el in elements:
            path = el["path"]
            if "." not in path:
                continue
            parent, _, name = path.rpartition(".")
            by_parent.setdefault(parent, []).append(el)
        for parent, els in by_parent.items():
            tn = tname if parent == elements[0]["path"] else tname + parent[len(elements[0]["path"]):]
            rows_attr, rows = [], []
            for el in els:
                name = el["path"].rpartition(".")[2]
                max_ = el.get("max", "1")
                repeats = 1 if max_ != "1" and max_ != "0" else 0
                if max_ == "0":
                    continue
                is_attr = "xmlAttr" in el.get("representation", [])
                if "contentReference" in el:
                    ref = el["contentReference"].lstrip("#")
                    root = elements[0]["path"]
                    target = tname + ref[len(root):]
                    rows.append((name, "COMPLEX", "STRING", repeats, 0, target, "BackboneElement"))
                    continue
                tlist = [type_code(t) for t in el.get("type", [])]
                choice = name.endswith("[x]")
                base = name[:-3] if choice else name
                for code in tlist:
                    ename = base + code[0].upper() + code[1:] if choice else base
                    if code in ("BackboneElement", "Element") and el["path"] in by_parent:
                        row = (ename, "COMPLEX", "STRING", repeats, choice, tname + el["path"][len(elements[0]["path"]):], code)
                    elif code == "xhtml":
                        row = (ename, "XHTML", "STRING", repeats, choice, None, code)
                    elif code == "Resource" or code in resources:
                        row = (ename, "RESOURCE", "STRING", repeats, choice, None, code)
                    elif code in primitives or code in SYSTEM_TYPES.values():
                        if code == "boolean":
                            p = "BOOLEAN"
                        elif code == "decimal":
                            p = "DECIMAL"
                        elif code in NUMBER_INT:
                            p = "INTEGER"
                        else:
                            p = "STRING"
                        row = (ename, "ATTR" if is_attr else "PRIM", p, repeats, choice, None, code)
                    elif code in complex_types:
                        row = (ename, "COMPLEX", "STRING", repeats, choice, code, code)
                    else:
                        sys.exit("%s: unknown type '%s'" % (el["path"], code))
                    (rows_attr if is_attr else rows).append(row)
            types[tn] = (tn in resources, rows_attr + rows)

    names = sorted(types)
    index = {n: i for i, n in enumerate(names)}
    out = sys.stdout
    out.write("/*\n * FHIR %s structure table, generated by tools/gen-fhir-defs.py from the\n"
              " * official StructureDefinition snapshots (profiles-types.json,\n"
              " * profiles-resources.json).  Do not edit: regenerate.\n */\n" % version)
    out.write('#include "fhir/defs.h"\n\n')
    out.write("static const struct fhir_elem elems[] = {\n")
    first = {}
    n = 0
    for tn in names:
        first[tn] = n
        out.write("\t/* %s */\n" % tn)
        for (ename, kind, prim, repeats, choice, target, code) in types[tn][1]:
            tidx = index[target] if target else -1
            if target and target not in index:
                sys.exit("%s.%s: no type '%s'" % (tn, ename, target))
            out.write('\t{ "%s", "%s", %d, FHIR_K_%s, FHIR_P_%s, %d, %d },\n'
                      % (ename, code, tidx, kind, prim, repeats, 1 if choice else 0))
            n += 1
    out.write("};\n\nstatic const struct fhir_type types[] = {\n")
    for tn in names:
        out.write('\t{ "%s", %d, %d, %d },\n' % (tn, 1 if types[tn][0] else 0, first[tn], len(types[tn][1])))
    out.write("};\n\nconst struct fhir_defs fhir_defs_%s = {\n\t\"%s\", types, %d, elems, %d\n};\n"
              % (tag, version, len(names), n))


if __name__ == "__main__":
    main()
