/* stderr of `harmonize run`: text or one JSON object per line, errors only
 * with --quiet (log_json.h).  A JSON line is built with jansson, printed
 * compact and written with one write(2), so that lines from one run never
 * interleave mid-object in a log shipper's pipe. */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "log_json.h"
#include "progress.h"
#include "lock.h"
#include "summary.h"

static struct {
    hz_log_format format;
    bool quiet;
    bool started;      /* run_start was logged */
    char *run_id;      /* its run id (the pipeline's is gone by run_end) */
    size_t errors;     /* error events written */
    FILE *real_stderr; /* while stderr is the catch-all below */
    hz_strbuf pending; /* the catch-all's line so far */
} lg;

bool hz_log_json(void) {
    return lg.format == HZ_LOG_FORMAT_JSON;
}

bool hz_log_quiet(void) {
    return lg.quiet;
}

/* --- writing one event ------------------------------------------------- */

static void write_all(const char *s, size_t n) {
    (void)hz_write_all(STDERR_FILENO, s, n);
}

/* Now, as 2026-12-05T11:35:01.123Z. */
static void iso_time(char *buf, size_t size) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, size - n, ".%03dZ", (int)(ts.tv_nsec / 1000000));
}

/* A JSON string of `s`, its bytes that are not UTF-8 as \xNN (jansson
 * takes UTF-8 only, and details quote raw values). */
static json_t *jstr(const char *s) {
    hz_strbuf clean = {0};
    hz_utf8_escape(&clean, s ? s : "", s ? strlen(s) : 0);
    json_t *j = json_string(hz_strbuf_cstr(&clean));
    hz_strbuf_free(&clean);
    return j;
}

static json_t *event_new(const char *event) {
    char time[40];
    iso_time(time, sizeof time);
    json_t *o = json_object();
    json_object_set_new(o, "time", json_string(time));
    json_object_set_new(o, "event", json_string(event));
    return o;
}

/* Write `o` as one line and release it; under --quiet only errors and
 * run_end are written. */
static void emit(json_t *o) {
    const char *event = json_string_value(json_object_get(o, "event"));
    bool is_error = event && !strcmp(event, "error");
    if (is_error) lg.errors++;
    if (!lg.quiet || is_error || (event && !strcmp(event, "run_end"))) {
        char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
        if (text) {
            size_t n = strlen(text);
            text[n] = '\n'; /* json_dumps's NUL: the line is written by length */
            write_all(text, n + 1);
            free(text);
        }
    }
    json_decref(o);
}

static void set_str(json_t *o, const char *key, const char *value) {
    json_object_set_new(o, key, jstr(value));
}

static void set_uint(json_t *o, const char *key, uint64_t n) {
    json_object_set_new(o, key, json_integer((json_int_t)n));
}

static void set_seconds(json_t *o, const char *key, double s) {
    json_object_set_new(o, key, json_real((double)(long long)(s * 1000.0 + 0.5) / 1000.0));
}

/* --- the catch-all: what else writes to stderr ------------------------- */

/* A line written to stderr by code that knows nothing of the format (the
 * lock, the journal): "harmonize: error: MESSAGE" is an error event,
 * "harmonize: warning: ..." a warning, any other line a message. */
static void text_line(const char *line) {
    if (!strncmp(line, "harmonize: ", 11)) line += 11;
    const char *event = "message";
    if (!strncmp(line, "error: ", 7)) {
        event = "error";
        line += 7;
    } else if (!strncmp(line, "warning: ", 9)) {
        event = "warning";
        line += 9;
    }
    json_t *o = event_new(event);
    set_str(o, "message", line);
    emit(o);
}

static ssize_t catch_write(void *cookie, const char *buf, size_t size) {
    (void)cookie;
    for (size_t i = 0; i < size; i++) {
        if (buf[i] != '\n') {
            hz_strbuf_add(&lg.pending, buf + i, 1);
            continue;
        }
        text_line(hz_strbuf_cstr(&lg.pending));
        lg.pending.len = 0;
    }
    return (ssize_t)size;
}

static void catch_flush(void) {
    if (lg.pending.len) text_line(hz_strbuf_cstr(&lg.pending));
    hz_strbuf_free(&lg.pending);
}

void hz_log_setup(hz_log_format format, bool quiet, int progress) {
    lg.format = format;
    lg.quiet = quiet;
    hz_progress_setup(progress, quiet, format == HZ_LOG_FORMAT_JSON);
#if defined(__GLIBC__)
    if (format == HZ_LOG_FORMAT_JSON && !lg.real_stderr) {
        cookie_io_functions_t io = {.write = catch_write};
        FILE *f = fopencookie(NULL, "w", io);
        if (f) {
            setvbuf(f, NULL, _IONBF, 0); /* in order with the events written directly */
            lg.real_stderr = stderr;
            stderr = f;
        }
    }
#endif
}

void hz_log_finish(void) {
    if (lg.real_stderr) {
        FILE *f = stderr;
        stderr = lg.real_stderr;
        lg.real_stderr = NULL;
        fclose(f);
    }
    catch_flush();
    hz_progress_clear();
    free(lg.run_id);
    memset(&lg, 0, sizeof lg);
}

/* --- messages ------------------------------------------------------------- */

void hz_log_diag_now(hz_diag_severity sev, const char *component, const char *message) {
    hz_progress_clear();
    if (sev == HZ_DIAG_WARNING && lg.quiet) return;
    if (!hz_log_json()) {
        fprintf(stderr, "harmonize: %s: %s\n", sev == HZ_DIAG_ERROR ? "error" : "warning", message);
        return;
    }
    json_t *o = event_new(sev == HZ_DIAG_ERROR ? "error" : "warning");
    if (component) set_str(o, "component", component);
    set_str(o, "message", message);
    emit(o);
}

