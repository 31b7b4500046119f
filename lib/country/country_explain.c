/* Saying why: the text of refusals (what the input means, what to write
 * instead), and the explanation of `harmonize country --explain`. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "country_internal.h"

typedef struct out {
    char *buf;
    size_t cap, len;
} out;

static void put(out *o, const char *fmt, ...) HZ_COUNTRY_PRINTF(2, 3);

static void put(out *o, const char *fmt, ...) {
    if (o->cap == 0 || o->len + 1 >= o->cap) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n > 0) o->len += (size_t)n < o->cap - o->len ? (size_t)n : o->cap - o->len - 1;
}

static void put_country(out *o, int country) {
    const hz_country *c = &hz_country_rows[country];
    put(o, "%s (%s)", c->iom_name, c->alpha3);
}

static void describe(const hz_country_matcher *m, const hz_country_result *r, out *o) {
    size_t src = HZ_SOURCE_INDEX(r->source);
    switch (HZ_SOURCE_KIND(r->source)) {
    case HZ_SRC_EMPTY: put(o, "the value is empty"); return;
    case HZ_SRC_NO_LETTERS: put(o, "the value has no letters or digits"); return;
    case HZ_SRC_TOO_LONG: put(o, "the value is too long to be a country name"); return;
    case HZ_SRC_CONTROL: put(o, "the value holds a control character: junk, not a name"); return;
    case HZ_SRC_WILDCARD:
        if (r->status == HZ_COUNTRY_UNKNOWN) {
            put(o, "no name of the table fits, each U+FFFD standing for one character");
            return;
        }
        break;
    case HZ_SRC_REFUSAL:
        if (r->other < 0) {
            put(o, "%s", hz_country_refusal_rows[src].detail);
            return;
        }
        break;
    default: break;
    }
    if (r->status == HZ_COUNTRY_AMBIGUOUS && r->country >= 0 && r->other >= 0) {
        put(o, "could be ");
        put_country(o, r->country);
        put(o, " or ");
        put_country(o, r->other);
        return;
    }
    if (r->status == HZ_COUNTRY_UNKNOWN) {
        put(o, "no country, alias, code or refusal of the table is written so");
        return;
    }
    if (r->status == HZ_COUNTRY_FOUND)
        put(o, "%s", hz_country_name(m, r));
    else
        put(o, "the table gives this name two meanings");
}

void hz_country_describe(const hz_country_matcher *m, const hz_country_result *r, char *buf, size_t cap) {
    out o = {buf, cap, 0};
    if (cap) buf[0] = '\0';
    describe(m, r, &o);
}

/* What matched, for a found country. */
static void matched(const hz_country_matcher *m, const hz_country_result *r, out *o) {
    size_t src = HZ_SOURCE_INDEX(r->source);
    const hz_country *c = &hz_country_rows[r->country];
    switch (HZ_SOURCE_KIND(r->source)) {
    case HZ_SRC_ISO_NAME: put(o, "ISO name '%s'", c->iso_name); break;
    case HZ_SRC_IOM_NAME: put(o, "house-style name '%s'", c->iom_name); break;
    case HZ_SRC_SHORT_NAME: put(o, "short name '%s'", c->short_name); break;
    case HZ_SRC_ALPHA2: put(o, "alpha-2 code %s", c->alpha2); break;
    case HZ_SRC_ALPHA3: put(o, "alpha-3 code %s", c->alpha3); break;
    case HZ_SRC_NUMERIC: put(o, "numeric code %s", c->numeric); break;
    case HZ_SRC_ALIAS:
        put(o, "alias '%s' (%s)", hz_country_alias_rows[src].text, hz_country_alias_rows[src].kind);
        break;
    case HZ_SRC_MISSPELLING:
        put(o, "misspelling '%s' (misspellings.tsv %s)", hz_country_misspelling_rows[src].text,
            hz_country_misspellings_version);
        break;
    case HZ_SRC_USER: put(o, "pipeline alias '%s' (%s)", m->user[src].text, m->user[src].origin); break;
    default:
        if (r->rule == HZ_RULE_NOTATION)
            put(o, "Kosovo with a reference to resolution 1244");
        else if (r->rule == HZ_RULE_PARTS)
            put(o, "every part means the same country");
        break;
    }
}

void hz_country_explain(hz_country_matcher *m, const char *text, size_t len, hz_country_result *r, char *key,
                        size_t key_cap, char *how, size_t how_cap) {
    hz_country_trace *t = &m->trace;
    t->on = true;
    t->key_len = t->repaired_len = 0;
    hz_country_lookup(m, text, len, r);
    t->on = false;

    out k = {key, key_cap, 0};
    if (key_cap) key[0] = '\0';
    put(&k, "%.*s", (int)t->key_len, t->key);

    out o = {how, how_cap, 0};
    if (how_cap) how[0] = '\0';
    if (r->repair != HZ_REPAIR_NONE)
        put(&o, "%s '%.*s'; ",
            r->repair == HZ_REPAIR_MOJIBAKE ? "mojibake repaired to" : "Windows-1252 read as",
            (int)t->repaired_len, t->repaired);
    if (r->status != HZ_COUNTRY_FOUND) {
        put(&o, "%s: ", hz_country_reason(r));
        describe(m, r, &o);
        return;
    }
    matched(m, r, &o);
    const hz_country *c = &hz_country_rows[r->country];
    put(&o, "; row %s %s %s | %s | %s | %s | %s", c->alpha3, c->alpha2, *c->numeric ? c->numeric : "-",
        c->iso_name, c->iom_name, c->short_name, hz_region_code(c->region));
    if (r->country == m->xkx && m->kosovo == HZ_KOSOVO_SERBIA)
        put(&o, "; counted under Serbia (kosovo: serbia)");
    else if (hz_country_is_kosovo(m, r))
        put(&o, "; footnote: %s", hz_country_kosovo_footnote);
}

size_t hz_country_matcher_conflicts(const hz_country_matcher *m, char *buf, size_t cap) {
    out o = {buf, cap, 0};
    if (cap) buf[0] = '\0';
    const hz_country_table *t = &m->table;
    size_t n = 0;
    for (size_t i = 0; i <= t->mask; i++) {
        const hz_country_entry *e = &t->slots[i];
        if (!e->key_len || e->how != HZ_HOW_CONFLICT) continue;
        if (n++ < 20) {
            put(&o, "key '%.*s': ", (int)e->key_len, t->keys + e->key_off);
            if (e->country >= 0)
                put_country(&o, e->country);
            else
                put(&o, "a refusal");
            put(&o, " and ");
            if (e->other >= 0)
                put_country(&o, e->other);
            else
                put(&o, "a refusal");
            put(&o, "\n");
        }
    }
    return n;
}
