/* Progress of the sources on a terminal: see progress.h.  No timer and no
 * signal: the monotonic clock is read after each batch, and the line is
 * drawn again when its last drawing is a quarter of a second old. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "log_json.h"
#include "progress.h"

#define REDRAW_SECONDS 0.25

static struct {
    bool enabled;
    bool shown;       /* a line is on the terminal, not yet erased */
    double started;   /* when the current source's first read() began */
    double last_draw; /* < 0: not drawn yet for this source */
} pr;

static double monotonic(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void hz_progress_setup(int forced, bool quiet, bool json) {
    const char *term = getenv("TERM");
    if (json || quiet)
        pr.enabled = false; /* errors only, or JSON only */
    else if (forced >= 0)
        pr.enabled = forced;
    else
        pr.enabled = isatty(STDERR_FILENO) && !(term && !strcmp(term, "dumb"));
    pr.shown = false;
}

bool hz_progress_enabled(void) {
    return pr.enabled;
}

static void write_all(const char *s, size_t n) {
    (void)hz_write_all(STDERR_FILENO, s, n); /* stderr gone: progress is not worth failing for */
}

/* 1234567 as "1,234,567". */
static void with_commas(hz_strbuf *out, unsigned long long n) {
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%llu", n);
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0) hz_strbuf_add(out, ",", 1);
        hz_strbuf_add(out, digits + i, 1);
    }
}

/* The terminal's width, so that the line never wraps (a wrapped line
 * cannot be redrawn in place with \r). */
static size_t columns(void) {
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1) return ws.ws_col;
    return 80;
}

static void draw(const hz_component *c, double now) {
    hz_strbuf text = {0};
    uint64_t rows = c->rows_out + c->rejected;
    hz_strbuf_printf(&text, "reading %s: ", c->name);
    with_commas(&text, (unsigned long long)rows);
    hz_strbuf_printf(&text, " row%s", rows == 1 ? "" : "s");
    double elapsed = now - pr.started;
    if (elapsed >= 0.1) {
        hz_strbuf_adds(&text, "  ");
        with_commas(&text, (unsigned long long)((double)rows / elapsed + 0.5));
        hz_strbuf_adds(&text, " rows/s");
    }
    if (c->input_total > 0) {
        uint64_t done = c->input_done < c->input_total ? c->input_done : c->input_total;
        hz_strbuf_printf(&text, "  %d%%", (int)((double)done * 100.0 / (double)c->input_total));
    }
    size_t width = columns() - 1;
    if (text.len > width) text.len = width; /* the text is ASCII: names are [a-z0-9_] */
    hz_strbuf line = {0};
    hz_strbuf_adds(&line, "\r");
    hz_strbuf_add(&line, text.data, text.len);
    hz_strbuf_adds(&line, "\033[K");
    write_all(line.data, line.len); /* one write: no flicker */
    hz_strbuf_free(&line);
    hz_strbuf_free(&text);
    pr.shown = true;
    pr.last_draw = now;
}

void hz_progress_source_start(hz_component *c) {
    (void)c;
    pr.started = monotonic();
    pr.last_draw = -1;
}

void hz_progress_batch(hz_component *c) {
    if (!pr.enabled) return;
    double now = monotonic();
    if (pr.last_draw >= 0 && now - pr.last_draw < REDRAW_SECONDS) return;
    draw(c, now);
}

void hz_progress_clear(void) {
    if (!pr.shown) return;
    write_all("\r\033[K", 4);
    pr.shown = false;
}

void hz_progress_source_end(hz_component *c) {
    hz_progress_clear();
    hz_log_source_done(c, monotonic() - pr.started);
}
