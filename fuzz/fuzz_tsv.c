/*
 * libFuzzer target: the TSV model loader (zib_ctx_new with --models DIR).
 * The small model set testdata/models/tiny is copied once (make fuzz runs
 * from the project root); the first input byte picks one of the files the
 * loader reads, the rest replaces that file (or adds it: the optional
 * tables), the models are loaded, and the file is put back.
 * The tiny set, not zib-models/: the same loader code at about 1 ms a
 * load instead of 40 (zib-models' valuesets.tsv alone is 320 KB), and
 * seeds (fuzz/seeds/tsv) that agree with the other files.
 */
#include <sys/stat.h>

#include "fuzz_util.h"

static const char *const files[] = {
	"VERSION", "bgz.tsv", "codesystems.tsv", "valuesets.tsv", "cda-map.tsv",
	"cda-sections.tsv", "roles.tsv", "fhir-codes.tsv", "bgz-transaction.tsv", "units.tsv",
	"zibs/AlcoholGebruik.tsv", "zibs/Zorgaanbieder.tsv",
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static char models[256];
static char *saved[NFILES];     /* NULL: not in the tiny set */
static size_t saved_len[NFILES];

static void path_of(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/%s", models, name);
}

static void put(const char *name, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	path_of(path, sizeof(path), name);
	f = fopen(path, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len))
		abort();
	fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[512], src[512];
	size_t i;
	zib_error err;

	snprintf(models, sizeof(models), "%s/models", fuzz_dir());
	if (mkdir(models, 0777) != 0)
		abort();
	path_of(path, sizeof(path), "zibs");
	if (mkdir(path, 0777) != 0)
		abort();
	for (i = 0; i < NFILES; i++) {
		snprintf(src, sizeof(src), "testdata/models/tiny/%s", files[i]);
		if (access(src, F_OK) != 0)
			continue;
		if (zib_read_file(&saved[i], &saved_len[i], src, 64 << 20, &err) != ZIB_OK)
			abort();
		put(files[i], saved[i], saved_len[i]);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	zib_ctx *ctx = NULL;
	zib_error err;
	char path[512];
	size_t which;

	if (size < 1)
		return 0;
	which = data[0] % NFILES;
	put(files[which], data + 1, size - 1);
	if (zib_ctx_new(&ctx, models, &err) == ZIB_OK)
		zib_ctx_free(ctx);
	if (saved[which]) {
		put(files[which], saved[which], saved_len[which]);
	} else {
		path_of(path, sizeof(path), files[which]);
		if (unlink(path) != 0)
			abort();
	}
	return 0;
}
