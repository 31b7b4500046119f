/* A plugin's classes as the core uses them: each hz_*_class copied once,
 * when the plugin is loaded, into one internal table whatever its role and
 * whatever minor of the ABI the plugin was built against.  Members the
 * plugin's struct does not cover (an older minor) are NULL here; members
 * it has beyond the core's (a newer minor) are left out.  The run loop
 * calls these and never looks at the plugin's structs again. */
#ifndef HZ_CLASS_H
#define HZ_CLASS_H
#include <stdbool.h>
#include <stddef.h>

#include <harmonize/plugin.h>

typedef enum { HZ_ROLE_SOURCE, HZ_ROLE_TRANSFORM, HZ_ROLE_SINK } hz_role;

typedef struct hz_class {
    hz_role role;
    const char *doc;
    hz_option *options; /* copies at the core's size, noptions of them */
    size_t noptions;
    hz_output *outputs; /* named outputs, noutputs of them */
    size_t noutputs;
    int (*create)(hz_component *c, void **self);
    int (*plan)(hz_component *c, void *self, const hz_schema *in, hz_schema *out);
    int (*read)(hz_component *c, void *self, hz_batch *out); /* source */
    int (*process)(hz_component *c, void *self, size_t input, const hz_batch *in,
                   hz_batch *out);                                 /* transform */
    int (*finish)(hz_component *c, void *self, hz_batch *out);     /* transform */
    int (*open)(hz_component *c, void *self);                      /* sink */
    int (*write)(hz_component *c, void *self, const hz_batch *in); /* sink */
    int (*prepare)(hz_component *c, void *self);                   /* sink */
    int (*commit)(hz_component *c, void *self);                    /* sink */
    void (*abort)(hz_component *c, void *self);                    /* sink */
    /* A sink that tells its inputs apart (ABI 1.3): set when write_input is;
     * a transform that does (ABI 1.4): plan_input alone. */
    int (*plan_input)(hz_component *c, void *self, size_t input, const hz_schema *in);
    int (*write_input)(hz_component *c, void *self, size_t input, const hz_batch *in);
    void (*destroy)(void *self);
} hz_class;

const char *hz_role_name(hz_role role);
/* Whether the class sees each of its inputs on its own (plugin.h: a sink
 * with hz_sink_class.write_input, a transform with
 * hz_transform_class.plan_input): no union, one schema per input. */
bool hz_class_per_input(const hz_class *cls);
/* Whether `s` is a name of the plugin interface: [a-z0-9_]+ (plugins,
 * options, named outputs). */
bool hz_name_is_valid(const char *s);

/* Copy the plugin's class for `role` (a hz_source_class, hz_transform_class
 * or hz_sink_class) into a new table.  NULL, with the reason in `why`, when
 * the class is unusable: too small for its required members, an option or
 * output table without its entry size, an invalid or repeated name. */
hz_class *hz_class_load(hz_role role, const void *klass, char *why, size_t why_size);
void hz_class_free(hz_class *cls);
/* Index of named output `name`, or -1. */
long hz_class_output(const hz_class *cls, const char *name);
#endif
