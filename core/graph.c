/* The graph: inputs resolved to components, its shape checked (unknown
 * inputs, cycles, unread sources), a topological order, then every
 * component created and planned so that columns are checked before data. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "claims.h"
#include "options.h"
#include "pipeline.h"
#include "pii.h"
#include "graph.h"

static const hz_value *position_of(const hz_component *c) {
    return c->name_value ? c->name_value : c->node;
}

static void graph_error(hz_pipeline *p, const hz_value *at, const char *fmt, ...) HZ_PRINTF(3, 4);
static void graph_error(hz_pipeline *p, const hz_value *at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hz_diag_vadd(p->diag, HZ_DIAG_ERROR, at ? at->file : p->file, at ? at->line : 0, at ? at->col : 0, fmt,
                 ap);
    va_end(ap);
}

static const char *const sections[] = {"sources", "transforms", "sinks"};

/* Whether `name` is written as a component in the file.  One that was
 * refused (a bad name, not a map, empty `steps`) has its error reported
 * already: naming it in `inputs` is not also an unknown input. */
static bool declared(const hz_pipeline *p, const char *name) {
    for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
        if (hz_value_key_of(hz_value_get(p->doc->root, sections[i]), name)) return true;
    return false;
}

/* Whether any component written in the file, built or refused, names
 * `ref` in its `inputs`: a component read only by a refused one is not
 * also reported as read by no one. */
static bool named_as_input(const hz_pipeline *p, const char *ref) {
    for (size_t i = 0; i < sizeof sections / sizeof *sections; i++) {
        const hz_value *sec = hz_value_get(p->doc->root, sections[i]);
        for (size_t k = 0; sec && sec->kind == HZ_VALUE_MAP && k < sec->count; k++) {
            const hz_value *iv = hz_value_get(sec->items[k], "inputs");
            if (!iv) continue;
            const hz_value *const *items =
                iv->kind == HZ_VALUE_LIST ? (const hz_value *const *)iv->items : &iv;
            size_t n = iv->kind == HZ_VALUE_LIST ? iv->count : 1;
            for (size_t j = 0; j < n; j++)
                if (items[j]->kind == HZ_VALUE_SCALAR && !strcmp(items[j]->text, ref)) return true;
        }
    }
    return false;
}

static void add_input(hz_component *c, hz_stream *in, const hz_value *ref) {
    c->inputs = hz_xrealloc(c->inputs, (c->ninputs + 1) * sizeof *c->inputs);
    c->input_streams = hz_xrealloc(c->input_streams, (c->ninputs + 1) * sizeof *c->input_streams);
    c->input_refs = hz_xrealloc(c->input_refs, (c->ninputs + 1) * sizeof *c->input_refs);
    c->inputs[c->ninputs] = in->owner;
    c->input_streams[c->ninputs] = in;
    c->input_refs[c->ninputs++] = ref;
}

static void unknown_input(hz_pipeline *p, hz_component *c, const hz_value *ref) {
    const char **names = hz_xcalloc(p->ncomps, sizeof *names);
    size_t k = 0;
    for (size_t j = 0; j < p->ncomps; j++)
        if (p->comps[j]->ref && p->comps[j]->role != HZ_ROLE_SINK) names[k++] = p->comps[j]->ref;
    const char *hint = hz_did_you_mean(ref->text, names, k);
    if (hint)
        graph_error(p, ref, "unknown input '%s' for %s '%s'; did you mean '%s'?", ref->text,
                    hz_role_name(c->role), c->name, hint);
    else
        graph_error(p, ref, "unknown input '%s' for %s '%s'", ref->text, hz_role_name(c->role), c->name);
    free(names);
}

/* `COMPONENT.OUTPUT`: a named output of a component.  NULL after reporting
 * why not, or when the component's own error is reported already. */
