/* A descriptor that is fine but for one class, broken in the way the macro
 * given by tests/local.am says (one .so per macro). */
#include <harmonize/plugin.h>

__attribute__((unused)) static int bad_create(hz_component *c, void **self) {
    (void)c;
    *self = NULL;
    return 0;
}
__attribute__((unused)) static int bad_read(hz_component *c, void *self, hz_batch *out) {
    (void)c, (void)self, (void)out;
    return 0;
}
__attribute__((unused)) static int bad_write(hz_component *c, void *self, const hz_batch *in) {
    (void)c, (void)self, (void)in;
    return 0;
}

#if defined(NO_CLASS_SIZE) /* a class without HZ_CLASS_INIT */
#define NAME "no_class_size"
static const hz_source_class broken = {.doc = "no size", .create = bad_create, .read = bad_read};
#define KIND source
#elif defined(NO_OPTION_SIZE) /* .options without HZ_OPTIONS: no entry size */
#define NAME "no_option_size"
static const hz_option opts[] = {{.name = "a", .type = HZ_OPT_STRING}, {0}};
static const hz_source_class broken = {HZ_CLASS_INIT(hz_source_class), .options = opts, .create = bad_create,
                                       .read = bad_read};
#define KIND source
#elif defined(SINK_NO_COMMIT) /* a sink that could never publish */
#define NAME "sink_no_commit"
static const hz_sink_class broken = {HZ_CLASS_INIT(hz_sink_class), .create = bad_create, .write = bad_write};
#define KIND sink
#elif defined(ENUM_NO_CHOICES)
#define NAME "enum_no_choices"
static const hz_option opts[] = {{.name = "mode", .type = HZ_OPT_ENUM}, {0}};
static const hz_source_class broken = {HZ_CLASS_INIT(hz_source_class), HZ_OPTIONS(opts), .create = bad_create,
                                       .read = bad_read};
#define KIND source
#elif defined(RESERVED_OPTION)
#define NAME "reserved_option"
static const hz_option opts[] = {{.name = "inputs", .type = HZ_OPT_LIST}, {0}};
static const hz_source_class broken = {HZ_CLASS_INIT(hz_source_class), HZ_OPTIONS(opts), .create = bad_create,
                                       .read = bad_read};
#define KIND source
#endif

static const hz_plugin plugin = {HZ_PLUGIN_INIT, .name = NAME, .version = "1.0.0", .KIND = &broken};

HZ_PLUGIN(plugin)
