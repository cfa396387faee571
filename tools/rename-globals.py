#!/usr/bin/env python3
"""Give every unprefixed external symbol of libzib its module's prefix.

tests/t0005-prefixes.sh wants every external symbol of lib/MODULE/FILE.c to
start with zib_, MODULE_ (or xp_/fp_/fv_, or FILE_ for core and model); the
names that do not yet are in its allow-list.  This maintenance tool (not part
of the build) renames them so the list can go:

  rule     a name defined in lib/MODULE/FILE.c becomes MODULE_NAME
           (child -> fhir_child, concept_child -> model_concept_child),
           one rule for every module, which t0005 always accepts;
           CHOSEN lists the exceptions (MODULE_NAME taken).
  finding  the names and their defining files come from nm over
           BUILD/lib/*/*.o with t0005's own test, so build first (make -j1).
  scope    a name is rewritten only in files that can see the global: its
           defining file, the files that declare it at file scope (a
           non-static line in column 0 naming it before any '('), and the
           files that include such a declaring header, directly or through
           other headers.  Other files keep their own locals and members of
           the same name (json_read.c's struct jv *child, for one).
  tokens   whole identifiers in code, except after '.' or '->' (a member);
           never inside string or character literals; in comments only a
           name with '_' or one followed by '(' at once (so "the child
           (x) element" stays English).
  mentions elsewhere, a name with '_' (never an English word) is renamed
           in the comments of any other source file whose code does not
           use that word, and as `NAME` or `NAME()` in the *.md files
           (not CHANGELOG.md, which is history).
  makers   a renamed name in a generated file (its head says "Generated
           by PATH.py") is renamed in PATH.py too, so a regeneration keeps it.
  list     the renamed names leave t0005's allow-list, with comment blocks
           that no longer head any name; counts in them are updated.

A name whose new name already occurs in the sources is left alone and
reported (CHOSEN below then names it by hand).  Running it again finds
nothing unprefixed and changes nothing.

  make -j1 && python3 tools/rename-globals.py [-n] [--build DIR]
  make -j1 && make test

-n only prints the plan (names, new names, files).
"""
import argparse
import glob
import os
import re
import subprocess
import sys

TEST = "tests/t0005-prefixes.sh"
SOURCE_GLOBS = ["lib/*/*.c", "lib/*/*.h", "tests/unit/*.c", "tests/unit/*.h",
                "bench/*.c", "fuzz/*.c", "tools/*.c"]
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Where MODULE_NAME is taken, the new name is chosen here.
CHOSEN = {
    # fhir_node_path (lib/fhir/tree.c) writes a node's path into a buffer;
    # this one, in lib/fhir/zib_read.c, keeps it in the reader's document.
    "node_path": "fhir_reader_node_path",
}


def accepted(sym, mod, file):
    """t0005's rule, word for word (tests/t0005-prefixes.sh, the awk part)."""
    if sym.startswith("__") or sym.startswith("zib_") or sym.startswith(mod + "_"):
        return True
    prefix = {"xpath2": "xp_", "fhirpath": "fp_", "fhirval": "fv_"}.get(mod)
    if prefix and sym.startswith(prefix):
        return True
    if mod in ("core", "model"):
        first = file.split("_")[0]
        if sym.startswith(file + "_") or sym.startswith(first + "_"):
            return True
    return False


def unprefixed(build):
    """{name: (module, file)} for every external name t0005 would reject."""
    objs = sorted(glob.glob(os.path.join(build, "lib", "*", "*.o")))
    if not objs:
        sys.exit("rename-globals: no objects in %s/lib; run make -j1 first" % build)
    found = {}
    for o in objs:
        mod = os.path.basename(os.path.dirname(o))
        file = os.path.basename(o)[:-2]
        src = "lib/%s/%s.c" % (mod, file)
        if not os.path.isfile(src):
            continue   # an object left from a removed source
        if os.path.getmtime(o) < os.path.getmtime(src):
            sys.exit("rename-globals: %s is older than %s; run make -j1 first" % (o, src))
        out = subprocess.run(["nm", "-g", "--defined-only", o], check=True,
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) == 3 and not accepted(f[2], mod, file):
                if f[2] in found:
                    sys.exit("rename-globals: %s defined twice" % f[2])
                found[f[2]] = (mod, file)
    return found


