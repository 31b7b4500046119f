/* floor: the simplest fast CSV copy with libcsv, the bar harmonize is measured against.
 *
 *   floor INPUT OUTPUT
 *
 * Parses INPUT with libcsv (whitespace kept) and writes every record back with minimal
 * quoting (a field is quoted only if it holds the delimiter, a quote, CR or LF; quotes
 * are doubled) and LF line ends. Input is read with fread in 1 MiB blocks; output is
 * assembled in a 1 MiB buffer and written with one fwrite per block. Nothing else: no
 * header handling, no encoding checks, no schema.
 */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (1u << 20)

struct out {
    FILE *f;
    char *buf;
    size_t len;
    int failed;
};

static void flush_out(struct out *o) {
    if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len) o->failed = 1;
    o->len = 0;
}

static int keep_space(unsigned char c) {
    (void)c;
    return 0;
}

static void on_field(void *data, size_t n, void *ctx) {
    struct out *o = ctx;
    const char *s = data;
    int quote = 0;
    size_t quotes = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"') {
            quote = 1;
            quotes++;
        } else if (c == ',' || c == '\n' || c == '\r') {
            quote = 1;
        }
    }
    size_t need = n + quotes + 3; /* quotes around, doubled quotes, the separator */
    if (BLOCK - o->len < need) {
        flush_out(o);
        if (need > BLOCK) { /* a field larger than the buffer: write it directly */
            if (quote) fputc('"', o->f);
            for (size_t i = 0; i < n; i++) {
                if (s[i] == '"') fputc('"', o->f);
                fputc(s[i], o->f);
            }
            if (quote) fputc('"', o->f);
            o->buf[o->len++] = ','; /* the buffer is empty now */
            return;
        }
    }
    char *p = o->buf + o->len;
    if (!quote) {
        memcpy(p, s, n);
        p += n;
    } else {
        *p++ = '"';
        if (!quotes) {
            memcpy(p, s, n);
            p += n;
        } else {
            for (size_t i = 0; i < n; i++) {
                if (s[i] == '"') *p++ = '"';
                *p++ = s[i];
            }
        }
        *p++ = '"';
    }
    *p++ = ',';
    o->len = (size_t)(p - o->buf);
}

static void on_row(int term, void *ctx) {
    struct out *o = ctx;
    (void)term;
    /* every field ends with ',' in the buffer; the row's last one becomes the line end
     * (a buffer is only flushed before a field is added, so it is never empty here) */
    if (o->len) o->buf[o->len - 1] = '\n';
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: floor INPUT OUTPUT\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "rb");
    if (!in) {
        fprintf(stderr, "floor: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    struct out o = {fopen(argv[2], "wb"), malloc(BLOCK), 0, 0};
    char *ibuf = malloc(BLOCK);
    struct csv_parser p;
    if (!o.f || !o.buf || !ibuf || csv_init(&p, 0) != 0) {
        fprintf(stderr, "floor: %s: %s\n", argv[2], strerror(errno));
        fclose(in);
        if (o.f) fclose(o.f);
        free(o.buf);
        free(ibuf);
        return 1;
    }
    csv_set_space_func(&p, keep_space);

    size_t n;
    while ((n = fread(ibuf, 1, BLOCK, in)) > 0) {
        if (csv_parse(&p, ibuf, n, on_field, on_row, &o) != n) {
            fprintf(stderr, "floor: %s: %s\n", argv[1], csv_strerror(csv_error(&p)));
            return 1;
        }
    }
    if (ferror(in)) {
        fprintf(stderr, "floor: %s: read error\n", argv[1]);
        return 1;
    }
    csv_fini(&p, on_field, on_row, &o);
    csv_free(&p);
    flush_out(&o);
    if (o.failed || fclose(o.f) != 0) {
        fprintf(stderr, "floor: %s: write error\n", argv[2]);
        return 1;
    }
    fclose(in);
    free(ibuf);
    free(o.buf);
    return 0;
}
