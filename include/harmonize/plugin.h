/*
 * harmonize/plugin.h - the one header a harmonize plugin needs.  ABI 1.4.
 *
 * A plugin is a shared object exporting one function, declared below,
 *
 *     const hz_plugin *harmonize_plugin_entry(const hz_host *host);
 *
 * which HZ_PLUGIN() defines: it keeps the host table in the plugin-wide
 * pointer `hz` and returns a static descriptor (the ABI the plugin was
 * built against, its name, version, and one class per kind it implements:
 * source, transform, sink).  Each class declares a typed option table; the
 * core parses the YAML, checks every option against that table and reports
 * mistakes at their YAML line and column, so plugins never see YAML.
 * Plugins call the core only through `hz`: they link nothing from the
 * harmonize executable.
 *
 * Records move in batches.  A batch is `nrows` rows of `ncols` fields, each
 * field a (pointer, length) view of UTF-8 bytes, row-major.  Column names
 * live in the schema agreed when the graph was built (plan()).
 *
 * Minimal source plugin (complete; build with
 *   cc -shared -fPIC $(pkg-config --cflags harmonize) -o counter.so counter.c):
 *
 *   #include <harmonize/plugin.h>
 *   #include <stdio.h>
 *   #include <stdlib.h>
 *
 *   struct counter { long next, last; uint32_t feed; };
 *
 *   static const hz_option counter_options[] = {
 *       {.name = "to", .type = HZ_OPT_INT, .default_value = "10",
 *        .doc = "count from 1 to this number"},
 *       {0}};
 *
 *   static int counter_create(hz_component *c, void **self) {
 *       struct counter *s = hz->xcalloc(1, sizeof *s);
 *       s->next = 1;
 *       s->last = hz->opt_int(c, "to");
 *       *self = s;
 *       return 0;
 *   }
 *   static int counter_plan(hz_component *c, void *self, const hz_schema *in,
 *                           hz_schema *out) {
 *       (void)in;
 *       struct counter *s = self;
 *       s->feed = hz->feed(c, "counter");
 *       return hz->schema_add(c, out, "n", NULL);
 *   }
 *   static int counter_read(hz_component *c, void *self, hz_batch *out) {
 *       (void)c;
 *       struct counter *s = self;
 *       while (s->next <= s->last && out->nrows < out->capacity) {
 *           hz_field *row = hz->batch_add_row(out, (hz_origin){.line = (uint64_t)s->next,
 *                                                              .feed = s->feed});
 *           char *text = hz->batch_alloc(out, 24);
 *           int n = snprintf(text, 24, "%ld", s->next++);
 *           row[0] = (hz_field){text, (size_t)n};
 *       }
 *       return s->next <= s->last ? 1 : 0;
 *   }
 *   static const hz_source_class counter_source = {
 *       HZ_CLASS_INIT(hz_source_class),
 *       HZ_OPTIONS(counter_options),
 *       .doc = "emits the numbers 1..to",
 *       .create = counter_create,
 *       .plan = counter_plan,
 *       .read = counter_read,
 *       .destroy = free,
 *   };
 *   static const hz_plugin counter_plugin = {
 *       HZ_PLUGIN_INIT,
 *       .name = "counter",
 *       .version = "1.0.0",
 *       .description = "example source",
 *       .source = &counter_source,
 *   };
 *   HZ_PLUGIN(counter_plugin)
 *
 * Compatibility rules.  Every struct a plugin fills (hz_plugin, the three
 * classes, hz_option, hz_output) carries its size as the plugin was
 * compiled: the descriptor and the classes in `struct_size`, the entries
 * of an option or output table in the class's `option_size` and
 * `output_size` (the table's stride).  The host table carries the core's
 * size in `struct_size`.  Within one HZ_ABI_MAJOR:
 *   - structs only grow at their end; nothing moves, nothing is removed;
 *   - the core reads a member of a plugin's struct only if the struct's
 *     size covers it, and takes a member it does not cover as 0 / NULL, so
 *     a plugin built against an older minor keeps working; members a later
 *     minor adds are always optional;
 *   - the core ignores the members of a newer plugin it does not know, so
 *     a plugin built against a newer minor loads too: before calling a host
 *     entry added after 1.0 it checks HZ_HOST_HAS(entry);
 *   - the loader refuses any other major, and any struct too small to hold
 *     the members marked "required" below.
 * What each minor appended: 1.1 the host entries stage_file,
 * input_progress, absorb_origin; 1.2 schema_personal, schema_set_personal,
 * sink_column (personal data); 1.3 hz_sink_class.plan_input and
 * write_input (a sink that sees each of its inputs apart) with the host
 * entries input_count, input_name, input_value, and set_feed_name (a feed
 * that is part of a file, e.g. a zip member); 1.4
 * hz_transform_class.plan_input (a transform that tells its inputs apart,
 * e.g. a join of a lookup table and rows) and the host entries feed_count
 * and feed_info (the run's feeds with their SHA-256, as the manifest lists
 * them: a report sink prints its data sources).
 *
 * Ownership.  Unless an entry says otherwise: strings and values the core
 * returns are owned by the core and live as long as the component (until
 * destroy()); strings a plugin passes in are copied when the core keeps
 * them, so a plugin may pass a stack buffer.  Batches are valid only during
 * the call they are handed to (see hz_batch).
 *
 * Memory.  A plugin allocates with hz->xmalloc, xcalloc, xrealloc and
 * xstrdup, which never return NULL (the memory is the C library's: release
 * it with free()).  When memory runs out the core reports it, discards every
 * output of the run, and exits with status 1, so plugins carry no
 * out-of-memory paths of their own.  Memory a library allocates for the
 * plugin (libxml2, SQLite) follows that library's rules: a NULL from it is
 * a run-time error like any other, reported with hz->error().
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
#define HZ_ABI_MINOR 4

/* The name of the one symbol a plugin exports. */
#define HZ_ENTRY_SYMBOL "harmonize_plugin_entry"

