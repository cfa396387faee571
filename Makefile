# zibkit: libzib and the zib command.
#
#   make              libzib.so, libzib.a and zib in build/ (and zib-shared,
#                     the same command linked against libzib.so, for the tests)
#   make test         unit tests, golden tests and corpus tests, JOBS at a
#                     time (default: one per core; make test JOBS=1)
#   make check        the same suite built with ASan + UBSan (in build-san/)
#   make regen        rewrite the tests' expected files (tests/regen/); by
#                     hand only, then read the diff
#   make bench        benchmarks (bench/); make bench-schematron, bench-scale for a part
#   make install      PREFIX=/usr/local DESTDIR=
#   make setup        install missing Debian packages (tools/setup.sh)
#   make regen-ucum   remake lib/model/ucum_essence.c from ucum-essence.xml
#
# Sources are found by wildcard: a new lib/<module>/*.c or cmd/*.c needs no
# change here.  Generated C comes in two kinds: the model data and version
# are generated into the build directory at every build; the tables made
# from ../shared (lib/model/ucum_essence.c, lib/model/conceptmaps_gen.c,
# lib/fhir/defs_*.c, lib/fhir/slices_gen.c) are committed, so a build needs
# neither python3 nor ../shared, and are remade on purpose (make regen-ucum;
# zib-models/README.md for the others).

VERSION_MAJOR = 0
VERSION_MINOR = 1
VERSION_PATCH = 0
VERSION = $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)
SONAME = libzib.so.$(VERSION_MAJOR)

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
LIBDIR = $(PREFIX)/lib
INCDIR = $(PREFIX)/include
MANDIR = $(PREFIX)/share/man
PKGDIR = $(LIBDIR)/pkgconfig
COMPDIR_BASH = $(PREFIX)/share/bash-completion/completions
COMPDIR_ZSH = $(PREFIX)/share/zsh/site-functions

CC ?= cc
# libarchive reads FHIR NPM packages as published (.tgz: gzip'd tar).
PKGS = libxml-2.0 libcjson libpcre2-8 libarchive
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lxml2 -lcjson -lpcre2-8 -larchive) -lm

# SANITIZE=address,undefined builds into build-san/ so both builds coexist.
ifdef SANITIZE
BUILD ?= build-san
SANFLAGS = -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT ?= -O1
else
BUILD ?= build
SANFLAGS =
OPT ?= -O2
endif

WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CFLAGS ?= $(OPT) -g
DATADIR = $(PREFIX)/share/zib
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) -fPIC -pthread \
	-DZIB_DATADIR='"$(DATADIR)"' \
	-Ilib/include -Ilib $(PKG_CFLAGS) $(SANFLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS = -pthread $(SANFLAGS) $(LDFLAGS)
# cmd/ sees the public header only (STYLE.md 1): no lib/, no libxml2 headers.
CMD_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) -fPIC -pthread \
	-Ilib/include $(SANFLAGS) $(CFLAGS) -MMD -MP