static hz_stream *find_named_output(hz_pipeline *p, hz_component *c, const hz_value *ref, bool *reported) {
    const char *dot = strrchr(ref->text, '.');
    *reported = false;
    if (!dot || dot == ref->text) return NULL;
    char *owner_name = hz_xstrndup(ref->text, (size_t)(dot - ref->text));
    hz_component *owner = hz_pipeline_find(p, owner_name);
    bool owner_declared = !owner && declared(p, owner_name);
    free(owner_name);
    if (!owner) {
        *reported = owner_declared;
        return NULL;
    }
    *reported = true;
    if (owner->role == HZ_ROLE_SINK) {
        graph_error(p, ref, "'%s' is a sink: it produces no rows to read", owner->ref);
        return NULL;
    }
    if (!owner->cls) return NULL; /* its unknown type is reported */
    const char *output = dot + 1;
    long k = hz_class_output(owner->cls, output);
    if (k >= 0) return &owner->streams[k + 1];
    const char **names = hz_xcalloc(owner->cls->noutputs + 1, sizeof *names);
    hz_strbuf list = {0};
    for (size_t i = 0; i < owner->cls->noutputs; i++) {
        names[i] = owner->cls->outputs[i].name;
        hz_strbuf_printf(&list, "%s%s", i ? ", " : "", names[i]);
    }
    const char *hint = hz_did_you_mean(output, names, owner->cls->noutputs);
    if (hint)
        graph_error(p, ref, "%s '%s' has no output '%s'; did you mean '%s.%s'?", owner->plugin->desc->name,
                    owner->ref, output, owner->ref, hint);
    else if (owner->cls->noutputs)
        graph_error(p, ref, "%s '%s' has no output '%s' (its named outputs: %s)", owner->plugin->desc->name,
                    owner->ref, output, hz_strbuf_cstr(&list));
    else
        graph_error(p, ref, "%s '%s' has no named outputs: read it as '%s'", owner->plugin->desc->name,
                    owner->ref, owner->ref);
    hz_strbuf_free(&list);
    free(names);
    (void)c;
    return NULL;
}

static void resolve_inputs(hz_pipeline *p, hz_component *c) {
    const hz_value *iv = c->inputs_value;
    if (!iv || c->role == HZ_ROLE_SOURCE) return;
    if (iv->kind == HZ_VALUE_MAP) {
        graph_error(p, iv, "'inputs' of '%s' must be a list of component names, e.g. [germany]", c->name);
        return;
    }
    const hz_value *const *items = iv->kind == HZ_VALUE_LIST ? (const hz_value *const *)iv->items : &iv;
    size_t n = iv->kind == HZ_VALUE_LIST ? iv->count : 1;
    if (n == 0) graph_error(p, iv, "%s '%s' has an empty 'inputs' list", hz_role_name(c->role), c->name);
    for (size_t i = 0; i < n; i++) {
        const hz_value *ref = items[i];
        if (ref->kind != HZ_VALUE_SCALAR) {
            graph_error(p, ref, "an input must be a component name");
            continue;
        }
        hz_component *in = hz_pipeline_find(p, ref->text);
        if (!in && declared(p, ref->text)) continue;
        if (in && in->role == HZ_ROLE_SINK) {
            graph_error(p, ref, "'%s' is a sink: it produces no rows to read", ref->text);
            continue;
        }
        hz_stream *stream = in ? &in->streams[0] : NULL;
        if (!stream) {
            bool reported;
            stream = find_named_output(p, c, ref, &reported);
            if (!stream && !reported) unknown_input(p, c, ref);
            if (!stream) continue;
        }
        for (size_t j = 0; j < c->ninputs; j++)
            if (c->input_streams[j] == stream) {
                graph_error(p, ref, "input '%s' is listed twice", ref->text);
                stream = NULL;
                break;
            }
        if (stream) add_input(c, stream, ref);
    }
}

void hz_stream_add_consumer(hz_stream *from, hz_component *to, size_t slot) {
    from->consumers = hz_xrealloc(from->consumers, (from->nconsumers + 1) * sizeof *from->consumers);
    from->consumer_slot =
        hz_xrealloc(from->consumer_slot, (from->nconsumers + 1) * sizeof *from->consumer_slot);
    from->consumers[from->nconsumers] = to;
    from->consumer_slot[from->nconsumers++] = slot;
}

/* Every component that emits rows gets its streams: the main output and
 * one per named output its class declares. */
static void make_streams(hz_component *c) {
    if (c->role == HZ_ROLE_SINK) return;
    c->nstreams = 1 + (c->cls ? c->cls->noutputs : 0);
    c->streams = hz_xcalloc(c->nstreams, sizeof *c->streams);
    for (size_t i = 0; i < c->nstreams; i++) {
        c->streams[i].owner = c;
        c->streams[i].name = i ? c->cls->outputs[i - 1].name : NULL;
        c->streams[i].schema = hz_schema_new();
    }
    c->schema = c->streams[0].schema;
}

