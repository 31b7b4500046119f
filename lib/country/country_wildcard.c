/* U+FFFD, the replacement character: a decoder put it where it lost one
 * character.  The text fits a name of the table when both have the same
 * number of characters and every other character is the same once case and
 * accents are set aside; it resolves when the names that fit all mean one
 * country (or are all the same refusal), and is ambiguous_country when
 * they mean several: `T�rkiye` is Türkiye, `Ira�` is Iran or Iraq.  Codes
 * never take part (a code is matched only as written).  The scan runs over
 * every name of the table, but only for text that holds U+FFFD. */
#include <string.h>

#include <utf8proc.h>

#include "country_internal.h"
#include "country_wildcard.h"

#define FFFD 0xFFFD
#define FOLD_OPTIONS                                                                                         \
    (UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE)

/* Longest name compared, in characters. */
#define MAX_CHARS 256

bool hz_country_has_fffd(const char *p, size_t n) {
    const char *end = p + n;
    for (const char *q = p; (q = memchr(q, 0xEF, (size_t)(end - q))) != NULL; q++)
        if (end - q >= 3 && (unsigned char)q[1] == 0xBF && (unsigned char)q[2] == 0xBD) return true;
    return false;
}

/* The code points of valid UTF-8, at most MAX_CHARS; -1 if more. */
static int decode(const char *p, size_t n, utf8proc_int32_t *cps) {
    int count = 0;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t w =
            utf8proc_iterate((const utf8proc_uint8_t *)p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (w <= 0 || count == MAX_CHARS) return -1;
        cps[count++] = cp;
        i += (size_t)w;
    }
    return count;
}

