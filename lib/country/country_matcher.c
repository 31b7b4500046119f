/* The country matcher: the order of attempts of hz_country.h, the
 * cache around them, and the answers under the pipeline's policies. */
#include "hz_country.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "country_internal.h"
#include "country_marks.h"
#include "country_repair.h"
#include "country_wildcard.h"

/* At most this many parts are looked at in `A / B / C`. */
#define MAX_PARTS 6

const char hz_country_kosovo_footnote[] = "References to Kosovo shall be understood to be in the context of "
                                          "United Nations Security Council resolution 1244 (1999).";

/* Words that may stand around `Kosovo` in a notation: the ways feeds refer
 * to resolution 1244 (`under UNSCR 1244/99`, `as defined by UN Security
 * Council Resolution 1244 (1999)`, `UNMIK`). */
static const char *const resolution_words[] = {
    "1244",
    "99",
    "1999",
    "un",
    "unsc",
    "unscr",
    "scr",
    "sc",
    "s",
    "res",
    "security",
    "council",
    "resolution",
    "united",
    "nations",
    "under",
    "per",
    "as",
    "defined",
    "by",
    "in",
    "the",
    "context",
    "of",
    "to",
    "with",
    "unmik",
    "according",
    "administered",
    "administration",
    "/",
    "accordance",
    "pursuant",
    "references",
    "reference",
    "shall",
    "be",
    "understood",
    "within",
    "meaning",
    /* French */
    "au",
    "sens",
    "de",
    "la",
    "le",
    "les",
    "l",
    "du",
    "des",
    "conseil",
    "securite",
    "nations",
    "unies",
    "onu",
    "csnu",
    "rcsnu",
    "en",
    "vertu",
    "conformement",
    "a",
    "selon",
    "dans",
    "cadre",
    "et",
    "toute",
    "doit",
    "etre",
    "interpretee",
    "contexte",
    /* Spanish */
    "del",
    "consejo",
    "seguridad",
    "naciones",
    "unidas",
    "con",
    "arreglo",
    "conformidad",
    "segun",
    "las",
    "el",
    "virtud",
    "resolucion",
    "conforme",
};

static hz_country_result unknown(int32_t source) {
    return (hz_country_result){HZ_COUNTRY_UNKNOWN, HZ_RULE_NONE, HZ_REPAIR_NONE, -1, -1, source};
}

int hz_country_find_iso3(const char *iso3) {
    for (size_t i = 0; i < hz_country_row_count; i++)
        if (!strcmp(hz_country_rows[i].alpha3, iso3)) return (int)i;
    return -1;
}

hz_country_matcher *hz_country_matcher_new(hz_kosovo_policy kosovo, hz_names_policy names) {
    hz_country_matcher *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->kosovo = kosovo;
    m->names = names;
    if (hz_country_build(m) != 0 || hz_country_forms_build(&m->forms) != 0 ||
        hz_country_letters_build(&m->letters) != 0 || hz_country_cache_init(&m->cache) != 0) {
        hz_country_matcher_free(m);
        return NULL;
    }
    return m;
}

void hz_country_matcher_free(hz_country_matcher *m) {
    if (!m) return;
    hz_country_table_free(&m->table);
    hz_country_forms_free(&m->forms);
    hz_country_letters_free(&m->letters);
    hz_country_cache_free(&m->cache);
    for (size_t i = 0; i < m->nuser; i++) {
        free(m->user[i].text);
        free(m->user[i].origin);
    }
    free(m->user);
    free(m);
}

void hz_country_trace_key(hz_country_matcher *m, const char *prefix, const char *key, size_t len) {
    hz_country_trace *t = &m->trace;
    if (!t->on) return;
    size_t room = sizeof t->key - t->key_len;
    int n = snprintf(t->key + t->key_len, room, "%s%.*s", prefix, (int)len, key);
    if (n > 0) t->key_len += (size_t)n < room ? (size_t)n : room - 1;
}

/* The row an answer stands for under the Kosovo policy. */
static int effective(const hz_country_matcher *m, int country) {
    return m->kosovo == HZ_KOSOVO_SERBIA && country == m->xkx ? m->srb : country;
}