#if defined(__GNUC__)
#define HZ_EXPORT            __attribute__((visibility("default")))
#define HZ_HIDDEN            __attribute__((visibility("hidden")))
#define HZ_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define HZ_EXPORT
#define HZ_HIDDEN
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
 * with its position in the pipeline file.  Lives as long as the run. */
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

/* hz_origin.feed of a row that comes from no input line (an aggregate's
 * total); feed_describe() gives "-" for it. */
#define HZ_FEED_NONE UINT32_MAX

/* Where a row came from: the physical line where the record starts in its
 * input file, and the feed (source component + file) it was read from, as
 * returned by hz->feed().  `aux` is reserved and must be zero.  This
 * struct is passed by value and never changes. */
typedef struct hz_origin {
    uint64_t line;
    uint32_t feed;
    uint32_t aux;
} hz_origin;

/* A batch of rows.  The core allocates batches; plugins fill them through
 * hz->batch_add_row() and hz->batch_alloc(), and read them directly.
 * Row r's fields are fields[r * ncols .. r * ncols + ncols - 1].
 *
 * Lifetime: a batch handed to a plugin (process() input, write() input) is
 * valid only during that call; copy what you keep.  Field bytes a
 * transform emits may point into its input batch: the core keeps the input
 * alive until everything downstream has consumed the output.  Plugins
 * never allocate a batch, so the core may add members at its end. */
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
                          API and reports with hz->config_error() */
} hz_option_type;

/* One option.  A table ends with an entry whose name is NULL ({0}); the
 * class gives the entries' size in `option_size` (HZ_OPTIONS sets both),
 * so entries can grow.  Required: name, type. */
typedef struct hz_option {
    const char *name;          /* [a-z0-9_]+, unique in the table */
    hz_option_type type;       /* required */
    const char *default_value; /* textual default (scalars only), or NULL */
    bool required;             /* the pipeline must give it */
    const char *doc;           /* one line, shown by `harmonize plugins X` */
    const char *choices;       /* HZ_OPT_ENUM: "a|b|c"; else NULL */
} hz_option;

/* A named output: a second stream a source or transform emits besides its
 * rows (merge's dropped duplicates).  Other components read it as
 * `inputs: [COMPONENT.NAME]`.  Tables end with a NULL name; the class gives
 * the entries' size in `output_size` (HZ_OUTPUTS sets both). */
typedef struct hz_output {
    const char *name; /* [a-z0-9_]+, required */
    const char *doc;  /* one line, shown by `harmonize plugins X` */
} hz_output;

