/* The pipeline file as a tree of values with their positions (the opaque
 * hz_value of the plugin API).  Loaded with libyaml's document API; every
 * scalar is ${VAR}-expanded while loading. */
#ifndef HZ_VALUE_H
#define HZ_VALUE_H
#include <stdbool.h>

#include <harmonize/plugin.h>

#include "diag.h"
#include "vars.h"

struct hz_value {
    hz_value_kind kind;
    char *text;         /* scalar, expanded; NULL for list/map */
    const char *file;   /* shared, owned by the document */
    unsigned line, col; /* 1-based */
    bool quoted;        /* scalar written in quotes */
    /* A ${VAR} in it (or, for a list or map, in a value under it) could
     * not be expanded: reported once, at the variable, so nothing
     * downstream reports on this value again (options.c). */
    bool unexpanded;
    size_t count;
    struct hz_value **items; /* list items / map values */
    struct hz_value **keys;  /* map keys (scalars) */
};

typedef struct hz_document {
    char *file;
    hz_value *root;
} hz_document;

/* Load `path`.  Syntax errors, duplicate keys and unexpandable variables
 * are added to `diag`; returns NULL only when nothing usable was read. */
hz_document *hz_document_load(const char *path, const hz_vars *vars, hz_diag *diag);
void hz_document_free(hz_document *doc);

/* Map lookup; NULL when absent or `map` is not a map. */
hz_value *hz_value_get(const hz_value *map, const char *key);
/* The key value of entry `key` (for error positions), or NULL. */
hz_value *hz_value_key_of(const hz_value *map, const char *key);
const char *hz_value_kind_name(hz_value_kind kind);
/* A scalar parsed as bool/int: false when it is not one. */
bool hz_value_parse_bool(const hz_value *v, bool *out);
bool hz_value_parse_int(const hz_value *v, int64_t *out);
#endif
