/* Running a planned pipeline: sources are read batch by batch and each
 * batch is pushed depth-first through the graph, so memory holds one batch
 * per component whatever the input size.  Sinks publish only when the
 * whole run succeeded. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "claims.h"
#include "feed_info.h"
#include "file_mode.h"
#include "journal.h"
#include "manifest.h"
#include "pii.h"
#include "run_record.h"
#include "log_json.h"
#include "pipeline.h"
#include "progress.h"
#include "runtime.h"
#include "pii.h"

/* Rejects printed to stderr when the pipeline has no rejects: sink. */
#define STDERR_REJECTS 20

static int push(hz_component *c, size_t slot, const hz_batch *b);

/* Before each call of a sink: the umask its new files and folders get
 * their mode from (file_mode.h).  Returns the core's, to put back after
 * the call (hz->stage_file may have changed it meanwhile). */
static mode_t sink_umask(const hz_component *c) {
    return hz_file_mode_umask(hz_sink_mode(c->pipeline, c));
}

/* Set by SIGINT/SIGTERM/SIGHUP (or the --timeout alarm): the run stops
 * between two batches and aborts, so a killed cron job leaves the previous
 * outputs as they were and no temporary files behind. */
static volatile sig_atomic_t interrupted;
/* Until the commit point, a run that does not reach the end of a batch
 * within STOP_GRACE_SECONDS of the signal (a plugin blocked reading a pipe
 * or a socket) is ended from the signal handler. */
static volatile sig_atomic_t abandonable;
#define STOP_GRACE_SECONDS 1
static hz_pipeline *running;
static char journal_file[4096]; /* the run's journal, for abandon_run() */

/* Only async-signal-safe calls: remove the staged files and the journal
 * (before the commit point nothing is visible yet: the previous outputs
 * stand), say so, and exit 1. */
static void abandon_run(void) {
    for (size_t i = 0; running && i < running->nstaged; i++) unlink(running->staged[i].temp);
    if (journal_file[0]) unlink(journal_file);
    static const char msg[] =
        "harmonize: error: the run did not stop within a second of the signal (a plugin "
        "was blocked): ended at once; nothing is published\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    _exit(1);
}

static void on_signal(int sig) {
    if (interrupted && abandonable) abandon_run(); /* the grace second is over, or a second signal */
    interrupted = sig;
    alarm(STOP_GRACE_SECONDS);
}

static void catch_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL); /* --timeout */
}

static bool stop_requested(hz_pipeline *p) {
    if (interrupted && !p->failed) {
        if (interrupted == SIGALRM)
            hz_diag_now(p->diag, HZ_DIAG_ERROR,
                        "the run took longer than its --timeout of %u s: nothing is published", p->timeout);
        else
            hz_diag_now(p->diag, HZ_DIAG_ERROR, "interrupted by signal %d: nothing is published",
                        (int)interrupted);
        p->failed = true;
    }
    return p->failed;
}

static int deliver(hz_stream *s, const hz_batch *b) {
    if (b->nrows == 0) return 0;
    s->rows += b->nrows;
    hz_pipeline *p = s->owner ? s->owner->pipeline : NULL;
    if (p && p->test) p->test->rows(p->test->ctx, s->owner, s, b);
    for (size_t i = 0; i < s->nconsumers; i++)
        if (push(s->consumers[i], s->consumer_slot[i], b) != 0) return -1;
    return 0;
}

/* After a plugin's read(), process() or finish(): deliver what it emitted
 * to its named outputs, and leave their batches empty for the next call.
 * Returns the rows emitted there (they count as emitted), or -1. */
static long deliver_named(hz_component *c) {
    long rows = 0;
    for (size_t i = 1; i < c->nstreams; i++) {
        hz_batch *b = c->streams[i].batch;
        if (!b || b->nrows == 0) continue;
        rows += (long)b->nrows;
        int rc = deliver(&c->streams[i], b);
        hz_batch_reset(b);
        if (rc != 0) return -1;
    }
    return rows;
}

