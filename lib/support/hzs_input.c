/* A source's input, read twice or once (see hzs_input.h). */
#define _POSIX_C_SOURCE 200809L
#include "hzs_input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hzs_buf.h"
#include "hzs_decode.h"

void hzs_input_init(hzs_input *in, hz_component *c) {
    hzs_input_init_path(in, c);
    in->member = hz->opt_string(c, "member");
    in->max_expanded = hz->opt_int(c, "max_expanded_bytes");
    in->max_ratio = hz->opt_int(c, "max_expansion_ratio");
}

void hzs_input_init_path(hzs_input *in, hz_component *c) {
    memset(in, 0, sizeof *in);
    in->c = c;
    in->fd = -1;
    /* "-" is taken as written: opt_path would make it a file of the
     * pipeline's folder. */
    const char *raw = hz->opt_string(c, "path");
    if (raw && !strcmp(raw, HZS_INPUT_STDIN)) {
        in->path = in->shown = in->written = HZS_INPUT_STDIN;
    } else {
        in->written = raw ? raw : "";
        in->path = hz->opt_path(c, "path");
        in->shown = in->path ? hz->display_path(c, in->path) : "";
    }
}

/* Read the first bytes, which tell a compressed feed from a plain one;
 * they are handed out again by the first reads.  0, or -1 after
 * reporting. */
static int peek(hzs_input *in) {
    in->npeek = in->peek_at = 0;
    while (in->npeek < HZS_MAGIC_BYTES) {
        ssize_t r = read(in->fd, in->peek + in->npeek, HZS_MAGIC_BYTES - in->npeek);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            hz->error(in->c, "cannot read %s: %s", in->shown, strerror(errno));
            return -1;
        }
        if (r == 0) break;
        in->npeek += (size_t)r;
        in->bytes += (uint64_t)r;
    }
    return 0;
}

int hzs_input_rewind(hzs_input *in) {
    if (lseek(in->fd, 0, SEEK_SET) != 0) {
        hz->error(in->c, "cannot read %s again: %s", in->shown, strerror(errno));
        return -1;
    }
    in->bytes = 0;
    return peek(in);
}

/* "source 'S' cannot open feed 'samples/x.csv' (/data/pipelines/samples/x.csv)": the path as the
 * pipeline gives it, then, when that is relative, as the core resolved it
 * (from the pipeline's folder, made absolute), so that a user who expected
 * another folder sees which one was used. */
static void describe_feed(hzs_input *in, hzs_buf *out) {
    hzs_buf_printf(out, "source '%s' cannot open feed '%s'", hz->component_name(in->c), in->written);
    if (in->written[0] == '/') return;
    char cwd[4096];
    if (in->path[0] != '/' && getcwd(cwd, sizeof cwd))
        hzs_buf_printf(out, " (%s%s%s)", cwd, strcmp(cwd, "/") ? "/" : "", in->path);
    else
        hzs_buf_printf(out, " (%s)", in->path);
}

/* A feed that planning cannot open: a configuration error at `path:`, as
 * any other error found before the run starts (exit status 2, whatever
 * the command: see README "Exit status"). */
static void plan_open_failed(hzs_input *in, const char *why) {
    hzs_buf msg = {0};
    describe_feed(in, &msg);
    hz->config_error(in->c, hz->option(in->c, "path"), "%s: %s", hzs_buf_str(&msg), why);
    hzs_buf_free(&msg);
}

/* What an earlier feed is, as stat sees it: 0, or -1 when it is no file. */
static int stat_feed(hz_component *c, const char *file, struct stat *st) {
    if (!strcmp(file, HZS_INPUT_STDIN)) return fstat(STDIN_FILENO, st);
    if (file[0] == '/') return stat(file, st);
    /* feeds show paths inside the pipeline's folder relative to it */
    hzs_buf full = {0};
    hzs_buf_printf(&full, "%s/%s", hz->pipeline_dir(c), file);
    int rc = stat(hzs_buf_str(&full), st);
    hzs_buf_free(&full);
    return rc;
}

/* A stream read by two sources would give each a random share of it, so
 * the second source to name it is a configuration error.  Two readers of
 * one regular file are fine (each opens its own), except through "-",
 * where they would share one file offset. */
static int check_unshared(hzs_input *in, uint32_t feed, const struct stat *mine) {
    bool is_stdin = !strcmp(in->path, HZS_INPUT_STDIN);
    for (uint32_t i = 0; i < feed; i++) {
        const char *component = NULL, *file = NULL;
        struct stat st;
        hz->feed_describe(in->c, i, &component, &file);
        if (!file || !component) continue;
        bool both_stdin = is_stdin && !strcmp(file, HZS_INPUT_STDIN);
        if (!both_stdin && (stat_feed(in->c, file, &st) != 0 || S_ISREG(st.st_mode) ||
                            st.st_dev != mine->st_dev || st.st_ino != mine->st_ino))
            continue;
        hz->config_error(in->c, hz->option(in->c, "path"),
                         "%s is read by source '%s' already: a pipe or standard input can be read only "
                         "once, by one source",
                         is_stdin ? "standard input" : in->shown, component);
        return -1;
    }
    return 0;
}

