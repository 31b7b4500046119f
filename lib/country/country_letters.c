/* The letters outside ASCII of each country's names (the names of
 * countries.tsv, the aliases in every language of the table).  Matching
 * sets accents aside, so `Guinee` and `GUINÉE` are `Guinée`; but a letter
 * with an accent that none of a country's names has is not a spelling of
 * it, it is junk that folds to it (`ÏrAÖ` is no spelling of `Irão`).  The
 * pipeline's own aliases are not counted: they are checked as written. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "country_internal.h"

typedef struct growing {
    int32_t *cps;
    size_t count, cap;
} growing;

static int add_letters(growing *g, const char *text) {
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t w = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (w <= 0) return 0; /* the table is valid UTF-8; stop if not */
        i += (size_t)w;
        if (cp < 0x80) continue;
        cp = utf8proc_tolower(cp);
        if (g->count == g->cap) {
            size_t cap = g->cap ? 2 * g->cap : 32;
            int32_t *cps = realloc(g->cps, cap * sizeof *cps);
            if (!cps) return -1;
            g->cps = cps;
            g->cap = cap;
        }
        g->cps[g->count++] = cp;
    }
    return 0;
}

static int compare_cps(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

int hz_country_letters_build(hz_country_letters *l) {
    l->latin = calloc(hz_country_row_count, sizeof *l->latin);
    l->sets = calloc(hz_country_row_count, sizeof *l->sets);
    l->counts = calloc(hz_country_row_count, sizeof *l->counts);
    growing *g = calloc(hz_country_row_count, sizeof *g);
    int status = l->sets && l->counts && l->latin && g ? 0 : -1;
    for (size_t i = 0; !status && i < hz_country_row_count; i++) {
        const hz_country *c = &hz_country_rows[i];
        status = add_letters(&g[i], c->iom_name) || add_letters(&g[i], c->iso_name) ||
                 add_letters(&g[i], c->short_name);
    }
    for (size_t i = 0; !status && i < hz_country_alias_row_count; i++)
        status = add_letters(&g[hz_country_alias_rows[i].country], hz_country_alias_rows[i].text);
    for (size_t i = 0; !status && i < hz_country_misspelling_row_count; i++)
        status = add_letters(&g[hz_country_misspelling_rows[i].country], hz_country_misspelling_rows[i].text);
    for (size_t i = 0; g && i < hz_country_row_count; i++) {
        if (!status && g[i].count) {
            qsort(g[i].cps, g[i].count, sizeof *g[i].cps, compare_cps);
            size_t u = 1;
            for (size_t j = 1; j < g[i].count; j++)
                if (g[i].cps[j] != g[i].cps[u - 1]) g[i].cps[u++] = g[i].cps[j];
            g[i].count = u;
        }
        l->sets[i] = g[i].cps; /* owned by l now, freed by letters_free */
        l->counts[i] = g[i].count;
        for (size_t j = 0; !status && j < g[i].count; j++) {
            /* The fast path of letters_fit: two-byte letters in both cases. */
            const int32_t both[2] = {g[i].cps[j], utf8proc_toupper(g[i].cps[j])};
            for (size_t b = 0; b < 2; b++)
                if (both[b] >= 0x80 && both[b] < 0x800) l->latin[i][both[b] / 64] |= 1ULL << (both[b] % 64);
        }
    }
    free(g);
    return status;
}

void hz_country_letters_free(hz_country_letters *l) {
    for (size_t i = 0; l->sets && i < hz_country_row_count; i++) free(l->sets[i]);
    free(l->sets);
    free(l->counts);
    free(l->latin);
    l->sets = NULL;
    l->counts = NULL;
    l->latin = NULL;
}

bool hz_country_letters_fit(const hz_country_letters *l, int country, const char *text, size_t len) {
    if (country < 0) return true;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
    size_t letters = 0, foreign = 0;
    for (size_t i = 0; i < len;) {
        if (p[i] < 0x80) {
            if (((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z')) letters++;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        if (p[i] >= 0xC2 && p[i] < 0xE0 && i + 1 < len) { /* two bytes: decoded here, the common case */
            cp = (p[i] & 0x1F) << 6 | (p[i + 1] & 0x3F);
            i += 2;
            if (cp < 0x800 && (l->latin[country][cp / 64] >> (cp % 64) & 1)) {
                letters++;
                continue;
            }
        } else {
            utf8proc_ssize_t w = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
            if (w <= 0) return false;
            i += (size_t)w;
        }
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO) continue; /* marks, spaces, symbols */
        letters++;
        int32_t lower = utf8proc_tolower(cp);
        if (lower < 0x80) continue; /* İ */
        if (!bsearch(&lower, l->sets[country], l->counts[country], sizeof lower, compare_cps)) foreign++;
    }
    /* One accent the names do not have is a writer's (`Zaïre`, `Rússia`,
     * `État de Libye`) in a text of five letters or more; two, or one in a
     * shorter text, is junk. */
    return foreign == 0 || (foreign == 1 && letters >= 5);
}
