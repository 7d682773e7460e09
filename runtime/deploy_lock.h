#pragma once
// The per-project deploy lock that keeps two `up`s (two laptops) from
// interleaving. It lives on the hosts: a stopped container named
// "baton-lock-PROJECT" on every reachable host of the pool, taken in
// hosts-file order (so two deployers cannot deadlock), created from a tiny
// image baton loads itself. Creating a container with a taken name is
// refused by the engine atomically, which is what makes it a lock. Its
// labels say who holds it and since when.

#include <string>
#include <vector>

#include "base/result.h"
#include "runtime/host_pool.h"

namespace baton::runtime {

struct LockHolder {
  std::string holder;  // "alice@laptop pid 4242"
  std::string since;   // RFC 3339
  std::string host;    // where it was found
};

class DeployLock {
 public:
  // Takes the lock on every reachable host, or none: kConflict "project shop
  // is being deployed by alice@laptop pid 4242 since 2026-11-28T19:02:11Z
  // (lock on lab1); if that deploy is dead, run `baton unlock`".
  static Result<DeployLock> Acquire(HostPool& pool, const std::string& project,
                                    const std::string& holder);
  DeployLock(DeployLock&&) noexcept;
  DeployLock& operator=(DeployLock&&) noexcept;
  ~DeployLock();  // releases, ignoring errors

  Status Release();

  // Who holds the project's lock, per host where one exists.
  static Result<std::vector<LockHolder>> Holders(HostPool& pool, const std::string& project);
  // Removes the lock wherever it exists, whoever holds it (`baton unlock`).
  static Status Break(HostPool& pool, const std::string& project);

 private:
  DeployLock(HostPool* pool, std::string project, std::string holder,
             std::vector<std::string> hosts);
  HostPool* pool_ = nullptr;  // null once released or moved from
  std::string project_;
  std::string holder_;              // released only where the lock still names it
  std::vector<std::string> hosts_;  // where it is held
};

// "user@machine pid N" for this process.
std::string ThisProcessHolder();

}  // namespace baton::runtime
