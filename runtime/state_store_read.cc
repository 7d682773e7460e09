// ReadDesiredState: list the project's record containers on every reachable
// host (labels only, one call per host), then read payload files newest
// first until one is complete; its holders are the hosts whose copy of that
// generation is complete too.

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "base/sha256.h"
#include "base/tar_reader.h"
#include "planner/labels.h"
#include "runtime/state_store.h"
#include "runtime/state_store_parts.h"

namespace baton::runtime {
namespace state_detail {

namespace labels = planner::labels;

bool NewerListed(const Listed& a, const Listed& b) {
  if (a.generation != b.generation) return a.generation > b.generation;
  if (a.written_at != b.written_at) return a.written_at > b.written_at;
  return a.sha > b.sha;
}

std::string RecordName(const std::string& project, uint64_t generation) {
  return "baton-state-" + project + "-" + std::to_string(generation);
}

Result<std::vector<Listed>> ListRecords(DockerClient& docker, const std::string& host,
                                        const std::string& project) {
  Filters filters{{"label", {std::string(labels::kStateOf) + "=" + project}}};
  Result<std::vector<ContainerSummary>> list = docker.ListContainers(/*all=*/true, filters);
  if (!list.ok()) return list.error();
  std::vector<Listed> out;
  for (const ContainerSummary& c : *list) {
    if (LabelOf(c.labels, labels::kRole) != labels::kStateRole) continue;
    Listed listed{host,
                  c.id,
                  c.name,
                  0,
                  LabelOf(c.labels, labels::kStateSha),
                  LabelOf(c.labels, labels::kWrittenAt)};
    std::string generation = LabelOf(c.labels, labels::kGeneration);
    auto [end, ec] = std::from_chars(generation.data(), generation.data() + generation.size(),
                                     listed.generation);
    if (ec != std::errc() || end != generation.data() + generation.size()) continue;
    out.push_back(std::move(listed));
  }
  std::sort(out.begin(), out.end(), NewerListed);
  return out;
}

Result<std::optional<std::string>> ReadPayload(DockerClient& docker, const Listed& listed) {
  Result<std::string> tar = docker.GetArchive(listed.id, kPayloadPath, kMaxPayload + (64 << 10));
  if (!tar.ok()) {
    // No file (the writer died between create and put) or no container (just removed).
    if (tar.error().kind == Error::Kind::kNotFound) return std::optional<std::string>();
    return tar.error();
  }
  Result<std::map<std::string, std::string>> files = ReadTarFiles(*tar, kMaxPayload);
  if (!files.ok()) return std::optional<std::string>();
  auto file = files->find("desired.json");
  if (file == files->end() || Sha256Hex(file->second) != listed.sha)
    return std::optional<std::string>();
  return std::optional<std::string>(std::move(file->second));
}

std::vector<HostHandle*> Reachable(HostPool& pool) {
  std::vector<HostHandle*> out;
  for (HostHandle& host : pool.hosts())
    if (host.reachable()) out.push_back(&host);
  return out;
}

}  // namespace state_detail

namespace {

using state_detail::Listed;

// The first complete record among `candidates` (newest first), parsed.
struct Winner {
  Listed listed;
  planner::DesiredRecord record;
};

Result<std::optional<Winner>> FirstComplete(HostPool& pool, const std::vector<Listed>& candidates,
                                            std::set<std::string>& incomplete) {
  for (const Listed& c : candidates) {
    Result<DockerClient*> docker = pool.Docker(c.host);
    if (!docker.ok()) continue;
    Result<std::optional<std::string>> payload = state_detail::ReadPayload(**docker, c);
    if (!payload.ok()) continue;  // that host failed now: another holder may answer
    if (!payload->has_value()) {
      incomplete.insert(c.host + "/" + c.id);
      continue;
    }
    Result<planner::DesiredRecord> record = planner::ParseDesiredRecord(**payload);
    if (!record.ok() || record->generation != c.generation) {
      incomplete.insert(c.host + "/" + c.id);
      continue;
    }
    return std::optional<Winner>(Winner{c, std::move(*record)});
  }
  return std::optional<Winner>();
}

// Whether `c` (a record of the winner's generation) is complete.
bool Complete(HostPool& pool, const Listed& c, const std::set<std::string>& incomplete) {
  if (incomplete.count(c.host + "/" + c.id)) return false;
  Result<DockerClient*> docker = pool.Docker(c.host);
  if (!docker.ok()) return false;
  Result<std::optional<std::string>> payload = state_detail::ReadPayload(**docker, c);
  return payload.ok() && payload->has_value();
}

StoredRecord Describe(HostPool& pool, Winner winner, const std::vector<Listed>& candidates,
                      const std::set<std::string>& incomplete) {
  StoredRecord stored;
  stored.sha256 = winner.listed.sha;
  std::set<std::string> holders;
  for (const Listed& c : candidates) {
    if (c.generation != winner.listed.generation) continue;
    if (c.host == winner.listed.host && c.id == winner.listed.id) {
      holders.insert(c.host);
    } else if (!Complete(pool, c, incomplete)) {
      continue;
    } else if (c.sha == winner.listed.sha) {
      holders.insert(c.host);
    } else {
      stored.conflict = true;
    }
  }
  for (HostHandle* host : state_detail::Reachable(pool)) {
    if (holders.count(host->config.name))
      stored.holders.push_back(host->config.name);
    else
      stored.stale.push_back(host->config.name);
  }
  stored.record = std::move(winner.record);
  return stored;
}

}  // namespace

Result<std::optional<StoredRecord>> ReadDesiredState(HostPool& pool, const std::string& project) {
  std::vector<HostHandle*> reachable = state_detail::Reachable(pool);
  if (reachable.empty())
    return Error::Unreachable("", "desired state of " + project + ": no host is reachable");
  std::vector<Listed> candidates;
  for (HostHandle* host : reachable) {
    Result<std::vector<Listed>> listed =
        state_detail::ListRecords(*host->docker, host->config.name, project);
    if (!listed.ok()) continue;  // like an unreachable host: the others decide
    candidates.insert(candidates.end(), listed->begin(), listed->end());
  }
  std::stable_sort(candidates.begin(), candidates.end(), state_detail::NewerListed);
  std::set<std::string> incomplete;
  Result<std::optional<Winner>> winner = FirstComplete(pool, candidates, incomplete);
  if (!winner.ok()) return winner.error();
  if (!winner->has_value()) return std::optional<StoredRecord>();
  return std::optional<StoredRecord>(Describe(pool, std::move(**winner), candidates, incomplete));
}

}  // namespace baton::runtime
