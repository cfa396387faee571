#!/usr/bin/env python3
"""Writes a Bundle of core constraint StructureDefinitions (extension
definitions, SimpleQuantity, MoneyQuantity) without their snapshots, url
suffixed with -regen, and a TSV of the shipped snapshots' element id, min,
max and type codes, so t6100 can compare what fhirdef generates."""
import json, sys
core, out_bundle, out_tsv = sys.argv[1], sys.argv[2], sys.argv[3]
entries, rows = [], []
for name in ("extension-definitions.json", "profiles-types.json"):
    for e in json.load(open(f"{core}/{name}"))["entry"]:
        r = e["resource"]
        if r["resourceType"] != "StructureDefinition" or r.get("derivation") != "constraint":
            continue
        if "snapshot" not in r or "differential" not in r:
            continue
        url = r["url"] + "-regen"
        for el in r["snapshot"]["element"]:
            types = "|".join(t["code"] for t in el.get("type", []))
            rows.append(f'{url}\t{el["id"]}\t{el.get("min")}\t{el.get("max")}\t{types}')
        r = dict(r)
        del r["snapshot"]
        r["url"] = url
        entries.append({"resource": r})
json.dump({"resourceType": "Bundle", "type": "collection", "entry": entries}, open(out_bundle, "w"))
open(out_tsv, "w").write("\n".join(rows) + "\n")