def split_c(text):
    """The text as (kind, piece) with kind code, comment or literal."""
    parts, i, n, start = [], 0, len(text), 0
    while i < n:
        c = text[i]
        if c == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
        elif c == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
        elif c in "\"'":
            end = i + 1
            while end < n and text[end] != c and text[end] != "\n":
                end += 2 if text[end] == "\\" else 1
            end = min(end + 1, n)
        else:
            i += 1
            continue
        if start < i:
            parts.append(("code", text[start:i]))
        parts.append(("comment" if c == "/" else "literal", text[i:end]))
        i = start = end
    if start < n:
        parts.append(("code", text[start:]))
    return parts


def code_only(text):
    """The text with comments and literals blanked (line structure kept)."""
    return "".join(p if k == "code" else re.sub(r"[^\n]", " ", p)
                   for k, p in split_c(text))


def rename_text(text, names):
    """Rename the tokens in names (old -> new) as the module docstring says."""
    out, prev = [], ""   # prev: the code before the current piece, for '.'/'->'
    for kind, piece in split_c(text):
        if kind == "literal":
            out.append(piece)
            continue

        def sub(m, piece=piece, kind=kind):
            new = names.get(m.group(0))
            if new is None:
                return m.group(0)
            if kind == "comment":
                named = "_" in m.group(0) or piece[m.end():].startswith("(")
                return new if named else m.group(0)
            before = (prev + piece[:m.start()]).rstrip()
            if before.endswith(".") or before.endswith("->"):
                return m.group(0)
            return new
        out.append(IDENT.sub(sub, piece))
        if kind == "code":
            prev = (prev + piece)[-64:]
    return "".join(out)


def includes(path, text):
    """The project files path includes, as paths from the root."""
    found = []
    for inc in re.findall(r'^\s*#\s*include\s+"([^"]+)"', text, re.M):
        for cand in (os.path.join(os.path.dirname(path), inc), os.path.join("lib", inc)):
            cand = os.path.normpath(cand)
            if os.path.isfile(cand):
                found.append(cand)
                break
    return found


def scope_of(name, defining, texts, incs, code):
    """The files in which name is the global (see the docstring)."""
    # a declaration of name itself: no '(' before it (else a parameter)
    word = re.compile(r"^(?!static\b)[A-Za-z_][^(\n]*\b%s\s*[(\[=;]" % re.escape(name), re.M)
    declaring = {p for p in texts if word.search(code[p])} | {defining}
    headers = {p for p in declaring if p.endswith(".h")}
    grew = True
    while grew:   # headers that include a declaring header, at any depth
        more = {p for p in texts if p.endswith(".h") and p not in headers
                and any(i in headers for i in incs[p])}
        headers |= more
        grew = bool(more)
    return declaring | {p for p in texts if any(i in headers for i in incs[p])}


def rename_mentions(text, names):
    """Rename names (old -> new) in the comments of text only."""
    out = []
    for kind, piece in split_c(text):
        if kind == "comment":
            piece = IDENT.sub(lambda m: names.get(m.group(0), m.group(0)), piece)
        out.append(piece)
    return "".join(out)


def maker_of(text):
    """The generator a generated C file names in its head, or None."""
    m = re.search(r"[Gg]enerated by\s+(?:\*\s+)?(\S+\.py)\b", text[:400])
    return m.group(1) if m and os.path.isfile(m.group(1)) else None


def rewrite(path, edit, *args):
    """Apply edit(text, *args) to the file at path when it changes it."""
    with open(path) as f:
        text = f.read()
    new = edit(text, *args)
    if new != text:
        with open(path, "w") as f:
            f.write(new)
        return True
    return False


def whole_words(text, names):
    return re.sub(r"\b(%s)\b" % "|".join(map(re.escape, sorted(names))),
                  lambda m: names[m.group(1)], text)


def markdown(text, names):
    return re.sub(r"`(%s)(\(\))?`" % "|".join(map(re.escape, sorted(names))),
                  lambda m: "`" + names[m.group(1)] + (m.group(2) or "") + "`", text)