hz_batch *hz_component_output_batch(hz_component *c, size_t index) {
    if (index + 1 >= c->nstreams) return NULL;
    hz_stream *s = &c->streams[index + 1];
    if (!s->batch) s->batch = hz_batch_new(s->schema->count, HZ_BATCH_ROWS);
    return s->batch;
}

static int flush_rejects(hz_pipeline *p) {
    hz_batch *b = p->reject_batch;
    if (!b || b->nrows == 0) return 0;
    int rc = deliver(&p->rejects_stream, b);
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

void hz_reject_record(hz_component *c, const hz_batch *b, hz_origin origin, const hz_field *fields, size_t n,
                      const char *reason, const char *detail) {
    hz_pipeline *p = c->pipeline;
    if (p->test)
        p->test->reject(p->test->ctx, c, hz_pii_reject_schema(c, b, n), fields, n, origin,
                        reason ? reason : "", detail);
    if (!valid_reason(reason)) {
        hz_diag_now(p->diag, HZ_DIAG_ERROR,
                    "%s '%s' rejected a row with the reason code '%s', which is not [a-z_]+ (a plugin bug): "
                    "stopping",
                    c->plugin->desc->name, c->name, reason ? reason : "(null)");
        p->failed = true;
        reason = "invalid_reason";
    }
    p->total_rejects++;
    const char *feed = origin.feed == HZ_FEED_NONE ? "-" : "?";
    if (origin.feed < p->nfeeds) {
        feed = p->feeds[origin.feed].file;
        p->feeds[origin.feed].rejected++;
    }
    hz_count_reason(p, reason);
    /* Personal data never leaves in a reject: the record shows a marker
     * for each personal column (all of it when its columns are unknown)
     * and the detail loses any personal value it quotes. */
    const hz_schema *pii = p->pii_on ? hz_pii_reject_schema(c, b, n) : NULL;
    char *scrubbed = p->pii_on ? hz_pii_scrub_detail(detail, pii, fields, n) : NULL;
    if (scrubbed) detail = scrubbed;
    /* The row as CSV, and the detail, made printable once for the rejects
     * sinks and the run's record alike. */
    hz_strbuf record = {0}, clean = {0};
    if (p->nrejects || p->reject_log) {
        if (p->pii_on && !pii) hz_strbuf_adds(&record, HZ_PII_WITHHELD);
        for (size_t i = 0; i < n && (pii || !p->pii_on); i++) {
            if (i) hz_strbuf_add(&record, ",", 1);
            if (pii && (pii->pii[i] & HZ_PII_PERSONAL)) {
                hz_strbuf_adds(&record, HZ_PII_WITHHELD);
                continue;
            }
            clean.len = 0;
            hz_utf8_escape(&clean, fields[i].ptr, fields[i].len);
            hz_csv_quote(&record, clean.data ? clean.data : "", clean.len);
        }
        clean.len = 0;
        hz_utf8_escape(&clean, detail, strlen(detail)); /* details quote raw values */
    }
    const char *shown_detail = p->nrejects || p->reject_log ? hz_strbuf_cstr(&clean) : detail;
    const char *row_csv = hz_strbuf_cstr(&record);
    if (p->reject_log) hz_run_record_reject(p, c->name, feed, origin.line, reason, shown_detail, row_csv);
    if (!p->nrejects) {
        if (p->rejects_unwritten++ < STDERR_REJECTS && !p->test) /* a test shows its own */
            hz_log_reject(c->name, feed, (unsigned long long)origin.line, reason, detail);
    } else {
        if (!p->reject_batch) p->reject_batch = hz_batch_new(p->rejects_schema.count, 256);
        hz_batch *rb = p->reject_batch;
        char line[24];
        int ll = snprintf(line, sizeof line, "%llu", (unsigned long long)origin.line);
        hz_field *row = hz_batch_add_row(rb, origin);
        const char *parts[] = {c->name, feed, line, reason, shown_detail, row_csv};
        size_t lens[] = {strlen(c->name), strlen(feed),         (size_t)ll,
                         strlen(reason),  strlen(shown_detail), record.len};
        for (size_t i = 0; i < 6; i++) row[i] = (hz_field){hz_batch_copy(rb, parts[i], lens[i]), lens[i]};
        if (rb->nrows >= rb->capacity) flush_rejects(p);
    }
    hz_strbuf_free(&record);
    hz_strbuf_free(&clean);
    free(scrubbed);
    hz_reject_limits_count(p, origin); /* max_rejects: a count, the pipeline's or its source's */
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
    hz_diag_now(
        c->pipeline->diag, HZ_DIAG_ERROR,
        "%s transform '%s' lost rows: %zu in, %zu out, %llu rejected, %llu absorbed (a plugin bug: every "
        "row must be emitted, rejected or absorbed)",
        c->plugin->desc->name, c->name, in, out, (unsigned long long)rejected, (unsigned long long)absorbed);
    c->pipeline->failed = true;
    return -1;
}

static int push(hz_component *c, size_t slot, const hz_batch *b) {
    hz_pipeline *p = c->pipeline;
    if (p->failed) return -1;
    c->rows_in += b->nrows;
    /* A union input's columns in the component's order: a sink too reads
     * its fields by the first input's schema.  A component that sees its
     * inputs apart has no maps (check_union never ran): remap() passes. */
    const hz_batch *in = c->cls->write_input ? b : remap(c, slot, b);
    if (c->role == HZ_ROLE_SINK && p->test) { /* a test: shown, never written */
        p->test->rows(p->test->ctx, c, NULL, in);
        return 0;
    }
    if (c->role == HZ_ROLE_SINK) {
        mode_t core_mask = sink_umask(c);
        /* A sink that sees its inputs apart gets each input's own batch
         * and its index (ABI 1.3); rows it rejects follow that input's
         * schema (hz_pii_reject_schema). */
        c->writing_input = slot;
        int rc =
            c->cls->write_input ? c->cls->write_input(c, c->self, slot, in) : c->cls->write(c, c->self, in);
        if (rc != 0) p->failed = true;
        umask(core_mask);
        return p->failed ? -1 : 0;
    }
    if (!c->cls->process) {
        c->rows_out += in->nrows;
        return deliver(&c->streams[0], in);
    }
    if (!c->out) c->out = hz_batch_new(c->schema->count, HZ_BATCH_ROWS);
    hz_batch_reset(c->out);
    c->writing_input = slot; /* a transform seeing its inputs apart: rejects follow this input's schema */
    uint64_t rejected = c->rejected, absorbed = c->absorbed;
    if (c->cls->process(c, c->self, slot, in, c->out) != 0) p->failed = true;
    if (p->failed) return -1;
    long named = deliver_named(c);
    if (named < 0) return -1;
    if (check_balance(c, in->nrows, c->out->nrows + (size_t)named, c->rejected - rejected,
                      c->absorbed - absorbed) != 0)
        return -1;
    c->rows_out += c->out->nrows;
    return deliver(&c->streams[0], c->out);
}

/* Rows per feed, for the manifest (a source may read several files). */
static void count_feed_records(hz_pipeline *p, const hz_batch *b) {
    for (size_t r = 0; r < b->nrows; r++)
        if (b->origins[r].feed < p->nfeeds) p->feeds[b->origins[r].feed].records++;
}

/* max_change: the rows read against the last successful run's. */
static int check_max_change(hz_component *c) {
    hz_pipeline *p = c->pipeline;
    if (c->max_change < 0 || !p->last_success) return 0;
    int64_t last = hz_manifest_source_rows(p->last_success, c->name);
    if (last <= 0) return 0; /* a new source, or one that was empty: nothing to compare */
    double now = (double)c->rows_in, change = (now - (double)last) * 100.0 / (double)last;
    if (change <= c->max_change && -change <= c->max_change) return 0;
    hz_diag_now(
        p->diag, HZ_DIAG_ERROR,
        "source '%s' read %llu records, %+.1f%% from the %lld of the last successful run, more than its "
        "max_change of %g%%: nothing is published",
        c->name, (unsigned long long)c->rows_in, change, (long long)last, c->max_change);
    p->failed = true;
    return -1;
}

/* A test's inline rows, all in one batch (a test is small). */
static int read_inline(const hz_component *c, hz_batch *out) {
    const hz_batch *in = c->inline_rows;
    for (size_t r = 0; r < in->nrows; r++) {
        hz_field *row = hz_batch_add_row(out, in->origins[r]);
        memcpy(row, in->fields + r * in->ncols, in->ncols * sizeof *row);
    }
    return 0;
}

static int read_source(hz_component *c) {
    hz_pipeline *p = c->pipeline;
    hz_batch *b = hz_batch_new(c->schema->count, HZ_BATCH_ROWS);
    int rc = 0;
    hz_progress_source_start(c);
    for (;;) {
        hz_batch_reset(b);
        int more = c->inline_rows ? read_inline(c, b) : c->cls->read(c, c->self, b);
        if (more < 0 || p->failed) {
            p->failed = true;
            rc = -1;
            break;
        }
        c->rows_out += b->nrows;
        count_feed_records(p, b);
        hz_progress_batch(c); /* a line on a terminal (progress.h) */
        if (deliver_named(c) < 0 || deliver(&c->streams[0], b) != 0 || stop_requested(p)) {
            rc = -1;
            break;
        }
        if (more == 0) break;
    }
    c->rows_in = c->rows_out + c->rejected;
    hz_batch_free(b);
    if (rc == 0 && c->rows_in < (uint64_t)c->min_rows) {
        /* An office's export that came empty (or cut short) must not
         * quietly take its rows out of the published tables. */
        const char *file = "its feed";
        for (size_t i = 0; i < p->nfeeds; i++)
            if (p->feeds[i].source == c) file = p->feeds[i].file;
        hz_diag_now_in(p->diag, HZ_DIAG_ERROR, c->name,
                       "source '%s' read %llu record%s from %s, fewer than its min_rows (%lld): nothing is "
                       "published (allow_empty: true accepts an empty feed)",
                       c->name, (unsigned long long)c->rows_in, c->rows_in == 1 ? "" : "s", file,
                       (long long)c->min_rows);
        p->failed = true;
        rc = -1;
    }
    if (rc == 0 && check_max_change(c) != 0) rc = -1;
    hz_progress_source_end(c); /* clears the line; source_done in JSON */
    return rc;
}

static int finish_transforms(hz_pipeline *p) {
    for (size_t i = 0; i < p->norder; i++) {
        hz_component *c = p->order[i];
        if (c->role != HZ_ROLE_TRANSFORM || !c->cls->finish) continue;
        if (!c->out) c->out = hz_batch_new(c->schema->count, HZ_BATCH_ROWS);
        int more;
        do {
            hz_batch_reset(c->out);
            more = c->cls->finish(c, c->self, c->out);
            if (more < 0 || p->failed) return p->failed = true, -1;
            c->rows_out += c->out->nrows;
            if (deliver_named(c) < 0 || deliver(&c->streams[0], c->out) != 0) return -1;
        } while (more > 0);
    }
    return 0;
}

void hz_pipeline_abort_outputs(hz_pipeline *p) {
    for (size_t i = 0; i < p->norder; i++) {
        hz_component *c = p->order[i];
        if (c->opened && c->cls->abort) c->cls->abort(c, c->self);
        c->opened = false;
    }
}

/* HARMONIZE_TEST_FAULT=PHASE:COMPONENT (prepare or commit): the test
 * suite's way to fail one sink's phase after its real work ran, to show
 * what the others do.  Never set in production. */
static bool injected_fault(const hz_component *c, const char *phase) {
    const char *spec = getenv("HARMONIZE_TEST_FAULT");
    size_t n = strlen(phase);
    if (!spec || strncmp(spec, phase, n) != 0 || spec[n] != ':' || strcmp(spec + n + 1, c->name) != 0)
        return false;
    hz_diag_now(c->pipeline->diag, HZ_DIAG_ERROR, "%s '%s': %s failed (HARMONIZE_TEST_FAULT)",
                c->plugin->desc->name, c->name, phase);
    return true;
}

/* Data outputs first, then the rejects sinks: the account of what did not
 * make it into them. */
static bool in_pass(const hz_component *c, int pass) {
    return c->role == HZ_ROLE_SINK && c->opened && c->is_rejects == (pass == 1);
}

/* Phase one: every sink does all that can fail.  The first failure stops
 * it: nothing has been made visible yet, so everything can be aborted. */
static int prepare_outputs(hz_pipeline *p) {
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < p->norder; i++) {
            hz_component *c = p->order[i];
            if (!in_pass(c, pass)) continue;
            mode_t core_mask = sink_umask(c);
            bool failed = c->cls->prepare && (c->cls->prepare(c, c->self) != 0 || p->failed);
            umask(core_mask);
            if (failed || injected_fault(c, "prepare")) {
                p->failed = true;
                return -1;
            }
            c->prepared = true;
        }
    return 0;
}

