/* Loading a plugin's class into the core's table (see class.h). */
#define _POSIX_C_SOURCE 200809L
#include "class.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Whether a struct of `size` bytes, as the plugin compiled it, holds
 * `member` of `type`. */
#define COVERS(size, type, member) ((size) >= offsetof(type, member) + sizeof(((type *)0)->member))

/* Reserved keys of a component's YAML map: an option of these names could
 * never be given. */
static const char *const reserved_keys[] = {
    "type",       "inputs",      "steps",     "min_rows",        "allow_empty",
    "max_change", "max_rejects", "file_mode", "follow_symlinks", "allow_pii"};

bool hz_class_per_input(const hz_class *cls) {
    if (!cls) return false;
    return (cls->role == HZ_ROLE_SINK && cls->write_input) ||
           (cls->role == HZ_ROLE_TRANSFORM && cls->plan_input);
}

const char *hz_role_name(hz_role role) {
    switch (role) {
    case HZ_ROLE_SOURCE: return "source";
    case HZ_ROLE_TRANSFORM: return "transform";
    case HZ_ROLE_SINK: return "sink";
    }
    return "component";
}

bool hz_name_is_valid(const char *s) {
    if (!s || !*s) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return false;
    return true;
}

/* The plugin's struct, whatever its size, as the core's: the members it
 * covers copied, the others zero. */
static void copy_covered(void *dst, size_t dst_size, const void *src, size_t src_size) {
    memset(dst, 0, dst_size);
    memcpy(dst, src, src_size < dst_size ? src_size : dst_size);
}

static bool load_options(hz_class *cls, const hz_option *table, uint32_t stride, char *why, size_t n) {
    if (!table) return true;
    if (!COVERS(stride, hz_option, type)) {
        snprintf(why, n, "its %s class has an option table without its entry size (use HZ_OPTIONS)",
                 hz_role_name(cls->role));
        return false;
    }
    const char *base = (const char *)table;
    for (size_t i = 0;; i++) {
        hz_option o;
        copy_covered(&o, sizeof o, base + i * stride, stride);
        if (!o.name) break;
        const char *problem = NULL;
        if (!hz_name_is_valid(o.name))
            problem = "is not made of a-z, 0-9 and _";
        else if (o.type < HZ_OPT_STRING || o.type > HZ_OPT_ANY)
            problem = "has no valid type";
        else if (o.type == HZ_OPT_ENUM && (!o.choices || !*o.choices))
            problem = "is an enum without choices";
        for (size_t k = 0; !problem && k < cls->noptions; k++)
            if (!strcmp(cls->options[k].name, o.name)) problem = "is declared twice";
        for (size_t k = 0; !problem && k < sizeof reserved_keys / sizeof *reserved_keys; k++)
            if (!strcmp(reserved_keys[k], o.name)) problem = "is a reserved key of every component";
        if (problem) {
            snprintf(why, n, "option '%.64s' of its %s class %s", o.name, hz_role_name(cls->role), problem);
            return false;
        }
        cls->options = hz_xrealloc(cls->options, (cls->noptions + 1) * sizeof *cls->options);
        cls->options[cls->noptions++] = o;
    }
    return true;
}

static bool load_outputs(hz_class *cls, const hz_output *table, uint32_t stride, char *why, size_t n) {
    if (!table) return true;
    if (cls->role == HZ_ROLE_SINK) {
        snprintf(why, n, "its sink class declares named outputs: a sink emits no rows");
        return false;
    }
    if (!COVERS(stride, hz_output, name)) {
        snprintf(why, n, "its %s class has an output table without its entry size (use HZ_OUTPUTS)",
                 hz_role_name(cls->role));
        return false;
    }
    const char *base = (const char *)table;
    for (size_t i = 0;; i++) {
        hz_output o;
        copy_covered(&o, sizeof o, base + i * stride, stride);
        if (!o.name) break;
        const char *problem = NULL;
        if (!hz_name_is_valid(o.name)) problem = "is not made of a-z, 0-9 and _";
        for (size_t k = 0; !problem && k < cls->noutputs; k++)
            if (!strcmp(cls->outputs[k].name, o.name)) problem = "is declared twice";
        if (problem) {
            snprintf(why, n, "output '%.64s' of its %s class %s", o.name, hz_role_name(cls->role), problem);
            return false;
        }
        cls->outputs = hz_xrealloc(cls->outputs, (cls->noutputs + 1) * sizeof *cls->outputs);
        cls->outputs[cls->noutputs++] = o;
    }
    return true;
}

