/* The map transform folds cells through a fast table (build_fold2) and
 * falls back to utf8proc for the rest; keys are folded by utf8proc_map.
 * A difference between the two would make a key silently unmatchable, so
 * this checks them against each other: every code point below U+0800,
 * every pair of them, and random strings mixing combining marks and
 * three-byte code points. */
#include "map.c"

#include <stdio.h>

/* map.c allocates through the host table: this test is its host. */
static void *test_xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) abort();
    return p;
}
static const hz_host test_host = {.xmalloc = test_xmalloc};

static size_t encode(unsigned cp, char *b) {
    if (cp < 0x80) {
        b[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    b[0] = (char)(0xE0 | cp >> 12);
    b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

/* 1 if fold_cell disagrees with utf8proc_map on str. */
static int differs(map_state *s, const char *str, size_t n) {
    utf8proc_uint8_t *ref = NULL;
    utf8proc_ssize_t rl =
        utf8proc_map((const utf8proc_uint8_t *)str, (utf8proc_ssize_t)n, &ref, FOLD_OPTIONS);
    hz_field f;
    bool ok = fold_cell(s, (hz_field){str, n}, &f);
    int bad = rl < 0 ? ok : !ok || f.len != (size_t)rl || memcmp(f.ptr, ref, f.len) != 0;
    free(ref);
    if (bad) {
        fprintf(stderr, "fold differs for:");
        for (size_t i = 0; i < n; i++) fprintf(stderr, " %02x", (unsigned char)str[i]);
        fputc('\n', stderr);
    }
    return bad;
}

int main(void) {
    hz = &test_host;
    map_state s = {0};
    s.max_key = 4096;
    s.fold_cap = MAX_DECOMPOSITION * (s.max_key + 1);
    s.fold_buf = hz->xmalloc((s.fold_cap + 1) * sizeof *s.fold_buf);
    s.fast_buf = hz->xmalloc(s.max_key + 1);
    build_fold2(&s);
    unsigned simple[FOLD2_SIZE] = {0};
    size_t nsimple = 0;
    for (unsigned cp = 1; cp < FOLD2_SIZE; cp++)
        if (s.fold2[cp] != NOT_SIMPLE) simple[nsimple++] = cp;
    if (nsimple == 0) return 99; /* the table would be useless */
    long bad = 0;
    char buf[64];
    for (unsigned a = 1; a < FOLD2_SIZE && bad < 10; a++) {
        bad += differs(&s, buf, encode(a, buf));
        for (unsigned b = 1; b < FOLD2_SIZE && bad < 10; b++) {
            size_t n = encode(a, buf);
            bad += differs(&s, buf, n + encode(b, buf + n));
        }
    }
    srand(1);
    for (int t = 0; t < 500000 && bad < 10; t++) {
        size_t n = 0;
        for (int i = rand() % 8 + 1; i > 0; i--) {
            int kind = rand() % 4;
            unsigned cp = kind == 0   ? 0x300 + (unsigned)rand() % 0x70   /* combining marks */
                          : kind == 1 ? 0x800 + (unsigned)rand() % 0xD000 /* three bytes, below surrogates */
                          : kind == 2 ? 1 + (unsigned)rand() % 0x7FF
                                      : simple[(size_t)rand() % nsimple];
            n += encode(cp, buf + n);
        }
        bad += differs(&s, buf, n);
    }
    /* Keys longer than the cell can be are a miss, not an overflow. */
    s.max_key = 3;
    hz_field f;
    if (fold_cell(&s, (hz_field){"ABCD", 4}, &f) || !fold_cell(&s, (hz_field){"ABC", 3}, &f) || f.len != 3)
        bad++;
    free(s.fold_buf);
    free(s.fast_buf);
    free(s.fold2);
    printf("%zu of %d code points below U+0800 fold through the table; %ld differences\n", nsimple,
           FOLD2_SIZE - 1, bad);
    return bad ? 1 : 0;
}
