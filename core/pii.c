/* Personal data along the graph (see pii.h). */
#define _GNU_SOURCE /* memmem */
#include "pii.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

static const hz_value *key_of(const hz_value *map, const char *key) {
    const hz_value *k = hz_value_key_of(map, key);
    return k ? k : hz_value_get(map, key);
}

void hz_pii_read(hz_pipeline *p) {
    const hz_value *v = hz_value_get(p->doc->root, "pii");
    if (!v) return;
    p->pii_value = v;
    if (v->kind != HZ_VALUE_LIST) {
        hz_diag_add(p->diag, HZ_DIAG_ERROR, v->file, v->line, v->col,
                    "'pii' is the list of columns that hold personal data, like pii: [full_name, phone] "
                    "(pii: [] says there are none)");
        return;
    }
    p->pii_names = hz_xcalloc(v->count ? v->count : 1, sizeof *p->pii_names);
    p->pii_at = hz_xcalloc(v->count ? v->count : 1, sizeof *p->pii_at);
    for (size_t i = 0; i < v->count; i++) {
        const hz_value *item = v->items[i];
        if (item->kind != HZ_VALUE_SCALAR || !item->text[0]) {
            hz_diag_add(p->diag, HZ_DIAG_ERROR, item->file, item->line, item->col,
                        "each entry of 'pii' is a column name");
            continue;
        }
        bool twice = false;
        for (size_t k = 0; k < p->npii && !twice; k++) twice = !strcmp(p->pii_names[k], item->text);
        if (twice) {
            hz_diag_add(p->diag, HZ_DIAG_ERROR, item->file, item->line, item->col,
                        "column '%s' is listed twice in 'pii'", item->text);
            continue;
        }
        p->pii_names[p->npii] = item->text;
        p->pii_at[p->npii++] = item;
    }
}

void hz_pii_read_allow(hz_component *c) {
    const hz_value *v = hz_value_get(c->node, "allow_pii");
    if (!v) return;
    hz_pipeline *p = c->pipeline;
    const hz_value *key = key_of(c->node, "allow_pii");
    if (c->is_rejects) {
        hz_diag_add(p->diag, HZ_DIAG_ERROR, key->file, key->line, key->col,
                    "the rejects sink takes no 'allow_pii': its records never carry personal data");
        return;
    }
    if (c->role != HZ_ROLE_SINK) {
        hz_diag_add(p->diag, HZ_DIAG_ERROR, key->file, key->line, key->col,
                    "only sinks have 'allow_pii' (it lets a sink write personal data)");
        return;
    }
    if (!hz_value_parse_bool(v, &c->allow_pii))
        hz_diag_add(p->diag, HZ_DIAG_ERROR, v->file, v->line, v->col, "'allow_pii' must be true or false");
}

static const hz_value *declared_at(const hz_pipeline *p, const char *name) {
    for (size_t k = 0; k < p->npii; k++)
        if (!strcmp(p->pii_names[k], name)) return p->pii_at[k];
    return NULL;
}

bool hz_pii_active(const hz_pipeline *p) {
    if (p->npii) return true;
    /* A source may mark columns without any pii: key. */
    for (size_t i = 0; i < p->ncomps; i++) {
        const hz_schema *s = p->comps[i]->role != HZ_ROLE_SINK ? p->comps[i]->schema : NULL;
        for (size_t k = 0; s && k < s->count; k++)
            if (s->pii[k] & HZ_PII_PERSONAL) return true;
    }
    return false;
}

bool hz_pii_schema_personal(const hz_schema *s, size_t i) {
    return s && i < s->count && (s->pii[i] & HZ_PII_PERSONAL);
}

static bool owns_schema(const hz_component *c, const hz_schema *s) {
    for (size_t i = 0; i < c->nstreams; i++)
        if (c->streams[i].schema == s) return true;
    return false;
}

void hz_pii_set_personal(hz_component *c, hz_schema *s, size_t i, bool personal) {
    if (!s || i >= s->count || !owns_schema(c, s)) {
        hz_diag_now(c->pipeline->diag, HZ_DIAG_ERROR,
                    "%s '%s' marked column %zu of a schema that is not its own output as personal data or "
                    "not (a plugin bug)",
                    c->plugin ? c->plugin->desc->name : "?", c->name, i);
        c->pipeline->failed = true;
        return;
    }
    s->pii[i] = (unsigned char)(HZ_PII_MARKED | (personal ? HZ_PII_PERSONAL : 0));
}

