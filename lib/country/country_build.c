/* Building the key table from the generated data: every name, code, alias
 * and refusal of the reference table, through the same key functions the
 * lookups use.  Two answers for one key become a conflict (refused as
 * ambiguous at lookup; the unit tests require none in the shipped table).
 * Also: the pipeline aliases added on top. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "country_internal.h"
#include "country_repair.h"

static int claim_keys(hz_country_table *t, const hz_country_keys *k, hz_country_entry claim,
                      hz_country_how how, hz_country_how variant_how, bool replace_codes) {
    claim.flags = (uint8_t)(k->folded ? HZ_ENTRY_FOLDED : 0);
    if (k->is_code) {
        claim.how = (uint8_t)(how == HZ_HOW_REFUSAL ? HZ_HOW_REFUSAL : HZ_HOW_CODE);
        /* A code refusal shadows an ISO code that is also a missing-value
         * marker (NA); the generator allows the same. */
        const hz_country_entry *e = hz_country_table_find(t, k->code, k->code_len);
        bool replace = replace_codes && e && HZ_SOURCE_KIND(e->source) >= HZ_SRC_ALPHA2 &&
                       HZ_SOURCE_KIND(e->source) <= HZ_SRC_NUMERIC;
        return hz_country_table_claim(t, k->code, k->code_len, &claim, replace);
    }
    claim.how = (uint8_t)how;
    if (hz_country_table_claim(t, k->direct, k->direct_len, &claim, false) != 0) return -1;
    claim.how = (uint8_t)variant_how;
    return hz_country_table_claim(t, k->variant, k->variant_len, &claim, false);
}

static int claim_text(hz_country_table *t, const char *text, hz_country_entry claim, hz_country_how how,
                      hz_country_how variant_how) {
    hz_country_keys k;
    if (!hz_country_keys_compute(text, strlen(text), &k)) return 0; /* too long: no key */
    return claim_keys(t, &k, claim, how, variant_how, how == HZ_HOW_REFUSAL);
}

static int claim_code(hz_country_table *t, const char *code, hz_country_entry claim) {
    if (!*code) return 0;
    hz_country_keys k;
    hz_country_keys_compute(code, strlen(code), &k);
    return claim_keys(t, &k, claim, HZ_HOW_CODE, HZ_HOW_CODE, false);
}

int hz_country_build(hz_country_matcher *m) {
    hz_country_table *t = &m->table;
    size_t expected = 6 * hz_country_row_count + 2 * hz_country_alias_row_count +
                      2 * hz_country_refusal_row_count + 2 * hz_country_misspelling_row_count;
    if (hz_country_table_init(t, expected) != 0) return -1;
    m->xkx = (int16_t)hz_country_find_iso3("XKX");
    m->srb = (int16_t)hz_country_find_iso3("SRB");
    for (size_t i = 0; i < hz_country_row_count; i++) {
        const hz_country *c = &hz_country_rows[i];
        hz_country_entry claim = {.status = HZ_COUNTRY_FOUND, .country = (int16_t)i, .other = -1};
        const char *names[] = {c->iom_name, c->iso_name, c->short_name};
        const hz_country_source_kind kinds[] = {HZ_SRC_IOM_NAME, HZ_SRC_ISO_NAME, HZ_SRC_SHORT_NAME};
        for (size_t n = 0; n < 3; n++) {
            claim.source = HZ_SOURCE(kinds[n], i);
            if (claim_text(t, names[n], claim, HZ_HOW_NAME, HZ_HOW_NAME_VARIANT) != 0) return -1;
        }
        claim.source = HZ_SOURCE(HZ_SRC_ALPHA3, i);
        if (claim_code(t, c->alpha3, claim) != 0) return -1;
        claim.source = HZ_SOURCE(HZ_SRC_ALPHA2, i);
        if (claim_code(t, c->alpha2, claim) != 0) return -1;
        claim.source = HZ_SOURCE(HZ_SRC_NUMERIC, i);
        if (claim_code(t, c->numeric, claim) != 0) return -1;
    }
    for (size_t i = 0; i < hz_country_alias_row_count; i++) {
        const hz_country_alias_row *a = &hz_country_alias_rows[i];
        hz_country_entry claim = {.status = HZ_COUNTRY_FOUND,
                                  .country = (int16_t)a->country,
                                  .other = -1,
                                  .source = HZ_SOURCE(HZ_SRC_ALIAS, i)};
        if (claim_text(t, a->text, claim, HZ_HOW_ALIAS, HZ_HOW_ALIAS_VARIANT) != 0) return -1;
    }
    for (size_t i = 0; i < hz_country_refusal_row_count; i++) {
        const hz_country_refusal_row *r = &hz_country_refusal_rows[i];
        hz_country_entry claim = {
            .status = (uint8_t)r->reason, .country = -1, .other = -1, .source = HZ_SOURCE(HZ_SRC_REFUSAL, i)};
        if (claim_text(t, r->text, claim, HZ_HOW_REFUSAL, HZ_HOW_REFUSAL) != 0) return -1;
    }
    /* Last, the curated misspellings: one the generator found as plausible
     * for another country (`other`) is refused as ambiguous, naming both.
     * The generator refuses a misspelling that is another answer's key, so
     * none of these claims takes a key from a name (the unit test counts
     * conflicts). */
    for (size_t i = 0; i < hz_country_misspelling_row_count; i++) {
        const hz_country_misspelling_row *r = &hz_country_misspelling_rows[i];
        hz_country_entry claim = {.status = r->other >= 0 ? HZ_COUNTRY_AMBIGUOUS : HZ_COUNTRY_FOUND,
                                  .country = r->country,
                                  .other = r->other,
                                  .source = HZ_SOURCE(HZ_SRC_MISSPELLING, i)};
        if (claim_text(t, r->text, claim, HZ_HOW_MISSPELLING, HZ_HOW_MISSPELLING) != 0) return -1;
    }
    return 0;
}