/* In a class initializer: the table and its entries' size. */
#define HZ_OPTIONS(table) .options = (table), .option_size = (uint32_t)sizeof((table)[0])
#define HZ_OUTPUTS(table) .outputs = (table), .output_size = (uint32_t)sizeof((table)[0])

/* ------------------------------------------------------------------ */
/* Classes: what a plugin implements, one struct per kind.             */
/*                                                                     */
/* Start every class with HZ_CLASS_INIT(its type) and name the other   */
/* members (designated initializers), so a recompile against a later   */
/* minor keeps it correct.                                             */
/*                                                                     */
/* Return conventions: 0 success, -1 failure.  On failure the plugin   */
/* first reports why through hz->config_error() (configuration,        */
/* during create/plan) or hz->error() (run time: I/O, corrupt input):  */
/* a -1 with no report is a plugin bug, and the core says so.          */
/* `self` is the plugin's per-component state made by create().        */
/* Call order for one component: create, plan, then for `run` only     */
/* the data callbacks, then destroy (always, even after a failure).    */

#define HZ_CLASS_INIT(type) .struct_size = (uint32_t)sizeof(type)

typedef struct hz_source_class {
    uint32_t struct_size; /* sizeof(hz_source_class) when built: required */
    uint32_t option_size; /* sizeof(hz_option) when built (HZ_OPTIONS) */
    uint32_t output_size; /* sizeof(hz_output) when built (HZ_OUTPUTS) */
    const char *doc;
    const hz_option *options; /* NULL: no options */
    const hz_output *outputs; /* NULL: no named outputs */
    /* Read options, allocate state.  Nothing may be read yet. */
    int (*create)(hz_component *c, void **self);
    /* Declare the output columns into `out` (in is NULL), and those of each
     * named output (hz->output_schema).  May open the input to read a
     * header (keep it open in `self` if the input cannot be read twice);
     * must not consume data rows.  Called for validate, --dry-run and run. */
    int (*plan)(hz_component *c, void *self, const hz_schema *in, hz_schema *out);
    /* Required.  Append rows to `out` (which arrives empty) until
     * out->capacity or the end.  Return 1 while rows may follow, 0 at the
     * end (rows appended in this call are still delivered), -1 on failure. */
    int (*read)(hz_component *c, void *self, hz_batch *out);
    /* Release `self` (may be NULL when create failed early). */
    void (*destroy)(void *self);
} hz_source_class;

typedef struct hz_transform_class {
    uint32_t struct_size; /* required */
    uint32_t option_size;
    uint32_t output_size;
    const char *doc;
    const hz_option *options;
    const hz_output *outputs;
    int (*create)(hz_component *c, void **self);
    /* Declare output columns from the input columns.  This is where a
     * missing input column is reported (at the option value naming it),
     * so `harmonize validate` catches it before any data is read.  NULL:
     * the output has the input's columns. */
    int (*plan)(hz_component *c, void *self, const hz_schema *in, hz_schema *out);
    /* Turn `in` into `out` (empty, with out->ncols set from plan()).
     * `input` is the index of the component's input the rows came from.
     * Every input row must end up emitted (to `out` or a named output),
     * rejected (hz->reject) or absorbed (hz->absorb): the core checks the
     * count.  NULL: rows pass unchanged (a rename). */
    int (*process)(hz_component *c, void *self, size_t input, const hz_batch *in, hz_batch *out);
    /* Called once all inputs have ended; may emit rows (aggregates).
     * Return 1 to be called again (more rows), 0 when done, -1 on failure. */
    int (*finish)(hz_component *c, void *self, hz_batch *out);
    void (*destroy)(void *self);

    /* -- added in 1.4: a transform that tells its inputs apart ---------- */
    /* A transform with plan_input() sees each of its inputs on its own (a
     * join: a lookup table and the rows to complete).  The core then does
     * not require its inputs to have the same columns: it calls
     * plan_input() once per input, input 0 first, with that input's own
     * schema (check and remember its columns there), then plan() with `in`
     * NULL to declare the output (plan() is then required); at run time
     * process() receives each input's rows in that input's own columns, in
     * the order the input's schema gave them (no reordering), with `input`
     * its index.  A column of the output is personal data when marked so
     * (hz->schema_set_personal) or when a column of that name is personal
     * in any input.  Rows process() rejects are judged by the schema of
     * the input they came from.  Without plan_input() (and for any plugin
     * built against 1.0 to 1.3) nothing changes: the inputs must have the
     * same columns and process() receives them in the first input's
     * order. */
    int (*plan_input)(hz_component *c, void *self, size_t input, const hz_schema *in);
} hz_transform_class;