bool hz_log_diag_entry(const hz_diag_entry *e) {
    if (e->severity == HZ_DIAG_WARNING && lg.quiet) return true;
    if (!hz_log_json()) return false;
    json_t *o = event_new(e->severity == HZ_DIAG_ERROR ? "error" : "warning");
    set_str(o, "file", e->file);
    if (e->line) {
        set_uint(o, "line", e->line);
        set_uint(o, "column", e->col);
    }
    set_str(o, "message", e->message);
    emit(o);
    return true;
}

void hz_log_reject(const char *component, const char *feed, unsigned long long line, const char *reason,
                   const char *detail) {
    hz_progress_clear();
    if (lg.quiet) return; /* a reject is not an error: max_rejects decides */
    if (!hz_log_json()) {
        fprintf(stderr, "harmonize: reject: %s:%llu: %s: %s (%s)\n", feed, line, reason, detail, component);
        return;
    }
    json_t *o = event_new("reject");
    set_str(o, "component", component);
    set_str(o, "feed", feed);
    set_uint(o, "line", line);
    set_str(o, "reason", reason);
    set_str(o, "detail", detail);
    emit(o);
}

void hz_log_plugin(const char *component, hz_log_level level, const char *message) {
    hz_progress_clear();
    if (lg.quiet) return;
    if (!hz_log_json()) {
        fprintf(stderr, "harmonize: %s%s: %s\n", level == HZ_LOG_WARN ? "warning: " : "", component, message);
        return;
    }
    json_t *o = event_new(level == HZ_LOG_WARN ? "warning" : "info");
    set_str(o, "component", component);
    set_str(o, "message", message);
    emit(o);
}

/* --- the run -------------------------------------------------------------- */

void hz_log_run_start(const hz_pipeline *p) {
    lg.started = true;
    free(lg.run_id);
    lg.run_id = p->run_id ? hz_xstrdup(p->run_id) : NULL;
    if (!hz_log_json()) return;
    json_t *o = event_new("run_start");
    set_str(o, "pipeline", p->name ? p->name : p->file);
    set_str(o, "file", p->file);
    if (lg.run_id) set_str(o, "run_id", lg.run_id);
    json_object_set_new(o, "pid", json_integer((json_int_t)getpid()));
    emit(o);
}

void hz_log_source_done(const hz_component *c, double seconds) {
    if (!hz_log_json()) return;
    const hz_pipeline *p = c->pipeline;
    json_t *o = event_new("source_done");
    set_str(o, "component", c->name);
    set_str(o, "plugin", c->plugin->desc->name);
    for (size_t i = 0; i < p->nfeeds; i++)
        if (p->feeds[i].source == c) {
            set_str(o, "feed", p->feeds[i].file);
            break;
        }
    set_uint(o, "rows", c->rows_in);
    set_uint(o, "rows_out", c->rows_out);
    set_uint(o, "rejected", c->rejected);
    set_uint(o, "bytes", c->input_done);
    if (c->input_total) set_uint(o, "bytes_total", c->input_total);
    set_seconds(o, "seconds", seconds);
    emit(o);
}

void hz_log_run_report(hz_pipeline *p, double seconds, int status) {
    hz_progress_clear();
    if (!hz_log_json()) {
        if (!lg.quiet)
            hz_pipeline_print_summary(p, stderr, seconds, status);
        else if (status != 0)
            hz_pipeline_print_failure(p, stderr, seconds);
        return;
    }
    for (size_t i = 0; i < p->norder; i++) {
        const hz_component *c = p->order[i];
        if (c->role != HZ_ROLE_SINK || !c->plugin) continue;
        json_t *o = event_new(c->published ? "published" : "not_published");
        set_str(o, "component", c->name);
        set_str(o, "plugin", c->plugin->desc->name);
        set_uint(o, "rows", c->rows_in);
        if (c->is_rejects) json_object_set_new(o, "rejects", json_true());
        if (c->commit_failed) set_str(o, "reason", "commit_failed");
        emit(o);
    }
}

static const char *status_name(int status) {
    switch (status) {
    case 0: return "ok";
    case 1: return "failed";
    case 2: return "invalid";
    case HZ_EXIT_LOCKED: return "locked";
    default: return "failed";
    }
}

void hz_log_run_end(const hz_pipeline *p, const char *file, double seconds, int status) {
    if (!hz_log_json()) return;
    json_t *o = event_new("run_end");
    set_str(o, "pipeline", p && p->name ? p->name : file);
    if (lg.run_id) set_str(o, "run_id", lg.run_id);
    set_str(o, "status", status_name(status));
    json_object_set_new(o, "exit_code", json_integer(status));
    set_seconds(o, "seconds", seconds);
    if (p && lg.started) {
        uint64_t in = 0, out = 0;
        for (size_t i = 0; i < p->norder; i++) {
            const hz_component *c = p->order[i];
            if (!c->plugin) continue;
            if (c->role == HZ_ROLE_SOURCE) in += c->rows_in;
            if (c->role == HZ_ROLE_SINK && !c->is_rejects) out += c->rows_in;
        }
        set_uint(o, "rows_in", in);
        set_uint(o, "rows_out", out);
        set_uint(o, "rows_rejected", p->total_rejects);
    }
    set_uint(o, "errors", lg.errors);
    emit(o);
}
