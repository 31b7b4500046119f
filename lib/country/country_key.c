/* Country keys: the folding and tokenizing described in country_key.h. */
#include "country_key.h"

#include <string.h>

#include <utf8proc.h>

/* Decomposition with compatibility mappings, case folding, marks and
 * default-ignorable code points dropped: one code point at a time (no
 * composition is needed, marks are gone). */
#define FOLD_OPTIONS                                                                                         \
    (UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE)

/* A fold of one code point is short; 18 is utf8proc's longest. */
#define FOLD_BUF 24

/* How a token ends: at a separator, at a full stop (`Eq.Guinea`, `E.U.`),
 * or at a full stop and a space (`S. Sudan`). */
typedef enum token_end { END_PLAIN, END_DOT, END_DOT_SPACE } token_end;

typedef struct builder {
    hz_country_keys *k;
    size_t pos;       /* bytes used in k->direct */
    size_t tok_start; /* start of the token being built */
    bool in_token;
    bool dot_pending;  /* the token met a full stop: the next code point decides */
    bool prev_initial; /* the last token was a letter glued to a full stop (`U.`S.) */
    bool non_ascii;    /* the code point being put is outside ASCII */
    bool overflow;
} builder;

/* A word and its length, so that the lists below are compared without
 * strlen (they are read for every token). */
#define WORD(s) s, sizeof(s) - 1

typedef struct rewrite_rule {
    const char *from;
    size_t len;
    const char *to;
} rewrite_rule;

static const rewrite_rule token_rewrites[] = {
    {WORD("st"), "saint"},
    {WORD("ste"), "sainte"},
    {WORD("rep"), "republic"},
    {WORD("dem"), "democratic"},
    {WORD("fed"), "federal"},
    {WORD("sts"), "states"},
    /* One spelling for the words of official forms in the languages of
     * the table, so that an abbreviation (`Rép.`, `Rep.`, `Dem.`, `Fed.`)
     * meets the full word whatever the language: `Rép. dém. du Congo` is
     * `République démocratique du Congo`. */
    {WORD("republique"), "republic"},
    {WORD("republica"), "republic"},
    {WORD("republik"), "republic"},
    {WORD("repubblica"), "republic"},
    {WORD("republiek"), "republic"},
    {WORD("democratique"), "democratic"},
    {WORD("democratica"), "democratic"},
    {WORD("democratico"), "democratic"},
    {WORD("demokratische"), "democratic"},
    {WORD("democratische"), "democratic"},
    {WORD("federated"), "federal"},
    {WORD("federative"), "federal"},
    {WORD("federativa"), "federal"},
    {WORD("federale"), "federal"},
};

/* Abbreviations recognized only with their full stop (`Eq. Guinea`,
 * `Cayman Is.`); the one-letter ones (`S. Sudan`, `Korea, N.`, `U. Rep. of
 * Tanzania`) only with a full stop followed by a space or the end of the
 * text, and not right after another initial (`U.S.`, `D.R. Congo` stay
 * initials). */
static const rewrite_rule dotted_rewrites[] =
    {
        {WORD("eq"), "equatorial"}, {WORD("herz"), "herzegovina"}, {WORD("is"), "islands"},
        {WORD("isl"), "islands"},   {WORD("isls"), "islands"},
},
                          initial_rewrites[] = {
                              {WORD("n"), "north"}, {WORD("s"), "south"},  {WORD("e"), "east"},
                              {WORD("w"), "west"},  {WORD("u"), "united"},
};

static const char *const leading_articles[] = {
    "the", "le",  "la",  "les", "l",   "el", "los", "las", "il",
    "lo",  "gli", "die", "der", "das", "o",  "os",  "a",   "as",
};

static const char *const stopwords[] = {"the", "of", "and"};

/* Short words only (the lists below): compared without strlen. */
static bool word_is(const char *p, size_t n, const char *word) {
    for (size_t i = 0; i < n; i++)
        if (word[i] != p[i]) return false; /* also stops at the NUL of a shorter word */
    return word[n] == '\0';
}

static bool in_list(const char *p, size_t n, const char *const *list, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (word_is(p, n, list[i])) return true;
    return false;
}

static void push_item(builder *b, hz_country_item_kind kind, size_t off, size_t len) {
    hz_country_keys *k = b->k;
    if (k->nitems == HZ_COUNTRY_ITEMS_MAX || len > UINT8_MAX) {
        b->overflow = true;
        return;
    }
    k->items[k->nitems++] = (hz_country_item){(uint8_t)kind, (uint8_t)len, (uint16_t)off};
}