/* A sink publishes in two phases, so that a run publishes all of its
 * outputs or none: the core calls prepare() on every sink of the run, and
 * commit() on each only when all of them prepared.  prepare() does
 * everything that can fail (flush and fsync the temporary file, build the
 * indexes, load the new table); commit() only makes the prepared result
 * visible (rename, COMMIT, a table swap).  abort() discards whatever was
 * not committed; it may follow a failed open() or prepare(). */
typedef struct hz_sink_class {
    uint32_t struct_size; /* required */
    uint32_t option_size;
    uint32_t output_size; /* sinks have no outputs: 0 */
    const char *doc;
    const hz_option *options;
    const hz_output *outputs; /* NULL */
    int (*create)(hz_component *c, void **self);
    /* Check the incoming columns; `out` is NULL. */
    int (*plan)(hz_component *c, void *self, const hz_schema *in, hz_schema *out);
    /* Start the output (temporary file, transaction).  Called only for
     * `run`, never for validate or --dry-run. */
    int (*open)(hz_component *c, void *self);
    /* Required.  Write one batch. */
    int (*write)(hz_component *c, void *self, const hz_batch *in);
    /* Every row is written: do all that can still fail.  NULL: nothing. */
    int (*prepare)(hz_component *c, void *self);
    /* Required.  Make the prepared output visible. */
    int (*commit)(hz_component *c, void *self);
    void (*abort)(hz_component *c, void *self);
    void (*destroy)(void *self);

    /* -- added in 1.3: a sink that tells its inputs apart -------------- */
    /* A sink with write_input() sees each of its inputs on its own (a
     * workbook writing one sheet per input).  The core then does not
     * require its inputs to have the same columns, and does not merge
     * them: plan() is called with `in` NULL, then plan_input() once per
     * input, input 0 first, with that input's own schema (for the
     * personal-data check, hz->sink_column() names a column of it); at run
     * time write_input() is called instead of write(), with the index of
     * the input the rows came from (its place in `inputs:`; the batch has
     * that input's columns).  hz->input_count() and hz->input_name() tell
     * the inputs apart by name.  Without write_input() (and for any plugin
     * built against 1.0 to 1.2) nothing changes: the inputs must have the
     * same columns and write() receives their union.  write() may then be
     * NULL, but a plugin that must also load in an older core (which
     * requires write()) sets it too and gets the union there. */
    int (*plan_input)(hz_component *c, void *self, size_t input, const hz_schema *in);
    int (*write_input)(hz_component *c, void *self, size_t input, const hz_batch *in);
} hz_sink_class;

/* The descriptor.  abi_major, abi_minor and struct_size never move. */
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

/* The first members of every descriptor. */
#define HZ_PLUGIN_INIT                                                                                       \
    .abi_major = HZ_ABI_MAJOR, .abi_minor = HZ_ABI_MINOR, .struct_size = (uint32_t)sizeof(hz_plugin)

/* ------------------------------------------------------------------ */
/* The host API.                                                       */

typedef enum hz_value_kind { HZ_VALUE_SCALAR = 1, HZ_VALUE_LIST, HZ_VALUE_MAP } hz_value_kind;

typedef enum hz_log_level { HZ_LOG_INFO = 1, HZ_LOG_WARN } hz_log_level;

/* One feed of the run (hz->feed_info, ABI 1.4), as the run's manifest
 * lists it.  The caller sets struct_size to sizeof(hz_feed_info); the core
 * fills only the members that size covers, so the struct may grow at its
 * end.  The strings are the core's and live until the run ends. */
typedef struct hz_feed_info {
    uint32_t struct_size; /* set by the caller */
    const char *source;   /* the source component that read it */
    const char *name;     /* as rejects, the summary and the manifest name it:
                             the file relative to the pipeline's folder, or the
                             name a source gave (hz->set_feed_name) */
    const char *file;     /* the file as the source gave it to hz->feed() */
    const char *sha256;   /* 64 lowercase hex digits, the manifest's; NULL when
                             the file is no regular file (a pipe) or unreadable */
    uint64_t bytes;       /* the file's size when hashed (0 without sha256) */
    uint64_t rows;        /* rows the source made of it (the manifest's records) */
    uint64_t rejected;    /* rows of it rejected anywhere in the run */
} hz_feed_info;