static bool is_alnum(utf8proc_int32_t cp) {
    utf8proc_category_t cat = utf8proc_category(cp);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

/* The same character once case and accents are set aside; any two
 * characters that only separate words (space, hyphen, apostrophe) are the
 * same (`Guin�e-Bissau` fits `Guinée Bissau`). */
static bool same_char(utf8proc_int32_t a, utf8proc_int32_t b) {
    if (a == b) return true;
    if (!is_alnum(a) && !is_alnum(b)) return true;
    utf8proc_int32_t fa[24], fb[24];
    int ca = UTF8PROC_BOUNDCLASS_START, cb = UTF8PROC_BOUNDCLASS_START;
    utf8proc_ssize_t na = utf8proc_decompose_char(a, fa, 24, FOLD_OPTIONS, &ca);
    utf8proc_ssize_t nb = utf8proc_decompose_char(b, fb, 24, FOLD_OPTIONS, &cb);
    if (na < 0 || nb < 0 || na > 24 || nb > 24 || na != nb) return false;
    return !memcmp(fa, fb, (size_t)na * sizeof *fa);
}

typedef struct fits {
    const hz_country_matcher *m;
    const utf8proc_int32_t *in;
    int nin;
    int country, other; /* the first two countries that fit (Kosovo policy applied) */
    int32_t country_source;
    int refusal_status; /* -1: none; the status of the refusals that fit */
    bool refusals_differ;
    int32_t refusal_source;
} fits;

static bool fits_text(const fits *f, const char *text) {
    size_t n = strlen(text);
    if (n < (size_t)f->nin || n > 4 * (size_t)f->nin) return false; /* cheap length test */
    hz_country_keys k;
    if (hz_country_keys_compute(text, n, &k) && k.is_code) return false;
    utf8proc_int32_t cps[MAX_CHARS];
    if (decode(text, n, cps) != f->nin) return false;
    for (int i = 0; i < f->nin; i++)
        if (f->in[i] != FFFD && !same_char(f->in[i], cps[i])) return false;
    return true;
}

static int policy(const hz_country_matcher *m, int country) {
    return m->kosovo == HZ_KOSOVO_SERBIA && country == m->xkx ? m->srb : country;
}

static void add_country(fits *f, const char *text, int country, int32_t source) {
    if (!fits_text(f, text)) return;
    if (f->country < 0) {
        f->country = country;
        f->country_source = source;
    } else if (f->other < 0 && policy(f->m, country) != policy(f->m, f->country)) {
        f->other = country;
    }
}

static void add_refusal(fits *f, const char *text, int status, int32_t source) {
    if (!fits_text(f, text)) return;
    if (f->refusal_status < 0) {
        f->refusal_status = status;
        f->refusal_source = source;
    } else if (f->refusal_status != status) {
        f->refusals_differ = true;
    }
}

/* Whether `text` (trimmed) is one of the names of `country` as written,
 * but for case: the same letters with the same accents. */
static bool equal_text(const utf8proc_int32_t *in, int nin, const char *name) {
    utf8proc_int32_t cps[MAX_CHARS];
    if (decode(name, strlen(name), cps) != nin) return false;
    for (int i = 0; i < nin; i++)
        if (in[i] != cps[i] && utf8proc_tolower(in[i]) != utf8proc_tolower(cps[i])) return false;
    return true;
}

bool hz_country_written_so(const hz_country_matcher *m, const char *text, size_t len, int country) {
    size_t start;
    size_t n = hz_country_trim(text, len, &start);
    utf8proc_int32_t in[MAX_CHARS];
    int nin = decode(text + start, n, in);
    if (nin <= 0 || country < 0) return false;
    const hz_country *c = &hz_country_rows[country];
    if (equal_text(in, nin, c->iom_name) || equal_text(in, nin, c->iso_name) ||
        equal_text(in, nin, c->short_name))
        return true;
    for (size_t i = 0; i < hz_country_alias_row_count; i++)
        if (hz_country_alias_rows[i].country == country && equal_text(in, nin, hz_country_alias_rows[i].text))
            return true;
    for (size_t i = 0; i < m->nuser; i++)
        if (m->user[i].country == country && equal_text(in, nin, m->user[i].text)) return true;
    return false;
}

void hz_country_wildcard(hz_country_matcher *m, const char *text, size_t len, hz_country_result *r) {
    size_t start;
    size_t n = hz_country_trim(text, len, &start);
    utf8proc_int32_t in[MAX_CHARS];
    int nin = decode(text + start, n, in);
    *r = (hz_country_result){HZ_COUNTRY_UNKNOWN,           HZ_RULE_NONE, HZ_REPAIR_NONE, -1, -1,
                             HZ_SOURCE(HZ_SRC_WILDCARD, 0)};
    if (nin <= 0) return;
    fits f = {m, in, nin, -1, -1, 0, -1, false, 0};
    for (size_t i = 0; i < hz_country_row_count; i++) {
        const hz_country *c = &hz_country_rows[i];
        add_country(&f, c->iom_name, (int)i, HZ_SOURCE(HZ_SRC_IOM_NAME, i));
        add_country(&f, c->iso_name, (int)i, HZ_SOURCE(HZ_SRC_ISO_NAME, i));
        add_country(&f, c->short_name, (int)i, HZ_SOURCE(HZ_SRC_SHORT_NAME, i));
    }
    for (size_t i = 0; i < hz_country_alias_row_count; i++)
        add_country(&f, hz_country_alias_rows[i].text, hz_country_alias_rows[i].country,
                    HZ_SOURCE(HZ_SRC_ALIAS, i));
    for (size_t i = 0; i < m->nuser; i++)
        add_country(&f, m->user[i].text, m->user[i].country, HZ_SOURCE(HZ_SRC_USER, i));
    for (size_t i = 0; i < hz_country_refusal_row_count; i++)
        add_refusal(&f, hz_country_refusal_rows[i].text, (int)hz_country_refusal_rows[i].reason,
                    HZ_SOURCE(HZ_SRC_REFUSAL, i));
    if (f.country >= 0 && f.other < 0 && f.refusal_status < 0) {
        *r = (hz_country_result){HZ_COUNTRY_FOUND, HZ_RULE_WILDCARD, HZ_REPAIR_NONE, (int16_t)f.country, -1,
                                 f.country_source};
    } else if (f.country < 0 && f.refusal_status >= 0 && !f.refusals_differ) {
        *r = (hz_country_result){(uint8_t)f.refusal_status, HZ_RULE_NONE, HZ_REPAIR_NONE, -1, -1,
                                 f.refusal_source};
    } else if (f.country >= 0 || f.refusal_status >= 0) {
        r->status = HZ_COUNTRY_AMBIGUOUS;
        r->country = (int16_t)f.country;
        r->other = (int16_t)f.other;
    }
}
