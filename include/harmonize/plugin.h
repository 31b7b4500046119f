/*
 * harmonize/plugin.h - the one header a harmonize plugin needs.
 *
 * A plugin is a shared object that exports one function,
 *
 *     const hz_plugin *harmonize_plugin_entry(const hz_host *host);
 *
 * returning a static descriptor: the ABI it was built against, its name,
 * version, and one class per kind it implements (source, transform, sink).
 * Each class declares a typed option table; the core parses the YAML,
 * checks every option against that table and reports mistakes at their
 * YAML line and column, so plugins never see YAML.  Plugins call the core
 * only through the hz_host table handed to the entry function: they link
 * nothing from the harmonize executable.
 *
 * Records move in batches.  A batch is `nrows` rows of `ncols` fields, each
 * field a (pointer, length) view of UTF-8 bytes, row-major.  Column names
 * live in the schema agreed when the graph was built (plan()).
 *
 * Minimal source plugin (complete; build with
 *   cc -shared -fPIC $(pkg-config --cflags harmonize) -o count.so count.c):
 *
 *   #include <harmonize/plugin.h>
 *   #include <stdio.h>
 *   #include <stdlib.h>
 *
 *   static const hz_host *host;
 *   struct counter { long next, last; };
 *
 *   static const hz_option counter_options[] = {
 *       {"to", HZ_OPT_INT, "10", false, "count from 1 to this number", NULL},
 *       {0}};
 *
 *   static int counter_create(hz_component *c, void **self) {
 *       struct counter *s = calloc(1, sizeof *s);
 *       if (!s) return -1;
 *       s->next = 1;
 *       s->last = host->opt_int(c, "to");
 *       *self = s;
 *       return 0;
 *   }
 *   static int counter_plan(hz_component *c, void *self, const hz_schema *in,
 *                           hz_schema *out) {
 *       (void)self; (void)in;
 *       return host->schema_add(c, out, "n", NULL);
 *   }
 *   static int counter_read(hz_component *c, void *self, hz_batch *out) {
 *       struct counter *s = self;
 *       uint32_t feed = host->feed(c, "counter");
 *       while (s->next <= s->last && out->nrows < out->capacity) {
 *           hz_field *row = host->batch_add_row(out, (hz_origin){s->next, feed, 0});
 *           char *text = host->batch_alloc(out, 24);
 *           int n = snprintf(text, 24, "%ld", s->next++);
 *           row[0] = (hz_field){text, (size_t)n};
 *       }
 *       return out->nrows > 0 ? 1 : 0;
 *   }
 *   static const hz_source_class counter_source = {
 *       .doc = "emits the numbers 1..to", .options = counter_options,
 *       .create = counter_create, .plan = counter_plan, .read = counter_read,
 *       .destroy = free};
 *   static const hz_plugin counter_plugin = {
 *       HZ_ABI_MAJOR, HZ_ABI_MINOR, sizeof(hz_plugin), "counter", "1.0.0",
 *       "example source", &counter_source, NULL, NULL};
 *
 *   HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *h) {
 *       host = h;
 *       return &counter_plugin;
 *   }
 *
 * Compatibility rules (the SQLite-extension discipline): within one
 * HZ_ABI_MAJOR, structs here only grow at their end and the host table
 * only gains entries at its end.  A plugin built against an older minor
 * keeps working; a plugin may check `host->abi_minor` before using an
 * entry added later.  The loader refuses any other major.
 */
#ifndef HARMONIZE_PLUGIN_H
#define HARMONIZE_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HZ_ABI_MAJOR 1
#define HZ_ABI_MINOR 0

/* The name of the one symbol a plugin exports. */
#define HZ_ENTRY_SYMBOL "harmonize_plugin_entry"

#if defined(__GNUC__)
#define HZ_EXPORT            __attribute__((visibility("default")))
#define HZ_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define HZ_EXPORT
#define HZ_PRINTF(fmt, args)
#endif

/* ------------------------------------------------------------------ */
/* Opaque handles owned by the core.                                   */

/* One configured component of a pipeline (a source, a transform step,
 * a sink).  Valid from create() to destroy(). */
typedef struct hz_component hz_component;

/* The ordered column names flowing along one edge of the graph. */
typedef struct hz_schema hz_schema;

/* A configuration value (scalar, list or map) after ${VAR} expansion,
 * with its position in the pipeline file. */