/* The rewrite of the token being ended, or NULL. */
static const char *rewrite(const builder *b, const char *tok, size_t n, token_end end) {
    /* Every word rewritten below starts with one of these letters: most
     * tokens are done here. */
    switch (tok[0]) {
    case 'd':
    case 'e':
    case 'f':
    case 'h':
    case 'i':
    case 'n':
    case 'r':
    case 's':
    case 'u':
    case 'w': break;
    default: return NULL;
    }
    if (end == END_DOT_SPACE && !b->prev_initial) {
        for (size_t i = 0; i < sizeof initial_rewrites / sizeof initial_rewrites[0]; i++)
            if (n == initial_rewrites[i].len && !memcmp(tok, initial_rewrites[i].from, n)) {
                /* `N.` is `New` in `Papua N. Guinea`: the matcher asks again. */
                if (tok[0] == 'n' && b->k->n_reading == 1) return "new";
                if (tok[0] == 'n' && b->k->n_reading == 2) return "northern";
                return initial_rewrites[i].to;
            }
    }
    if (end != END_PLAIN) {
        for (size_t i = 0; i < sizeof dotted_rewrites / sizeof dotted_rewrites[0]; i++)
            if (n == dotted_rewrites[i].len && !memcmp(tok, dotted_rewrites[i].from, n))
                return dotted_rewrites[i].to;
    }
    for (size_t i = 0; i < sizeof token_rewrites / sizeof token_rewrites[0]; i++)
        if (n == token_rewrites[i].len && !memcmp(tok, token_rewrites[i].from, n))
            return token_rewrites[i].to;
    return NULL;
}

static void end_token_as(builder *b, token_end end) {
    if (!b->in_token) return;
    b->in_token = false;
    b->dot_pending = false;
    char *tok = b->k->direct + b->tok_start;
    size_t n = b->pos - b->tok_start;
    const char *to = rewrite(b, tok, n, end);
    b->prev_initial = end == END_DOT && n == 1;
    if (to) {
        n = strlen(to);
        if (b->tok_start + n > HZ_COUNTRY_KEY_MAX) {
            b->overflow = true;
            return;
        }
        memcpy(tok, to, n);
        b->pos = b->tok_start + n;
    }
    push_item(b, HZ_ITEM_TOKEN, b->tok_start, n);
}

static void end_token(builder *b) {
    end_token_as(b, b->dot_pending ? END_DOT : END_PLAIN);
}

static void put_bytes(builder *b, const char *p, size_t n) {
    if (b->pos + n > HZ_COUNTRY_KEY_MAX) {
        b->overflow = true;
        return;
    }
    if (!b->in_token) {
        b->in_token = true;
        b->tok_start = b->pos;
    }
    if (n == 1) /* the common case, without a call */
        b->k->direct[b->pos] = *p;
    else
        memcpy(b->k->direct + b->pos, p, n);
    b->pos += n;
    if (b->non_ascii) b->k->folded = true; /* a letter outside ASCII gave key bytes */
}

static void put_mark(builder *b, hz_country_item_kind kind) {
    end_token(b);
    push_item(b, kind, b->pos, 0);
}

/* Letters that fold to themselves but are written as plain Latin in
 * exports (`Åland` is `Aland`, `Færøerne` is `Faeroerne`). */
static const char *letter_fold(utf8proc_int32_t cp) {
    switch (cp) {
    case 0x00F8: return "o";  /* ø */
    case 0x0111: return "d";  /* đ */
    case 0x0142: return "l";  /* ł */
    case 0x0127: return "h";  /* ħ */
    case 0x0167: return "t";  /* ŧ */
    case 0x00E6: return "ae"; /* æ */
    case 0x0153: return "oe"; /* œ */
    case 0x00FE: return "th"; /* þ */
    case 0x00F0: return "d";  /* ð */
    case 0x0131: return "i";  /* dotless ı */
    default: return NULL;
    }
}

