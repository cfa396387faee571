#!/usr/bin/env python3
"""Generates the compiled-in R4 core rules of the FHIR validator
(lib/fhirval/core_r4.c): for each element of the base resources and
datatypes that has a minimum cardinality, a binding or Reference targets,
one row; and the local expansion of every value set a required binding
names.

Usage: gen-fhirval-core.py DEFS_DIR > lib/fhirval/core_r4.c
   e.g. gen-fhirval-core.py ../shared/corpus/fhir-r4-core

DEFS_DIR holds profiles-types.json, profiles-resources.json, valuesets.json
and v3-codesystems.json of FHIR 4.0.1.  A value set is expanded from its
compose: whole code systems that are defined locally, concept lists, and
imported value sets; one that includes a system not defined locally (or a
filter) is marked incomplete, and a code outside it is "not checked".  Run
at development time only: the output is committed.
"""
import json
import os
import sys

STRENGTH = {"required": 1, "extensible": 2}
BINDABLE = {"code", "Coding", "CodeableConcept"}


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def concepts(cs_concepts, out):
    for c in cs_concepts or []:
        out.append(c["code"])
        concepts(c.get("concept"), out)


def expand(url, vsets, csys, seen):
    """Returns (list of (system, code), complete)."""
    vs = vsets.get(url)
    if vs is None or url in seen:
        return [], False
    seen = seen | {url}
    codes, complete = [], True
    compose = vs.get("compose", {})
    for inc in compose.get("include", []):
        system = inc.get("system")
        for imp in inc.get("valueSet", []):
            c, ok = expand(imp.split("|")[0], vsets, csys, seen)
            codes += c
            complete = complete and ok
        if not system:
            continue
        if "filter" in inc:
            complete = False
            continue
        if "concept" in inc:
            codes += [(system, c["code"]) for c in inc["concept"]]
            continue
        cs = csys.get(system)
        if cs is None or cs.get("content") not in ("complete", None):
            complete = False
            continue
        lst = []
        concepts(cs.get("concept"), lst)
        codes += [(system, c) for c in lst]
    if compose.get("exclude"):
        ex = set()
        for inc in compose["exclude"]:
            for c in inc.get("concept", []):
                ex.add((inc.get("system"), c["code"]))
        codes = [c for c in codes if c not in ex]
    return list(dict.fromkeys(codes)), complete


def main():
    ddir = sys.argv[1]
    vsets, csys = {}, {}
    for name in ("valuesets.json", "v3-codesystems.json"):
        for e in load(os.path.join(ddir, name)).get("entry", []):
            r = e["resource"]
            if r["resourceType"] == "ValueSet":
                vsets[r["url"]] = r
            elif r["resourceType"] == "CodeSystem":
                csys[r["url"]] = r
    rows, vs_index, vs_list = [], {}, []
    for name in ("profiles-types.json", "profiles-resources.json"):
        for e in load(os.path.join(ddir, name)).get("entry", []):
            r = e["resource"]
            if r.get("resourceType") != "StructureDefinition" or "snapshot" not in r:
                continue
            if r.get("derivation") == "constraint" or r.get("kind") == "logical":
                continue
            if r["type"] in ("Element", "BackboneElement"):
                continue
            root = r["snapshot"]["element"][0]["path"]
            for el in r["snapshot"]["element"][1:]:
                path = el["path"]
                if el.get("max") == "0":
                    continue
                parent, _, ename = path.rpartition(".")
                types = [t.get("code") for t in el.get("type", [])]
                mn = el.get("min", 0)
                strength, vs = 0, -1
                b = el.get("binding")
                if b and b.get("strength") in STRENGTH and b.get("valueSet") and \
                        set(types) & BINDABLE:
                    url = b["valueSet"].split("|")[0]
                    if url not in vs_index:
                        codes, complete = expand(url, vsets, csys, frozenset())
                        vs_index[url] = len(vs_list)
                        vs_list.append((url, codes, complete))
                    strength, vs = STRENGTH[b["strength"]], vs_index[url]
                targets = []
                for t in el.get("type", []):
                    if t.get("code") == "Reference":
                        for p in t.get("targetProfile", []):
                            targets.append(p.rsplit("/", 1)[1])
                if mn == 0 and not strength and not targets:
                    continue
                rows.append((r["type"] + parent[len(root):], ename, mn, strength, vs,
                             "|".join(targets)))
    rows.sort(key=lambda x: (x[0], x[1]))
    out = sys.stdout
    out.write("/*\n * FHIR 4.0.1 core rules for the validator, generated by\n"
              " * tools/gen-fhirval-core.py from the official definitions.  Do not\n"
              " * edit: regenerate.\n */\n#include \"fhirval/core.h\"\n\n")
    for i, (url, codes, complete) in enumerate(vs_list):
        out.write("static const char *const vs%d[] = {" % i)
        for s, c in codes:
            out.write("\n\t%s," % c_str(s + "|" + c))
        out.write("\n\tNULL\n};\n")
    out.write("\nconst struct fv_valueset fv_core_valuesets[] = {\n")
    for i, (url, codes, complete) in enumerate(vs_list):
        out.write("\t{ %s, vs%d, %d, %d },\n" % (c_str(url), i, len(codes), 1 if complete else 0))
    out.write("};\nconst size_t fv_core_nvaluesets = %d;\n\n" % len(vs_list))
    out.write("const struct fv_rule fv_core_rules[] = {\n")
    for parent, ename, mn, strength, vs, targets in rows:
        out.write("\t{ %s, %s, %d, %d, %d, %s },\n" % (c_str(parent), c_str(ename), mn,
                  strength, vs, c_str(targets) if targets else "NULL"))
    out.write("};\nconst size_t fv_core_nrules = %d;\n" % len(rows))


if __name__ == "__main__":
    main()
