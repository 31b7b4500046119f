/* A main() for the fuzz targets without libFuzzer: feeds each file named
 * on the command line (or every file of each folder named) to
 * LLVMFuzzerTestOneInput once, so that corpora and crash reproducers run
 * under make check, valgrind or a debugger.  Without arguments it replays
 * the target's seed corpus and regression inputs (HZ_FUZZ_REPLAY_DIRS).
 * Exits 0 when every input ran, 77 (skip) when there was none; a bug
 * shows as the crash or sanitizer report it causes. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

#ifndef HZ_FUZZ_REPLAY_DIRS
#define HZ_FUZZ_REPLAY_DIRS ""
#endif

static size_t replayed;

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    hz_strbuf data = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) hz_strbuf_add(&data, buf, n);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        hz_strbuf_free(&data);
        return -1;
    }
    /* A copy of exactly the input's size, so that reading past its end is
     * caught (the strbuf has room and a NUL beyond it). */
    size_t size = data.len;
    uint8_t *exact = hz_xmalloc(size);
    if (size) memcpy(exact, data.data, size);
    hz_strbuf_free(&data);
    LLVMFuzzerTestOneInput(exact, size);
    free(exact);
    replayed++;
    return 0;
}

/* A file, or the files of a folder in name order (dot files skipped). */
static int replay_path(const char *path, int missing_ok) {
    struct stat st;
    if (stat(path, &st) != 0) {
        if (missing_ok && errno == ENOENT) return 0;
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) return replay_file(path);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        names = hz_xrealloc(names, (count + 1) * sizeof *names);
        names[count++] = hz_xasprintf("%s/%s", path, e->d_name);
    }
    closedir(d);
    if (count) qsort(names, count, sizeof *names, by_name);
    int rc = 0;
    for (size_t i = 0; i < count; i++) {
        if (replay_path(names[i], 0) != 0) rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv) {
    LLVMFuzzerInitialize(&argc, &argv);
    int rc = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            if (replay_path(argv[i], 0) != 0) rc = 1;
    } else {
        /* The built-in folders are separated by ':'; a target without
         * regression inputs yet has no regress folder. */
        char *dirs = hz_xstrdup(HZ_FUZZ_REPLAY_DIRS), *save = NULL;
        for (char *dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
            if (replay_path(dir, 1) != 0) rc = 1;
        free(dirs);
    }
    hz_fuzz_teardown();
    printf("%s: %zu input%s replayed\n", argv[0], replayed, replayed == 1 ? "" : "s");
    if (rc == 0 && replayed == 0) return 77;
    return rc;
}