enum { WHITE, GREY, BLACK };

/* Depth-first over inputs: reports a cycle at the input that closes it,
 * appends components to the order after their inputs. */
static bool visit(hz_pipeline *p, hz_component *c, int *color, hz_component **stack, size_t depth) {
    size_t idx = 0;
    while (p->comps[idx] != c) idx++;
    if (color[idx] == BLACK) return true;
    color[idx] = GREY;
    stack[depth] = c;
    bool ok = true;
    for (size_t i = 0; i < c->ninputs; i++) {
        hz_component *in = c->inputs[i];
        size_t j = 0;
        while (p->comps[j] != in) j++;
        if (color[j] == GREY) {
            hz_strbuf path = {0};
            size_t from = depth;
            while (stack[from] != in) from--;
            for (size_t k = from; k <= depth; k++)
                hz_strbuf_printf(&path, k == from ? "'%s' reads " : "'%s', which reads ", stack[k]->name);
            hz_strbuf_printf(&path, "'%s'", in->name);
            graph_error(p, c->input_refs[i], "cycle: %s", hz_strbuf_cstr(&path));
            hz_strbuf_free(&path);
            ok = false;
            continue;
        }
        if (!visit(p, in, color, stack, depth + 1)) ok = false;
    }
    color[idx] = BLACK;
    p->order[p->norder++] = c;
    return ok;
}

void hz_graph_check(hz_pipeline *p) {
    for (size_t i = 0; i < p->ncomps; i++) make_streams(p->comps[i]);
    /* A step reads the main output of the step before it (pipeline.c). */
    for (size_t i = 0; i < p->ncomps; i++) {
        hz_component *c = p->comps[i];
        if (c->ninputs == 1 && !c->input_streams) {
            c->input_streams = hz_xcalloc(1, sizeof *c->input_streams);
            c->input_streams[0] = &c->inputs[0]->streams[0];
        }
    }
    for (size_t i = 0; i < p->ncomps; i++) resolve_inputs(p, p->comps[i]);
    for (size_t i = 0; i < p->ncomps; i++)
        for (size_t j = 0; j < p->comps[i]->ninputs; j++)
            hz_stream_add_consumer(p->comps[i]->input_streams[j], p->comps[i], j);
    for (size_t i = 0; i < p->nrejects; i++) hz_stream_add_consumer(&p->rejects_stream, p->rejects[i], 0);
    for (size_t i = 0; i < p->ncomps; i++) {
        hz_component *c = p->comps[i];
        if ((c->streams && c->streams[0].nconsumers) || c->role == HZ_ROLE_SINK || !c->ref ||
            named_as_input(p, c->ref))
            continue;
        /* By the name the user wrote: `tidy`, not its last step `tidy[3]`. */
        if (c->role == HZ_ROLE_SOURCE)
            graph_error(p, position_of(c), "source '%s' is read by no component: add it to some 'inputs'",
                        c->ref);
        else
            graph_error(p, position_of(c), "the rows of transform '%s' go nowhere: no component reads it",
                        c->ref);
    }
    /* Order: depth-first from the sinks in file order, inputs in the
     * order listed, so sources run in the order a union lists them. */
    int *color = hz_xcalloc(p->ncomps, sizeof *color);
    hz_component **stack = hz_xcalloc(p->ncomps + 1, sizeof *stack);
    p->order = hz_xcalloc(p->ncomps, sizeof *p->order);
    p->norder = 0;
    for (size_t i = 0; i < p->ncomps; i++)
        if (p->comps[i]->role == HZ_ROLE_SINK) visit(p, p->comps[i], color, stack, 0);
    for (size_t i = 0; i < p->ncomps; i++)
        if (color[i] != BLACK) visit(p, p->comps[i], color, stack, 0);
    free(color);
    free(stack);
}

/* The columns of input i must be those of input 0, in any order; builds
 * the map from input i's positions to the component's. */