static bool from_entry(const hz_country_entry *e, bool via_variant, hz_country_result *r) {
    if (!e) return false;
    *r = (hz_country_result){e->status, HZ_RULE_NONE, HZ_REPAIR_NONE, e->country, e->other, e->source};
    if (e->status != HZ_COUNTRY_FOUND) return true;
    switch ((hz_country_how)e->how) {
    case HZ_HOW_NAME: r->rule = via_variant ? HZ_RULE_ARTICLE : HZ_RULE_EXACT; break;
    case HZ_HOW_NAME_VARIANT: r->rule = HZ_RULE_ARTICLE; break;
    case HZ_HOW_CODE: r->rule = HZ_RULE_CODE; break;
    case HZ_HOW_MISSPELLING: r->rule = HZ_RULE_MISSPELLING; break;
    default: r->rule = HZ_RULE_ALIAS; break;
    }
    return true;
}

static bool word_in(const char *w, size_t n, const char *const *list, size_t count) {
    for (size_t i = 0; i < count; i++) {
        const char *x = list[i];
        size_t j = 0;
        while (j < n && x[j] == w[j]) j++;
        if (j == n && x[n] == '\0') return true;
    }
    return false;
}

/* `Kosovo` (or `Kosova`) with only words of a reference to resolution 1244
 * around it. */
static bool kosovo_notation(const hz_country_keys *k) {
    static const char *const kosovo[] = {"kosovo", "kosova"};
    bool named = false, referred = false;
    for (size_t i = 0; i < k->nitems && !named; i++) /* most text names no Kosovo: done quickly */
        named = k->items[i].kind == HZ_ITEM_TOKEN &&
                word_in(k->direct + k->items[i].off, k->items[i].len, kosovo, 2);
    if (!named) return false;
    named = false;
    for (size_t i = 0; i < k->nitems; i++) {
        const hz_country_item *it = &k->items[i];
        if (it->kind != HZ_ITEM_TOKEN) continue;
        const char *w = k->direct + it->off;
        if (word_in(w, it->len, kosovo, 2))
            named = true;
        else if (word_in(w, it->len, resolution_words, sizeof resolution_words / sizeof *resolution_words))
            referred = true;
        else
            return false;
    }
    return named && referred;
}

static bool has_non_ascii(const char *text, size_t len) {
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] >= 0x80) return true;
    return false;
}

/* The entry of a name key.  A key of code length from text holding
 * characters outside ASCII (`ûæ` gives "uae") matches only a name written
 * with such letters (`Irã`), never a dotted abbreviation (`U.A.E.`): junk
 * must not become a country by losing its accents or symbols.  Text with
 * odd case (country_key.h) matches no name. */
static const hz_country_entry *find_name(const hz_country_matcher *m, const hz_country_keys *k,
                                         const char *text, size_t text_len, const char *key, size_t len) {
    if (k->odd_case) return NULL;
    const hz_country_entry *e = hz_country_table_find(&m->table, key, len);
    if (!e || e->status != HZ_COUNTRY_FOUND) return e; /* refusing junk is harmless */
    if (len <= 3 && !has_non_ascii(text, text_len)) {
        /* A short key from ASCII: letters, spaces and full stops only
         * (`U.K.`, `u s`), not `)Uk` or `,UK,`. */
        for (size_t i = 0; i < text_len; i++) {
            char c = text[i];
            if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c != ' ' && c != '.' && c != '\t') return NULL;
        }
    }
    if (len <= 3 && has_non_ascii(text, text_len)) {
        /* A short key from text with characters outside ASCII: only a name
         * of the table written with these very letters (`Irã`, `Omã`), not
         * `ØMa`, `ûæ` (U.A.E.) or `U©k` (U.K.). */
        if (!(e->flags & HZ_ENTRY_FOLDED) || !hz_country_written_so(m, text, text_len, e->country))
            return NULL;
    }
    /* Letters outside ASCII must be letters the country's names use (case
     * aside): accents are set aside to match, not invented (`ÏrAÖ` is not
     * `Irão`, `Cìnâ` not `Cina`). */
    if (!hz_country_letters_fit(&m->letters, e->country, text, text_len)) return NULL;
    return e;
}

/* Whether the text holds the initial `N.` (North, or New). */
static bool has_n_initial(const char *text, size_t len) {
    for (size_t i = 0; i + 1 < len; i++)
        if ((text[i] == 'N' || text[i] == 'n') && text[i + 1] == '.' &&
            (i == 0 || text[i - 1] == ' ' || text[i - 1] == ',' || text[i - 1] == '('))
            return true;
    return false;
}

