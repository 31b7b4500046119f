/* Running a planned pipeline: sources are read batch by batch and each
 * batch is pushed depth-first through the graph, so memory holds one batch
 * per component whatever the input size.  Sinks publish only when the
 * whole run succeeded. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "pipeline.h"

/* Rejects printed to stderr when the pipeline has no rejects: sink. */
#define STDERR_REJECTS 20

static int push(hz_component *c, size_t slot, const hz_batch *b);

/* Set by SIGINT/SIGTERM: the run stops between two batches and aborts, so
 * a killed cron job leaves the previous outputs as they were and no
 * temporary files behind. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
    interrupted = sig;
}

static void catch_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static bool stop_requested(hz_pipeline *p) {
    if (interrupted && !p->failed) {
        fprintf(stderr, "harmonize: error: interrupted by signal %d: nothing is published\n",
                (int)interrupted);
        p->failed = true;
    }
    return p->failed;
}

static int deliver(hz_component *from, const hz_batch *b) {
    if (b->nrows == 0) return 0;
    for (size_t i = 0; i < from->nconsumers; i++)
        if (push(from->consumers[i], from->consumer_slot[i], b) != 0) return -1;
    return 0;
}

static const hz_sink_class *sink_of(const hz_component *c) {
    return c->klass;
}
static const hz_transform_class *transform_of(const hz_component *c) {
    return c->klass;
}
static const hz_source_class *source_of(const hz_component *c) {
    return c->klass;
}

static int flush_rejects(hz_pipeline *p) {
    hz_batch *b = p->reject_batch;
    if (!b || b->nrows == 0) return 0;
    int rc = 0;
    for (size_t i = 0; i < p->nrejects && rc == 0; i++) {
        hz_component *r = p->rejects[i];
        r->rows_in += b->nrows;
        rc = sink_of(r)->write(r, r->self, b);
    }
    hz_batch_reset(b);
    if (rc != 0) p->failed = true;
    return rc;
}

/* Reason codes are a contract with the people who count them: [a-z_]+. */
static bool valid_reason(const char *r) {
    if (!r || !*r) return false;
    for (; *r; r++)
        if (!((*r >= 'a' && *r <= 'z') || *r == '_')) return false;
    return true;
}

void hz_reject_record(hz_component *c, hz_origin origin, const hz_field *fields, size_t n, const char *reason,
                      const char *detail) {
    hz_pipeline *p = c->pipeline;
    if (!valid_reason(reason)) {
        fprintf(stderr,
                "harmonize: error: %s '%s' rejected a row with the reason code '%s', which is not [a-z_]+ "
                "(a plugin bug): stopping\n",
                c->plugin->desc->name, c->name, reason ? reason : "(null)");
        p->failed = true;
        reason = "invalid_reason";
    }
    p->total_rejects++;
    const char *feed = origin.feed == HZ_FEED_NONE ? "-" : "?";
    if (origin.feed < p->nfeeds) feed = p->feeds[origin.feed].file;
    if (!p->nrejects) {
        if (p->rejects_unwritten++ < STDERR_REJECTS)
            fprintf(stderr, "harmonize: reject: %s:%llu: %s: %s (%s)\n", feed,
                    (unsigned long long)origin.line, reason, detail, c->name);
    } else {
        if (!p->reject_batch) p->reject_batch = hz_batch_new(p->rejects_schema.count, 256);
        hz_batch *b = p->reject_batch;
        hz_strbuf record = {0}, clean = {0};
        for (size_t i = 0; i < n; i++) {
            if (i) hz_strbuf_add(&record, ",", 1);
            clean.len = 0;
            hz_utf8_escape(&clean, fields[i].ptr, fields[i].len);
            hz_csv_quote(&record, clean.data ? clean.data : "", clean.len);
        }
        clean.len = 0;
        hz_utf8_escape(&clean, detail, strlen(detail)); /* details quote raw values */
        detail = hz_strbuf_cstr(&clean);
        char line[24];
        int ll = snprintf(line, sizeof line, "%llu", (unsigned long long)origin.line);
        hz_field *row = hz_batch_add_row(b, origin);
        const char *parts[] = {c->name, feed, line, reason, detail, hz_strbuf_cstr(&record)};
        size_t lens[] = {strlen(c->name), strlen(feed),   (size_t)ll,
                         strlen(reason),  strlen(detail), record.len};
        for (size_t i = 0; i < 6; i++) row[i] = (hz_field){hz_batch_copy(b, parts[i], lens[i]), lens[i]};
        hz_strbuf_free(&record);
        hz_strbuf_free(&clean);
        if (b->nrows >= b->capacity) flush_rejects(p);
    }
    if (p->max_rejects >= 0 && p->total_rejects == (uint64_t)p->max_rejects + 1) {
        fprintf(stderr,
                "harmonize: error: %llu rows rejected, more than max_rejects (%lld) allows: stopping\n",
                (unsigned long long)p->total_rejects, (long long)p->max_rejects);
        p->failed = true;
    }
}

/* Reorder a union input's columns into the component's order. */
static const hz_batch *remap(hz_component *c, size_t slot, const hz_batch *b) {
    const size_t *map = c->input_maps ? c->input_maps[slot] : NULL;
    if (!map) return b;
    if (!c->remap) c->remap = hz_batch_new(b->ncols, b->nrows);
    hz_batch_reset(c->remap);
    for (size_t r = 0; r < b->nrows; r++) {
        hz_field *row = hz_batch_add_row(c->remap, b->origins[r]);
        const hz_field *src = b->fields + r * b->ncols;
        for (size_t k = 0; k < b->ncols; k++) row[map[k]] = src[k];
    }
    return c->remap;
}