/* One folded code point into the builder. */
static void put_folded(builder *b, utf8proc_int32_t cp) {
    if (b->dot_pending) {
        bool space = cp == ' ' || (cp >= '\t' && cp <= '\r');
        end_token_as(b, space ? END_DOT_SPACE : END_DOT);
    }
    if (cp < 0x80) {
        char ch = (char)cp;
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            put_bytes(b, &ch, 1);
        } else if (ch >= 'A' && ch <= 'Z') {
            ch = (char)(ch - 'A' + 'a');
            put_bytes(b, &ch, 1);
        } else if (ch == '&') {
            end_token(b);
            put_bytes(b, "and", 3);
            end_token(b);
        } else if (ch == '/' || ch == '\\' || ch == ';' || ch == '|' || ch == '+') {
            /* Two names in one cell (`Serbia/Kosovo`) must not read as one. */
            end_token(b);
            put_bytes(b, "/", 1);
            end_token(b);
        } else if (ch == '.' && b->in_token) {
            b->dot_pending = true;
        } else if (ch == ',') {
            put_mark(b, HZ_ITEM_COMMA);
        } else if (ch == '(' || ch == '[') {
            put_mark(b, HZ_ITEM_OPEN);
        } else if (ch == ')' || ch == ']') {
            put_mark(b, HZ_ITEM_CLOSE);
        } else {
            end_token(b);
        }
        return;
    }
    const char *spelled = letter_fold(cp);
    if (spelled) {
        put_bytes(b, spelled, strlen(spelled));
        return;
    }
    if (cp == 0x060C) { /* Arabic comma */
        put_mark(b, HZ_ITEM_COMMA);
        return;
    }
    utf8proc_category_t cat = utf8proc_category(cp);
    bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
    bool digit = cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO;
    if (!letter && !digit) {
        end_token(b);
        return;
    }
    utf8proc_uint8_t enc[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, enc);
    put_bytes(b, (const char *)enc, (size_t)n);
}

static bool is_space_cp(utf8proc_int32_t cp) {
    return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

size_t hz_country_trim(const char *text, size_t len, size_t *start) {
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
    size_t s = 0, e = len;
    while (s < e) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + s, (utf8proc_ssize_t)(e - s), &cp);
        if (n <= 0 || !is_space_cp(cp)) break;
        s += (size_t)n;
    }
    while (e > s) {
        size_t b = e - 1;
        while (b > s && (p[b] & 0xC0) == 0x80) b--;
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + b, (utf8proc_ssize_t)(e - b), &cp);
        if (n <= 0 || !is_space_cp(cp)) break;
        e = b;
    }
    *start = s;
    return e - s;
}

/* 2 or 3 ASCII letters, or 1 to 3 ASCII digits: the code key. */
static bool code_key(const char *t, size_t n, hz_country_keys *k) {
    if (n < 1 || n > 3) return false;
    bool letters = true, digits = true;
    for (size_t i = 0; i < n; i++) {
        char ch = t[i];
        letters = letters && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'));
        digits = digits && ch >= '0' && ch <= '9';
    }
    if (letters && n >= 2) {
        k->code[0] = '#';
        for (size_t i = 0; i < n; i++) k->code[i + 1] = (char)(t[i] | 0x20);
        k->code_len = n + 1;
        return true;
    }
    if (!digits) return false;
    size_t z = 0;
    while (z + 1 < n && t[z] == '0') z++;
    k->code[0] = '#';
    k->code[1] = 'n';
    memcpy(k->code + 2, t + z, n - z);
    k->code_len = 2 + n - z;
    return true;
}

/* The variant key: comma or trailing-bracket order swapped, leading
 * articles and the stopwords dropped (see country_key.h). */
static void variant_key(hz_country_keys *k) {
    const hz_country_item *it = k->items;
    size_t n = k->nitems, ncommas = 0, comma = 0;
    for (size_t i = 0; i < n; i++)
        if (it[i].kind == HZ_ITEM_COMMA) ncommas++, comma = i;
    /* The order is two runs: [first, n) then [0, first). */
    size_t first = 0;
    if (ncommas == 1) {
        first = comma + 1;
    } else if (n && it[n - 1].kind == HZ_ITEM_CLOSE) {
        size_t depth = 0;
        for (size_t j = n; j-- > 0;) {
            if (it[j].kind == HZ_ITEM_CLOSE) depth++;
            if (it[j].kind == HZ_ITEM_OPEN && --depth == 0) {
                first = j;
                break;
            }
        }
    }
    size_t pos = 0;
    bool leading = true;
    for (size_t c = 0; c < n; c++) {
        const hz_country_item *t = &it[(first + c) % n];
        if (t->kind != HZ_ITEM_TOKEN) continue;
        const char *w = k->direct + t->off;
        if (leading &&
            in_list(w, t->len, leading_articles, sizeof leading_articles / sizeof *leading_articles))
            continue;
        leading = false;
        if (in_list(w, t->len, stopwords, sizeof stopwords / sizeof *stopwords)) continue;
        memcpy(k->variant + pos, w, t->len); /* never longer than direct */
        pos += t->len;
    }
    k->variant_len = pos;
    if (pos == k->direct_len && !memcmp(k->variant, k->direct, pos)) k->variant_len = 0;
}