typedef struct hz_value hz_value;

/* The table of core functions handed to every plugin (defined below). */
typedef struct hz_host hz_host;

/* ------------------------------------------------------------------ */
/* Records.                                                            */

/* A field: `len` bytes of UTF-8 at `ptr` (not NUL-terminated).  An empty
 * field has len 0; ptr may then be anything. */
typedef struct hz_field {
    const char *ptr;
    size_t len;
} hz_field;

/* Where a row came from: the physical line where the record starts in its
 * input file, and the feed (source component + file) it was read from, as
 * returned by host->feed().  `aux` is reserved (zero). */
/* hz_origin.feed of a row that comes from no input line (an aggregate's
 * total); feed_describe() gives "-" for it. */
#define HZ_FEED_NONE UINT32_MAX

typedef struct hz_origin {
    uint64_t line;
    uint32_t feed;
    uint32_t aux;
} hz_origin;

/* A batch of rows.  The core allocates batches; plugins fill them through
 * host->batch_add_row() and host->batch_alloc(), and read them directly.
 * Row r's fields are fields[r * ncols .. r * ncols + ncols - 1].
 *
 * Lifetime: a batch handed to a plugin (process() input, write() input) is
 * valid only during that call; copy what you keep.  Field bytes a
 * transform emits may point into its input batch: the core keeps the input
 * alive until everything downstream has consumed the output. */
typedef struct hz_batch {
    size_t nrows;       /* rows in use */
    size_t ncols;       /* fields per row (the schema's column count) */
    size_t capacity;    /* rows a source should stop at (read() may go past;
                           it only costs a reallocation) */
    hz_field *fields;   /* nrows * ncols views, row-major */
    hz_origin *origins; /* one per row */
    void *core;         /* owned by the core: arena and bookkeeping */
} hz_batch;

/* ------------------------------------------------------------------ */
/* Options: a typed table per class, checked by the core.              */

typedef enum hz_option_type {
    HZ_OPT_STRING = 1, /* any scalar */
    HZ_OPT_INT,        /* a decimal integer (int64) */
    HZ_OPT_BOOL,       /* true/false (also yes/no, on/off) */
    HZ_OPT_ENUM,       /* one of `choices` */
    HZ_OPT_LIST,       /* a sequence of scalars */
    HZ_OPT_MAP,        /* a mapping of scalar keys to scalar values */
    HZ_OPT_PATH,       /* a scalar path, resolved against the pipeline
                          file's folder unless absolute */
    HZ_OPT_ANY         /* anything; the plugin checks it with the value
                          API and reports with host->config_error() */
} hz_option_type;

/* One option.  Tables end with an all-zero entry. */
typedef struct hz_option {
    const char *name;
    hz_option_type type;
    const char *default_value; /* textual default (scalars only), or NULL */
    bool required;
    const char *doc;     /* one line, shown by `harmonize plugins X` */
    const char *choices; /* HZ_OPT_ENUM: "a|b|c"; else NULL */
} hz_option;

/* ------------------------------------------------------------------ */
/* Classes: what a plugin implements, one struct per kind.             */
/*                                                                     */
/* Return conventions: 0 success, -1 failure.  On failure the plugin   */
/* first reports why through host->config_error() (configuration,     */
/* during create/plan) or host->error() (run time: I/O, corrupt input). */
/* `self` is the plugin's per-component state made by create().        */

typedef struct hz_source_class {
    const char *doc;
    const hz_option *options;
    /* Read options, allocate state.  Nothing may be read yet. */
    int (*create)(hz_component *c, void **self);
    /* Declare the output columns into `out` (in is NULL).  May open the
     * input to read a header; must not read data rows. */
    int (*plan)(hz_component *c, void *self, const hz_schema *in, hz_schema *out);
    /* Append rows to `out` (which arrives empty) until out->capacity or
     * the end.  Return 1 while rows may follow, 0 at the end (rows
     * appended in this call are still delivered), -1 on failure. */
    int (*read)(hz_component *c, void *self, hz_batch *out);
    void (*destroy)(void *self);
} hz_source_class;

