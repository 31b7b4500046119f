/* One plugin, built three times by make check: against tests/abi/older
 * (structs that end before members appended later) as `compat_older`,
 * against tests/abi/v1_2 (the header of ABI 1.2, before sinks could tell
 * their inputs apart) as `compat_v12`, and against tests/abi/newer (ABI
 * 1.5, members the core does not know) as `compat_newer`.
 * tests/abi/test_abi_compat.sh runs them in the real core.
 *
 * Every class is followed in memory by poison: a core that read a member
 * past a class's struct_size would call address 1 and crash.  Callbacks
 * only a 1.5 core knows abort() if called.  State is static, because the
 * older classes have no destroy(). */
#include <harmonize/plugin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(COMPAT_NEWER)
#define NAME "compat_newer"
#elif defined(COMPAT_V12)
#define NAME "compat_v12"
#else
#define NAME "compat_older"
#endif

#define POISON                                                                                               \
    { 1, 1, 1, 1, 1, 1, 1, 1 }

/* ---- source: numbers 1..rows, and the odd ones on the output `odds` ---- */

typedef struct numbers {
    int64_t next, last;
    uint32_t feed;
} numbers;
static numbers number_states[4];
static size_t nnumber_states;

static const hz_option number_options[] = {
#ifdef COMPAT_NEWER
    {.name = "rows",
     .type = HZ_OPT_INT,
     .default_value = "3",
     .doc = "how many",
     .since = "1.1",
     .min = 0,
     .max = 1000},
#else
    {.name = "rows", .type = HZ_OPT_INT, .default_value = "3"},
#endif
    {.name = "label", .type = HZ_OPT_STRING, .default_value = "x"},
    {0},
};

static const hz_output number_outputs[] = {
#ifdef COMPAT_NEWER
    {.name = "odds", .doc = "the odd numbers", .unit = "a number"},
#else
    {.name = "odds"},
#endif
    {0},
};

static int numbers_create(hz_component *c, void **self) {
    if (nnumber_states == sizeof number_states / sizeof *number_states) {
        hz->config_error(c, NULL, "at most 4 components of this test plugin");
        return -1;
    }
    numbers *s = &number_states[nnumber_states++];
    s->next = 1;
    s->last = hz->opt_int(c, "rows");
    *self = s;
#ifdef COMPAT_NEWER
    /* An entry of 1.5, used only when the core has it. */
    if (!HZ_HOST_HAS(run_id)) hz->log(c, HZ_LOG_INFO, "this core has no run_id(): using the 1.0 path");
#endif
    return 0;
}

static int numbers_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)in;
    numbers *s = self;
    s->feed = hz->feed(c, NAME);
    hz_schema *odds = hz->output_schema(c, 0);
    if (hz->schema_add(c, out, "n", NULL) != 0 || hz->schema_add(c, out, "label", NULL) != 0) return -1;
    return hz->schema_add(c, odds, "odd", NULL);
}

static int numbers_read(hz_component *c, void *self, hz_batch *out) {
    numbers *s = self;
    const char *label = hz->opt_string(c, "label");
    hz_batch *odds = hz->output_wanted(c, 0) ? hz->output_batch(c, 0) : NULL;
    while (s->next <= s->last && out->nrows < out->capacity) {
        hz_origin origin = {.line = (uint64_t)s->next, .feed = s->feed};
        hz_field *row = hz->batch_add_row(out, origin);
        char *text = hz->batch_alloc(out, 24);
        int n = snprintf(text, 24, "%lld", (long long)s->next);
        row[0] = (hz_field){text, (size_t)n};
        row[1] = (hz_field){label, strlen(label)};
        if (odds && s->next % 2) hz->batch_add_row(odds, origin)[0] = row[0];
        s->next++;
    }
    return s->next <= s->last ? 1 : 0;
}

#ifdef COMPAT_NEWER
static int never_rewind(hz_component *c, void *self) {
    (void)c, (void)self;
    abort(); /* a 1.4 core does not know rewind() */
}
#endif

static const struct {
    hz_source_class k;
    uintptr_t poison[8]; // cppcheck-suppress unusedStructMember ; read by a core that is wrong
} numbers_source = {
    .k =
        {
            HZ_CLASS_INIT(hz_source_class),
            HZ_OPTIONS(number_options),
            HZ_OUTPUTS(number_outputs),
            .doc = "emits 1..rows with a label; the odd numbers also on the output 'odds'",
            .create = numbers_create,
            .plan = numbers_plan,
            .read = numbers_read,
#ifdef COMPAT_NEWER
            .destroy = NULL,
            .rewind = never_rewind,
            .homepage = "https://example.org/compat",
#endif
        },
    .poison = POISON,
};

/* ---- transform: appends the column `via`, the plugin's name ---------- */

static int stamp_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)self;
    for (size_t i = 0; i < hz->schema_count(in); i++)
        if (hz->schema_add(c, out, hz->schema_name(in, i), NULL) != 0) return -1;
    return hz->schema_add(c, out, "via", NULL);
}

