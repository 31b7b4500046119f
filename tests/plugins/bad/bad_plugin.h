/* Pieces shared by the deliberately broken plugins of the loader tests:
 * a do-nothing source class, so that each plugin differs from a valid one
 * in exactly the one way its file name says. */
#ifndef BAD_PLUGIN_H
#define BAD_PLUGIN_H
#include <harmonize/plugin.h>

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
    HZ_CLASS_INIT(hz_source_class),
    .doc = "a source that emits nothing",
    HZ_OPTIONS(bad_options),
    .create = bad_create,
    .plan = bad_plan,
    .read = bad_read,
};
#endif