/* Whether the key's current answer `e` forbids an alias to `country` (with
 * the reason in `why`); it allows one to the same country, and one that
 * settles an ambiguity of the table. */
static bool contradicts(const hz_country_matcher *m, const hz_country_entry *e, int16_t country,
                        const char *text, char *why, size_t cap) {
    if (!e || (e->status == HZ_COUNTRY_FOUND && e->country == country)) return false;
    if (e->status == HZ_COUNTRY_AMBIGUOUS && e->how != HZ_HOW_CONFLICT &&
        HZ_SOURCE_KIND(e->source) != HZ_SRC_USER)
        return false;
    size_t src = HZ_SOURCE_INDEX(e->source);
    switch (HZ_SOURCE_KIND(e->source)) {
    case HZ_SRC_USER:
        snprintf(why, cap, "'%s' already means %s through '%s' (%s)", text,
                 e->country >= 0 ? hz_country_rows[e->country].alpha3 : "nothing", m->user[src].text,
                 m->user[src].origin);
        return true;
    case HZ_SRC_REFUSAL:
        snprintf(why, cap, "'%s' is not a country in the country table (%s: %s)", text,
                 hz_country_refusal_rows[src].text, hz_country_refusal_rows[src].detail);
        return true;
    default:
        if (e->country < 0) break;
        snprintf(why, cap, "'%s' already means %s (%s) in the country table", text,
                 hz_country_rows[e->country].alpha3, hz_country_rows[e->country].iom_name);
        return true;
    }
    snprintf(why, cap, "'%s' contradicts the country table", text);
    return true;
}

int hz_country_matcher_add_alias(hz_country_matcher *m, const char *text, size_t len, const char *iso3,
                                 const char *origin, char *why, size_t cap) {
    snprintf(why, cap, "out of memory");
    char upper[4] = {0};
    for (size_t i = 0; i < 3 && iso3[i]; i++) upper[i] = (char)toupper((unsigned char)iso3[i]);
    int country = strlen(iso3) == 3 ? hz_country_find_iso3(upper) : -1;
    if (country < 0) {
        snprintf(why, cap, "'%s' is not the alpha-3 code of a country in the table (e.g. TUR, XKX)", iso3);
        return -1;
    }
    hz_country_keys k;
    if (!hz_country_utf8_valid(text, len)) {
        snprintf(why, cap, "the alias is not valid UTF-8");
        return -1;
    }
    if (len > HZ_COUNTRY_INPUT_MAX || !hz_country_keys_compute(text, len, &k)) {
        snprintf(why, cap, "the alias is too long to be a country name");
        return -1;
    }
    if (!k.is_code && k.direct_len == 0) {
        snprintf(why, cap, "the alias '%.*s' has no letters or digits", (int)len, text);
        return -1;
    }
    char *copy = malloc(len + 1);
    if (!copy) return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    const char *keys[2] = {k.is_code ? k.code : k.direct, k.variant};
    size_t lens[2] = {k.is_code ? k.code_len : k.direct_len, k.is_code ? 0 : k.variant_len};
    for (size_t i = 0; i < 2; i++) {
        if (contradicts(m, hz_country_table_find(&m->table, keys[i], lens[i]), (int16_t)country, copy, why,
                        cap)) {
            free(copy);
            return -1;
        }
    }
    hz_country_user_alias *user = realloc(m->user, (m->nuser + 1) * sizeof *user);
    if (user) m->user = user;
    char *where = user ? malloc(strlen(origin) + 1) : NULL;
    if (!where) {
        free(copy);
        return -1;
    }
    strcpy(where, origin);
    m->user[m->nuser] = (hz_country_user_alias){copy, where, (int16_t)country};
    hz_country_entry claim = {.status = HZ_COUNTRY_FOUND,
                              .country = (int16_t)country,
                              .other = -1,
                              .how = HZ_HOW_ALIAS,
                              .source = HZ_SOURCE(HZ_SRC_USER, m->nuser)};
    m->nuser++;
    for (size_t i = 0; i < 2; i++) {
        claim.how = (uint8_t)(i == 0 ? HZ_HOW_ALIAS : HZ_HOW_ALIAS_VARIANT);
        const hz_country_entry *e = hz_country_table_find(&m->table, keys[i], lens[i]);
        bool replace = e && e->status == HZ_COUNTRY_AMBIGUOUS; /* settled by the pipeline */
        if (hz_country_table_claim(&m->table, keys[i], lens[i], &claim, replace) != 0) return -1;
    }
    return 0;
}