static bool check_union(hz_pipeline *p, hz_component *c) {
    const hz_schema *first = c->input_streams[0]->schema;
    c->input_maps = hz_xcalloc(c->ninputs, sizeof *c->input_maps);
    bool ok = true;
    for (size_t i = 1; i < c->ninputs; i++) {
        const hz_schema *s = c->input_streams[i]->schema;
        hz_strbuf missing = {0}, extra = {0};
        for (size_t k = 0; k < first->count; k++)
            if (hz_schema_index(s, first->names[k]) < 0) hz_strbuf_printf(&missing, " %s", first->names[k]);
        for (size_t k = 0; k < s->count; k++)
            if (hz_schema_index(first, s->names[k]) < 0) hz_strbuf_printf(&extra, " %s", s->names[k]);
        if (missing.len || extra.len) {
            graph_error(p, c->input_refs[i],
                        "inputs of '%s' must have the same columns: '%s' lacks [%s ] and has extra [%s ] "
                        "compared with '%s'",
                        c->name, c->input_refs[i]->text, hz_strbuf_cstr(&missing), hz_strbuf_cstr(&extra),
                        c->input_refs[0]->text);
            ok = false;
        } else {
            bool identity = true;
            size_t *map = hz_xcalloc(s->count, sizeof *map);
            for (size_t k = 0; k < s->count; k++) {
                map[k] = (size_t)hz_schema_index(first, s->names[k]);
                identity &= map[k] == k;
            }
            if (identity)
                free(map);
            else
                c->input_maps[i] = map;
        }
        hz_strbuf_free(&missing);
        hz_strbuf_free(&extra);
    }
    return ok;
}

/* The schema of input i of a sink that sees its inputs apart. */
static const hz_schema *own_input_schema(hz_pipeline *p, hz_component *c, size_t i) {
    return c->is_rejects ? &p->rejects_schema : c->input_streams[i]->schema;
}

/* A component that tells its inputs apart (hz_sink_class.plan_input, ABI
 * 1.3; hz_transform_class.plan_input, ABI 1.4): each input's own schema,
 * input 0 first.  Each is checked even after one fails, so that validate
 * reports every mistake at once. */
static bool plan_inputs(hz_pipeline *p, hz_component *c) {
    bool ok = true;
    size_t n = c->is_rejects ? 1 : c->ninputs;
    for (size_t i = 0; i < n && c->cls->plan_input; i++)
        if (c->cls->plan_input(c, c->self, i, own_input_schema(p, c, i)) != 0) ok = false;
    return ok;
}

static void plan_component(hz_pipeline *p, hz_component *c) {
    if (!c->plugin || c->plan_failed) return;
    if (c->inline_schema) { /* harmonize test: the test's rows replace the source, unopened */
        for (size_t i = 0; i < c->inline_schema->count; i++)
            hz_schema_push(c->schema, c->inline_schema->names[i]);
        hz_pii_after_plan(c);
        c->planned = true;
        return;
    }
    const hz_schema *in = NULL;
    bool per_input = hz_class_per_input(c->cls);
    if (c->is_rejects)
        in = per_input ? NULL : &p->rejects_schema;
    else if (c->role != HZ_ROLE_SOURCE) {
        if (c->ninputs == 0) return;
        for (size_t i = 0; i < c->ninputs; i++)
            if (!c->inputs[i]->planned) return; /* its error is reported already */
        /* A component that sees its inputs apart gets no union: plan() has
         * no `in`, plan_input() each input's own columns. */
        if (!per_input && !check_union(p, c)) return;
        in = per_input ? NULL : hz_pii_input_schema(c); /* the first input's columns, personal where any
                                                           input's is */
    }
    int (*create)(hz_component *, void **) = c->cls->create;
    int (*plan)(hz_component *, void *, const hz_schema *, hz_schema *) = c->cls->plan;
    size_t errors_before = p->diag->errors;
    p->in_plan = true;
    if (create && create(c, &c->self) != 0) c->plan_failed = true;
    c->created = !c->plan_failed;
    /* A transform learns its inputs before it declares its output; a sink
     * (1.3) was given plan() first, and keeps that order. */
    bool inputs_first = per_input && c->role == HZ_ROLE_TRANSFORM;
    if (!c->plan_failed && inputs_first && !plan_inputs(p, c)) c->plan_failed = true;
    if (!c->plan_failed && plan && plan(c, c->self, in, c->schema) != 0) c->plan_failed = true;
    if (!c->plan_failed && per_input && !inputs_first && !plan_inputs(p, c)) c->plan_failed = true;
    p->in_plan = false;
    for (size_t i = 1; i < c->nstreams && !c->plan_failed; i++)
        if (c->streams[i].nconsumers && c->streams[i].schema->count == 0)
            hz_component_config_error(
                c, NULL, "%s %s '%s' declared no columns for its output '%s' (a plugin bug)",
                c->plugin->desc->name, hz_role_name(c->role), c->name, c->streams[i].name);
    if (c->role == HZ_ROLE_TRANSFORM && !plan && !c->plan_failed) /* no plan: columns pass unchanged */
        for (size_t i = 0; i < in->count; i++) hz_schema_push(c->schema, in->names[i]);
    if (!c->plan_failed) hz_pii_after_plan(c);
    if (c->plan_failed && p->diag->errors == errors_before && !p->failed)
        hz_component_config_error(c, NULL, "%s %s '%s' failed to start without saying why (a plugin bug)",
                                  c->plugin->desc->name, hz_role_name(c->role), c->name);
    c->planned = !c->plan_failed && p->diag->errors == errors_before;
}