const hz_schema *hz_pii_input_schema(hz_component *c) {
    if (c->role == HZ_ROLE_SOURCE || c->ninputs == 0) return NULL;
    if (c->is_rejects) return &c->pipeline->rejects_schema;
    const hz_schema *first = c->input_streams[0]->schema;
    if (c->ninputs == 1) return first;
    if (c->merged_input) return c->merged_input;
    hz_schema *m = hz_schema_new();
    if (c->role == HZ_ROLE_TRANSFORM &&
        hz_class_per_input(c->cls)) { /* a transform seeing its inputs apart (ABI 1.4): every input's
          columns by name, personal where any input's is */
        for (size_t i = 0; i < c->ninputs; i++) {
            const hz_schema *s = c->input_streams[i]->schema;
            for (size_t k = 0; k < s->count; k++) {
                long at = hz_schema_index(m, s->names[k]);
                if (at < 0) {
                    hz_schema_push(m, s->names[k]);
                    at = (long)m->count - 1;
                }
                if (s->pii[k] & HZ_PII_PERSONAL) m->pii[at] = HZ_PII_PERSONAL;
            }
        }
        c->merged_input = m;
        return m;
    }
    for (size_t k = 0; k < first->count; k++) {
        hz_schema_push(m, first->names[k]);
        for (size_t i = 0; i < c->ninputs; i++) {
            const hz_schema *s = c->input_streams[i]->schema;
            long at = hz_schema_index(s, first->names[k]);
            if (at >= 0 && (s->pii[at] & HZ_PII_PERSONAL)) m->pii[k] = HZ_PII_PERSONAL;
        }
    }
    c->merged_input = m;
    return m;
}

/* A source's column: declared or marked; a transform's: marked, else
 * carried from the input by name, else declared. */
static void settle(hz_component *c, hz_schema *out, const hz_schema *in) {
    hz_pipeline *p = c->pipeline;
    for (size_t k = 0; k < out->count; k++) {
        unsigned char f = out->pii[k];
        bool declared = declared_at(p, out->names[k]) != NULL;
        bool personal;
        if (c->role == HZ_ROLE_SOURCE)
            personal = declared || (f & HZ_PII_PERSONAL);
        else if (f & HZ_PII_MARKED)
            personal = f & HZ_PII_PERSONAL;
        else {
            long at = hz_schema_index(in, out->names[k]);
            personal = at >= 0 ? (in->pii[at] & HZ_PII_PERSONAL) : declared;
        }
        out->pii[k] = (unsigned char)((f & HZ_PII_MARKED) | (personal ? HZ_PII_PERSONAL : 0));
    }
}

/* Why column i of `in` is personal, for the message. */
static char *why_personal(const hz_pipeline *p, const hz_schema *in, size_t i) {
    const hz_value *at = declared_at(p, in->names[i]);
    if (at) return hz_xasprintf("declared in 'pii' at %s:%u:%u", at->file, at->line, at->col);
    return hz_xstrdup("marked personal data upstream, by a source's column list or a step that carried it");
}

static int refuse(hz_component *c, const hz_schema *in, size_t i, const hz_value *at) {
    char *why = why_personal(c->pipeline, in, i);
    hz_component_config_error(c, at,
                              "sink '%s' would write column '%s', which holds personal data (%s): leave it "
                              "out (a select step, or the sink's columns), pseudonymize it, or set "
                              "allow_pii: true on this sink if its output is kept private",
                              c->name, in->names[i], why);
    free(why);
    return -1;
}

/* Input j's own schema, for a sink that sees its inputs apart. */
static const hz_schema *own_input(hz_component *c, size_t j) {
    return c->is_rejects ? &c->pipeline->rejects_schema : c->input_streams[j]->schema;
}

/* A sink that sees its inputs apart names the columns of each input's own
 * schema: the inputs it named columns of, and the judgement by that schema
 * alone (no union to consult). */
static int per_input_sink_column(hz_component *c, const hz_schema *in, size_t i, const hz_value *at) {
    size_t n = c->is_rejects ? 1 : c->ninputs;
    if (!c->input_named) c->input_named = hz_xcalloc(n, sizeof *c->input_named);
    const hz_value *input_at = NULL; /* the entry of `inputs:` naming it */
    for (size_t j = 0; j < n; j++)
        if (own_input(c, j) == in) {
            c->input_named[j] = true;
            if (!input_at && c->inputs_value) input_at = c->input_refs[j];
        }
    if (!in || i >= in->count) return 0;
    if (c->allow_pii || c->is_rejects || !(in->pii[i] & HZ_PII_PERSONAL)) return 0;
    return refuse(c, in, i, at ? at : input_at);
}

int hz_pii_sink_column(hz_component *c, const hz_schema *in, size_t i, const hz_value *at) {
    c->sink_named_columns = true;
    if (c->is_rejects && in && i < in->count && !strcmp(in->names[i], "record")) c->writes_record = true;
    if (hz_class_per_input(c->cls)) return per_input_sink_column(c, in, i, at);
    const hz_schema *mine = hz_pii_input_schema(c);
    if (!in || i >= in->count) return 0;
    /* Judge by the component's own view of its input: with several inputs
     * a column is personal when it is in any of them. */
    long k = mine ? hz_schema_index(mine, in->names[i]) : -1;
    const hz_schema *s = k >= 0 ? mine : in;
    size_t idx = k >= 0 ? (size_t)k : i;
    if (c->allow_pii || !(s->pii[idx] & HZ_PII_PERSONAL)) return 0;
    return refuse(c, s, idx, at);
}