static int stamp_process(hz_component *c, void *self, size_t input, const hz_batch *in, hz_batch *out) {
    (void)c, (void)self, (void)input;
    for (size_t r = 0; r < in->nrows; r++) {
        hz_field *row = hz->batch_add_row(out, in->origins[r]);
        memcpy(row, in->fields + r * in->ncols, in->ncols * sizeof *row);
        row[in->ncols] = (hz_field){NAME, strlen(NAME)};
    }
    return 0;
}

#ifdef COMPAT_NEWER
static int never_reset(hz_component *c, void *self) {
    (void)c, (void)self;
    abort(); /* a 1.4 core does not know reset() */
}
#endif

static const struct {
    hz_transform_class k;
    uintptr_t poison[8]; // cppcheck-suppress unusedStructMember ; read by a core that is wrong
} stamp_transform = {
    .k =
        {
            HZ_CLASS_INIT(hz_transform_class),
            .doc = "appends the column 'via': the name of the plugin",
            .plan = stamp_plan,
            .process = stamp_process,
#ifdef COMPAT_NEWER
            .reset = never_reset,
#endif
        },
    .poison = POISON,
};

/* ---- sink: text lines, published by rename --------------------------- */

typedef struct lines {
    char path[4096], tmp[4112];
    FILE *f;
    bool fail_write, fail_prepare;
} lines;
static lines line_states[4];
static size_t nline_states;

static const hz_option line_options[] = {
    {.name = "path", .type = HZ_OPT_PATH, .required = true},
    {.name = "fail", .type = HZ_OPT_STRING, .default_value = "never"},
    {0},
};

static int lines_create(hz_component *c, void **self) {
    if (nline_states == sizeof line_states / sizeof *line_states) {
        hz->config_error(c, NULL, "at most 4 components of this test plugin");
        return -1;
    }
    lines *s = &line_states[nline_states++];
    snprintf(s->path, sizeof s->path, "%s", hz->opt_path(c, "path"));
    size_t n = strlen(s->path);
    memcpy(s->tmp, s->path, n);
    memcpy(s->tmp + n, ".tmp", 5);
    s->fail_write = !strcmp(hz->opt_string(c, "fail"), "write");
    s->fail_prepare = !strcmp(hz->opt_string(c, "fail"), "prepare");
    *self = s;
    return 0;
}

static int lines_open(hz_component *c, void *self) {
    lines *s = self;
    s->f = fopen(s->tmp, "w");
    if (!s->f) hz->error(c, "cannot create %s", s->tmp);
    return s->f ? 0 : -1;
}

static int lines_write(hz_component *c, void *self, const hz_batch *in) {
    lines *s = self;
    if (s->fail_write) {
        hz->error(c, "failing on purpose while writing");
        return -1;
    }
    for (size_t r = 0; r < in->nrows; r++) {
        for (size_t k = 0; k < in->ncols; k++) {
            const hz_field *f = &in->fields[r * in->ncols + k];
            fprintf(s->f, "%s%.*s", k ? "," : "", (int)f->len, f->ptr);
        }
        fputc('\n', s->f);
    }
    return 0;
}

static int lines_prepare(hz_component *c, void *self) {
    lines *s = self;
    int rc = fclose(s->f);
    s->f = NULL;
    if (s->fail_prepare || rc != 0) {
        hz->error(c, "failing on purpose while preparing");
        remove(s->tmp);
        return -1;
    }
    return 0;
}

static int lines_commit(hz_component *c, void *self) {
    lines *s = self;
    if (rename(s->tmp, s->path) == 0) return 0;
    hz->error(c, "cannot rename %s", s->tmp);
    return -1;
}

#ifdef COMPAT_NEWER
static void lines_abort(hz_component *c, void *self) {
    (void)c;
    lines *s = self;
    if (s->f) fclose(s->f);
    s->f = NULL;
    remove(s->tmp);
}

static int never_checkpoint(hz_component *c, void *self) {
    (void)c, (void)self;
    abort(); /* a 1.4 core does not know checkpoint() */
}
#endif

static const struct {
    hz_sink_class k;
    uintptr_t poison[8]; // cppcheck-suppress unusedStructMember ; read by a core that is wrong
} lines_sink = {
    .k =
        {
            HZ_CLASS_INIT(hz_sink_class),
            HZ_OPTIONS(line_options),
            .doc = "writes comma-joined lines to 'path', renamed into place at commit",
            .create = lines_create,
            .open = lines_open,
            .write = lines_write,
            .prepare = lines_prepare,
            .commit = lines_commit,
#ifdef COMPAT_NEWER
            .abort = lines_abort,
            .checkpoint = never_checkpoint,
            .flags = UINT64_MAX,
#endif
        },
    .poison = POISON,
};

static const hz_plugin compat_plugin = {
    HZ_PLUGIN_INIT,
    .name = NAME,
    .version = "1.0.0",
    .description = "ABI compatibility test plugin",
    .source = &numbers_source.k,
    .transform = &stamp_transform.k,
    .sink = &lines_sink.k,
};

HZ_PLUGIN(compat_plugin)
