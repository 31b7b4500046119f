/* Official forms around a name (`Royaume du Maroc`, `Maroc, Royaume du`,
 * `Federal Republic of Nigeria`, `Kingdom of Swaziland`): the words of a
 * state's form (republic, kingdom, federal, people's, ... in the languages
 * of the table) are set aside, with the small words between them, and what
 * is left, the core, is looked up among the cores of the table's own names.
 *
 * The form words must fit: a country answers only when its names, taken
 * together, use every form word of the text (`Islamic Republic of Iraq` is
 * no country: Iraq is never Islamic; `Republic of Dominica` is not the
 * Commonwealth of Dominica).  When several countries share a core and fit
 * (`République du Congo`: the Republic and the Democratic Republic of the
 * Congo both are republics), the one with a name whose form words are
 * exactly the text's wins (`Republic of the Congo`); if there is not
 * exactly one, the text is ambiguous.  Refusals take part like countries
 * (`République de Chine`), and a core that only a refusal has gives that
 * refusal whatever the form (`Federal Republic of Yugoslavia`). */
#include <stdlib.h>
#include <string.h>

#include "country_internal.h"

enum {
    F_REPUBLIC = 1 << 0,
    F_KINGDOM = 1 << 1,
    F_STATE = 1 << 2,
    F_DEMOCRATIC = 1 << 3,
    F_PEOPLE = 1 << 4,
    F_FEDERAL = 1 << 5,
    F_ISLAMIC = 1 << 6,
    F_ARAB = 1 << 7,
    F_SOCIALIST = 1 << 8,
    F_UNION = 1 << 9,
    F_CONFEDERATION = 1 << 10,
    F_PRINCIPALITY = 1 << 11,
    F_GRAND_DUCHY = 1 << 12,
    F_SULTANATE = 1 << 13,
    F_COMMONWEALTH = 1 << 14,
    F_PLURINATIONAL = 1 << 15,
    F_BOLIVARIAN = 1 << 16,
    F_ORIENTAL = 1 << 17,
    F_INDEPENDENT = 1 << 18,
    F_HASHEMITE = 1 << 19,
    F_UNITED = 1 << 20,
};

/* Folded words (keys are folded: no accents, lower case; republic,
 * democratic and federal already spelled one way, country_key.h). */
#define WORD(s) s, sizeof(s) - 1

