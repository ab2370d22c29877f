#ifndef LAMBDA_TRIAGE_CSUPPORT_H
#define LAMBDA_TRIAGE_CSUPPORT_H
#include <stddef.h>

/* glibc's memmem (SIMD two-way search) is hidden behind _GNU_SOURCE, which Swift's Glibc module
   does not define; this forwards to it. */
const void *lt_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

/* memmem for the pre-filter's fixed short needles (at most 32 bytes): a 16-byte SSE2 filter on
   the needle's first and last bytes, then a compare. Called several times per record, where
   glibc's memmem spent more on setting up its search than on searching. Worst case (every
   position a candidate) is haystack length times needle length, so user-typed needles keep
   lt_memmem. */
const void *lt_find_short(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

/* The first quote, backslash or newline in base[from..<count] (count when there is none): the
   record scanner's inner loop, 16 bytes per step with SSE2 (Swift has no byte-mask extraction). */
size_t lt_next_string_special(const unsigned char *base, size_t from, size_t count);


#include <stdint.h>
/* libFuzzer's entry point, linked only into fuzz builds (-sanitize=fuzzer). */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/* Records SIGHUP, SIGTERM and SIGINT in a flag instead of dying, so the console can keep an open
   editor's text as a draft and save before it exits. */
void lt_catch_termination_signals(void);
/* The signal caught since the last call (0 if none), cleared by reading. */
int lt_take_termination_signal(void);
/* The signal caught, without clearing it. */
int lt_peek_termination_signal(void);
/* Restores the default actions. */
void lt_release_termination_signals(void);
#endif
