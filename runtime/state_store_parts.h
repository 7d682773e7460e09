#pragma once
// Internal to runtime/state_store*.cc: the record containers as one host
// lists them, and reading and checking one record's payload file.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "planner/desired_record.h"
#include "runtime/docker_client.h"
#include "runtime/host_pool.h"

namespace baton::runtime::state_detail {

inline constexpr char kPayloadDir[] = "baton";
inline constexpr char kPayloadPath[] = "/baton/desired.json";
inline constexpr size_t kMaxPayload = 4 << 20;
inline constexpr int kKeepGenerations = 3;

// A record container as its labels describe it (the file is not read).
struct Listed {
  std::string host;
  std::string id;
  std::string name;
  uint64_t generation = 0;
  std::string sha;
  std::string written_at;
};

// True when `a`'s labels say it is newer than `b`'s (planner::NewerRecord's order).
bool NewerListed(const Listed& a, const Listed& b);

// "baton-state-<project>-<generation>".
std::string RecordName(const std::string& project, uint64_t generation);

// The project's record containers on one host, newest first. Containers
// whose generation label is not a number are left out.
Result<std::vector<Listed>> ListRecords(DockerClient& docker, const std::string& host,
                                        const std::string& project);

// The payload of `listed` when its file exists and matches its sha label;
// nullopt for an incomplete record. Errors are the engine's (unreachable...).
Result<std::optional<std::string>> ReadPayload(DockerClient& docker, const Listed& listed);

// The reachable hosts of the pool, in hosts-file order.
std::vector<HostHandle*> Reachable(HostPool& pool);

}  // namespace baton::runtime::state_detail