LIB_SRC := $(sort $(wildcard lib/*/*.c))
CMD_SRC := $(sort $(wildcard cmd/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
# MODELS_DIR: the model set compiled in (zib-models/README.md has the format).
MODELS_DIR ?= zib-models
MODEL_FILES := $(addprefix $(MODELS_DIR)/,VERSION bgz.tsv valuesets.tsv codesystems.tsv \
	cda-map.tsv cda-sections.tsv roles.tsv fhir-codes.tsv bgz-transaction.tsv units.tsv) \
	$(sort $(wildcard $(MODELS_DIR)/zibs/*.tsv))
GEN_SRC := $(sort $(wildcard tools/gen-*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/models_data.o $(BUILD)/gen/version.o

# Generated tables hold thousands of string literals.  ASan gives each a
# redzone, a registration at start-up and relocations: about 100,000 more
# relocations, paid by every sanitized zib process (the suite starts
# thousands).  Their lookups are bounded by generated counts, so the
# sanitized build leaves their globals uninstrumented (code still is).
TABLE_OBJ := $(addprefix $(BUILD)/,lib/fhir/defs_r4.o lib/fhir/slices_gen.o \
	lib/fhirval/core_r4.o lib/model/ucum_essence.o lib/model/conceptmaps_gen.o \
	gen/models_data.o)
ifneq ($(findstring address,$(SANITIZE)),)
$(TABLE_OBJ): TABLE_CFLAGS = --param asan-globals=0
endif
CMD_OBJ := $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o)

all: $(BUILD)/libzib.so $(BUILD)/libzib.a $(BUILD)/zib $(BUILD)/zib-shared fhirdefs-data

# FHIR definitions (lib/fhirdef/): R4 core and the zib2020 / nl-core profiles
# and terminology, compiled from the shared corpus into one file that is
# found beside the binary (build/share/zib) or in $(DATADIR) once installed.
# Without the corpus the build goes on and says what is missing.
ZIB_CORPUS ?= ../shared/corpus
FHIRDEF_CORE = $(addprefix $(ZIB_CORPUS)/fhir-r4-core/,profiles-types.json \
	profiles-resources.json extension-definitions.json valuesets.json v3-codesystems.json)
FHIRDEF_ZIB = $(ZIB_CORPUS)/fhir-r4-zib2020/profiles
FHIRDEFS = $(BUILD)/share/zib/fhir-r4-defs.zdefs

$(BUILD)/fhirdefs: tools/fhirdefs.c $(BUILD)/libzib.a
	$(CC) $(ALL_CFLAGS) -o $@ tools/fhirdefs.c $(BUILD)/libzib.a $(ALL_LDFLAGS) $(PKG_LIBS)

ifneq ($(wildcard $(ZIB_CORPUS)/fhir-r4-core/profiles-resources.json),)
ifneq ($(wildcard $(FHIRDEF_ZIB)/zib),)
fhirdefs-data: $(FHIRDEFS)
$(FHIRDEFS): $(BUILD)/fhirdefs $(FHIRDEF_CORE) $(shell find $(FHIRDEF_ZIB) -type f 2>/dev/null)
	@mkdir -p $(dir $@)
	$(BUILD)/fhirdefs compile $@ $(FHIRDEF_CORE) $(FHIRDEF_ZIB)
else
fhirdefs-data:
	@echo "warning: $(FHIRDEF_ZIB) not found: FHIR definitions not built (zib2020 profiles missing)" >&2
endif
else
fhirdefs-data:
	@echo "warning: $(ZIB_CORPUS)/fhir-r4-core not found: FHIR definitions (R4 core, zib2020) not built; FHIR conformance checks will report them missing (set ZIB_CORPUS=DIR)" >&2
endif

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TABLE_CFLAGS) -c -o $@ $<

$(BUILD)/cmd/%.o: cmd/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CMD_CFLAGS) -c -o $@ $<

# The model set is compiled in: tools/embed turns the data files into C.
$(BUILD)/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 $(WARN) -o $@ $<

$(BUILD)/gen/models_data.c: $(BUILD)/embed $(MODEL_FILES)
	@mkdir -p $(dir $@)
	$(BUILD)/embed zib__embedded_models $(MODELS_DIR) $(patsubst $(MODELS_DIR)/%,%,$(MODEL_FILES)) > $@.tmp
	mv $@.tmp $@

$(BUILD)/gen/version.c: Makefile
	@mkdir -p $(dir $@)
	printf '#include "zib.h"\nconst char *zib_version(void) { return "%s"; }\nint zib_version_number(void) { return ZIB_VERSION_NUMBER; }\n' '$(VERSION)' > $@.tmp
	mv $@.tmp $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(ALL_CFLAGS) $(TABLE_CFLAGS) -c -o $@ $<

$(BUILD)/libzib.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/libzib.so: $(LIB_OBJ) lib/libzib.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=lib/libzib.map -o $@ $(LIB_OBJ) \
		$(ALL_LDFLAGS) $(PKG_LIBS)
	ln -sf libzib.so $(BUILD)/$(SONAME)

# zib links the static library so the binary runs from the build tree.
$(BUILD)/zib: $(CMD_OBJ) $(BUILD)/libzib.a
	$(CC) -o $@ $(CMD_OBJ) $(BUILD)/libzib.a $(ALL_LDFLAGS) $(PKG_LIBS)

# The same objects linked against libzib.so alone (no libxml2, cJSON or
# PCRE2 of their own), found beside the binary: the link fails when cmd/
# needs a symbol libzib.so does not export.  tests/t0006-shared.sh runs it.
# Not installed.
$(BUILD)/zib-shared: $(CMD_OBJ) $(BUILD)/libzib.so
	$(CC) -o $@ $(CMD_OBJ) -L$(BUILD) -lzib -Wl,-rpath,'$$ORIGIN' $(ALL_LDFLAGS)

$(BUILD)/unit-tests: $(UNIT_OBJ) $(BUILD)/libzib.a
	$(CC) -o $@ $(UNIT_OBJ) $(BUILD)/libzib.a $(ALL_LDFLAGS) $(PKG_LIBS)

# The FHIRPath conformance driver (tests/t9000-fhirpath.sh runs it).
$(BUILD)/fhirpath-suite: tests/fhirpath-suite.c $(BUILD)/libzib.a
	$(CC) $(ALL_CFLAGS) -o $@ tests/fhirpath-suite.c $(BUILD)/libzib.a $(ALL_LDFLAGS) $(PKG_LIBS)

# R4 core invariants on the corpus examples (tests/t9001-fhirpath-invariants.sh).
$(BUILD)/fhirpath-invariants: tests/fhirpath-invariants.c $(BUILD)/libzib.a
	$(CC) $(ALL_CFLAGS) -o $@ tests/fhirpath-invariants.c $(BUILD)/libzib.a $(ALL_LDFLAGS) $(PKG_LIBS)

# The public header must compile on its own under strict flags.
$(BUILD)/headertest.o: lib/include/zib.h
	@mkdir -p $(dir $@)
	printf '#include "zib.h"\n' | $(CC) -std=c11 -pedantic $(WARN) -Ilib/include -x c -c -o $@ -

JOBS ?= $(shell nproc 2>/dev/null || echo 2)

test: all $(BUILD)/unit-tests $(BUILD)/headertest.o $(BUILD)/fhirpath-suite \
		$(BUILD)/fhirpath-invariants fuzz-replay
	JOBS=$(JOBS) sh tests/run.sh $(BUILD)

check:
	$(MAKE) SANITIZE=address,undefined test
	$(MAKE) check-threads

# The -j workers under ThreadSanitizer (tests/threads.sh); the FHIR
# definitions come from the build-san made by check.
check-threads:
	$(MAKE) SANITIZE=thread BUILD=build-tsan build-tsan/zib
	sh tests/threads.sh build-tsan $(if $(wildcard build-san/share/zib),build-san,build)

# The suite never rewrites what it checks: this does, from what the code
# does now (golden outputs, the t6001 allow-list).  Read the diff after.
regen: all
	for s in tests/regen/*.sh; do sh "$$s" $(BUILD) || exit 1; done

bench: all $(BUILD)/fhir-bench $(BUILD)/fhirdefs $(BUILD)/schematron-bench \
		$(BUILD)/fhirpath-invariants
	sh bench/run.sh $(BUILD)
	sh bench/schematron.sh $(BUILD)
	sh bench/saxon.sh $(BUILD)
	sh bench/fhirdefs.sh $(BUILD)
	sh bench/fhirpath.sh $(BUILD)
	sh bench/fhir-validate.sh $(BUILD)
	sh bench/scale.sh $(BUILD)

# Only the scale figures (Bundle size, memory over many documents);
# bench/scale-figures.txt has them before and after issue 19.
bench-scale: all
	sh bench/scale.sh $(BUILD)

# Only the Schematron figures (compile, per document at -j 1 and -j 2, CPU),
# then the same rules through Saxon-HE when it is installed (bench/saxon.sh;
# ZIB_BENCH_SAXON=0 skips it, ZIB_BENCH_SAXON_DOCS sets its document count);
# bench/schematron-profile.txt has the profiles behind them.
bench-schematron: all $(BUILD)/schematron-bench
	sh bench/schematron.sh $(BUILD)
	sh bench/saxon.sh $(BUILD)

$(BUILD)/fhir-bench: bench/fhir_bench.c $(BUILD)/libzib.a
	$(CC) $(ALL_CFLAGS) -o $@ bench/fhir_bench.c $(BUILD)/libzib.a $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/schematron-bench: bench/schematron_bench.c $(BUILD)/libzib.a
	$(CC) $(ALL_CFLAGS) -o $@ bench/schematron_bench.c $(BUILD)/libzib.a $(ALL_LDFLAGS) $(PKG_LIBS)

setup:
	sh tools/setup.sh

# The UCUM table (lib/model/ucum_essence.c) from the UCUM definitions.
UCUM_ESSENCE ?= ../shared/corpus/fhir-test-cases/ucum/ucum-essence.xml
regen-ucum:
	python3 tools/gen-ucum.py $(UCUM_ESSENCE)

# Fuzzing with libFuzzer (clang): make fuzz FUZZ_SECONDS=60 runs every
# target that long, one after the other (make fuzz FUZZ_TARGETS=fuzz_diff
# for one).  Seeds come from testdata/ and fuzz/seeds/, dictionaries from
# fuzz/*.dict; the corpus grows in build-fuzz/corpus-TARGET and a crash is
# written to build-fuzz/crash-*.  Executions per target: build-fuzz/TARGET.log.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS = fuzz_read fuzz_fhir fuzz_fhirpath fuzz_schematron fuzz_xpath2 fuzz_regex fuzz_xsd fuzz_diff \
	fuzz_extract fuzz_write fuzz_tsv fuzz_inputs
FUZZ_DOCS = testdata/validate testdata/validate-fhir testdata/convert testdata/convert-cda \
	testdata/convert-r4 testdata/convert-stu3 testdata/diff
FUZZ_SEEDS_fuzz_read = $(FUZZ_DOCS)
FUZZ_SEEDS_fuzz_fhir = $(FUZZ_DOCS)
FUZZ_SEEDS_fuzz_fhirpath = testdata/fhirpath
FUZZ_SEEDS_fuzz_schematron = testdata/schematron testdata/schematron/inc
FUZZ_SEEDS_fuzz_xpath2 = fuzz/seeds/xpath2
FUZZ_SEEDS_fuzz_regex = fuzz/seeds/regex
FUZZ_SEEDS_fuzz_xsd = testdata/validate testdata/convert-cda
FUZZ_SEEDS_fuzz_diff = testdata/diff testdata/diff/side-a testdata/diff/side-b
FUZZ_SEEDS_fuzz_extract = $(FUZZ_DOCS)
FUZZ_SEEDS_fuzz_write = $(FUZZ_DOCS)
FUZZ_SEEDS_fuzz_tsv = fuzz/seeds/tsv
FUZZ_SEEDS_fuzz_inputs = fuzz/seeds/inputs
FUZZ_DICT_fuzz_schematron = fuzz/xpath.dict
FUZZ_DICT_fuzz_xpath2 = fuzz/xpath.dict
FUZZ_DICT_fuzz_regex = fuzz/xpath.dict
FUZZ_DICT_fuzz_fhir = fuzz/json.dict
FUZZ_EXTRA_fuzz_inputs = cmd/inputs.c cmd/batch.c cmd/stream.c cmd/strbuf.c cmd/suggest.c cmd/util.c
# -max_len: the seeds go up to megabytes; 64 KiB keeps each run short
# (FUZZ_FLAGS_TARGET replaces it for one target).
FUZZ_FLAGS = $(or $(FUZZ_FLAGS_$(FUZZ_ONE)),-max_len=65536)
# The fuzz targets without libFuzzer (fuzz/replay.c), for the crash
# reproducers in fuzz/crashes/ (tests/t0030-fuzz-crashes.sh).
FUZZ_REPLAY = $(addprefix $(BUILD)/fuzz-replay/,$(FUZZ_TARGETS))
fuzz-replay: $(FUZZ_REPLAY)
$(BUILD)/fuzz-replay/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_util.h fuzz/replay.c $(BUILD)/libzib.a
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -o $@ $< fuzz/replay.c $(FUZZ_EXTRA_fuzz_$*) \
		$(BUILD)/libzib.a $(ALL_LDFLAGS) $(PKG_LIBS)

FUZZ_BIN = $(addprefix build-fuzz/,$(FUZZ_TARGETS))
# The fuzz binaries only (fuzz/campaign.sh runs them).
fuzz-build:
	$(MAKE) BUILD=build-fuzz CC=clang OPT=-O1 \
		SANFLAGS='-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all' build-fuzz/libzib.a
	cat fuzz/xml.dict fuzz/json.dict > build-fuzz/doc.dict
	$(MAKE) --no-print-directory $(FUZZ_BIN)

build-fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_util.h build-fuzz/libzib.a
	clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Ilib/include -Ilib $(PKG_CFLAGS) $< $(FUZZ_EXTRA_fuzz_$*) \
		build-fuzz/libzib.a $(PKG_LIBS) -lm -pthread -o $@

fuzz: fuzz-build
	failed=; for t in $(FUZZ_TARGETS); do \
		$(MAKE) -s --no-print-directory fuzz-run FUZZ_ONE=$$t || failed="$$failed $$t"; \
	done; [ -z "$$failed" ] || { echo "fuzz: crashes in$$failed (build-fuzz/*-crash-*)"; exit 1; }

fuzz-run:
	mkdir -p build-fuzz/corpus-$(FUZZ_ONE)
	build-fuzz/$(FUZZ_ONE) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) -timeout=30 \
		-rss_limit_mb=2048 -artifact_prefix=build-fuzz/$(FUZZ_ONE)- \
		-dict=$(or $(FUZZ_DICT_$(FUZZ_ONE)),build-fuzz/doc.dict) \
		build-fuzz/corpus-$(FUZZ_ONE) $(FUZZ_SEEDS_$(FUZZ_ONE)) > build-fuzz/$(FUZZ_ONE).log 2>&1; \
		rc=$$?; grep -E '^(#[0-9]+|Done|==[0-9]+==|SUMMARY)' build-fuzz/$(FUZZ_ONE).log | tail -3; \
		echo "$(FUZZ_ONE): exit $$rc"; exit $$rc

# The long run (issue 18): every target in turn, FUZZ_RUNS executions or
# FUZZ_CAP seconds of wall time (FUZZ_CPU: of CPU time) each, logs and a
# summary in build-fuzz/campaign/ (sh fuzz/campaign.sh for the options;
# sh fuzz/campaign.sh summary prints the table).
FUZZ_RUNS ?= 10000000
FUZZ_CAP ?= 3600
FUZZ_CPU ?=
fuzz-long: fuzz-build
	sh fuzz/campaign.sh run -r $(FUZZ_RUNS) -t $(FUZZ_CAP) $(if $(FUZZ_CPU),-c $(FUZZ_CPU)) $(FUZZ_TARGETS)

# For fuzz/campaign.sh: what make knows about one target, as shell words.
fuzz-args:
	@echo '$(FUZZ_FLAGS) -dict=$(or $(FUZZ_DICT_$(FUZZ_ONE)),build-fuzz/doc.dict) $(FUZZ_SEEDS_$(FUZZ_ONE))'

# What a new user sees first: zib at work on a bundled example.
demo: all
	$(BUILD)/zib models
	$(BUILD)/zib validate --dump-tree testdata/validate/valid.xml
	$(BUILD)/zib validate testdata/validate/valid.xml

MAN1 := $(sort $(wildcard man/*.1))
MAN3 := $(sort $(wildcard man/*.3))

lint-man:
	mandoc -T lint -W warning $(MAN1) $(MAN3)

libzib.pc: Makefile
	printf 'prefix=%s\nlibdir=%s\nincludedir=%s\n\nName: libzib\nDescription: Dutch zib (BgZ) toolkit for CDA and FHIR\nVersion: %s\nRequires.private: %s\nLibs: -L$${libdir} -lzib\nCflags: -I$${includedir}\n' \
		'$(PREFIX)' '$(LIBDIR)' '$(INCDIR)' '$(VERSION)' '$(PKGS)' > $(BUILD)/libzib.pc

install: all libzib.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(PKGDIR)
	install -m 755 $(BUILD)/zib $(DESTDIR)$(BINDIR)/zib
	install -m 644 $(BUILD)/libzib.a $(DESTDIR)$(LIBDIR)/libzib.a
	install -m 755 $(BUILD)/libzib.so $(DESTDIR)$(LIBDIR)/libzib.so.$(VERSION)
	ln -sf libzib.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libzib.so
	install -m 644 lib/include/zib.h $(DESTDIR)$(INCDIR)/zib.h
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	install -d $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(COMPDIR_BASH) $(DESTDIR)$(COMPDIR_ZSH)
	install -m 644 $(MAN3) $(DESTDIR)$(MANDIR)/man3/
	install -m 644 completion/zib.bash $(DESTDIR)$(COMPDIR_BASH)/zib
	install -m 644 completion/_zib $(DESTDIR)$(COMPDIR_ZSH)/_zib
	install -m 644 $(BUILD)/libzib.pc $(DESTDIR)$(PKGDIR)/libzib.pc
	if [ -f $(FHIRDEFS) ]; then install -d $(DESTDIR)$(DATADIR) && \
		install -m 644 $(FHIRDEFS) $(DESTDIR)$(DATADIR)/; fi

clean:
	rm -rf build build-san build-tsan build-fuzz

.PHONY: fhirdefs-data all test check check-threads regen bench bench-schematron bench-scale setup fuzz fuzz-run fuzz-build fuzz-long fuzz-args fuzz-replay demo install clean lint-man libzib.pc regen-ucum

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
