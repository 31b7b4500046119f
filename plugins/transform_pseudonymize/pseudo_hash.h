/* pseudo_hash.h - the keyed hash behind a pseudonym, exactly as the
 * README defines it so that another tool can reproduce it:
 *
 *   message = value                       (no salt_column)
 *   message = salt || 0x00 || value       (salt_column)
 *   digest  = BLAKE2b-256(key, message)   (libsodium crypto_generichash, keyed, 32 bytes)
 *           | HMAC-SHA-256(key, message)
 *   pseudonym = lowercase hex of the first `length` bytes of digest
 */
#ifndef PSEUDO_HASH_H
#define PSEUDO_HASH_H
#include <stddef.h>

#include <sodium.h>

#include <harmonize/plugin.h>

/* Every digest is 32 bytes; `length` keeps its first 16 to 32. */
#define PSEUDO_DIGEST_BYTES 32
#define PSEUDO_LENGTH_MIN   16
/* The shortest key accepted, whatever the algorithm: 256 bits. */
#define PSEUDO_KEY_MIN 32
/* BLAKE2b takes keys of at most 64 bytes; longer ones are refused (rather
 * than hashed first) so that hashlib.blake2b(key=...) reproduces the
 * pseudonyms as they are. */
#define PSEUDO_BLAKE2B_KEY_MAX crypto_generichash_KEYBYTES_MAX

typedef enum pseudo_algorithm { PSEUDO_BLAKE2B, PSEUDO_HMAC_SHA256 } pseudo_algorithm;

/* The hash with the key already absorbed: each cell starts from a copy of
 * this state, so a row costs no key schedule.  As secret as the key (it
 * computes every pseudonym): keep it in locked memory, wipe it after use.
 * libsodium's BLAKE2b state must be 64-byte aligned. */
typedef struct pseudo_hasher {
    pseudo_algorithm algorithm;
    union {
        crypto_generichash_state blake2b;
        crypto_auth_hmacsha256_state hmac;
    } keyed;
} pseudo_hasher;

/* Absorb the key (PSEUDO_KEY_MIN bytes or more; at most
 * PSEUDO_BLAKE2B_KEY_MAX for BLAKE2b).  0, or -1 if libsodium refuses it. */
int pseudo_hasher_init(pseudo_hasher *h, pseudo_algorithm algorithm, const unsigned char *key, size_t len);

/* The digest of one cell, with its salt (NULL without salt_column).
 * `scratch` is the caller's stack state, reused from cell to cell and
 * wiped by the caller when it is done (pseudo_scratch_wipe). */
typedef union pseudo_scratch {
    crypto_generichash_state blake2b;
    crypto_auth_hmacsha256_state hmac;
} pseudo_scratch;
void pseudo_digest(const pseudo_hasher *h, pseudo_scratch *scratch, const hz_field *salt, hz_field value,
                   unsigned char digest[PSEUDO_DIGEST_BYTES]);
void pseudo_scratch_wipe(pseudo_scratch *scratch);

/* Write the lowercase hex of `n` bytes to `out` (2n chars, no NUL). */
void pseudo_hex(const unsigned char *bytes, size_t n, char *out);

/* The algorithm's name as the pipeline writes it. */
const char *pseudo_algorithm_name(pseudo_algorithm algorithm);
#endif