static const struct {
    const char *word;
    size_t len;
    uint32_t form;
} form_words[] = {
    {WORD("republic"), F_REPUBLIC},
    {WORD("республика"), F_REPUBLIC},
    {WORD("جمهورية"), F_REPUBLIC},
    {WORD("الجمهورية"), F_REPUBLIC},
    {WORD("cumhuriyeti"), F_REPUBLIC},
    {WORD("kingdom"), F_KINGDOM},
    {WORD("royaume"), F_KINGDOM},
    {WORD("reino"), F_KINGDOM},
    {WORD("konigreich"), F_KINGDOM},
    {WORD("regno"), F_KINGDOM},
    {WORD("koninkrijk"), F_KINGDOM},
    {WORD("королевство"), F_KINGDOM},
    {WORD("مملكة"), F_KINGDOM},
    {WORD("المملكة"), F_KINGDOM},
    {WORD("state"), F_STATE},
    {WORD("etat"), F_STATE},
    {WORD("estado"), F_STATE},
    {WORD("staat"), F_STATE},
    {WORD("stato"), F_STATE},
    {WORD("государство"), F_STATE},
    {WORD("دولة"), F_STATE},
    {WORD("democratic"), F_DEMOCRATIC},
    {WORD("демократическая"), F_DEMOCRATIC},
    {WORD("الديمقراطية"), F_DEMOCRATIC},
    {WORD("people"), F_PEOPLE},
    {WORD("peoples"), F_PEOPLE},
    {WORD("populaire"), F_PEOPLE},
    {WORD("popular"), F_PEOPLE},
    {WORD("popolare"), F_PEOPLE},
    {WORD("народная"), F_PEOPLE},
    {WORD("volksrepublik"), F_PEOPLE | F_REPUBLIC},
    {WORD("bundesrepublik"), F_FEDERAL | F_REPUBLIC},
    {WORD("federal"), F_FEDERAL},
    {WORD("federation"), F_FEDERAL},
    {WORD("federacion"), F_FEDERAL},
    {WORD("federazione"), F_FEDERAL},
    {WORD("foderation"), F_FEDERAL},
    {WORD("федеративная"), F_FEDERAL},
    {WORD("федерация"), F_FEDERAL},
    {WORD("islamic"), F_ISLAMIC},
    {WORD("islamique"), F_ISLAMIC},
    {WORD("islamica"), F_ISLAMIC},
    {WORD("islamico"), F_ISLAMIC},
    {WORD("islamische"), F_ISLAMIC},
    {WORD("islamitische"), F_ISLAMIC},
    {WORD("исламская"), F_ISLAMIC},
    {WORD("arab"), F_ARAB},
    {WORD("arabe"), F_ARAB},
    {WORD("araba"), F_ARAB},
    {WORD("arabische"), F_ARAB},
    {WORD("арабская"), F_ARAB},
    {WORD("socialist"), F_SOCIALIST},
    {WORD("socialiste"), F_SOCIALIST},
    {WORD("socialista"), F_SOCIALIST},
    {WORD("sozialistische"), F_SOCIALIST},
    {WORD("union"), F_UNION},
    {WORD("unione"), F_UNION},
    {WORD("confederation"), F_CONFEDERATION},
    {WORD("confederazione"), F_CONFEDERATION},
    {WORD("confederacion"), F_CONFEDERATION},
    {WORD("eidgenossenschaft"), F_CONFEDERATION},
    {WORD("principality"), F_PRINCIPALITY},
    {WORD("principaute"), F_PRINCIPALITY},
    {WORD("principado"), F_PRINCIPALITY},
    {WORD("principato"), F_PRINCIPALITY},
    {WORD("furstentum"), F_PRINCIPALITY},
    {WORD("grand"), F_GRAND_DUCHY},
    {WORD("duchy"), F_GRAND_DUCHY},
    {WORD("duche"), F_GRAND_DUCHY},
    {WORD("ducado"), F_GRAND_DUCHY},
    {WORD("granducato"), F_GRAND_DUCHY},
    {WORD("grossherzogtum"), F_GRAND_DUCHY},
    {WORD("sultanate"), F_SULTANATE},
    {WORD("sultanat"), F_SULTANATE},
    {WORD("sultanato"), F_SULTANATE},
    {WORD("commonwealth"), F_COMMONWEALTH},
    {WORD("plurinational"), F_PLURINATIONAL},
    {WORD("plurinacional"), F_PLURINATIONAL},
    {WORD("plurinazionale"), F_PLURINATIONAL},
    {WORD("bolivarian"), F_BOLIVARIAN},
    {WORD("bolivarienne"), F_BOLIVARIAN},
    {WORD("bolivariana"), F_BOLIVARIAN},
    {WORD("oriental"), F_ORIENTAL},
    {WORD("orientale"), F_ORIENTAL},
    {WORD("independent"), F_INDEPENDENT},
    {WORD("independant"), F_INDEPENDENT},
    {WORD("independiente"), F_INDEPENDENT},
    {WORD("indipendente"), F_INDEPENDENT},
    {WORD("hashemite"), F_HASHEMITE},
    {WORD("hachemite"), F_HASHEMITE},
    {WORD("hachemita"), F_HASHEMITE},
    {WORD("hascemita"), F_HASHEMITE},
    {WORD("united"), F_UNITED},
    {WORD("unis"), F_UNITED},
    {WORD("unies"), F_UNITED},
    {WORD("unido"), F_UNITED},
    {WORD("unidos"), F_UNITED},
    {WORD("unito"), F_UNITED},
    {WORD("uniti"), F_UNITED},
    {WORD("vereinigte"), F_UNITED},
    {WORD("vereinigtes"), F_UNITED},
    {WORD("verenigde"), F_UNITED},
};

