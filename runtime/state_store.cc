// Writing the desired-state record: a never-started container per host and
// generation, created by name (the 409 is the compare-and-swap), then its
// payload file put into it. Hosts are written one after another in
// hosts-file order: three small calls per host, and two writers racing for
// one generation meet on the first host instead of splitting the hosts.

#include "runtime/state_store.h"

#include <algorithm>
#include <set>

#include "base/sha256.h"
#include "base/tar_writer.h"
#include "planner/labels.h"
#include "runtime/lock_image.h"
#include "runtime/state_store_parts.h"

namespace baton::runtime {
namespace {

namespace labels = planner::labels;
using state_detail::Listed;

constexpr int kWriteAttempts = 3;

std::string Where(const std::string& project) { return "desired state of " + project; }

ContainerSpec RecordSpec(const planner::DesiredRecord& record, const std::string& sha) {
  ContainerSpec spec;
  spec.name = state_detail::RecordName(record.project, record.generation);
  spec.image = kLockImage;
  spec.cmd = std::vector<std::string>{"baton-state"};
  spec.labels = {{labels::kRole, labels::kStateRole},
                 {labels::kStateOf, record.project},
                 {labels::kGeneration, std::to_string(record.generation)},
                 {labels::kStateSha, sha},
                 {labels::kWrittenBy, record.written_by},
                 {labels::kWrittenAt, record.written_at},
                 {labels::kPlacement, planner::PlacementLabel(record)},
                 {labels::kSpecHashes, planner::SpecHashesLabel(record)},
                 {labels::kHeld, planner::HeldLabel(record)}};
  if (record.removed) spec.labels[labels::kRemoved] = "true";
  spec.host_config.network_mode = "none";  // it never runs
  return spec;
}

Status PutPayload(DockerClient& docker, const std::string& id, const std::string& payload) {
  TarWriter writer;
  if (Status s = writer.AddDirectory(state_detail::kPayloadDir, 0755); !s.ok()) return s;
  if (Status s = writer.AddFile(std::string(state_detail::kPayloadDir) + "/desired.json", payload,
                                0644);
      !s.ok())
    return s;
  std::string tar = writer.Finish();
  size_t at = 0;
  return docker.PutArchive(id, "/", [&](std::span<char> buffer) -> Result<size_t> {
    size_t n = std::min(buffer.size(), tar.size() - at);
    std::copy_n(tar.data() + at, n, buffer.data());
    at += n;
    return n;
  });
}

// Creates the record on one host and puts its file. kConflict when that
// generation exists there already; a failed put removes the container, so
// no incomplete record is left behind by a live writer.
Result<std::string> WriteOn(DockerClient& docker, const planner::DesiredRecord& record,
                            const std::string& payload, const std::string& sha) {
  if (Status s = EnsureLockImage(docker); !s.ok()) return s.error();
  ContainerSpec spec = RecordSpec(record, sha);
  Result<ContainerCreated> created = docker.CreateContainer(spec);
  if (!created.ok()) return created.error().Within("create " + spec.name);
  if (Status put = PutPayload(docker, created->id, payload); !put.ok()) {
    RemoveContainerOptions force;
    force.force = true;
    (void)docker.RemoveContainer(created->id, force);
    return put.error().Within("put " + std::string(state_detail::kPayloadPath));
  }
  return created->id;
}

// Removes all but the newest kKeepGenerations generations on one host.
void Prune(DockerClient& docker, const std::string& host, const std::string& project) {
  Result<std::vector<Listed>> listed = state_detail::ListRecords(docker, host, project);
  if (!listed.ok()) return;
  std::set<uint64_t> generations;
  for (const Listed& l : *listed) generations.insert(l.generation);
  if (generations.size() <= static_cast<size_t>(state_detail::kKeepGenerations)) return;
  uint64_t oldest_kept = *std::next(generations.rbegin(), state_detail::kKeepGenerations - 1);
  RemoveContainerOptions force;
  force.force = true;
  for (const Listed& l : *listed)
    if (l.generation < oldest_kept) (void)docker.RemoveContainer(l.id, force);
}

// The newest generation any reachable host lists (complete or not: a taken
// name is taken either way).
uint64_t NewestGeneration(HostPool& pool, const std::string& project) {
  uint64_t newest = 0;
  for (HostHandle* host : state_detail::Reachable(pool)) {
    Result<std::vector<Listed>> listed =
        state_detail::ListRecords(*host->docker, host->config.name, project);
    if (listed.ok() && !listed->empty()) newest = std::max(newest, listed->front().generation);
  }
  return newest;
}

// The generation readers see: the newest complete record's, 0 for none.
Result<uint64_t> NewestCompleteGeneration(HostPool& pool, const std::string& project) {
  Result<std::optional<StoredRecord>> current = ReadDesiredState(pool, project);
  if (!current.ok()) return current.error();
  return *current ? (*current)->record.generation : 0;
}

struct Round {
  std::vector<std::string> written;  // hosts
  std::vector<std::string> ids;      // the record container on each
  bool conflict = false;
  std::optional<Error> first_error;
};

// One attempt at `record.generation` on every reachable host. On a conflict
// it stops and removes what it wrote, so a lost race leaves no half record.
Round WriteRound(HostPool& pool, const planner::DesiredRecord& record) {
  const std::string payload = planner::ToJson(record);
  const std::string sha = Sha256Hex(payload);
  Round round;
  for (HostHandle* host : state_detail::Reachable(pool)) {
    Result<std::string> s = WriteOn(*host->docker, record, payload, sha);
    if (s.ok()) {
      round.written.push_back(host->config.name);
      round.ids.push_back(*s);
    } else if (s.error().kind == Error::Kind::kConflict) {
      round.conflict = true;
      break;
    } else if (!round.first_error) {
      round.first_error = s.error();
    }
  }
  if (!round.conflict) return round;
  RemoveContainerOptions force;
  force.force = true;
  for (size_t i = 0; i < round.written.size(); ++i)
    if (Result<DockerClient*> docker = pool.Docker(round.written[i]); docker.ok())
      (void)(*docker)->RemoveContainer(round.ids[i], force);
  round.written.clear();
  round.ids.clear();
  return round;
}

}  // namespace

Result<uint64_t> WriteDesiredState(HostPool& pool, planner::DesiredRecord record, size_t quorum,
                                   std::optional<uint64_t> based_on) {
  const size_t need = quorum > 0 ? quorum : HostMajority(pool.hosts().size());
  if (state_detail::Reachable(pool).empty())
    return Error::Unreachable("", Where(record.project) + ": no host is reachable");
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    if (based_on) {
      Result<uint64_t> current = NewestCompleteGeneration(pool, record.project);
      if (!current.ok()) return current.error();
      if (*current != *based_on)
        return Error::Conflict("", Where(record.project) + ": generation " +
                                       std::to_string(*current) + " replaced generation " +
                                       std::to_string(*based_on) + " this change was made from");
    }
    // Above every record there is, complete or not: an incomplete one is a
    // writer's debris (killed half-way), and its name is taken.
    record.generation = NewestGeneration(pool, record.project) + 1;
    if (planner::ToJson(record).size() > state_detail::kMaxPayload)
      return Error::Invalid("", Where(record.project) + ": payload exceeds 4 MiB");
    Round round = WriteRound(pool, record);
    if (round.conflict && based_on)
      return Error::Conflict("", Where(record.project) + ": generation " +
                                     std::to_string(record.generation) +
                                     " was written by another writer meanwhile");
    if (round.conflict) continue;  // someone else wrote that generation: re-read, retry
    for (const std::string& host : round.written)
      if (Result<DockerClient*> docker = pool.Docker(host); docker.ok())
        Prune(**docker, host, record.project);
    if (round.written.size() >= need) return record.generation;
    std::string message = Where(record.project) + " written to " +
                          std::to_string(round.written.size()) + " of " +
                          std::to_string(pool.hosts().size()) + " hosts; need " +
                          std::to_string(need);
    if (round.first_error) message += " (" + round.first_error->ToString() + ")";
    return Error::Unreachable("", message);
  }
  return Error::Conflict("", Where(record.project) + ": generation taken by another writer " +
                                 std::to_string(kWriteAttempts) + " times");
}

