#ifndef LAMBDA_TRIAGE_CSUPPORT_H
#define LAMBDA_TRIAGE_CSUPPORT_H
#include <stddef.h>

/* glibc's memmem (SIMD two-way search) is hidden behind _GNU_SOURCE, which Swift's Glibc module
   does not define; this forwards to it. */
const void *lt_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

/* memmem for the pre-filter's fixed short needles (at most 32 bytes): a 16-byte SSE2 filter on
   the needle's first and last bytes, then a compare. Called for records the key scan below does
   not settle, where glibc's memmem spent more on setting up its search than on searching. 32 bytes per step with
   AVX2 where the machine has it (checked at run time). Worst case (every
   position a candidate) is haystack length times needle length, so user-typed needles keep
   lt_memmem. */
const void *lt_find_short(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);
/* The same with a chosen step (LT_MASKS_BYTES, _SSE2 or _AVX2 below; one the machine lacks
   falls back to SSE2), so the tests cover each. */
const void *lt_find_short_using(int builder, const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

/* The offsets of the opening quotes of the first `"eventTime"`, `"eventSource"` and `"eventName"`
   keys in a record's bytes (-1 for one not there), as separate lt_find_short searches would find
   them, from a single pass over its `"event` prefixes that stops once all three are found. Bytes,
   not JSON: a match inside a string value counts. */
typedef struct { ptrdiff_t time, source, name; } lt_event_key_offsets;
lt_event_key_offsets lt_event_keys(const void *record, size_t length);
/* The same with a chosen step (LT_MASKS_BYTES, _SSE2 or _AVX2, declared below), for the tests. */
lt_event_key_offsets lt_event_keys_using(int builder, const void *record, size_t length);

/* Where the JSON object or array at base[start] ('{' or '[') ends, as JSONScanner.endOfValue
   reads it (brackets and strings only; a backslash in a string skips the next byte; a raw newline
   in a string is invalid; depth over max_depth is invalid at that bracket). Returns 0 (ends just
   before *position), 1 (invalid at *position) or 2 (the buffer ends first). 64 bytes per step,
   from bitmasks built with AVX2 when the machine has it (checked at run time), else SSE2, else
   byte by byte. */
int lt_value_end(const unsigned char *base, size_t start, size_t count, ptrdiff_t max_depth, size_t *position);

/* The same with a chosen mask builder, so the tests cover each: */
enum { LT_MASKS_BYTES = 0, LT_MASKS_SSE2 = 1, LT_MASKS_AVX2 = 2 };
/* bit b set when builder b is there on this machine and build; */
unsigned lt_value_end_builders(void);
/* one that is not reads byte by byte. */
int lt_value_end_using(int builder, const unsigned char *base, size_t start, size_t count, ptrdiff_t max_depth, size_t *position);


/* One member of an object, as byte offsets into the scanned buffer: the key's bytes without its
   quotes, and the value's bytes (a string with its quotes). */
#include <stdint.h>
typedef struct { uint32_t key_start, key_end, value_start, value_end; } lt_member;

/* Checks that base[0..<count] is one JSON object (whitespace around it allowed) in a plain form,
   and lists its members in order. Plain means: no backslash anywhere in a string, keys of
   printable ASCII without '.', no duplicate key in any object, nesting at most 64 deep, at most
   64 members per object and 4096 keys open at once. Returns the member count (up to `capacity`
   listed), or -1 when the text is not valid JSON or not plain: the caller then parses it in full,
   which reports the error. Everything accepted here is valid JSON that JSONParser reads to the
   same members (so a -1 costs speed, never a difference). */
int lt_object_members(const unsigned char *base, size_t count, lt_member *members, int capacity);

/* The members of an object that is part of a text lt_object_members accepted (so plain), listed
   as it would list them but without checking the object again. Returns -1 for anything a plain
   object cannot hold; it never reads outside base[0..<count]. */
int lt_accepted_object_members(const unsigned char *base, size_t count, lt_member *members, int capacity);

/* The length of the longest prefix of p[0..<n] with no byte JSONWriter has to look at: a control
   byte, '"', '\\', 0x7F, or 0xE2 (which may start U+2028 or U+2029). */
size_t lt_json_plain_prefix(const unsigned char *p, size_t n);

/* The first position at or after `from` (and before n) holding '"', '\\' or, with any_control, any
   byte below 0x20, else just a newline; n (or `from`, when it is past n) when there is none. */
size_t lt_string_stop(const unsigned char *p, size_t from, size_t n, int any_control);

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

/* Fixes glibc's malloc limits so that freed blocks of up to 8 MB stay in the heap for reuse and up
   to 32 MB of free space at its top is kept (no effect on other C libraries). */
void lt_keep_freed_memory(void);
#endif
