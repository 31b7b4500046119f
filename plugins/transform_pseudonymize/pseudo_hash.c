/* pseudo_hash.c - the keyed hash of a cell (see pseudo_hash.h for the
 * exact construction). */
#include "pseudo_hash.h"

#include <string.h>

int pseudo_hasher_init(pseudo_hasher *h, pseudo_algorithm algorithm, const unsigned char *key, size_t len) {
    h->algorithm = algorithm;
    if (algorithm == PSEUDO_BLAKE2B)
        return crypto_generichash_init(&h->keyed.blake2b, key, len, PSEUDO_DIGEST_BYTES) == 0 ? 0 : -1;
    /* The init/update/final API takes a key of any length (longer than a
     * SHA-256 block, it is hashed first, as HMAC specifies). */
    return crypto_auth_hmacsha256_init(&h->keyed.hmac, key, len) == 0 ? 0 : -1;
}

/* The separator between the salt and the value.  The salt never contains
 * this byte (such rows are rejected), so (salt, value) is read back from
 * the message in one way only. */
static const unsigned char separator = 0x00;

void pseudo_digest(const pseudo_hasher *h, pseudo_scratch *scratch, const hz_field *salt, hz_field value,
                   unsigned char digest[PSEUDO_DIGEST_BYTES]) {
    const unsigned char *v = (const unsigned char *)value.ptr;
    if (h->algorithm == PSEUDO_BLAKE2B) {
        crypto_generichash_state *st = &scratch->blake2b;
        *st = h->keyed.blake2b;
        if (salt) {
            if (salt->len) crypto_generichash_update(st, (const unsigned char *)salt->ptr, salt->len);
            crypto_generichash_update(st, &separator, 1);
        }
        crypto_generichash_update(st, v, value.len);
        crypto_generichash_final(st, digest, PSEUDO_DIGEST_BYTES);
    } else {
        crypto_auth_hmacsha256_state *st = &scratch->hmac;
        *st = h->keyed.hmac;
        if (salt) {
            if (salt->len) crypto_auth_hmacsha256_update(st, (const unsigned char *)salt->ptr, salt->len);
            crypto_auth_hmacsha256_update(st, &separator, 1);
        }
        crypto_auth_hmacsha256_update(st, v, value.len);
        crypto_auth_hmacsha256_final(st, digest);
    }
}

void pseudo_scratch_wipe(pseudo_scratch *scratch) {
    sodium_memzero(scratch, sizeof *scratch);
}

void pseudo_hex(const unsigned char *bytes, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0x0F];
    }
}

const char *pseudo_algorithm_name(pseudo_algorithm algorithm) {
    return algorithm == PSEUDO_BLAKE2B ? "blake2b" : "hmac-sha256";
}
