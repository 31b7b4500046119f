/* The pipeline model: components built from the YAML tree, their plugins,
 * checked options, the edges of the graph and the run's bookkeeping. */
#ifndef HZ_PIPELINE_H
#define HZ_PIPELINE_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <harmonize/plugin.h>

#include "class.h"
#include "diag.h"
#include "registry.h"
#include "reject_limits.h"
#include "util.h"
#include "value.h"
#include "vars.h"

/* The columns, in order, and an open-addressing hash of their names
 * (slot: index + 1, 0 empty), so that adding or finding a column costs the
 * same with 10 or 100,000 columns (a linear search made a wide header
 * quadratic to plan). */
struct hz_schema {
    char **names;
    unsigned char *pii; /* per column: HZ_PII_* flags (pii.h) */
    size_t count, cap;
    size_t *slots;
    size_t nslots; /* a power of two, at least twice count */
};

typedef struct hz_pipeline hz_pipeline;

/* One stream of rows: a component's main output (index 0), one of its
 * named outputs (1..), or the pipeline's rejects; the components reading
 * it, and in which of their input slots. */
typedef struct hz_stream {
    struct hz_component *owner; /* NULL for the rejects stream */
    const char *name;           /* the output's name; NULL for the main output */
    hz_schema *schema;
    hz_batch *batch; /* a named output's batch, handed to the plugin */
    size_t nconsumers;
    struct hz_component **consumers;
    size_t *consumer_slot;
    uint64_t rows;
} hz_stream;

typedef struct hz_absorbed {
    char *label;
    uint64_t rows;
} hz_absorbed;

struct hz_component {
    char *name; /* as shown: `tidy`, or `tidy[2]` for a step */
    char *ref;  /* the name inputs refer to (NULL for inner steps) */
    hz_role role;
    bool is_rejects; /* the pipeline's rejects: sink */
    hz_pipeline *pipeline;
    const hz_value *name_value; /* the key naming it (for positions) */
    const hz_value *node;       /* the mapping holding type and options */
    const hz_value *type_value;
    const hz_value *inputs_value;
    const hz_loaded_plugin *plugin;
    const hz_class *cls; /* the plugin's class for this role */
    const hz_option *options;
    size_t noptions;
    const hz_value **opt_values; /* per option: given, default, or NULL */
    hz_value **defaults;         /* values made from textual defaults */
    char **paths;                /* HZ_OPT_PATH values, resolved */

    size_t ninputs;
    struct hz_component **inputs; /* the components read */
    hz_stream **input_streams;    /* and which of their streams */
    const hz_value **input_refs;  /* where each input is named */
    hz_stream *streams;           /* [0] main output, [1..] named outputs (not for sinks) */
    size_t nstreams;

    hz_schema *schema;   /* output columns: streams[0].schema (not for sinks) */
    size_t **input_maps; /* per input: its column i goes to [i], or NULL */
    bool planned, plan_failed;
    void *self;
    bool created;

    hz_batch *out;   /* transform output */
    hz_batch *remap; /* union input reordered */
    uint64_t rows_in, rows_out, rejected, absorbed;
    hz_absorbed *absorbed_labels;
    size_t nabsorbed_labels;
    hz_strbuf notes;
    int64_t min_rows;  /* a source: fewer rows than this fail the run */
    double max_change; /* a source: percent of change from the last run allowed; -1: any */
    bool opened;       /* open() called, neither committed nor aborted yet */
    bool prepared;     /* prepare() succeeded */
    bool published;    /* commit() succeeded */
    bool commit_failed;
    uint64_t input_done, input_total; /* a source's bytes read, of (0: unknown) */

    /* A source's max_rejects (reject_limits.h): a count (-1: none) or a
     * percent of the rows it read (scale 0: none), of the rejects of its
     * rows wherever they were rejected (origin_rejects). */
    int64_t max_rejects;
    hz_reject_percent max_rejects_percent;
    uint64_t origin_rejects;

    /* Personal data (pii.h). */
    bool allow_pii;          /* a sink: allow_pii: true */
    bool sink_named_columns; /* a sink said which columns it writes */
    bool *input_named;       /* a per-input sink (ABI 1.3): per input, the same */
    size_t writing_input;    /* a sink, a transform: the input of the batch being written / processed */
    bool writes_record;      /* a rejects sink writes the rows' records */
    hz_schema *merged_input; /* several inputs: the first's columns, marked
                                personal where any input's is */

    /* A sink's `file_mode:` and `follow_symlinks:` (file_mode.h,
     * output_links.h). */
    mode_t file_mode;
    bool file_mode_given;
    bool follow_symlinks;

    /* `harmonize test`: a source's rows given inline in the test file
     * (owned by the test, not the component): the source plugin is never
     * created, its columns are those of the inline rows. */
    const hz_schema *inline_schema;
    const hz_batch *inline_rows;
};

typedef struct hz_claim hz_claim;

typedef struct hz_feed {
    char *file; /* as displayed: relative to the pipeline folder when inside it */
    char *path; /* as the source gave it */
    bool named; /* `file` is a name the source gave (hz->set_feed_name) */
    hz_component *source;
    uint64_t records;      /* rows the source made of it */
    uint64_t rejected;     /* rows of it rejected anywhere in the run */
    hz_absorbed *absorbed; /* rows of it absorbed, by label (hz->absorb_origin) */
    size_t nabsorbed;
    /* Once every row is read (hz_feeds_settle): the manifest's hash and
     * size of the file, for hz->feed_info; sha256 NULL when it has none. */
    char *sha256;
    uint64_t bytes;
} hz_feed;