struct hz_host {
    uint32_t abi_major;
    uint32_t abi_minor;
    uint32_t struct_size; /* sizeof(hz_host) in the core: see HZ_HOST_HAS */

    /* -- diagnostics ------------------------------------------------ */
    /* Configuration error at `at` (a value from this component's options),
     * or at the component itself when `at` is NULL.  Printed as
     * FILE:LINE:COL: error: MESSAGE; the run exits 2. */
    void (*config_error)(hz_component *c, const hz_value *at, const char *fmt, ...) HZ_PRINTF(3, 4);
    /* Run-time failure (I/O, unreadable input): printed with the plugin
     * and component names; the run exits 1 and nothing is published.
     * During plan() it is printed at the component's position and
     * `validate` exits 2. */
    void (*error)(hz_component *c, const char *fmt, ...) HZ_PRINTF(2, 3);
    /* A note on stderr, prefixed with the component's name. */
    void (*log)(hz_component *c, hz_log_level level, const char *fmt, ...) HZ_PRINTF(3, 4);

    /* -- options (already checked against the class's table) -------- */
    /* The option's value, its default when absent, or NULL. */
    const hz_value *(*option)(hz_component *c, const char *name);
    /* Whether the pipeline wrote the option (as opposed to its default
     * applying): for options that only make sense together. */
    bool (*option_given)(hz_component *c, const char *name);
    /* Scalar getters; the strings live as long as the component.
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
    /* Schemas are the core's; they live until the run ends. */
    size_t (*schema_count)(const hz_schema *s);
    /* Column i's name (NULL past the end), owned by the schema. */
    const char *(*schema_name)(const hz_schema *s, size_t i);
    /* Index of column `name`, or -1. */
    long (*schema_find)(const hz_schema *s, const char *name);
    /* Append a column; `name` is copied.  A duplicate name is a
     * configuration error reported at `at` (or the component) and
     * returns -1. */
    int (*schema_add)(hz_component *c, hz_schema *s, const char *name, const hz_value *at);
    /* Report that this component needs column `name` from its input, at
     * value `at`; returns its index, or -1 after reporting the column
     * missing (with the columns that do exist). */
    long (*schema_require)(hz_component *c, const hz_schema *in, const char *name, const hz_value *at);

    /* -- named outputs ---------------------------------------------- */
    /* Output `index` (0-based, in the order of the class's `outputs`
     * table).  In plan(): its schema, empty, to fill with schema_add.  In
     * read(), process() and finish(): its batch, empty at the start of the
     * call and delivered to its readers after the call returns.  NULL for
     * an index the class does not declare. */
    hz_schema *(*output_schema)(hz_component *c, size_t index);
    hz_batch *(*output_batch)(hz_component *c, size_t index);
    /* Whether any component reads output `index`: when none does, rows
     * emitted to it are discarded and need not be built. */
    bool (*output_wanted)(hz_component *c, size_t index);

    /* -- batches ---------------------------------------------------- */
    /* Append a row; returns its ncols fields, all empty.  The pointer is
     * valid until the next batch_add_row on this batch. */
    hz_field *(*batch_add_row)(hz_batch *b, hz_origin origin);
    /* `n` bytes that live as long as the batch's rows (never NULL). */
    char *(*batch_alloc)(hz_batch *b, size_t n);