void hz_pii_after_plan(hz_component *c) {
    if (c->role == HZ_ROLE_SINK && hz_class_per_input(c->cls)) {
        /* Each input whose columns the sink did not name is written whole. */
        if (c->allow_pii || c->is_rejects) return;
        for (size_t j = 0; j < c->ninputs; j++) {
            const hz_schema *in = own_input(c, j);
            if (c->input_named && c->input_named[j]) continue;
            for (size_t k = 0; k < in->count; k++)
                if (in->pii[k] & HZ_PII_PERSONAL) {
                    refuse(c, in, k, c->inputs_value ? c->input_refs[j] : NULL);
                    return; /* one message names the sink; the rest would repeat it */
                }
        }
        return;
    }
    if (c->role == HZ_ROLE_SINK) {
        if (c->sink_named_columns || c->allow_pii || c->is_rejects) return;
        const hz_schema *in = hz_pii_input_schema(c);
        for (size_t k = 0; in && k < in->count; k++)
            if (in->pii[k] & HZ_PII_PERSONAL) {
                refuse(c, in, k, NULL);
                return; /* one message names the sink; the rest would repeat it */
            }
        return;
    }
    const hz_schema *in = hz_pii_input_schema(c);
    for (size_t i = 0; i < c->nstreams; i++) settle(c, c->streams[i].schema, in);
}

void hz_pii_after_planning(hz_pipeline *p) {
    for (size_t k = 0; k < p->npii; k++) {
        bool found = false;
        for (size_t i = 0; i < p->ncomps && !found; i++)
            for (size_t j = 0; j < p->comps[i]->nstreams && !found; j++)
                found = hz_schema_index(p->comps[i]->streams[j].schema, p->pii_names[k]) >= 0;
        if (found) continue;
        const hz_value *at = p->pii_at[k];
        hz_diag_add(p->diag, HZ_DIAG_WARNING, at->file, at->line, at->col,
                    "'pii' names column '%s', which no source or transform of this pipeline has: is it "
                    "spelled as in the feeds?",
                    p->pii_names[k]);
    }
    p->pii_on = hz_pii_active(p);
    if (p->pii_value || p->pii_on) return;
    for (size_t i = 0; i < p->nrejects; i++) {
        if (p->rejects[i]->sink_named_columns && !p->rejects[i]->writes_record) continue;
        const hz_value *at = p->rejects[i]->type_value ? p->rejects[i]->type_value : p->rejects[i]->node;
        hz_diag_add(p->diag, HZ_DIAG_WARNING, at ? at->file : p->file, at ? at->line : 0, at ? at->col : 0,
                    "rejects sink '%s' writes each rejected row whole (its 'record'): if the feeds hold "
                    "personal data, declare its columns with the top-level key 'pii' so that the records "
                    "leave them out (pii: [] says there is none)",
                    p->rejects[i]->name);
        return;
    }
}

const hz_schema *hz_pii_reject_schema(hz_component *c, const hz_batch *b, size_t nfields) {
    const hz_schema *s;
    if (c->role == HZ_ROLE_SOURCE)
        s = c->schema;
    else if (b && b == c->out)
        s = c->schema;
    else if (hz_class_per_input(c->cls))
        s = own_input(c, c->writing_input); /* the input of the batch being written or processed */
    else {
        s = hz_pii_input_schema(c);
        for (size_t i = 1; b && i < c->nstreams; i++)
            if (b == c->streams[i].batch) s = c->streams[i].schema;
    }
    return s && s->count == nfields ? s : NULL;
}

char *hz_pii_scrub_detail(const char *detail, const hz_schema *s, const hz_field *fields, size_t n) {
    hz_strbuf out = {0};
    hz_strbuf_adds(&out, detail);
    for (size_t i = 0; i < n; i++) {
        if (s && !(s->pii[i] & HZ_PII_PERSONAL)) continue;
        size_t len = fields[i].len;
        if (len < 3) continue;
        hz_strbuf next = {0};
        const char *at = hz_strbuf_cstr(&out), *hit;
        while ((hit = memmem(at, strlen(at), fields[i].ptr, len))) {
            hz_strbuf_add(&next, at, (size_t)(hit - at));
            hz_strbuf_adds(&next, HZ_PII_WITHHELD);
            at = hit + len;
        }
        hz_strbuf_adds(&next, at);
        hz_strbuf_free(&out);
        out = next;
    }
    char *r = hz_xstrdup(hz_strbuf_cstr(&out));
    hz_strbuf_free(&out);
    return r;
}