/* A file a sink builds under a temporary name (hz->stage_file). */
typedef struct hz_staged {
    char *target, *temp;
    mode_t mode; /* what the file gets before it is published (file_mode.h) */
} hz_staged;

/* Rejected rows by reason code, for the manifest. */
typedef struct hz_reason_count {
    char *reason;
    uint64_t rows;
} hz_reason_count;

typedef enum { HZ_MODE_VALIDATE, HZ_MODE_DRY_RUN, HZ_MODE_RUN, HZ_MODE_TEST } hz_mode;

/* `harmonize test` (HZ_MODE_TEST): what the run shows the test instead of
 * writing it.  `rows`: a batch delivered on stream s, or, s NULL, the
 * batch sink c would have written; `reject`: a rejected row with its
 * columns (s NULL when they are not known) and its raw detail. */
typedef struct hz_test_hooks {
    void *ctx;
    void (*rows)(void *ctx, const struct hz_component *c, const struct hz_stream *s, const hz_batch *b);
    void (*reject)(void *ctx, struct hz_component *c, const hz_schema *s, const hz_field *fields, size_t n,
                   hz_origin origin, const char *reason, const char *detail);
} hz_test_hooks;

struct hz_pipeline {
    hz_document *doc;
    char *file; /* as given on the command line */
    char *dir;  /* absolute folder of the pipeline file */
    const char *name;
    hz_mode mode;
    hz_diag *diag;
    hz_registry *registry;
    hz_component **comps; /* every component, in file order */
    size_t ncomps;
    hz_component **order; /* topological order */
    size_t norder;
    hz_component **sources; /* the order sources are read in */
    size_t nsources;
    hz_component **rejects; /* the rejects: sink, or each of its list */
    size_t nrejects;
    hz_schema rejects_schema;
    hz_stream rejects_stream; /* read by the rejects sinks */
    hz_batch *reject_batch;
    int64_t max_rejects; /* -1: no limit */
    unsigned timeout;    /* --timeout SECONDS; 0: none */
    uint64_t total_rejects;
    uint64_t rejects_unwritten; /* without a rejects: sink */

    /* max_rejects as a percent of the rows the sources read (max_rejects
     * above is a count): scale 0, none (reject_limits.h). */
    hz_reject_percent max_rejects_percent;

    hz_feed *feeds;
    size_t nfeeds;
    hz_claim *claims; /* the sinks' outputs (claims.h) */
    size_t nclaims;
    bool failed; /* a run-time error was reported */
    bool in_plan;
    char *state_dir;            /* the lock, the journal, the runs' manifests */
    struct hz_journal *journal; /* the run's intent journal (journal.h) */
    hz_staged *staged;          /* the files of hz->stage_file */
    size_t nstaged;
    const char *run_id; /* e.g. 20261205T113501Z-4242 */
    double started_at;  /* wall clock, seconds since the epoch */
    hz_reason_count *reasons;
    size_t nreasons;
    /* The manifest (manifest.h) and the run's record in the state folder. */
    char *manifest_path;                  /* published beside the outputs, or NULL */
    const hz_value *manifest_at;          /* the `manifest:` key's value, if given */
    bool manifest_off;                    /* manifest: false */
    int64_t keep_runs;                    /* run records kept in STATE/runs */
    char *run_dir;                        /* STATE/runs/RUN_ID */
    struct json_t *last_success;          /* the last successful run's manifest */
    char *manifest_temp;                  /* the published manifest, staged */
    void *reject_log;                     /* FILE *: STATE/runs/RUN_ID/rejects.csv */
    struct hz_input_hashes *input_hashes; /* the inputs' SHA-256, hashed beside the run */
    bool feeds_settled;                   /* every row read and the hashes joined: hz->feed_info answers */
    /* The pii: key: the columns declared personal data. */
    const hz_value *pii_value; /* NULL when the key is absent */
    const char **pii_names;    /* borrowed from the document */
    const hz_value **pii_at;
    size_t npii;
    bool pii_on;      /* some column is personal: screen the rejects */
    mode_t file_mode; /* the top-level `file_mode:` (file_mode.h) */
    bool file_mode_given;
    const hz_test_hooks *test; /* HZ_MODE_TEST only */
};

/* Build the model from a loaded document: top-level keys, components,
 * plugin types and options.  Errors go to diag. */
hz_pipeline *hz_pipeline_build(hz_document *doc, const char *file, hz_registry *reg, hz_diag *diag,
                               hz_mode mode);
void hz_pipeline_free(hz_pipeline *p);
/* The component others name `ref`, or NULL. */
hz_component *hz_pipeline_find(hz_pipeline *p, const char *ref);
/* The pipeline's state folder (the run lock): its `state_dir`, resolved
 * against its folder, or .harmonize/NAME in its folder.  NULL after an
 * error in diag. */
char *hz_pipeline_state_dir(const hz_document *doc, const char *file, hz_diag *diag);
/* The folders of the pipeline's plugin_path, resolved against its folder. */
char **hz_pipeline_plugin_path(const hz_document *doc, const char *file, size_t *n, hz_diag *diag);

/* Component helpers shared by the core's files. */
hz_schema *hz_schema_new(void);
void hz_schema_free(hz_schema *s);
void hz_schema_push(hz_schema *s, const char *name);
long hz_schema_index(const hz_schema *s, const char *name);
/* A sink's `mode:` when its plugin has no option of that name: the short
 * name of `file_mode:`. */
void hz_sink_mode_key(hz_component *c, const hz_value *key, const hz_value *v);
/* Report a configuration error at `at` (or the component's type line). */
void hz_component_config_error(hz_component *c, const hz_value *at, const char *fmt, ...) HZ_PRINTF(3, 4);
#endif