/* The small words between the form words and the name. */
static const char *const linking_words[] = {
    "of",  "the", "and",   "de",    "du",    "des",   "d",  "la", "le",  "les", "l",   "el",  "los",
    "las", "del", "della", "dello", "delle", "degli", "di", "da", "do",  "dos", "das", "der", "die",
    "den", "dem", "von",   "van",   "het",   "y",     "et", "e",  "und", "en",  "s",   "al",
};

static bool in_words(const char *w, size_t n, const char *const *list, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == n && !memcmp(list[i], w, n)) return true;
    return false;
}

static uint32_t form_of(const char *w, size_t n) {
    /* Most tokens are no form word: their first byte starts none.  The
     * first bytes of the words above: add to it with a word that starts
     * with another. */
    static const char firsts[] = "abcdefghikoprsuv\xD0\xD1\xD8\xD9";
    if (n < 4 || !memchr(firsts, w[0], sizeof firsts - 1)) return 0;
    for (size_t i = 0; i < sizeof form_words / sizeof *form_words; i++)
        if (form_words[i].len == n && !memcmp(form_words[i].word, w, n)) return form_words[i].form;
    return 0;
}

/* The core of a key (its tokens but the form and linking words, run
 * together, in `core`, at most HZ_COUNTRY_KEY_MAX bytes) and its form. */
static size_t core_of(const hz_country_keys *k, char *core, uint32_t *form) {
    size_t len = 0;
    *form = 0;
    for (size_t i = 0; i < k->nitems; i++) {
        const hz_country_item *it = &k->items[i];
        if (it->kind != HZ_ITEM_TOKEN) continue;
        const char *w = k->direct + it->off;
        uint32_t f = form_of(w, it->len);
        if (f) {
            *form |= f;
            continue;
        }
        if (in_words(w, it->len, linking_words, sizeof linking_words / sizeof *linking_words)) continue;
        memcpy(core + len, w, it->len); /* never longer than the direct key */
        len += it->len;
    }
    return len;
}

