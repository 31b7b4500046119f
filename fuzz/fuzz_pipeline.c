/* fuzz_pipeline: the bytes are a pipeline file, taken through everything
 * `harmonize validate` does: YAML loading with ${VAR} expansion, the
 * top-level keys, components and their plugin types, every option checked
 * against its plugin's table, the graph (inputs, cycles, unions, source
 * order), then each component created and planned by its real plugin.
 *
 * Sources open their feeds while planning (a CSV source reads its
 * header), so the files of fuzz/feeds/, the feeds the seed pipelines name,
 * are copied beside the pipeline first. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#ifndef HZ_FUZZ_FEEDS
#define HZ_FUZZ_FEEDS "fuzz/feeds"
#endif

static void copy_feed(const char *dir, const char *name) {
    char *from = hz_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(from, "rb");
    if (!f) {
        fprintf(stderr, "fuzz_pipeline: cannot read %s\n", from);
        exit(2);
    }
    hz_strbuf data = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) hz_strbuf_add(&data, buf, n);
    fclose(f);
    hz_fuzz_write(name, data.data, data.len);
    hz_strbuf_free(&data);
    free(from);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    hz_fuzz_setup();
    DIR *d = opendir(HZ_FUZZ_FEEDS);
    if (!d) {
        fprintf(stderr, "fuzz_pipeline: no feeds folder %s\n", HZ_FUZZ_FEEDS);
        exit(2);
    }
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') copy_feed(HZ_FUZZ_FEEDS, e->d_name);
    closedir(d);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    hz_fuzz_write("pipeline.yaml", data, size);
    char *file = hz_fuzz_path("pipeline.yaml");
    hz_fuzz_pipeline(NULL, file, HZ_MODE_VALIDATE);
    free(file);
    return 0;
}
