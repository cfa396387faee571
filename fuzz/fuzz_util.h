/*
 * What the fuzz targets share: the models loaded once, a private scratch
 * directory, and writing the input to a file for APIs that read paths.
 */
#ifndef ZIB_FUZZ_UTIL_H
#define ZIB_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline const zib_ctx *fuzz_ctx(void)
{
	static zib_ctx *ctx;
	zib_error err;

	if (!ctx && zib_ctx_new(&ctx, NULL, &err) != ZIB_OK)
		abort();
	return ctx;
}

/* A directory of this process's own, made once. */
static inline const char *fuzz_dir(void)
{
	static char dir[64];

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/zibfuzz-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

/* Writes data to DIR/name and returns the path (static storage). */
static inline const char *fuzz_file(const char *name, const void *data, size_t size)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	return path;
}

/* The input as a NUL-terminated string (free() it). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