int hzs_input_plan(hzs_input *in, uint32_t feed) {
    hz_component *c = in->c;
    bool is_stdin = !strcmp(in->path, HZS_INPUT_STDIN);
    struct stat st;
    /* Before opening: a FIFO's open waits for its writer. */
    if (is_stdin ? fstat(STDIN_FILENO, &st) == 0
                 : stat(in->path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        if (check_unshared(in, feed, &st) != 0) return -1;
    in->fd = is_stdin ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0) : open(in->path, O_RDONLY | O_CLOEXEC);
    if (in->fd < 0 && is_stdin) {
        hz->config_error(c, hz->option(c, "path"), "source '%s' cannot read standard input: %s",
                         hz->component_name(c), strerror(errno));
        return -1;
    }
    if (in->fd < 0 || fstat(in->fd, &st) != 0) {
        plan_open_failed(in, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        plan_open_failed(in, "it is a folder, not an export file");
        return -1;
    }
    if (isatty(in->fd)) {
        /* Nobody types a feed: waiting for it would only hang the run. */
        hz->config_error(c, hz->option(c, "path"),
                         "%s is a terminal: pipe the feed in (e.g. cat feed.csv | harmonize run ...) or "
                         "name a file",
                         is_stdin ? "'-' reads standard input, which" : in->shown);
        return -1;
    }
    in->once = is_stdin || !S_ISREG(st.st_mode);
    if (!in->once) hzs_watch_start(&in->planned, in->fd);
    if (in->once) {
        hzs_watch_start(&in->watch, in->fd); /* standard input may be a file */
        in->bytes = 0;
    }
    if (peek(in) != 0) return -1;
    in->packing = hzs_packing_of(in->peek, in->npeek);
    if (hzs_decode_plan(in) != 0) return -1;
    /* A zip member: rejects and the manifest name it as messages do,
     * `offices.zip:avrr_niger.csv`, not as the archive alone (ABI 1.3). */
    if (in->shown_member && HZ_HOST_HAS(set_feed_name)) hz->set_feed_name(c, feed, in->shown_member);
    return 0;
}

void hzs_input_keep(hzs_input *in, size_t limit, const char *what) {
    in->planning = true;
    in->keep_limit = limit;
    in->keep_what = what;
}

void hzs_input_plan_end(hzs_input *in) {
    in->planning = false;
    /* a once-only input hands out again what planning read of it: the
     * first bytes, then the kept ones, then the descriptor's */
    in->kept_at = in->peek_at = 0;
    in->expanded = 0;
    hzs_decode_end(in); /* planning may have decompressed a header */
    if (!in->once) hzs_input_close(in);
}

int hzs_input_open(hzs_input *in) {
    if (in->fd >= 0 || in->stream) return 0; /* once-only: open since plan() */
    if (in->once) {
        hz->error(in->c, "%s cannot be read twice", in->shown);
        return -1;
    }
    in->fd = open(in->path, O_RDONLY | O_CLOEXEC);
    if (in->fd < 0) {
        /* Gone or locked since planning: a run-time error (exit 1). */
        int err = errno;
        hzs_buf msg = {0};
        describe_feed(in, &msg);
        hz->error(in->c, "%s: %s", hzs_buf_str(&msg), strerror(err));
        hzs_buf_free(&msg);
        return -1;
    }
    hzs_watch_start(&in->watch, in->fd);
    /* Sources are read one after the other, maybe long after they were
     * planned (another source, --wait): the header planned from must still
     * be this file's, or its columns would be read under another file's names. */
    if (in->planned.regular && !hzs_watch_same(&in->planned, &in->watch)) {
        hz->error(in->c, "%s was %s between planning and reading it: nothing is published; run again",
                  in->shown, hzs_watch_difference(&in->planned, &in->watch));
        return -1;
    }
    in->bytes = 0;
    if (peek(in) != 0) return -1;
    if (hzs_packing_of(in->peek, in->npeek) != in->packing) {
        hz->error(in->c, "%s changed between planning and the run (it is %s now): run again", in->shown,
                  hzs_packing_name(hzs_packing_of(in->peek, in->npeek)));
        return -1;
    }
    return 0;
}

/* Keep what planning read of a once-only input, within its limit. */
static void keep(hzs_input *in, const void *p, size_t n) {
    in->kept = hzs_grow(in->kept, &in->kept_cap, in->nkept + n, 1);
    memcpy(in->kept + in->nkept, p, n);
    in->nkept += n;
}

ssize_t hzs_input_read(hzs_input *in, void *buf, size_t n) {
    if (in->packing != HZS_PLAIN) return hzs_decode_read(in, buf, n);
    return hzs_input_raw_read(in, buf, n);
}

ssize_t hzs_input_raw_read(hzs_input *in, void *buf, size_t n) {
    unsigned char *out = buf;
    size_t got = 0;
    if (in->peek_at < in->npeek) {
        got = in->npeek - in->peek_at < n ? in->npeek - in->peek_at : n;
        memcpy(out, in->peek + in->peek_at, got);
        in->peek_at += got;
        if (got == n || in->once) return (ssize_t)got;
    }
    if (!in->planning && in->kept_at < in->nkept) {
        size_t k = in->nkept - in->kept_at < n - got ? in->nkept - in->kept_at : n - got;
        memcpy(out + got, in->kept + in->kept_at, k);
        in->kept_at += k;
        got += k;
        if (in->kept_at == in->nkept) { /* handed out whole: no longer needed */
            free(in->kept);
            in->kept = NULL;
            in->nkept = in->kept_at = in->kept_cap = 0;
        }
    }
    if (in->planning && in->once && in->nkept >= in->keep_limit) {
        hz->error(in->c,
                  "%s: %s: planning keeps at most %zu bytes of an input that cannot be read twice "
                  "(a pipe or standard input)",
                  in->shown, in->keep_what ? in->keep_what : "too much to plan", in->keep_limit);
        return -1;
    }
    while (got < n) {
        ssize_t r = read(in->fd, out + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            hz->error(in->c, "cannot read %s: %s", in->shown, strerror(errno));
            return -1;
        }
        if (r == 0) break;
        if (in->planning && in->once) keep(in, out + got, (size_t)r);
        got += (size_t)r;
        in->bytes += (uint64_t)r;
        /* A pipe hands out what its writer has written so far: take it
         * rather than wait for the buffer to fill (a header must not wait
         * for the writer's next rows, nor rows for the ones after). */
        if (in->once) break;
    }
    return (ssize_t)got;
}

FILE *hzs_input_stream(hzs_input *in) {
    if (in->stream) return in->stream;
    in->stream = fdopen(in->fd, "rb");
    if (!in->stream) hz->error(in->c, "cannot read %s: %s", in->shown, strerror(errno));
    return in->stream;
}

/* The decompressor may stop before the file's end (a zip's central
 * directory, padding): read the rest, so that the watch sees every byte of
 * the file as stored was read. */
static int drain(hzs_input *in) {
    unsigned char block[4096];
    ssize_t r;
    while ((r = hzs_input_raw_read(in, block, sizeof block)) > 0) {
    }
    return r < 0 ? -1 : 0;
}

uint64_t hzs_input_data_bytes(const hzs_input *in) {
    return in->packing != HZS_PLAIN ? in->expanded : in->bytes;
}

void hzs_input_progress(hzs_input *in, uint64_t done) {
    if (!HZ_HOST_HAS(input_progress)) return;
    hz->input_progress(in->c, in->packing != HZS_PLAIN ? in->bytes : done,
                       in->watch.regular ? (uint64_t)in->watch.size : 0);
}

int hzs_input_check_end(hzs_input *in, uint64_t bytes) {
    if (in->packing != HZS_PLAIN) {
        if (drain(in) != 0) return -1;
        bytes = in->bytes; /* the compressed bytes: what the watch knows */
    }
    int fd = in->stream ? fileno(in->stream) : in->fd;
    return hzs_watch_check(&in->watch, in->c, fd, in->path, bytes);
}

void hzs_input_close(hzs_input *in) {
    hzs_decode_end(in);
    if (in->stream)
        fclose(in->stream);
    else if (in->fd >= 0)
        close(in->fd);
    in->stream = NULL;
    in->fd = -1;
}

void hzs_input_free(hzs_input *in) {
    hzs_input_close(in);
    free(in->kept);
    in->kept = NULL;
    free(in->raw);
    in->raw = NULL;
    free(in->member_owned);
    in->member_owned = NULL;
    free(in->shown_member);
    in->shown_member = NULL;
}

int hzs_option_positive(hz_component *c, const char *name, const char *unit, uint64_t *out) {
    int64_t v = hz->opt_int(c, name);
    if (v > 0) {
        *out = (uint64_t)v;
        return 0;
    }
    hz->config_error(c, hz->option(c, name), "'%s' must be a positive number of %s", name, unit);
    return -1;
}