    /* -- provenance, rejects, counters ------------------------------ */
    /* Register the file a source reads; returns the feed id to put in
     * hz_origin.feed.  `file` is copied. */
    uint32_t (*feed)(hz_component *c, const char *file);
    /* The source component name and file behind a feed id; the strings
     * live until the run ends.  Either out-pointer may be NULL. */
    void (*feed_describe)(hz_component *c, uint32_t feed, const char **component, const char **file);
    /* Reject row `row` of batch `b` with a reason code ([a-z_]+) and a
     * detail; the core sends it, with its provenance, to the rejects
     * sinks.  The row must not also be emitted. */
    void (*reject)(hz_component *c, const hz_batch *b, size_t row, const char *reason, const char *fmt, ...)
        HZ_PRINTF(5, 6);
    /* Reject a record that never became a row (a source's malformed
     * line): its raw fields (copied), its origin. */
    void (*reject_fields)(hz_component *c, hz_origin origin, const hz_field *fields, size_t nfields,
                          const char *reason, const char *fmt, ...) HZ_PRINTF(6, 7);
    /* Count `n` input rows consumed into something else (aggregated,
     * de-duplicated) under a label (copied) shown in the run summary. */
    void (*absorb)(hz_component *c, uint64_t n, const char *label);
    /* A line for the run summary under this component (e.g. the
     * unresolved spellings and their counts). */
    void (*summary_note)(hz_component *c, const char *fmt, ...) HZ_PRINTF(2, 3);

    /* -- context ---------------------------------------------------- */
    /* The component's name as the summary and errors show it. */
    const char *(*component_name)(hz_component *c);
    /* The pipeline file's folder (absolute). */
    const char *(*pipeline_dir)(hz_component *c);
    /* `path` as messages and provenance show it: relative to the
     * pipeline's folder when inside it.  Returns `path` or a pointer into
     * it (nothing is allocated). */
    const char *(*display_path)(hz_component *c, const char *path);

    /* -- memory: never NULL (see "Memory" above); release with free() - */
    void *(*xmalloc)(size_t n);
    void *(*xcalloc)(size_t n, size_t size);
    void *(*xrealloc)(void *p, size_t n);
    char *(*xstrdup)(const char *s);

    /* -- outputs ---------------------------------------------------- */
    /* A sink says, in plan(), what it will write: a file `path` (copied),
     * or `table` (copied) in that file, or a table of a database that is
     * no file (path NULL; name the database in `table`, e.g. its
     * connection and the table).  The core refuses, as a configuration
     * error at `at`, two sinks on one file or one table, a sink on a file a
     * source reads, and a path whose folder is a file or that is a folder.
     * Returns 0, or -1 after reporting. */
    int (*claim_output)(hz_component *c, const char *path, const char *table, const hz_value *at);

    /* -- added in 1.1: check HZ_HOST_HAS(entry) before calling ------- */
    /* The name of a new file that becomes `target` when the sink commits
     * (rename it over `target` in commit()).  The core records the pair in
     * the run's journal before it returns, so that whatever happens to the
     * process the file is not lost track of: a run that dies before every
     * output is prepared has it removed by the next run, one that dies
     * while committing has it renamed into place by the next run.  The
     * name is in `target`'s folder (one file system, so the rename is
     * atomic); the sink creates the file (O_CREAT | O_EXCL) and, in
     * prepare(), makes it complete and durable (fsync).  Owned by the
     * core, valid until destroy().  NULL after reporting, among other
     * reasons when `target` is a symbolic link (the core never lets a sink
     * write through one or replace it).  Create the file with mode 0666:
     * the core's umask gives it the output's file_mode from its creation,
     * and the core sets that mode exactly before the file is published. */
    const char *(*stage_file)(hz_component *c, const char *target);
    /* A source says how far it has read its input: `done` bytes of
     * `total` (0 when unknown, e.g. a pipe).  For the progress shown on a
     * terminal; cheap enough to call once per batch. */
    void (*input_progress)(hz_component *c, uint64_t done, uint64_t total);
    /* absorb() for one row whose origin is known: counted like absorb(c,
     * 1, label), and under its feed too, so that the run's manifest shows
     * per input how many of its rows were absorbed (e.g. duplicates).  For
     * rows dropped one by one; a transform absorbing every row (an
     * aggregate) calls absorb() once per batch instead. */
    void (*absorb_origin)(hz_component *c, hz_origin origin, const char *label);