static int check_balance(hz_component *c, size_t in, size_t out, uint64_t rejected, uint64_t absorbed) {
    if (out + rejected + absorbed >= in) return 0;
    fprintf(stderr,
            "harmonize: error: %s transform '%s' lost rows: %zu in, %zu out, %llu rejected, %llu absorbed "
            "(a plugin bug: every row must be emitted, rejected or absorbed)\n",
            c->plugin->desc->name, c->name, in, out, (unsigned long long)rejected,
            (unsigned long long)absorbed);
    c->pipeline->failed = true;
    return -1;
}

static int push(hz_component *c, size_t slot, const hz_batch *b) {
    hz_pipeline *p = c->pipeline;
    if (p->failed) return -1;
    c->rows_in += b->nrows;
    if (c->role == HZ_ROLE_SINK) {
        if (sink_of(c)->write(c, c->self, b) != 0) p->failed = true;
        return p->failed ? -1 : 0;
    }
    const hz_batch *in = remap(c, slot, b);
    const hz_transform_class *t = transform_of(c);
    if (!t->process) {
        c->rows_out += in->nrows;
        return deliver(c, in);
    }
    if (!c->out) c->out = hz_batch_new(c->schema->count, HZ_BATCH_ROWS);
    hz_batch_reset(c->out);
    uint64_t rejected = c->rejected, absorbed = c->absorbed;
    if (t->process(c, c->self, slot, in, c->out) != 0) p->failed = true;
    if (p->failed) return -1;
    if (check_balance(c, in->nrows, c->out->nrows, c->rejected - rejected, c->absorbed - absorbed) != 0)
        return -1;
    c->rows_out += c->out->nrows;
    return deliver(c, c->out);
}

static int read_source(hz_component *c) {
    hz_pipeline *p = c->pipeline;
    hz_batch *b = hz_batch_new(c->schema->count, HZ_BATCH_ROWS);
    int rc = 0;
    for (;;) {
        hz_batch_reset(b);
        int more = source_of(c)->read(c, c->self, b);
        if (more < 0 || p->failed) {
            p->failed = true;
            rc = -1;
            break;
        }
        c->rows_out += b->nrows;
        if (deliver(c, b) != 0 || stop_requested(p)) {
            rc = -1;
            break;
        }
        if (more == 0) break;
    }
    c->rows_in = c->rows_out + c->rejected;
    hz_batch_free(b);
    return rc;
}

static int finish_transforms(hz_pipeline *p) {
    for (size_t i = 0; i < p->norder; i++) {
        hz_component *c = p->order[i];
        if (c->role != HZ_ROLE_TRANSFORM || !transform_of(c)->finish) continue;
        if (!c->out) c->out = hz_batch_new(c->schema->count, HZ_BATCH_ROWS);
        int more;
        do {
            hz_batch_reset(c->out);
            more = transform_of(c)->finish(c, c->self, c->out);
            if (more < 0 || p->failed) return p->failed = true, -1;
            c->rows_out += c->out->nrows;
            if (deliver(c, c->out) != 0) return -1;
        } while (more > 0);
    }
    return 0;
}

/* Sinks, and transforms with a side output, share one publish protocol. */
typedef struct publisher {
    int (*open)(hz_component *, void *);
    int (*commit)(hz_component *, void *);
    void (*abort)(hz_component *, void *);
} publisher;

static publisher publisher_of(const hz_component *c) {
    if (c->role == HZ_ROLE_SINK) return (publisher){sink_of(c)->open, sink_of(c)->commit, sink_of(c)->abort};
    if (c->role == HZ_ROLE_TRANSFORM)
        return (publisher){transform_of(c)->open, transform_of(c)->commit, transform_of(c)->abort};
    return (publisher){NULL, NULL, NULL};
}

static void abort_outputs(hz_pipeline *p) {
    for (size_t i = 0; i < p->norder; i++) {
        hz_component *c = p->order[i];
        publisher pub = publisher_of(c);
        if (c->opened && pub.abort) pub.abort(c, c->self);
        c->opened = false;
    }
}

static int commit_outputs(hz_pipeline *p) {
    /* The rejects sink last: data outputs first, then the account of
     * what did not make it into them. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < p->norder; i++) {
            hz_component *c = p->order[i];
            if (!c->opened || c->is_rejects != (pass == 1)) continue;
            publisher pub = publisher_of(c);
            if (pub.commit && pub.commit(c, c->self) != 0) {
                p->failed = true;
                return -1;
            }
            c->opened = false;
        }
    return 0;
}

int hz_pipeline_run(hz_pipeline *p) {
    catch_signals();
    for (size_t i = 0; i < p->norder && !p->failed; i++) {
        hz_component *c = p->order[i];
        if (c->role == HZ_ROLE_SOURCE) continue;
        publisher pub = publisher_of(c);
        c->opened = true; /* abort() may follow a failed open() */
        if (pub.open && pub.open(c, c->self) != 0) p->failed = true;
    }
    for (size_t i = 0; i < p->nsources && !p->failed; i++) read_source(p->sources[i]);
    if (!stop_requested(p)) finish_transforms(p);
    if (!p->failed && p->nrejects) flush_rejects(p);
    if (!stop_requested(p)) commit_outputs(p);
    if (p->failed) {
        abort_outputs(p);
        return 1;
    }
    return 0;
}
