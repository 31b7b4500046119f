/* A transform built against the real header that tells its inputs apart
 * (ABI 1.4, hz_transform_class.plan_input), for tests/abi/test_abi_compat.sh.
 * Each row it emits says which input it came from, that input's own
 * columns (as plan_input() saw them), how many fields process() was given
 * and the row's first field: the test checks that inputs with different
 * columns arrive apart, unmerged and unreordered. */
#include <harmonize/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUTS 4

typedef struct apart {
    size_t ninputs;               /* inputs plan_input() has seen */
    char columns[MAX_INPUTS][64]; /* "n|label" */
} apart;

static int apart_create(hz_component *c, void **self) {
    (void)c;
    *self = hz->xcalloc(1, sizeof(apart));
    return 0;
}

static int apart_plan_input(hz_component *c, void *self, size_t input, const hz_schema *in) {
    apart *s = self;
    if (input != s->ninputs || input >= MAX_INPUTS) {
        hz->config_error(c, NULL, "plan_input() called for input %zu after %zu inputs", input, s->ninputs);
        return -1;
    }
    char *at = s->columns[input];
    size_t room = sizeof s->columns[input];
    for (size_t i = 0; i < hz->schema_count(in); i++) {
        int n = snprintf(at, room, "%s%s", i ? "|" : "", hz->schema_name(in, i));
        if (n < 0 || (size_t)n >= room) break;
        at += n;
        room -= (size_t)n;
    }
    s->ninputs++;
    return 0;
}

static int apart_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    apart *s = self;
    /* The core calls plan_input() for every input first, and gives no union. */
    if (in || s->ninputs != hz->input_count(c)) {
        hz->config_error(c, NULL, "plan() called with %s after %zu of %zu inputs",
                         in ? "a union" : "no union", s->ninputs, hz->input_count(c));
        return -1;
    }
    const char *names[] = {"input", "columns", "fields", "first"};
    for (size_t i = 0; i < 4; i++)
        if (hz->schema_add(c, out, names[i], NULL) != 0) return -1;
    return 0;
}

static int apart_process(hz_component *c, void *self, size_t input, const hz_batch *in, hz_batch *out) {
    (void)c;
    apart *s = self;
    for (size_t r = 0; r < in->nrows; r++) {
        hz_field *row = hz->batch_add_row(out, in->origins[r]);
        char *text = hz->batch_alloc(out, 48);
        int a = snprintf(text, 24, "%zu", input);
        int b = snprintf(text + 24, 24, "%zu", in->ncols);
        row[0] = (hz_field){text, (size_t)a};
        row[1] = (hz_field){s->columns[input], strlen(s->columns[input])};
        row[2] = (hz_field){text + 24, (size_t)b};
        row[3] = in->fields[r * in->ncols];
    }
    return 0;
}

static const hz_transform_class apart_transform = {
    HZ_CLASS_INIT(hz_transform_class),
    .doc = "says, per row, which input it came from and that input's own columns",
    .create = apart_create,
    .plan = apart_plan,
    .process = apart_process,
    .destroy = free,
    .plan_input = apart_plan_input,
};

static const hz_plugin apart_plugin = {
    HZ_PLUGIN_INIT,
    .name = "apart",
    .version = "1.0.0",
    .description = "test transform that sees its inputs apart (ABI 1.4)",
    .transform = &apart_transform,
};

HZ_PLUGIN(apart_plugin)
