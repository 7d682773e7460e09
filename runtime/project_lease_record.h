#pragma once
// The lease record's engine calls, shared by ProjectLease's threads and its
// readers (project_lease_record.cc). Private to project_lease*.cc.

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"
#include "runtime/lease_rules.h"

namespace baton::runtime {

class DockerClient;

namespace lease_record {

// Who makes a record: written into its labels at create.
struct Maker {
  std::string holder;
  std::string boot_id;
  long pid = 0;
};

// The project's record on `host`, or nullopt when it has none (a container
// of that name that is not this project's lease does not count). A record
// whose /lease.json is missing (its maker died between create and write)
// reads with seq 0.
Result<std::optional<LeaseRecord>> Find(DockerClient& docker, const std::string& host,
                                        const std::string& project);
// Creates the record by name, loading the lock image when the engine lacks
// it, and returns its id. kConflict when the name is taken.
Result<std::string> Create(DockerClient& docker, const std::string& project, const Maker& maker,
                           uint64_t term);
// Writes /lease.json, and /status.json and /events.jsonl when given, into
// record `id` in one archive. kNotFound when the record is gone.
Status WriteFiles(DockerClient& docker, const std::string& id, const std::string& holder,
                  uint64_t term, uint64_t seq, const std::string* status,
                  const std::string* events);
// Removes record `id`; Ok when it is already gone.
Status Remove(DockerClient& docker, const std::string& id);
// The content of `file` ("/events.jsonl") in record `id`.
Result<std::string> ReadFile(DockerClient& docker, const std::string& id, const std::string& file);

// This machine's /proc/sys/kernel/random/boot_id; empty when unreadable
// (then no record is ever taken as a dead process of ours).
std::string ThisBootId();
// kill(pid, 0) != ESRCH.
bool ProcessExists(long pid);

}  // namespace lease_record
}  // namespace baton::runtime
