#define _GNU_SOURCE
#include <string.h>
#include "csupport.h"

const void *lt_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
  return memmem(haystack, haystack_len, needle, needle_len);
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