    /* -- added in 1.2: personal data (the pipeline's pii: key) -------- */
    /* Whether column i of `s` holds personal data: a column the pipeline
     * declares in pii:, one a source marked, and, downstream, a column of
     * the same name as a personal column of the component's input.  Sinks
     * refuse to write such columns (unless allow_pii: true) and the
     * rejects' records leave them out. */
    bool (*schema_personal)(const hz_schema *s, size_t i);
    /* In plan(), on the component's own output schema: mark column i as
     * personal data (a source that knows, e.g. a column list entry with
     * pii: true; a transform that writes a personal value under a new
     * name, e.g. a rename) or as no longer personal (a transform that
     * replaced its values, e.g. by a keyed hash).  A column the pipeline
     * declares stays personal in the source that reads it, whatever the
     * source says. */
    void (*schema_set_personal)(hz_component *c, hz_schema *s, size_t i, bool personal);
    /* In a sink's plan(): it writes column i of its input, named at `at`
     * (its entry in the sink's column list) or NULL.  A sink that never
     * calls it is taken to write every column of its input.  Returns 0,
     * or -1 after reporting a configuration error at `at` (else at the
     * sink) when the column holds personal data and the sink has no
     * allow_pii: true. */
    int (*sink_column)(hz_component *c, const hz_schema *in, size_t i, const hz_value *at);

    /* -- added in 1.3: a component's inputs --------------------------- */
    /* How many inputs the component reads: the entries of its `inputs:`
     * (a step of a chain reads 1, the step before it; the rejects sink
     * reads 1; a source 0). */
    size_t (*input_count)(hz_component *c);
    /* Input i as the pipeline names it: a component (`top_hosts`, the
     * name a user wrote in `inputs:`), a component's named output
     * (`returns.duplicates`), `rejects` for the rejects sink's input, or
     * the step before it for a step of a chain (`tidy[1]`).  NULL past
     * the end. */
    const char *(*input_name)(hz_component *c, size_t i);
    /* The entry naming input i in the component's `inputs:`, for a
     * configuration error's position; NULL when the input is implicit (a
     * step's, the rejects sink's) or past the end. */
    const hz_value *(*input_value)(hz_component *c, size_t i);

    /* -- added in 1.3: a feed's name -------------------------------- */
    /* How rejects, messages (feed_describe), the summary and the run's
     * manifest name feed `feed`, which this component registered with
     * feed(): `name` (copied) instead of the file, for a feed that is part
     * of a file, e.g. `offices.zip:avrr_niger.csv` for a member of a zip
     * archive.  The file stays what feed() was given: it is the one the
     * core protects from sinks and hashes for the manifest.  Call it in
     * plan(), once the part is known.  A feed of another component is a
     * plugin bug: the core reports it and the run fails. */
    void (*set_feed_name)(hz_component *c, uint32_t feed, const char *name);

    /* -- added in 1.4: the run's feeds, as its manifest lists them ------ */
    /* How many feeds the run has registered (every source's files, in the
     * order of the manifest's `inputs`). */
    size_t (*feed_count)(hz_component *c);
    /* Feed i (the id hz->feed() returned), filled into `out` (set
     * out->struct_size first).  Valid in a sink's prepare() and commit()
     * (the core has read every row and waited for the inputs' hashes by
     * then; the hashes are the very ones the manifest records): returns
     * 0, or -1 (with `out` untouched) past the end or when called earlier,
     * before the rows are all read. */
    int (*feed_info)(hz_component *c, size_t i, hz_feed_info *out);
};

/* Whether the core's host table has entry `member` (one added after the
 * minor a plugin needs at least). */
#define HZ_HOST_HAS(member)                                                                                  \
    (hz->struct_size >= offsetof(hz_host, member) + sizeof(((const hz_host *)0)->member))

/* The entry point every plugin exports; HZ_PLUGIN defines it. */
HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host);
typedef const hz_plugin *(*hz_entry_fn)(const hz_host *host);

/* The host table, for every file of the plugin.  Defined by HZ_PLUGIN in
 * exactly one of them; hidden, so two plugins never share it. */
extern HZ_HIDDEN const hz_host *hz;

/* In exactly one file of a plugin: defines `hz` and the entry point, which
 * keeps the host table and returns the descriptor.  The core calls it once,
 * right after loading the file; it does nothing else. */
#define HZ_PLUGIN(descriptor)                                                                                \
    HZ_HIDDEN const hz_host *hz;                                                                             \
    HZ_EXPORT const hz_plugin *harmonize_plugin_entry(const hz_host *host) {                                 \
        hz = host;                                                                                           \
        return &(descriptor);                                                                                \
    }

#ifdef __cplusplus
}
#endif
#endif /* HARMONIZE_PLUGIN_H */
