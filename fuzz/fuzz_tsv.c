/*
 * libFuzzer target: the TSV model loader (zib_ctx_new with --models DIR).
 * A copy of zib-models/ is made once (make fuzz runs from the project
 * root); the first input byte picks one of its files, the rest replaces
 * that file's content, the models are loaded, and the file is restored.
 */
#include "fuzz_util.h"

static const char *const files[] = {
	"bgz.tsv", "codesystems.tsv", "valuesets.tsv", "cda-map.tsv", "cda-sections.tsv",
	"mp9-r4-mappings.tsv", "mp9-r4-extensions.tsv", "VERSION", "zibs/AlcoholGebruik.tsv",
	"zibs/Patient.tsv", "zibs/LaboratoriumUitslag.tsv", "zibs/MedicatieAfspraak.tsv",
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static char models[256];
static char *saved[NFILES];
static size_t saved_len[NFILES];

static void put(const char *name, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", models, name);
	f = fopen(path, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len))
		abort();
	fclose(f);
}

static void setup(void)
{
	char cmd[512], path[512];
	size_t i;
	zib_error err;

	snprintf(models, sizeof(models), "%s/models", fuzz_dir());
	snprintf(cmd, sizeof(cmd), "cp -r zib-models '%s'", models);
	if (system(cmd) != 0)
		abort();
	for (i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/%s", models, files[i]);
		if (zib_read_file(&saved[i], &saved_len[i], path, 64 << 20, &err) != ZIB_OK)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	zib_ctx *ctx = NULL;
	zib_error err;
	size_t which;

	if (!models[0])
		setup();
	if (size < 1)
		return 0;
	which = data[0] % NFILES;
	put(files[which], data + 1, size - 1);
	if (zib_ctx_new(&ctx, models, &err) == ZIB_OK)
		zib_ctx_free(ctx);
	put(files[which], saved[which], saved_len[which]);
	return 0;
}
