#ifndef LAMBDA_TRIAGE_CSUPPORT_H
#define LAMBDA_TRIAGE_CSUPPORT_H
#include <stddef.h>

/* glibc's memmem (SIMD two-way search) is hidden behind _GNU_SOURCE, which Swift's Glibc module
   does not define; this forwards to it. */
const void *lt_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);


#include <stdint.h>
/* libFuzzer's entry point, linked only into fuzz builds (-sanitize=fuzzer). */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