/* Mark in `up` (one flag per component) every source upstream of c. */
static void mark_sources(hz_pipeline *p, const hz_component *c, bool *up, bool *seen) {
    size_t idx = 0;
    while (p->comps[idx] != c) idx++;
    if (seen[idx]) return;
    seen[idx] = true;
    if (c->role == HZ_ROLE_SOURCE) up[idx] = true;
    for (size_t i = 0; i < c->ninputs; i++) mark_sources(p, c->inputs[i], up, seen);
}

/* Sources are read one after the other, so a component with several
 * inputs sees them in the order its sources run.  Every union asks for its
 * inputs in the listed order (a merge keeps the first input's copy of a
 * duplicate), so order the sources by all those constraints, file order
 * breaking ties.  Conflicting constraints get a warning. */
void hz_graph_order_sources(hz_pipeline *p) {
    size_t n = p->ncomps;
    bool *before = hz_xcalloc(n * n, sizeof *before); /* before[a*n+b]: source a before b */
    bool *up = hz_xcalloc(n * 2, sizeof *up), *seen = hz_xcalloc(n, sizeof *seen);
    for (size_t ci = 0; ci < n; ci++) {
        hz_component *c = p->comps[ci];
        for (size_t i = 0; i + 1 < c->ninputs; i++)
            for (size_t j = i + 1; j < c->ninputs; j++) {
                memset(up, 0, n * 2 * sizeof *up);
                memset(seen, 0, n * sizeof *seen);
                mark_sources(p, c->inputs[i], up, seen);
                memset(seen, 0, n * sizeof *seen);
                mark_sources(p, c->inputs[j], up + n, seen);
                for (size_t a = 0; a < n; a++)
                    for (size_t b = 0; b < n; b++)
                        if (up[a] && !up[n + a] && up[n + b] && !up[b]) before[a * n + b] = true;
            }
    }
    free(p->sources);
    p->sources = hz_xcalloc(n, sizeof *p->sources);
    p->nsources = 0;
    bool *done = hz_xcalloc(n, sizeof *done);
    bool conflict = false;
    for (;;) {
        size_t pick = n, fallback = n;
        for (size_t b = 0; b < n && pick == n; b++) {
            if (done[b] || p->comps[b]->role != HZ_ROLE_SOURCE) continue;
            if (fallback == n) fallback = b;
            bool free_to_go = true;
            for (size_t a = 0; a < n && free_to_go; a++)
                if (!done[a] && before[a * n + b]) free_to_go = false;
            if (free_to_go) pick = b;
        }
        if (pick == n) pick = fallback, conflict = fallback != n;
        if (pick == n) break;
        done[pick] = true;
        p->sources[p->nsources++] = p->comps[pick];
    }
    if (conflict)
        hz_diag_add(p->diag, HZ_DIAG_WARNING, p->file, 0, 0,
                    "components list the same inputs in conflicting orders: sources are read in the order "
                    "%s... and a union may not see its inputs in the listed order",
                    p->nsources ? p->sources[0]->name : "?");
    free(before);
    free(up);
    free(seen);
    free(done);
}

void hz_graph_plan(hz_pipeline *p) {
    for (size_t i = 0; i < p->norder; i++) plan_component(p, p->order[i]);
    if (!p->diag->errors) hz_pii_after_planning(p);
    hz_claims_check_feeds(p);
}
