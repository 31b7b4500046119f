#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

static void (*oom_hook)(void);

void hz_set_out_of_memory_hook(void (*hook)(void)) {
    oom_hook = hook;
}

/* The one out-of-memory path, for the core and (through the host table)
 * for plugins: say so, discard the run's temporary outputs, exit 1. */
static void oom(void) {
    static int dying;
    fputs("harmonize: error: out of memory: nothing is published\n", stderr);
    if (!dying++ && oom_hook) oom_hook();
    exit(1);
}

void *hz_xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *hz_xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *hz_xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    if (!p) oom();
    return p;
}

char *hz_xstrdup(const char *s) {
    return hz_xstrndup(s, strlen(s));
}

char *hz_xstrndup(const char *s, size_t n) {
    char *p = hz_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *hz_xvasprintf(const char *fmt, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) n = 0;
    char *p = hz_xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *hz_xasprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *p = hz_xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}

void hz_strbuf_add(hz_strbuf *s, const char *p, size_t n) {
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        while (cap < s->len + n + 1) cap *= 2;
        s->data = hz_xrealloc(s->data, cap);
        s->cap = cap;
    }
    if (n) memcpy(s->data + s->len, p, n);
    s->len += n;
    s->data[s->len] = '\0';
}

void hz_strbuf_adds(hz_strbuf *s, const char *p) {
    hz_strbuf_add(s, p, strlen(p));
}

void hz_strbuf_printf(hz_strbuf *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *p = hz_xvasprintf(fmt, ap);
    va_end(ap);
    hz_strbuf_adds(s, p);
    free(p);
}

const char *hz_strbuf_cstr(hz_strbuf *s) {
    return s->data ? s->data : "";
}

void hz_strbuf_free(hz_strbuf *s) {
    free(s->data);
    s->data = NULL;
    s->len = s->cap = 0;
}

/* Optimal string alignment distance, bounded to short words. */
static size_t edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return (size_t)-1;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++) d[i][0] = i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best) best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

const char *hz_did_you_mean(const char *word, const char *const *candidates, size_t n) {
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    size_t limit = strlen(word) <= 4 ? 1 : strlen(word) <= 8 ? 2 : 3;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best_d <= limit ? best : NULL;
}

/* Length of the valid UTF-8 sequence at p, or 0. */
static size_t utf8_sequence(const unsigned char *p, size_t n) {
    if (p[0] < 0x80) return 1;
    size_t len = p[0] >= 0xC2 && p[0] <= 0xDF   ? 2
                 : p[0] >= 0xE0 && p[0] <= 0xEF ? 3
                 : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4
                                                : 0;
    if (!len || len > n) return 0;
    uint32_t cp = p[0] & (0x7F >> len);
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

void hz_utf8_escape(hz_strbuf *out, const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t len = utf8_sequence(p + i, n - i);
        if (len) {
            hz_strbuf_add(out, s + i, len);
            i += len;
        } else {
            char esc[5];
            snprintf(esc, sizeof esc, "\\x%02X", p[i]);
            hz_strbuf_add(out, esc, 4);
            i++;
        }
    }
}

void hz_csv_quote(hz_strbuf *out, const char *s, size_t n) {
    int needs = 0;
    for (size_t i = 0; i < n && !needs; i++)
        needs = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!needs) {
        hz_strbuf_add(out, s, n);
        return;
    }
    hz_strbuf_add(out, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') hz_strbuf_add(out, "\"", 1);
        hz_strbuf_add(out, s + i, 1);
    }
    hz_strbuf_add(out, "\"", 1);
}

char *hz_path_join(const char *dir, const char *path) {
    if (path[0] == '/' || !path[0]) return hz_xstrdup(path);
    while (path[0] == '.' && path[1] == '/') {
        path += 2;
        while (*path == '/') path++;
    }
    if (!path[0] || !strcmp(path, ".")) return hz_xstrdup(dir);
    /* A pipeline in "/" has "/" as its folder: no second slash. */
    size_t len = strlen(dir);
    return hz_xasprintf("%s%s%s", dir, len && dir[len - 1] == '/' ? "" : "/", path);
}

int hz_write_all(int fd, const void *data, size_t n) {
    const char *p = data;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

double hz_wall_clock(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *hz_dirname(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return hz_xstrdup(".");
    if (slash == path) return hz_xstrdup("/");
    return hz_xstrndup(path, (size_t)(slash - path));
}

void hz_sync_folder(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)fsync(fd);
    close(fd);
}

void hz_sync_folder_of(const char *path) {
    char *dir = hz_dirname(path);
    hz_sync_folder(dir);
    free(dir);
}