Status CopyDesiredState(HostPool& pool, const planner::DesiredRecord& record,
                        const std::vector<std::string>& hosts) {
  const std::string payload = planner::ToJson(record);
  const std::string sha = Sha256Hex(payload);
  for (const std::string& host : hosts) {
    Result<DockerClient*> docker = pool.Docker(host);
    if (!docker.ok()) return docker.error();
    Result<std::string> s = WriteOn(**docker, record, payload, sha);
    if (!s.ok() && s.error().kind != Error::Kind::kConflict)
      return s.error().Within("copy " + Where(record.project));
    Prune(**docker, host, record.project);
  }
  return Status::Ok();
}

Status RemoveDesiredState(HostPool& pool, const std::string& project) {
  RemoveContainerOptions force;
  force.force = true;
  for (HostHandle* host : state_detail::Reachable(pool)) {
    Result<std::vector<Listed>> listed =
        state_detail::ListRecords(*host->docker, host->config.name, project);
    if (!listed.ok()) return listed.error().Within("remove " + Where(project));
    for (const Listed& l : *listed)
      if (Status s = host->docker->RemoveContainer(l.id, force); !s.ok())
        return s.error().Within("remove " + Where(project));
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ProjectsWithDesiredState(HostPool& pool) {
  std::vector<HostHandle*> reachable = state_detail::Reachable(pool);
  if (reachable.empty()) return Error::Unreachable("", "desired state: no host is reachable");
  std::set<std::string> projects;
  Filters filters{{"label", {std::string(labels::kRole) + "=" + labels::kStateRole}}};
  for (HostHandle* host : reachable) {
    Result<std::vector<ContainerSummary>> list = host->docker->ListContainers(true, filters);
    if (!list.ok()) return list.error().Within("list desired states");
    for (const ContainerSummary& c : *list)
      if (auto it = c.labels.find(labels::kStateOf); it != c.labels.end() && !it->second.empty())
        projects.insert(it->second);
  }
  return std::vector<std::string>(projects.begin(), projects.end());
}

}  // namespace baton::runtime