/* An explicit file_mode is given to each file a sink claimed that exists
 * already, before the sink opens it: a file it writes in place (a SQLite
 * file it adds to) is never staged, and SQLite gives the journal, WAL and
 * shared-memory files it creates the database's mode at that moment.  And
 * again once the sink committed: a file it created in place may have come
 * out narrower than the mode.  (A staged file already has its mode.)
 * Without an explicit mode, an existing file keeps its own.  Returns -1
 * after reporting at `severity`. */
static int set_explicit_modes(hz_component *c, hz_diag_severity severity) {
    hz_pipeline *p = c->pipeline;
    if (!c->file_mode_given && !p->file_mode_given) return 0;
    mode_t mode = hz_sink_mode(p, c);
    int rc = 0;
    for (size_t i = 0; i < hz_claims_count(p); i++) {
        hz_component *owner = NULL;
        const char *path = hz_claim_get(p, i, NULL, &owner);
        if (owner != c || !path) continue;
        if (hz_file_mode_set(path, mode) != 0 && errno != ENOENT) {
            hz_diag_now_in(p->diag, severity, c->name, "%s %s '%s': cannot set the mode of %s to %04o: %s",
                           c->plugin->desc->name, hz_role_name(c->role), c->name, path, (unsigned)mode,
                           strerror(errno));
            rc = -1;
        }
    }
    return rc;
}