def edit_allow_list(renamed):
    """Drop renamed names and the comment blocks left heading nothing."""
    with open(TEST) as f:
        lines = f.read().split("\n")
    begin = next(i for i, l in enumerate(lines) if l.endswith("<<'LIST'"))
    end = next(i for i in range(begin + 1, len(lines)) if lines[i] == "LIST")
    blocks, cur = [], None
    for line in lines[begin + 1:end]:
        if line.startswith("#"):
            if cur is None or cur[1]:
                cur = [[], []]
                blocks.append(cur)
            cur[0].append(line)
        elif line.strip():
            if cur is None:
                cur = [[], []]
                blocks.append(cur)
            cur[1].append(line)
    body = []
    for comments, names in blocks:
        kept = [n for n in names if n.strip() not in renamed]
        if not kept:
            continue
        if comments:
            comments[0] = re.sub(r": %d$" % len(names), ": %d" % len(kept), comments[0])
        body += comments + kept
    head = lines[:begin]
    if not body:   # the preamble spoke of names still to do; there are none
        top = begin
        while top > 0 and lines[top - 1].startswith("#"):
            top -= 1
        head = lines[:top] + [
            "# Names not yet prefixed (none since tools/rename-globals.py gave",
            "# them theirs); never add one: give a new name its prefix instead."]
        head.append(lines[begin])
    else:
        head.append(lines[begin])
    new = head + body + lines[end:]
    with open(TEST, "w") as f:
        f.write("\n".join(new))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", action="store_true", help="print the plan only")
    ap.add_argument("--build", default="build")
    args = ap.parse_args()
    if not os.path.isfile(TEST):
        sys.exit("rename-globals: run from the project root")

    found = unprefixed(args.build)
    files = sorted({p for g in SOURCE_GLOBS for p in glob.glob(g)})
    texts = {}
    for p in files:
        with open(p) as f:
            texts[p] = f.read()
    code = {p: code_only(t) for p, t in texts.items()}
    incs = {p: includes(p, t) for p, t in texts.items()}
    tokens = set()
    for t in code.values():
        tokens.update(IDENT.findall(t))

    per_file, mentions, renamed, left = {}, {}, {}, []
    for name in sorted(found):
        mod, file = found[name]
        new = CHOSEN.get(name, mod + "_" + name)
        if new in tokens:
            left.append("%s (lib/%s/%s.c): %s is taken" % (name, mod, file, new))
            continue
        scope = sorted(p for p in scope_of(name, "lib/%s/%s.c" % (mod, file),
                                           texts, incs, code)
                       if re.search(r"\b%s\b" % name, texts[p]))
        print("%s -> %s\t%s" % (name, new, " ".join(scope)))
        for p in scope:
            per_file.setdefault(p, {})[name] = new
        if "_" in name:
            for p in files:
                if p not in scope and name in texts[p] and \
                        not re.search(r"\b%s\b" % name, code[p]):
                    mentions.setdefault(p, {})[name] = new
        renamed[name] = new

    makers = {}
    for p, names in per_file.items():
        if maker_of(texts[p]):
            makers.setdefault(maker_of(texts[p]), {}).update(names)
    docs = [p for p in sorted(glob.glob("*.md") + glob.glob("*/README.md"))
            if p != "CHANGELOG.md"]
    underscored = {n: v for n, v in renamed.items() if "_" in n}
    if not args.n and renamed:
        changed = set()
        for p, names in sorted(per_file.items()):
            if rewrite(p, rename_text, names):
                changed.add(p)
        for p, names in sorted(mentions.items()):
            if rewrite(p, rename_mentions, names):
                changed.add(p)
        for p, names in sorted(makers.items()):
            if rewrite(p, whole_words, names):
                changed.add(p)
        for p in docs:
            if underscored and rewrite(p, markdown, underscored):
                changed.add(p)
        edit_allow_list(set(renamed))
        for p in sorted(changed):
            print("changed " + p)
    for l in left:
        print("left: " + l, file=sys.stderr)
    print("rename-globals: %d renamed, %d left" % (len(renamed), len(left)),
          file=sys.stderr)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
