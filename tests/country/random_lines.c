/* random_lines [LINES [SEED]]: deterministic junk for the country matcher's
 * random-bytes test (random-bytes.sh).  Prints LINES lines (default
 * 300000) of 1 to 24 random bytes each, never a newline byte inside a
 * line.  Even lines draw every byte value but LF; odd lines draw from the
 * bytes that look most like a name (ASCII letters and digits, space, the
 * punctuation of names, the Latin letters of Windows-1252 and Latin-1, the
 * lead and continuation bytes of UTF-8), so that junk close to a country
 * name or code is well represented.  xorshift64*: the same seed gives the
 * same bytes on every machine. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state;

static uint64_t next(void) {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
}

static const char nameish[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,()-/'*"
                              "\xC0\xC1\xC2\xC3\xC4\xC5\xC6\xC7\xC8\xC9\xCA\xCB\xCC\xCD\xCE\xCF"
                              "\xD0\xD1\xD2\xD3\xD4\xD5\xD6\xD8\xD9\xDA\xDB\xDC\xDD\xDE\xDF"
                              "\xE0\xE1\xE2\xE3\xE4\xE5\xE6\xE7\xE8\xE9\xEA\xEB\xEC\xED\xEE\xEF"
                              "\xF0\xF1\xF2\xF3\xF4\xF5\xF6\xF8\xF9\xFA\xFB\xFC\xFD\xFE\xFF"
                              "\x80\x8A\x8C\x8E\x9A\x9C\x9E\x9F\xA0\xA9\xBC\xBD\xBE";

int main(int argc, char **argv) {
    unsigned long lines = argc > 1 ? strtoul(argv[1], NULL, 10) : 300000;
    state = argc > 2 ? strtoull(argv[2], NULL, 10) : 20211231;
    if (!state) state = 1;
    static char out[1 << 16];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    for (unsigned long i = 0; i < lines; i++) {
        unsigned len = 1 + (unsigned)(next() % 24);
        for (unsigned j = 0; j < len; j++) {
            int ch;
            if (i % 2 == 0) {
                do ch = (int)(next() & 0xFF);
                while (ch == '\n');
            } else {
                ch = (unsigned char)nameish[next() % (sizeof nameish - 1)];
            }
            putchar(ch);
        }
        putchar('\n');
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