/* Every output is prepared: before the commit point, each staged file
 * gets exactly its mode (a plugin may have created it narrower than the
 * umask allowed).  -1 after reporting. */
static int set_staged_modes(hz_pipeline *p) {
    for (size_t i = 0; i < p->nstaged; i++) {
        if (hz_file_mode_set(p->staged[i].temp, p->staged[i].mode) == 0 || errno == ENOENT) continue;
        hz_diag_now(p->diag, HZ_DIAG_ERROR, "cannot set the mode of %s (temporary file %s) to %04o: %s",
                    p->staged[i].target, p->staged[i].temp, (unsigned)p->staged[i].mode, strerror(errno));
        p->failed = true;
        return -1;
    }
    return 0;
}

/* Phase two: make every prepared output visible.  A commit only renames
 * or commits what is complete, so one that fails does not stop the others:
 * the run ends as close to "all published" as it can, and the summary
 * names what was and was not. */
static void commit_outputs(hz_pipeline *p) {
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < p->norder; i++) {
            hz_component *c = p->order[i];
            if (!in_pass(c, pass) || !c->prepared) continue;
            mode_t core_mask = sink_umask(c);
            bool ok = !injected_fault(c, "commit") && c->cls->commit(c, c->self) == 0;
            umask(core_mask);
            if (ok) {
                c->published = true;
                c->opened = false;
                set_explicit_modes(c, HZ_DIAG_WARNING); /* a file the sink created in place */
            } else {
                c->commit_failed = true;
                p->failed = true;
            }
        }
}

