/* SPDX-License-Identifier: MIT */
/*
 * replay FILE|DIR...: run a fuzz target's entry point once over each file (every
 * file of a directory), without libFuzzer. Linked with a target and built with the
 * sanitizers, this replays the committed corpora and crashers in `make test`.
 * Prints one line per directory or file; a crash aborts with the sanitizer report.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_input.h"

/* Read path whole and run the target on it. Returns 0, or -1 if unreadable. */
static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f)
		return -1;
	for (;;) {
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? 2 * cap : 65536);
			if (!nb) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		if (got == 0)
			break;
		len += got;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;

	for (int i = 1; i < argc; i++) {
		struct stat sb;
		if (stat(argv[i], &sb) != 0) {
			fprintf(stderr, "replay: %s: no such file or directory\n", argv[i]);
			bad = 1;
			continue;
		}
		if (!S_ISDIR(sb.st_mode)) {
			if (run_file(argv[i]) != 0) {
				fprintf(stderr, "replay: %s: unreadable\n", argv[i]);
				bad = 1;
			}
			continue;
		}
		struct dirent **ents;
		int n = scandir(argv[i], &ents, NULL, alphasort);
		size_t files = 0;
		for (int k = 0; k < n; k++) {
			char path[4096];
			if (ents[k]->d_name[0] != '.') {
				snprintf(path, sizeof(path), "%s/%s", argv[i], ents[k]->d_name);
				if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
					if (run_file(path) != 0) {
						fprintf(stderr, "replay: %s: unreadable\n", path);
						bad = 1;
					}
					files++;
				}
			}
			free(ents[k]);
		}
		free(n >= 0 ? ents : NULL);
		printf("replay: %s: %zu inputs\n", argv[i], files);
	}
	return bad;
}
