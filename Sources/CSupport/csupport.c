#define _GNU_SOURCE
#include <string.h>
#include "csupport.h"

const void *lt_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
  return memmem(haystack, haystack_len, needle, needle_len);
}

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

const void *lt_find_short(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
  const unsigned char *h = haystack, *n = needle;
  if (needle_len == 0) return haystack;
  if (needle_len > haystack_len) return NULL;
  if (needle_len == 1) return memchr(haystack, n[0], haystack_len);
  size_t last = needle_len - 1, i = 0, stop = haystack_len - last;
#if defined(__SSE2__)
  /* Candidates are where both the needle's first and last bytes line up: for the pre-filter's
     needles (`"event`, the Lambda host name) that is rare, so most blocks cost three compares. */
  const __m128i first = _mm_set1_epi8((char)n[0]), final = _mm_set1_epi8((char)n[last]);
  for (; i + 16 <= stop; i += 16) {
    __m128i a = _mm_loadu_si128((const __m128i *)(h + i)), b = _mm_loadu_si128((const __m128i *)(h + i + last));
    unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, final)));
    while (mask) {
      size_t at = i + (size_t)__builtin_ctz(mask);
      if (memcmp(h + at + 1, n + 1, needle_len - 2) == 0) return h + at;
      mask &= mask - 1;
    }
  }
#endif
  for (; i < stop; i++) {
    if (h[i] == n[0] && h[i + last] == n[last] && memcmp(h + i + 1, n + 1, needle_len - 2) == 0) return h + i;
  }
  return NULL;
}

size_t lt_next_string_special(const unsigned char *base, size_t from, size_t count) {
  size_t i = from;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), newline = _mm_set1_epi8('\n');
  for (; i + 16 <= count; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(base + i));
    __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), _mm_cmpeq_epi8(v, newline));
    int mask = _mm_movemask_epi8(hits);
    if (mask) return i + (size_t)__builtin_ctz((unsigned)mask);
  }
#endif
  for (; i < count; i++) {
    unsigned char c = base[i];
    if (c == '"' || c == '\\' || c == '\n') return i;
  }
  return count;
}

#include <signal.h>

static volatile sig_atomic_t lt_caught_signal = 0;

static void lt_record_signal(int sig) { lt_caught_signal = sig; }

void lt_catch_termination_signals(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = lt_record_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGHUP, &action, NULL);
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGINT, &action, NULL);
}

int lt_take_termination_signal(void) {
  int sig = lt_caught_signal;
  lt_caught_signal = 0;
  return sig;
}

int lt_peek_termination_signal(void) { return lt_caught_signal; }

void lt_release_termination_signals(void) {
  signal(SIGHUP, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGINT, SIG_DFL);
}