/* The case shape of the word being read (see `odd_case` in country_key.h):
 * an upper-case letter right after a lower-case one is odd in a word that
 * holds letters outside ASCII, unless exactly one of the two is outside
 * ASCII (what upper- or lower-casing only ASCII leaves: `GUINéE`,
 * `rÉpublique`). */
typedef struct word_case {
    bool non_ascii, odd, prev_lower;
    utf8proc_int32_t prev;
} word_case;

static void see_case(word_case *w, hz_country_keys *k, utf8proc_int32_t cp, bool letter, bool upper,
                     bool lower) {
    if (!letter) {
        if (w->non_ascii && w->odd) k->odd_case = true;
        *w = (word_case){0};
        return;
    }
    /* Latin letters only: other scripts have their own conventions
     * (`МакДональд`). */
    bool latin = cp < 0x250 && w->prev < 0x250;
    if (upper && w->prev_lower && latin && (cp >= 0x80) == (w->prev >= 0x80)) w->odd = true;
    if (cp >= 0x80 && cp < 0x250) w->non_ascii = true;
    w->prev_lower = lower;
    w->prev = cp;
}

/* A code is a code only as written: the cell without the ASCII spaces and
 * tabs around it (no other space, no control character, no folding). */
static size_t trim_ascii(const char *text, size_t len, size_t *start) {
    size_t s = 0, e = len;
    while (s < e && (text[s] == ' ' || text[s] == '\t')) s++;
    while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t')) e--;
    *start = s;
    return e - s;
}

bool hz_country_keys_compute(const char *text, size_t len, hz_country_keys *k) {
    return hz_country_keys_compute_as(text, len, 0, k);
}

bool hz_country_keys_compute_as(const char *text, size_t len, int n_reading, hz_country_keys *k) {
    k->n_reading = (uint8_t)n_reading;
    k->is_code = false;
    k->folded = false;
    k->odd_case = false;
    k->code_len = k->direct_len = k->variant_len = k->nitems = 0;
    size_t start;
    size_t n = trim_ascii(text, len, &start);
    if (code_key(text + start, n, k)) {
        k->is_code = true;
        return true;
    }
    n = hz_country_trim(text, len, &start);
    builder b = {.k = k};
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text + start;
    word_case wc = {0};
    bool ascii = true; /* the case shape matters only around letters outside ASCII */
    for (size_t i = 0; i < n && ascii; i++) ascii = p[i] < 0x80;
    for (size_t i = 0; i < n && !b.overflow;) {
        if (p[i] < 0x80) {
            if (!ascii) {
                bool lower = p[i] >= 'a' && p[i] <= 'z', upper = p[i] >= 'A' && p[i] <= 'Z';
                see_case(&wc, k, p[i], lower || upper, upper, lower);
            }
            put_folded(&b, p[i++]);
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t w = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (w <= 0) return false; /* the caller repairs invalid UTF-8 first */
        i += (size_t)w;
        utf8proc_category_t cat = utf8proc_category(cp);
        see_case(&wc, k, cp, cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO,
                 cat == UTF8PROC_CATEGORY_LU, cat == UTF8PROC_CATEGORY_LL);
        utf8proc_int32_t folded[FOLD_BUF];
        int boundclass = UTF8PROC_BOUNDCLASS_START;
        utf8proc_ssize_t m = utf8proc_decompose_char(cp, folded, FOLD_BUF, FOLD_OPTIONS, &boundclass);
        if (m < 0 || m > FOLD_BUF) continue; /* unassigned: a separator */
        b.non_ascii = true;
        for (utf8proc_ssize_t j = 0; j < m; j++) put_folded(&b, folded[j]);
        b.non_ascii = false;
    }
    see_case(&wc, k, ' ', false, false, false);
    end_token_as(&b, b.dot_pending ? END_DOT_SPACE : END_PLAIN); /* `Korea, N.` */
    if (b.overflow) return false;
    k->direct_len = b.pos;
    variant_key(k);
    return true;
}
