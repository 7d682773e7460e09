#include "cli/interrupt.h"

#include <unistd.h>

#include <csignal>
#include <thread>

namespace baton::cli {
namespace {

std::stop_source& Source() {
  static std::stop_source source;
  return source;
}

// The write end of the self-pipe. A signal handler may only call
// async-signal-safe functions, and request_stop() runs stop callbacks that
// take locks, so the handler writes one byte and a thread requests the stop.
int g_wake_fd = -1;
int g_read_fd = -1;

extern "C" void OnInterrupt(int) {
  char byte = 1;
  ssize_t ignored = ::write(g_wake_fd, &byte, 1);
  (void)ignored;
}

void StartReader() {
  std::thread([read_fd = g_read_fd] {
    char byte;
    while (::read(read_fd, &byte, 1) < 0) {
    }
    Source().request_stop();
  }).detach();
}

}  // namespace

void InstallInterruptHandlers() {
  int fds[2];
  if (::pipe(fds) != 0) return;  // without the pipe Ctrl-C keeps its default meaning
  g_wake_fd = fds[1];
  g_read_fd = fds[0];
  StartReader();
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND: a second Ctrl-C, while baton winds down, kills it outright.
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

void RestartInterruptReaderAfterFork() {
  if (g_read_fd >= 0) StartReader();
}

std::stop_token InterruptToken() { return Source().get_token(); }

}  // namespace baton::cli
