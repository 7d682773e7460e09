#pragma once
// The desired-state record on the hosts (issue 6; the payload is
// planner/desired_record.h). Each generation is a never-started container
// `baton-state-<project>-<generation>` from the lock image on every host,
// labelled (labels::kStateRole, kStateOf, kGeneration, kStateSha,
// kWrittenBy, kWrittenAt, kPlacement, kSpecHashes, kHeld, kRemoved) and
// holding the payload as the file /baton/desired.json (PUT archive after
// create). A record whose file is missing or does not match its sha label
// is incomplete: readers skip it. Creating by name is the compare-and-swap: a 409 means someone
// else wrote that generation.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "planner/desired_record.h"
#include "runtime/host_pool.h"

namespace baton::runtime {

struct StoredRecord {
  planner::DesiredRecord record;
  std::string sha256;               // of the payload
  std::vector<std::string> holders;  // reachable hosts that hold this generation, complete
  std::vector<std::string> stale;    // reachable hosts that lack it (a copy is due)
  bool conflict = false;  // another complete record of the same generation differs
};

// The newest complete record among the reachable hosts; nullopt when no
// host holds one (a project `up` never recorded). kUnreachable when no host
// is reachable.
Result<std::optional<StoredRecord>> ReadDesiredState(HostPool& pool, const std::string& project);

// Writes `record` as generation = (newest generation on the reachable hosts)
// + 1 (record.generation is overwritten) on every reachable host. On a 409
// it re-reads and retries up to 3 times (then kConflict). Succeeds when at
// least `quorum` hosts hold it (0 = a majority of the pool's hosts), else
// kUnreachable "desired state of shop written to 1 of 3 hosts; need 2".
// Keeps the newest 3 generations on each host. Returns the generation.
// With `based_on` (the watcher, the autoscaler: writers that derived the
// record from generation N) it writes only while N is still the newest
// complete record (the one readers see), and never retries: a newer one (an
// `up` that ran meanwhile) is kConflict, so a record computed from old truth
// never undoes a newer one. An incomplete newer record (a writer killed
// half-way) does not block it; the write goes above it.
Result<uint64_t> WriteDesiredState(HostPool& pool, planner::DesiredRecord record,
                                   size_t quorum = 0,
                                   std::optional<uint64_t> based_on = std::nullopt);

// Copies an already written record, unchanged, to `hosts` (stale ones).
// A 409 there means it is already there: Ok.
Status CopyDesiredState(HostPool& pool, const planner::DesiredRecord& record,
                        const std::vector<std::string>& hosts);

// Removes every record of the project on the reachable hosts (`down`, once
// its tombstone reached every host).
Status RemoveDesiredState(HostPool& pool, const std::string& project);

// Projects with a record on any reachable host, sorted (`watch --all`).
Result<std::vector<std::string>> ProjectsWithDesiredState(HostPool& pool);

}  // namespace baton::runtime