static int compare_cores(const void *a, const void *b) {
    const hz_country_core *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->text, y->text, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int add_core(hz_country_forms *f, const char *text, int country, int status, int32_t source) {
    hz_country_keys k;
    if (!hz_country_keys_compute(text, strlen(text), &k) || k.is_code || !k.direct_len) return 0;
    char core[HZ_COUNTRY_KEY_MAX];
    uint32_t form;
    size_t len = core_of(&k, core, &form);
    if (len == 0) return 0;
    if (f->count == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 4096;
        hz_country_core *cores = realloc(f->cores, cap * sizeof *cores);
        if (!cores) return -1;
        f->cores = cores;
        f->cap = cap;
    }
    hz_country_core *c = &f->cores[f->count];
    c->text = malloc(len);
    if (!c->text) return -1;
    memcpy(c->text, core, len);
    c->len = len;
    c->form = form;
    c->country = (int16_t)country;
    c->status = (uint8_t)status;
    c->source = source;
    f->count++;
    if (country >= 0) f->country_forms[country] |= form;
    return 0;
}

int hz_country_forms_build(hz_country_forms *f) {
    memset(f, 0, sizeof *f);
    f->country_forms = calloc(hz_country_row_count, sizeof *f->country_forms);
    if (!f->country_forms) return -1;
    for (size_t i = 0; i < hz_country_row_count; i++) {
        const hz_country *c = &hz_country_rows[i];
        if (add_core(f, c->iom_name, (int)i, HZ_COUNTRY_FOUND, HZ_SOURCE(HZ_SRC_IOM_NAME, i)) ||
            add_core(f, c->iso_name, (int)i, HZ_COUNTRY_FOUND, HZ_SOURCE(HZ_SRC_ISO_NAME, i)) ||
            add_core(f, c->short_name, (int)i, HZ_COUNTRY_FOUND, HZ_SOURCE(HZ_SRC_SHORT_NAME, i)))
            return -1;
    }
    for (size_t i = 0; i < hz_country_alias_row_count; i++)
        if (add_core(f, hz_country_alias_rows[i].text, hz_country_alias_rows[i].country, HZ_COUNTRY_FOUND,
                     HZ_SOURCE(HZ_SRC_ALIAS, i)))
            return -1;
    for (size_t i = 0; i < hz_country_refusal_row_count; i++)
        if (add_core(f, hz_country_refusal_rows[i].text, -1, (int)hz_country_refusal_rows[i].reason,
                     HZ_SOURCE(HZ_SRC_REFUSAL, i)))
            return -1;
    if (f->count) qsort(f->cores, f->count, sizeof *f->cores, compare_cores);
    return 0;
}

void hz_country_forms_free(hz_country_forms *f) {
    for (size_t i = 0; i < f->count; i++) free(f->cores[i].text);
    free(f->cores);
    free(f->country_forms);
    memset(f, 0, sizeof *f);
}

/* The answer a core record stands for: a country, or a refusal. */
static bool same(const hz_country_core *a, const hz_country_core *b) {
    return a->country == b->country && (a->country >= 0 || a->status == b->status);
}

bool hz_country_match_form(hz_country_matcher *m, const hz_country_keys *k, hz_country_result *r) {
    const hz_country_forms *f = &m->forms;
    if (!f->count) return false;
    bool any = false; /* most text has no form word: done without building a core */
    for (size_t i = 0; i < k->nitems && !any; i++)
        any = k->items[i].kind == HZ_ITEM_TOKEN && form_of(k->direct + k->items[i].off, k->items[i].len);
    if (!any) return false;
    char core[HZ_COUNTRY_KEY_MAX];
    uint32_t form;
    size_t len = core_of(k, core, &form);
    if (!form || !len) return false;
    hz_country_core key = {core, len, 0, -1, 0, 0};
    /* The first record with this core. */
    size_t lo = 0, hi = f->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (compare_cores(&f->cores[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    const hz_country_core *fit = NULL, *fit2 = NULL, *exact = NULL, *exact2 = NULL, *refusal = NULL;
    for (size_t i = lo; i < f->count && !compare_cores(&f->cores[i], &key); i++) {
        const hz_country_core *c = &f->cores[i];
        uint32_t has = c->country >= 0 ? f->country_forms[c->country] : c->form;
        if (c->country < 0 && !refusal) refusal = c;
        if ((has & form) != form) continue;
        if (!fit)
            fit = c;
        else if (!fit2 && !same(fit, c))
            fit2 = c;
        if (c->form == form) {
            if (!exact)
                exact = c;
            else if (!exact2 && !same(exact, c))
                exact2 = c;
        }
    }
    const hz_country_core *answer = fit && !fit2 ? fit : exact && !exact2 ? exact : NULL;
    if (!fit) answer = refusal;
    if (!answer && !fit) return false;
    hz_country_trace_key(m, " | form: ", core, len);
    if (!answer) {
        *r = (hz_country_result){HZ_COUNTRY_AMBIGUOUS, HZ_RULE_NONE,  HZ_REPAIR_NONE,
                                 fit->country,         fit2->country, 0};
        return true;
    }
    if (answer->country < 0) {
        *r = (hz_country_result){answer->status, HZ_RULE_NONE, HZ_REPAIR_NONE, -1, -1, answer->source};
        return true;
    }
    *r = (hz_country_result){HZ_COUNTRY_FOUND, HZ_RULE_FORM, HZ_REPAIR_NONE,
                             answer->country,  -1,           answer->source};
    return true;
}
