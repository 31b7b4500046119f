/* The unresolved spellings of a run and how often each was seen, so the
 * summary can tell an office which aliases to add, most frequent first. */
#ifndef HZ_COUNTRY_TALLY_H
#define HZ_COUNTRY_TALLY_H

#include <stddef.h>
#include <stdint.h>

/* Distinct spellings tracked; rows with further spellings are only
 * counted (a column of garbage must not eat the memory). */
#define TALLY_MAX_SPELLINGS 4096

typedef struct tally_entry {
    uint64_t hash;
    uint64_t rows;
    uint32_t off; /* the spelling's bytes in tally.bytes */
    uint32_t len;
    uint16_t column; /* index into the plugin's mapped columns */
    uint8_t status;  /* hz_country_status */
    uint8_t used;
} tally_entry;

typedef struct tally {
    tally_entry *slots; /* 2 * TALLY_MAX_SPELLINGS, open addressing */
    size_t count;
    char *bytes;
    size_t bytes_len, bytes_cap;
    uint64_t untracked_rows;
} tally;

int tally_init(tally *t);
void tally_free(tally *t);
/* Count one row whose `column` held `text`, refused with `status`. */
void tally_add(tally *t, size_t column, const char *text, size_t len, int status);
/* One unresolved spelling, as tally_sorted() lists it. */
typedef struct tally_item {
    const char *text; /* valid until the next tally_add */
    size_t len;
    size_t column;
    int status;
    uint64_t rows;
} tally_item;

/* The spellings, most rows first (then by column and bytes, so the order
 * is stable), in a new array of *n items to free(); NULL when there are
 * none or out of memory. */
tally_item *tally_sorted(const tally *t, size_t *n);

#endif