/* The direct and variant keys against the table. */
static bool match_keys(hz_country_matcher *m, const hz_country_keys *k, const char *text, size_t len,
                       hz_country_result *r) {
    hz_country_trace_key(m, "", k->direct, k->direct_len);
    if (from_entry(find_name(m, k, text, len, k->direct, k->direct_len), false, r)) return true;
    if (k->variant_len) {
        hz_country_trace_key(m, " ~ ", k->variant, k->variant_len);
        if (from_entry(find_name(m, k, text, len, k->variant, k->variant_len), true, r)) return true;
    }
    return false;
}

/* Steps 1-3 of hz_country.h on valid UTF-8.  False: not answered. */
static bool match_simple(hz_country_matcher *m, const char *text, size_t len, hz_country_keys *k,
                         hz_country_result *r) {
    size_t start;
    if (hz_country_trim(text, len, &start) == 0) {
        *r = unknown(HZ_SOURCE(HZ_SRC_EMPTY, 0));
        r->status = HZ_COUNTRY_NOT_A_COUNTRY;
        return true;
    }
    if (!hz_country_keys_compute(text, len, k)) {
        *r = unknown(HZ_SOURCE(HZ_SRC_TOO_LONG, 0));
        return true;
    }
    const hz_country_table *t = &m->table;
    if (k->is_code) {
        hz_country_trace_key(m, "", k->code, k->code_len);
        if (!from_entry(hz_country_table_find(t, k->code, k->code_len), false, r)) *r = unknown(0);
        return true; /* ASCII: nothing to repair, no parts */
    }
    if (k->direct_len == 0) {
        *r = unknown(HZ_SOURCE(HZ_SRC_NO_LETTERS, 0));
        r->status = HZ_COUNTRY_NOT_A_COUNTRY;
        return true;
    }
    if (match_keys(m, k, text, len, r)) return true;
    for (int reading = 1; reading <= 2 && has_n_initial(text, len); reading++) {
        /* `Papua N. Guinea`: N. for New; `N. Mariana Is.`: for Northern */
        hz_country_keys alt;
        if (hz_country_keys_compute_as(text, len, reading, &alt) && !alt.is_code) {
            hz_country_trace_key(m, reading == 1 ? " | N.=new: " : " | N.=northern: ", "", 0);
            if (match_keys(m, &alt, text, len, r)) return true;
        }
    }
    if (!k->odd_case && hz_country_match_form(m, k, r)) {
        if (r->status != HZ_COUNTRY_FOUND || hz_country_letters_fit(&m->letters, r->country, text, len))
            return true;
    }
    if (m->xkx >= 0 && kosovo_notation(k)) {
        *r = (hz_country_result){HZ_COUNTRY_FOUND, HZ_RULE_NOTATION, HZ_REPAIR_NONE, m->xkx, -1, 0};
        return true;
    }
    return false;
}

typedef struct part {
    size_t start, len;
} part;

static bool is_blank(char ch) {
    return ch == ' ' || ch == '\t';
}

/* Cut `text` at the separators of step 4; returns the number of parts. */
static size_t cut_parts(const char *text, size_t len, part *parts) {
    size_t n = 0, from = 0, end = len;
    size_t start, trimmed = hz_country_trim(text, len, &start);
    /* A trailing bracket is a part of its own: `Afghanistan (AFG)`. */
    if (trimmed && (text[start + trimmed - 1] == ')' || text[start + trimmed - 1] == ']')) {
        size_t depth = 0, close = start + trimmed - 1;
        for (size_t j = close + 1; j-- > start;) {
            if (text[j] == ')' || text[j] == ']') depth++;
            if ((text[j] == '(' || text[j] == '[') && --depth == 0) {
                if (j > start) {
                    parts[MAX_PARTS - 1] = (part){j + 1, close - j - 1};
                    end = j;
                }
                break;
            }
        }
    }
    for (size_t i = 0; i <= end; i++) {
        size_t skip = 0;
        if (i == end) {
            skip = 1;
        } else {
            char ch = text[i];
            if (ch == '/' || ch == '\\' || ch == ';' || ch == '|' || ch == '+' || ch == ',')
                skip = 1;
            else if (ch == '-' && i > 0 && i + 1 < end && is_blank(text[i - 1]) && is_blank(text[i + 1]))
                skip = 1;
            else if ((unsigned char)ch == 0xE2 && i + 2 < end && (unsigned char)text[i + 1] == 0x80 &&
                     ((unsigned char)text[i + 2] == 0x93 || (unsigned char)text[i + 2] == 0x94))
                skip = 3; /* en or em dash */
        }
        if (!skip) continue;
        if (n == MAX_PARTS - 1) return 0; /* too many to judge */
        parts[n++] = (part){from, i - from};
        from = i + skip;
        i += skip - 1;
    }
    if (end < len) parts[n++] = parts[MAX_PARTS - 1];
    return n;
}

