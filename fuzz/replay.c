/*
 * A main() for the fuzz targets without libFuzzer: runs the target once on
 * each file named.  make test builds every target this way and replays
 * fuzz/crashes/TARGET/ (tests/t0030-fuzz-crashes.sh), under ASan and UBSan
 * with make check, so every crash the fuzzers found stays fixed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

int main(int argc, char **argv)
{
	int i;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		unsigned char *data = NULL;
		size_t len = 0, cap = 0, n;

		if (!f) {
			perror(argv[i]);
			return 2;
		}
		do {
			if (len == cap) {
				unsigned char *p = realloc(data, cap = cap ? cap * 2 : 65536);
				if (!p)
					abort();
				data = p;
			}
			n = fread(data + len, 1, cap - len, f);
			len += n;
		} while (n > 0);
		fclose(f);
		LLVMFuzzerTestOneInput(data, len);
		free(data);
		printf("replayed %s\n", argv[i]);
	}
	return 0;
}
