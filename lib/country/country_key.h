/* The lookup keys of a country name: what is left of a spelling once case,
 * accents, spacing, punctuation and article or comma order are set aside.
 *
 * scripts/gen-countries.py computes the same keys in Python to find
 * collisions before the table is compiled; keep the two in step (the unit
 * tests check every row of the table through this code).
 *
 *   - Code-shaped text (2 or 3 ASCII letters, or 1 to 3 ASCII digits, once
 *     the white space around it is trimmed) has one key in a namespace of
 *     its own: "#" and the letters in lower case ("#tur"), or "#n" and the
 *     number without leading zeros ("#n4" for 4, 04 and 004).
 *   - Other text is folded code point by code point with utf8proc
 *     (compatibility decomposition, case folding, marks and default
 *     ignorables dropped) plus a few letters that have no decomposition
 *     (ø o, đ d, ł l, ħ h, ŧ t, æ ae, œ oe, þ th, ð d, ı i), then cut into
 *     tokens of letters and digits.  `&` is the token "and"; the part
 *     separators `/`, `\`, `;`, `|` and `+` are the token "/" (two names
 *     in one cell stay two); commas (also the Arabic comma) and brackets are
 *     kept as structure; any other character only separates tokens.  The
 *     abbreviations st, ste, rep, dem, fed and sts are spelled out (saint,
 *     sainte, republic, democratic, federal, states), and with a full stop
 *     after them also eq, herz, is, isl and isls (equatorial, herzegovina,
 *     islands), and n, s, e, w, u followed by a full stop and a space or
 *     the end of the text, in any position, unless right after another
 *     initial (north, south, east, west, united: `S. Sudan`, `Korea, N.`,
 *     `U. Rep. of Tanzania`, but not `E.U.`, `U.S.` or `N.A.`).  The words
 *     of official forms are spelled one way in every language of the table:
 *     republique, republica, republik, repubblica, republiek are republic;
 *     democratique, democratica, democratico, demokratische, democratische
 *     are democratic; federated, federative, federativa, federale are
 *     federal (so `Rép. dém. du Congo` meets `République démocratique du
 *     Congo`).
 *   - `folded` says whether a letter outside ASCII gave bytes of the keys:
 *     a key of code length (3 bytes or less) reached that way only matches
 *     a name written with such letters (`Irã`), never a dotted abbreviation
 *     (`ûæ` is not `U.A.E.`).
 *   - `odd_case` says that in a word holding a Latin letter outside ASCII, a
 *     Latin upper-case letter follows a lower-case one and both are ASCII or
 *     both are not (`gàÑa`, `ÏrAÖ`): no export writes a name so (other
 *     scripts are left alone: `МакДональд`).  Upper- or
 *     lower-casing only the ASCII letters (`GUINéE`, `rÉpublique`) leaves
 *     one of each, which is fine.  The matcher gives such text no name.
 *   - Code-shaped means the text without the ASCII spaces and tabs around
 *     it; no other character is trimmed or folded for a code.
 *   - The direct key is the tokens run together: `Guinea-Bissau`,
 *     `GUINEA BISSAU` and `Guinée Bissau` are all "guineabissau".
 *   - The variant key reads `A, B` as `B A` and a trailing `A (B)` as
 *     `(B) A`, drops leading articles (the, le, la, les, l, el, los, las, il,
 *     lo, gli, die, der, das, o, os, a, as) and the words the, of and and
 *     anywhere: `Korea, Republic of`, `Niger (the)` and `The Gambia` give
 *     "republickorea", "niger" and "gambia".  It is empty when it equals
 *     the direct key. */
#ifndef HZ_COUNTRY_KEY_H
#define HZ_COUNTRY_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest key kept, in bytes, and most tokens and structure marks: no
 * country name comes close; longer input cannot be a country. */
#define HZ_COUNTRY_KEY_MAX   240
#define HZ_COUNTRY_ITEMS_MAX 48

typedef enum hz_country_item_kind {
    HZ_ITEM_TOKEN,
    HZ_ITEM_COMMA,
    HZ_ITEM_OPEN,
    HZ_ITEM_CLOSE
} hz_country_item_kind;

/* A token is bytes [off, off + len) of `direct`. */
typedef struct hz_country_item {
    uint8_t kind;
    uint8_t len;
    uint16_t off;
} hz_country_item;

typedef struct hz_country_keys {
    uint8_t n_reading; /* the initial `N.` was read as 0 North, 1 New, 2 Northern */
    bool is_code;      /* code-shaped: only `code` is set */
    bool folded;       /* a letter outside ASCII gave bytes of the key */
    bool odd_case;     /* a case shape no export writes (`gàÑa`): junk, not a name */
    char code[8];
    size_t code_len;
    char direct[HZ_COUNTRY_KEY_MAX];
    size_t direct_len;
    char variant[HZ_COUNTRY_KEY_MAX];
    size_t variant_len; /* 0: no variant (same as direct, or empty) */
    hz_country_item items[HZ_COUNTRY_ITEMS_MAX];
    size_t nitems;
} hz_country_keys;

/* Compute the keys of `len` bytes of valid UTF-8 (see country_repair.h for
 * other input).  Returns false when the text is too long to be a country
 * name; the keys are then unusable.  A text without letters or digits has
 * empty keys (direct_len 0) and is not code-shaped. */
bool hz_country_keys_compute(const char *text, size_t len, hz_country_keys *k);
/* The same, reading the initial `N.` as North (0), New (1: `Papua N.
 * Guinea`, `N. Zealand`) or Northern (2: `N. Mariana Is.`); the matcher asks
 * again this way when the North reading found nothing. */
bool hz_country_keys_compute_as(const char *text, size_t len, int n_reading, hz_country_keys *k);

/* `text` without the white space around it (ASCII, no-break and other
 * Unicode spaces), as a length and a start offset. */
size_t hz_country_trim(const char *text, size_t len, size_t *start);

#endif