/* Step 4: parts that all mean one country, or two countries. */
static bool match_parts(hz_country_matcher *m, const char *text, size_t len, hz_country_result *r) {
    part parts[MAX_PARTS];
    size_t n = cut_parts(text, len, parts);
    if (n < 2) return false;
    int first = -1, second = -1, found = 0, used = 0;
    for (size_t i = 0; i < n; i++) {
        size_t start;
        if (hz_country_trim(text + parts[i].start, parts[i].len, &start) == 0) continue;
        used++;
        hz_country_keys k;
        hz_country_result pr;
        hz_country_trace_key(m, used == 1 ? "; parts: " : " | ", "", 0);
        if (!match_simple(m, text + parts[i].start, parts[i].len, &k, &pr) || pr.status != HZ_COUNTRY_FOUND)
            continue;
        found++;
        if (first < 0)
            first = pr.country;
        else if (second < 0 && effective(m, pr.country) != effective(m, first))
            second = pr.country;
    }
    if (used < 2) return false;
    if (second >= 0) {
        *r = (hz_country_result){HZ_COUNTRY_AMBIGUOUS, HZ_RULE_NONE,    HZ_REPAIR_NONE,
                                 (int16_t)first,       (int16_t)second, 0};
        return true;
    }
    if (found < used) return false;
    *r = (hz_country_result){HZ_COUNTRY_FOUND, HZ_RULE_PARTS, HZ_REPAIR_NONE, (int16_t)first, -1, 0};
    return true;
}

/* Steps 1-4 with the footnote marks set aside; text holding U+FFFD is
 * matched against the names of the table instead (country_wildcard.c). */
static bool answer(hz_country_matcher *m, const char *text, size_t len, hz_country_result *r) {
    size_t stripped = hz_country_strip_footnotes(text, len);
    if (stripped < len) {
        /* A code is a code only as written: `FI*` is not FIN. */
        hz_country_keys k;
        if (hz_country_keys_compute(text, stripped, &k) && k.is_code) {
            *r = unknown(0);
            return true;
        }
        len = stripped;
    }
    if (hz_country_has_fffd(text, len)) {
        hz_country_wildcard(m, text, len, r);
        return true;
    }
    hz_country_keys k;
    return match_simple(m, text, len, &k, r) || match_parts(m, text, len, r);
}

static void note_repair(hz_country_matcher *m, const char *text, size_t len) {
    hz_country_trace *t = &m->trace;
    if (!t->on) return;
    memcpy(t->repaired, text, len);
    t->repaired_len = len;
    t->key_len = 0;
}

void hz_country_lookup(hz_country_matcher *m, const char *text, size_t len, hz_country_result *r) {
    if (len > HZ_COUNTRY_INPUT_MAX) {
        *r = unknown(HZ_SOURCE(HZ_SRC_TOO_LONG, 0));
        return;
    }
    if (hz_country_has_control(text, len)) { /* junk, not a name: nothing is dropped to match */
        *r = unknown(HZ_SOURCE(HZ_SRC_CONTROL, 0));
        r->status = HZ_COUNTRY_NOT_A_COUNTRY;
        return;
    }
    if (!hz_country_utf8_valid(text, len)) {
        size_t n = hz_country_decode_cp1252(text, len, m->decoded);
        note_repair(m, m->decoded, n);
        if (!answer(m, m->decoded, n, r)) *r = unknown(0);
        r->repair = HZ_REPAIR_CP1252;
        return;
    }
    if (answer(m, text, len, r)) return;
    const char *cur = text;
    size_t cur_len = len;
    for (int round = 0; round < 2; round++) {
        size_t n;
        if (!hz_country_unmojibake(cur, cur_len, m->unmojibaked[round], &n)) break;
        cur = m->unmojibaked[round];
        cur_len = n;
        hz_country_trace saved = {0};
        if (m->trace.on) saved = m->trace;
        note_repair(m, cur, cur_len);
        if (answer(m, cur, cur_len, r) && r->status != HZ_COUNTRY_UNKNOWN) {
            r->repair = HZ_REPAIR_MOJIBAKE;
            return;
        }
        if (m->trace.on) m->trace = saved;
    }
    *r = unknown(0);
}