/* Out of memory in the middle of a run: discard every temporary output. */
static void on_out_of_memory(void) {
    if (running) hz_pipeline_abort_outputs(running);
}

int hz_pipeline_run(hz_pipeline *p) {
    running = p;
    snprintf(journal_file, sizeof journal_file, "%s", p->journal ? hz_journal_path(p->journal) : "");
    abandonable = 1;
    catch_signals();
    if (p->timeout) alarm(p->timeout);
    hz_set_out_of_memory_hook(on_out_of_memory);
    for (size_t i = 0; i < p->norder && !p->failed; i++) {
        hz_component *c = p->order[i];
        if (c->role != HZ_ROLE_SINK) continue;
        c->opened = true; /* abort() may follow a failed open() */
        if (set_explicit_modes(c, HZ_DIAG_ERROR) != 0) {
            p->failed = true;
            break;
        }
        mode_t core_mask = sink_umask(c);
        if (c->cls->open && c->cls->open(c, c->self) != 0) p->failed = true;
        umask(core_mask);
    }
    for (size_t i = 0; i < p->nsources && !p->failed; i++) read_source(p->sources[i]);
    if (!stop_requested(p)) finish_transforms(p);
    if (!p->failed && p->nrejects) flush_rejects(p);
    hz_reject_limits_check(p); /* a max_rejects percent, judged once every row is read */
    /* Every row is read: the inputs' hashes are joined here, before the
     * first prepare(), so that a sink may list them (hz->feed_info). */
    if (!p->failed) hz_feeds_settle(p);
    if (!stop_requested(p) && prepare_outputs(p) == 0 && !stop_requested(p) &&
        hz_run_record_stage_manifest(p) == 0 && set_staged_modes(p) == 0) {
        /* From the commit point on, a signal no longer cancels the run (the
         * next run would finish the publication anyway): it waits until
         * every output is committed. */
        sigset_t stop, before;
        sigemptyset(&stop);
        sigaddset(&stop, SIGINT);
        sigaddset(&stop, SIGTERM);
        sigaddset(&stop, SIGHUP);
        sigaddset(&stop, SIGALRM);
        sigprocmask(SIG_BLOCK, &stop, &before);
        abandonable = 0;
        /* The commit point: once it is on disk, the next run finishes
         * this publication whatever happens to this process. */
        if (hz_journal_commit_point(p->journal, p) != 0) {
            p->failed = true;
        } else {
            commit_outputs(p);
            hz_run_record_publish_manifest(p);
        }
        sigprocmask(SIG_SETMASK, &before, NULL);
        if (interrupted && !p->failed)
            hz_diag_now(p->diag, HZ_DIAG_WARNING,
                        "%s arrived while the outputs were being published: the publication was "
                        "finished first",
                        interrupted == SIGALRM ? "the --timeout" : "a signal to stop");
    } else {
        p->failed = true;
    }
    abandonable = 0;
    if (p->failed) hz_pipeline_abort_outputs(p);
    hz_journal_end(p->journal, p);
    p->journal = NULL;
    alarm(0);
    hz_set_out_of_memory_hook(NULL);
    running = NULL;
    return p->failed ? 1 : 0;
}

int hz_pipeline_run_test(hz_pipeline *p) {
    for (size_t i = 0; i < p->nsources && !p->failed; i++) read_source(p->sources[i]);
    if (!p->failed) finish_transforms(p);
    if (!p->failed && p->nrejects) flush_rejects(p);
    hz_reject_limits_check(p);
    return p->failed ? 1 : 0;
}
