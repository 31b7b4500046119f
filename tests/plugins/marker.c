/* A plugin that leaves a mark when loaded: its constructor, which dlopen
 * runs before the loader sees the descriptor, appends a line to the file
 * $HZ_TEST_MARKER.  The loader tests (tests/plugins/test_load_only.tap)
 * prove with it which commands open which plugin files. */
#include <stdio.h>
#include <stdlib.h>

#include <harmonize/plugin.h>

static const hz_host *host_api;

__attribute__((constructor)) static void leave_mark(void) {
    const char *path = getenv("HZ_TEST_MARKER");
    if (!path || !*path) return;
    FILE *f = fopen(path, "a");
    if (!f) return;
    fputs("marker loaded\n", f);
    fclose(f);
}

/* A source of one column and no rows: enough for a pipeline to run. */
static int marker_create(hz_component *c, void **self) {
    (void)c;
    *self = NULL;
    return 0;
}
static int marker_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)self, (void)in;
    return host_api->schema_add(c, out, "mark", NULL);
}
static int marker_read(hz_component *c, void *self, hz_batch *out) {
    (void)c, (void)self, (void)out;
    return 0;
}
static const hz_option marker_options[] = {{0}};
static const hz_source_class marker_source = {
    HZ_CLASS_INIT(hz_source_class), .doc = "one column, no rows", HZ_OPTIONS(marker_options),
    .create = marker_create,        .plan = marker_plan,          .read = marker_read,
};

static const hz_plugin plugin = {HZ_ABI_MAJOR,   HZ_ABI_MINOR, sizeof(hz_plugin),
                                 "marker",       "1.0.0",      "marks its loading",
                                 &marker_source, NULL,         NULL};

HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host) {
    host_api = host;
    return &plugin;
}