/* The three public classes share their first members; this is that prefix. */
typedef struct common_prefix {
    uint32_t struct_size, option_size, output_size;
    const char *doc;
    const hz_option *options;
    const hz_output *outputs;
    int (*create)(hz_component *c, void **self);
    int (*plan)(hz_component *c, void *self, const hz_schema *in, hz_schema *out);
} common_prefix;

static bool load_role(hz_class *cls, const void *klass, uint32_t size, char *why, size_t n) {
    switch (cls->role) {
    case HZ_ROLE_SOURCE: {
        hz_source_class k;
        copy_covered(&k, sizeof k, klass, size);
        if (!COVERS(size, hz_source_class, read) || !k.read) {
            snprintf(why, n, "its source class has no read()");
            return false;
        }
        cls->read = k.read;
        cls->destroy = k.destroy;
        return true;
    }
    case HZ_ROLE_TRANSFORM: {
        hz_transform_class k;
        copy_covered(&k, sizeof k, klass, size);
        /* plan_input is zero unless the class covers it (copy_covered): a
         * transform built against 1.0 to 1.3 gets the union. */
        if (k.plan_input && !k.plan) {
            snprintf(why, n, "its transform class has plan_input() but no plan()");
            return false;
        }
        cls->plan_input = k.plan_input;
        cls->process = k.process;
        cls->finish = k.finish;
        cls->destroy = k.destroy;
        return true;
    }
    case HZ_ROLE_SINK: {
        hz_sink_class k;
        copy_covered(&k, sizeof k, klass, size);
        /* plan_input and write_input are zero unless the class covers them
         * (copy_covered): a sink built against 1.0 to 1.2 gets the union. */
        if ((!k.write && !k.write_input) || !k.commit) {
            snprintf(why, n, "its sink class has no %s()", k.commit ? "write" : "commit");
            return false;
        }
        if (k.plan_input && !k.write_input) {
            snprintf(why, n, "its sink class has plan_input() but no write_input()");
            return false;
        }
        cls->plan_input = k.plan_input;
        cls->write_input = k.write_input;
        cls->open = k.open;
        cls->write = k.write;
        cls->prepare = k.prepare;
        cls->commit = k.commit;
        cls->abort = k.abort;
        cls->destroy = k.destroy;
        return true;
    }
    }
    return false;
}

hz_class *hz_class_load(hz_role role, const void *klass, char *why, size_t why_size) {
    uint32_t size;
    memcpy(&size, klass, sizeof size);
    if (size < sizeof(common_prefix)) {
        snprintf(why, why_size, "its %s class is too small (struct_size %u: start it with HZ_CLASS_INIT)",
                 hz_role_name(role), (unsigned)size);
        return NULL;
    }
    common_prefix head;
    memcpy(&head, klass, sizeof head);
    hz_class *cls = hz_xcalloc(1, sizeof *cls);
    cls->role = role;
    cls->doc = head.doc;
    cls->create = head.create;
    cls->plan = head.plan;
    if (!load_role(cls, klass, size, why, why_size) ||
        !load_options(cls, head.options, head.option_size, why, why_size) ||
        !load_outputs(cls, head.outputs, head.output_size, why, why_size)) {
        hz_class_free(cls);
        return NULL;
    }
    return cls;
}

void hz_class_free(hz_class *cls) {
    if (!cls) return;
    free(cls->options);
    free(cls->outputs);
    free(cls);
}

long hz_class_output(const hz_class *cls, const char *name) {
    for (size_t i = 0; i < cls->noutputs; i++)
        if (!strcmp(cls->outputs[i].name, name)) return (long)i;
    return -1;
}

/* The prefix must be what the three public classes begin with. */
#define SAME_PREFIX(type)                                                                                    \
    _Static_assert(offsetof(type, plan) == offsetof(common_prefix, plan) &&                                  \
                       offsetof(type, outputs) == offsetof(common_prefix, outputs) &&                        \
                       offsetof(type, doc) == offsetof(common_prefix, doc),                                  \
                   #type " starts like the other classes")
SAME_PREFIX(hz_source_class);
SAME_PREFIX(hz_transform_class);
SAME_PREFIX(hz_sink_class);
