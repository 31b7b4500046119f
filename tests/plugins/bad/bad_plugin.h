/* Pieces shared by the deliberately broken plugins of the loader tests:
 * a do-nothing source class, so that each plugin differs from a valid one
 * in exactly the one way its file name says. */
#ifndef BAD_PLUGIN_H
#define BAD_PLUGIN_H
#include <harmonize/plugin.h>

const hz_plugin *harmonize_plugin_entry(const hz_host *host);

static int bad_create(hz_component *c, void **self) {
    (void)c;
    *self = NULL;
    return 0;
}
static int bad_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)c, (void)self, (void)in, (void)out;
    return 0;
}
static int bad_read(hz_component *c, void *self, hz_batch *out) {
    (void)c, (void)self, (void)out;
    return 0;
}
static const hz_option bad_options[] = {{0}};
static const hz_source_class bad_source = {
    "a source that emits nothing", bad_options, bad_create, bad_plan, bad_read, NULL};
#endif
