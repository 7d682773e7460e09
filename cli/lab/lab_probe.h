#pragma once
// Asking a lab host whether its daemons answer. Used by `up` to wait and by
// `status` to report; each probe is quick and bounded by its timeout.

#include <sys/types.h>

#include <chrono>
#include <thread>

#include "base/result.h"
#include "cli/lab/lab_layout.h"

namespace baton::cli::lab {

// Ok when the host's dockerd answers GET /_ping with 200 "OK".
Status ProbeDockerd(const LabHost& host, pid_t pin, std::chrono::milliseconds timeout);

// Ok when something on HOST:22 sends an SSH banner.
Status ProbeSshd(const LabHost& host, std::chrono::milliseconds timeout);

// Ok when `ssh root@HOST hostname`, with the lab key and the lab known_hosts
// only (no user configuration), prints the host's own name.
Status ProbeSshLogin(const LabLayout& layout, const LabHost& host);

// Retries `probe` every 100 ms until it succeeds or `limit` passes; returns
// the last failure.
template <typename Probe>
Status WaitFor(Probe probe, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    Status s = probe();
    if (s.ok() || std::chrono::steady_clock::now() >= deadline) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace baton::cli::lab