typedef struct hz_transform_class {
    const char *doc;
    const hz_option *options;
    int (*create)(hz_component *c, void **self);
    /* Declare output columns from the input columns.  This is where a
     * missing input column is reported (at the option value naming it),
     * so `harmonize validate` catches it before any data is read. */
    int (*plan)(hz_component *c, void *self, const hz_schema *in, hz_schema *out);
    /* Turn `in` into `out` (empty, with out->ncols set from plan()).
     * `input` is the index of the component's input the rows came from.
     * Every input row must end up emitted, rejected (host->reject) or
     * absorbed (host->absorb): the core checks the count.  NULL process
     * means "rows pass unchanged" (e.g. a rename). */
    int (*process)(hz_component *c, void *self, size_t input, const hz_batch *in, hz_batch *out);
    /* Called once all inputs have ended; may emit rows (aggregates).
     * Return 1 if called again is wanted (more rows), 0 when done. */
    int (*finish)(hz_component *c, void *self, hz_batch *out);
    /* Optional, for a transform that writes a side output (a report of
     * dropped duplicates): the same rules as a sink's open, commit and
     * abort.  open() is called only for `run`; commit() only when the
     * whole run succeeded; abort() otherwise. */
    int (*open)(hz_component *c, void *self);
    int (*commit)(hz_component *c, void *self);
    void (*abort)(hz_component *c, void *self);
    void (*destroy)(void *self);
} hz_transform_class;

typedef struct hz_sink_class {
    const char *doc;
    const hz_option *options;
    int (*create)(hz_component *c, void **self);
    /* Check the incoming columns; `out` is NULL. */
    int (*plan)(hz_component *c, void *self, const hz_schema *in, hz_schema *out);
    /* Prepare the output (temporary file, transaction).  Called only for
     * `run`, never for validate or --dry-run. */
    int (*open)(hz_component *c, void *self);
    int (*write)(hz_component *c, void *self, const hz_batch *in);
    /* The whole run succeeded: publish atomically (rename, COMMIT). */
    int (*commit)(hz_component *c, void *self);
    /* The run failed: discard everything, leave previous outputs as they
     * were.  May be called after a failed open(). */
    void (*abort)(hz_component *c, void *self);
    void (*destroy)(void *self);
} hz_sink_class;

/* The descriptor.  The first three fields never move. */
typedef struct hz_plugin {
    uint32_t abi_major;   /* HZ_ABI_MAJOR at build time */
    uint32_t abi_minor;   /* HZ_ABI_MINOR at build time */
    uint32_t struct_size; /* sizeof(hz_plugin) at build time */
    const char *name;     /* the `type:` users write; [a-z0-9_]+ */
    const char *version;
    const char *description;
    const hz_source_class *source;       /* NULL if not a source */
    const hz_transform_class *transform; /* NULL if not a transform */
    const hz_sink_class *sink;           /* NULL if not a sink */
} hz_plugin;

typedef const hz_plugin *(*hz_entry_fn)(const hz_host *host);

/* ------------------------------------------------------------------ */
/* The host API.                                                       */

typedef enum hz_value_kind { HZ_VALUE_SCALAR = 1, HZ_VALUE_LIST, HZ_VALUE_MAP } hz_value_kind;

typedef enum hz_log_level { HZ_LOG_INFO = 1, HZ_LOG_WARN } hz_log_level;

struct hz_host {
    uint32_t abi_major;
    uint32_t abi_minor;
    size_t size; /* sizeof(hz_host) in the core: entries below are
                    present when their offset is < size */

    /* -- diagnostics ------------------------------------------------ */
    /* Configuration error at `at` (a value from this component's options),
     * or at the component itself when `at` is NULL.  Printed as
     * FILE:LINE:COL: error: MESSAGE; the run exits 2. */
    void (*config_error)(hz_component *c, const hz_value *at, const char *fmt, ...) HZ_PRINTF(3, 4);
    /* Run-time failure (I/O, unreadable input): the run exits 1 and no
     * sink publishes. */
    void (*error)(hz_component *c, const char *fmt, ...) HZ_PRINTF(2, 3);
    /* A note on stderr, prefixed with the component's name. */
    void (*log)(hz_component *c, hz_log_level level, const char *fmt, ...) HZ_PRINTF(3, 4);