void hz_country_match(hz_country_matcher *m, const char *text, size_t len, hz_country_result *r) {
    m->lookups++;
    uint64_t h = hz_country_hash(text, len);
    const hz_country_result *cached = hz_country_cache_get(&m->cache, h, text, len);
    if (cached) {
        m->hits++;
        *r = *cached;
        return;
    }
    hz_country_lookup(m, text, len, r);
    hz_country_cache_put(&m->cache, h, text, len, r);
}

void hz_country_matcher_stats(const hz_country_matcher *m, uint64_t *hits, uint64_t *lookups) {
    *hits = m->hits;
    *lookups = m->lookups;
}

/* ---- answers under the policies ---------------------------------------- */

const hz_country *hz_country_row(const hz_country_matcher *m, const hz_country_result *r) {
    if (r->status != HZ_COUNTRY_FOUND || r->country < 0) return NULL;
    return &hz_country_rows[effective(m, r->country)];
}

const char *hz_country_iso3(const hz_country_matcher *m, const hz_country_result *r) {
    const hz_country *c = hz_country_row(m, r);
    return c ? c->alpha3 : "";
}

const char *hz_country_name(const hz_country_matcher *m, const hz_country_result *r) {
    const hz_country *c = hz_country_row(m, r);
    if (!c) return "";
    switch (m->names) {
    case HZ_NAMES_ISO: return c->iso_name;
    case HZ_NAMES_SHORT: return c->short_name;
    default: return c->iom_name;
    }
}

const char *hz_country_region(const hz_country_matcher *m, const hz_country_result *r) {
    const hz_country *c = hz_country_row(m, r);
    return c ? hz_region_name(c->region) : "";
}

bool hz_country_is_kosovo(const hz_country_matcher *m, const hz_country_result *r) {
    return r->status == HZ_COUNTRY_FOUND && r->country == m->xkx && m->kosovo == HZ_KOSOVO_SEPARATE;
}

const char *hz_country_reason(const hz_country_result *r) {
    switch ((hz_country_status)r->status) {
    case HZ_COUNTRY_AMBIGUOUS: return "ambiguous_country";
    case HZ_COUNTRY_NOT_A_COUNTRY: return "not_a_country";
    case HZ_COUNTRY_UNKNOWN: return "unknown_country";
    default: return NULL;
    }
}

const char *hz_country_rule_name(const hz_country_result *r) {
    if (r->status != HZ_COUNTRY_FOUND) return hz_country_reason(r);
    if (r->repair == HZ_REPAIR_MOJIBAKE) return "mojibake";
    if (r->repair == HZ_REPAIR_CP1252) return "cp1252";
    switch ((hz_country_rule)r->rule) {
    case HZ_RULE_EXACT: return "exact";
    case HZ_RULE_ARTICLE: return "article";
    case HZ_RULE_ALIAS: return "alias";
    case HZ_RULE_CODE: return "code";
    case HZ_RULE_NOTATION: return "notation";
    case HZ_RULE_PARTS: return "parts";
    case HZ_RULE_MISSPELLING: return "misspelling";
    case HZ_RULE_WILDCARD: return "wildcard";
    case HZ_RULE_FORM: return "form";
    default: return "exact";
    }
}

static const struct {
    const char *code, *name;
} regions[HZ_REGION_COUNT] = {
    [HZ_REGION_ASIA_PACIFIC] = {"asia_pacific", "Asia and the Pacific"},
    [HZ_REGION_CNA_CARIBBEAN] = {"cna_caribbean", "Central and North America and the Caribbean"},
    [HZ_REGION_EAST_HORN_AFRICA] = {"east_horn_africa", "East and Horn of Africa"},
    [HZ_REGION_EEA] = {"eea", "European Economic Area"},
    [HZ_REGION_MENA] = {"mena", "Middle East and North Africa"},
    [HZ_REGION_SOUTH_AMERICA] = {"south_america", "South America"},
    [HZ_REGION_SEEECA] = {"seeeca", "South-Eastern Europe, Eastern Europe and Central Asia"},
    [HZ_REGION_SOUTHERN_AFRICA] = {"southern_africa", "Southern Africa"},
    [HZ_REGION_WEST_CENTRAL_AFRICA] = {"west_central_africa", "West and Central Africa"},
};

const char *hz_region_name(hz_region region) {
    return region < HZ_REGION_COUNT ? regions[region].name : "";
}
const char *hz_region_code(hz_region region) {
    return region < HZ_REGION_COUNT ? regions[region].code : "";
}
