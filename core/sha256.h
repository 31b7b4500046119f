/* SHA-256 of a file, for the run manifest and --if-changed (libcrypto:
 * it uses the CPU's SHA instructions where there are some). */
#ifndef HZ_SHA256_H
#define HZ_SHA256_H
#include <stdint.h>

#define HZ_SHA256_HEX 65 /* 64 hex digits and the terminating NUL */

/* Hash the regular file at `path` into `hex`, and its size into *size.
 * 0, or -1 with errno set (not a regular file: EINVAL). */
int hz_sha256_file(const char *path, char hex[HZ_SHA256_HEX], uint64_t *size);
#endif