    /* -- options (already checked against the class's table) -------- */
    /* The option's value, its default when absent, or NULL. */
    const hz_value *(*option)(hz_component *c, const char *name);
    /* Scalar getters; the returned strings live as long as the component.
     * opt_string of an absent option without default is NULL; opt_int and
     * opt_bool return 0/false then. */
    const char *(*opt_string)(hz_component *c, const char *name);
    int64_t (*opt_int)(hz_component *c, const char *name);
    bool (*opt_bool)(hz_component *c, const char *name);
    /* HZ_OPT_PATH: resolved against the pipeline file's folder. */
    const char *(*opt_path)(hz_component *c, const char *name);

    /* -- values (lists, maps, HZ_OPT_ANY) ---------------------------- */
    hz_value_kind (*value_kind)(const hz_value *v);
    /* A scalar's text (NUL-terminated), or NULL for a list/map. */
    const char *(*value_string)(const hz_value *v);
    /* Items of a list, entries of a map; 0 for a scalar. */
    size_t (*value_count)(const hz_value *v);
    /* Item i of a list, or the value of entry i of a map. */
    const hz_value *(*value_item)(const hz_value *v, size_t i);
    /* The key of entry i of a map, as a value (for error positions). */
    const hz_value *(*value_key)(const hz_value *v, size_t i);
    /* Parse a scalar as an integer; false (and no report) if it is not. */
    bool (*value_int)(const hz_value *v, int64_t *out);

    /* -- schemas ---------------------------------------------------- */
    size_t (*schema_count)(const hz_schema *s);
    const char *(*schema_name)(const hz_schema *s, size_t i);
    /* Index of column `name`, or -1. */
    long (*schema_find)(const hz_schema *s, const char *name);
    /* Append a column.  A duplicate name is a configuration error reported
     * at `at` (or the component) and returns -1. */
    int (*schema_add)(hz_component *c, hz_schema *s, const char *name, const hz_value *at);
    /* Report that this component needs column `name` from its input, at
     * value `at`; returns its index, or -1 after reporting the column
     * missing (with the columns that do exist). */
    long (*schema_require)(hz_component *c, const hz_schema *in, const char *name, const hz_value *at);

    /* -- batches ---------------------------------------------------- */
    /* Append a row; returns its ncols fields, all empty.  The pointer is
     * valid until the next batch_add_row on this batch. */
    hz_field *(*batch_add_row)(hz_batch *b, hz_origin origin);
    /* `n` bytes that live as long as the batch's rows. */
    char *(*batch_alloc)(hz_batch *b, size_t n);

    /* -- provenance, rejects, counters ------------------------------ */
    /* Register the file a source reads; returns the feed id to put in
     * hz_origin.feed.  `file` is copied. */
    uint32_t (*feed)(hz_component *c, const char *file);
    /* The source component name and file behind a feed id. */
    void (*feed_describe)(hz_component *c, uint32_t feed, const char **component, const char **file);
    /* Reject row `row` of batch `b` with a reason code ([a-z_]+) and a
     * detail; the core writes it, with its provenance, to the rejects
     * sink.  The row must not also be emitted. */
    void (*reject)(hz_component *c, const hz_batch *b, size_t row, const char *reason, const char *fmt, ...)
        HZ_PRINTF(5, 6);
    /* Reject a record that never became a row (a source's malformed
     * line): its raw fields, its origin. */
    void (*reject_fields)(hz_component *c, hz_origin origin, const hz_field *fields, size_t nfields,
                          const char *reason, const char *fmt, ...) HZ_PRINTF(6, 7);
    /* Count `n` input rows consumed into something else (aggregated,
     * de-duplicated) under a label shown in the run summary. */
    void (*absorb)(hz_component *c, uint64_t n, const char *label);
    /* A line for the run summary under this component (e.g. the
     * unresolved spellings and their counts). */
    void (*summary_note)(hz_component *c, const char *fmt, ...) HZ_PRINTF(2, 3);

    /* -- context ---------------------------------------------------- */
    /* The component's name as the summary and errors show it. */
    const char *(*component_name)(hz_component *c);
    /* The pipeline file's folder (absolute). */
    const char *(*pipeline_dir)(hz_component *c);

    /* -- added in ABI 1.0, after the entries above ------------------ */
    /* Whether the pipeline wrote the option (as opposed to its default
     * applying): for options that only make sense together. */
    bool (*option_given)(hz_component *c, const char *name);
};

#ifdef __cplusplus
}
#endif
#endif /* HARMONIZE_PLUGIN_H */
