// The lease record's engine calls. The record is a never-started container
// of the lock image: its name makes create a compare-and-swap, its labels say
// who made it, and its files (written by id through the archive endpoint)
// carry what changes.

#include "runtime/project_lease_record.h"

#include <signal.h>

#include <cerrno>
#include <fstream>
#include <nlohmann/json.hpp>
#include <span>

#include "base/tar_reader.h"
#include "base/tar_writer.h"
#include "planner/labels.h"
#include "runtime/docker_client.h"
#include "runtime/lock_image.h"
#include "runtime/project_lease.h"

namespace baton::runtime::lease_record {
namespace {

namespace labels = planner::labels;

constexpr size_t kMaxLeaseFile = 64 << 10;
constexpr size_t kMaxPublishedFile = 1 << 20;

std::string Label(const ContainerInfo& info, const char* key) {
  auto it = info.labels.find(key);
  return it == info.labels.end() ? std::string() : it->second;
}

uint64_t Number(const std::string& text) {
  try {
    return text.empty() ? 0 : std::stoull(text);
  } catch (const std::exception&) {
    return 0;  // a label someone edited by hand: the record still counts, with term 0
  }
}

// "seq" of /lease.json; 0 when the file is missing or malformed, so such a
// record is timed like any other and expires after ttl.
Result<uint64_t> ReadSeq(DockerClient& docker, const std::string& id) {
  Result<std::string> text = ReadFile(docker, id, "/lease.json");
  if (!text.ok()) {
    if (text.error().kind == Error::Kind::kNotFound) return uint64_t{0};
    return text.error();
  }
  nlohmann::json lease = nlohmann::json::parse(*text, nullptr, false);
  if (!lease.is_object() || !lease.contains("seq") || !lease["seq"].is_number_unsigned())
    return uint64_t{0};
  return lease["seq"].get<uint64_t>();
}

ContainerSpec RecordSpec(const std::string& project, const Maker& maker, uint64_t term) {
  ContainerSpec spec;
  spec.name = LeaseRecordName(project);
  spec.image = kLockImage;
  spec.cmd = std::vector<std::string>{"baton-lock"};
  spec.labels = {
      {labels::kRole, labels::kLeaseRole},  {labels::kLeaseOf, project},
      {labels::kLeaseHolder, maker.holder}, {labels::kLeaseTerm, std::to_string(term)},
      {labels::kLeaseBoot, maker.boot_id},  {labels::kLeasePid, std::to_string(maker.pid)}};
  spec.host_config.network_mode = "none";  // it never runs
  return spec;
}

}  // namespace

Result<std::optional<LeaseRecord>> Find(DockerClient& docker, const std::string& host,
                                        const std::string& project) {
  Result<ContainerInfo> info = docker.InspectContainer(LeaseRecordName(project));
  if (!info.ok()) {
    if (info.error().kind == Error::Kind::kNotFound) return std::optional<LeaseRecord>();
    return info.error();
  }
  if (Label(*info, labels::kLeaseOf) != project) return std::optional<LeaseRecord>();
  LeaseRecord record;
  record.host = host;
  record.id = info->id;
  record.holder = Label(*info, labels::kLeaseHolder);
  record.term = Number(Label(*info, labels::kLeaseTerm));
  record.boot_id = Label(*info, labels::kLeaseBoot);
  record.pid = static_cast<long>(Number(Label(*info, labels::kLeasePid)));
  // A record removed between the inspect and the read reads with seq 0; its
  // id is gone, so the next round observes whatever replaced it afresh.
  Result<uint64_t> seq = ReadSeq(docker, record.id);
  if (!seq.ok()) return seq.error();
  record.seq = *seq;
  return std::optional<LeaseRecord>(std::move(record));
}

Result<std::string> Create(DockerClient& docker, const std::string& project, const Maker& maker,
                           uint64_t term) {
  ContainerSpec spec = RecordSpec(project, maker, term);
  Result<ContainerCreated> created = docker.CreateContainer(spec);
  if (!created.ok() && created.error().kind == Error::Kind::kNotFound) {
    // The engine lacks the lock image: load it and try once more.
    if (Status s = EnsureLockImage(docker); !s.ok()) return s.error();
    created = docker.CreateContainer(spec);
  }
  if (!created.ok()) return created.error();
  return created->id;
}

Status WriteFiles(DockerClient& docker, const std::string& id, const std::string& holder,
                  uint64_t term, uint64_t seq, const std::string* status,
                  const std::string* events) {
  TarWriter tar;
  nlohmann::json lease = {{"holder", holder}, {"term", term}, {"seq", seq}};
  if (Status s = tar.AddFile("lease.json", lease.dump(), 0644); !s.ok()) return s;
  if (status != nullptr)
    if (Status s = tar.AddFile("status.json", *status, 0644); !s.ok()) return s;
  if (events != nullptr)
    if (Status s = tar.AddFile("events.jsonl", *events, 0644); !s.ok()) return s;
  std::string body = tar.Finish();
  size_t sent = 0;
  BodyReader reader = [&body, &sent](std::span<char> buffer) -> Result<std::size_t> {
    size_t n = std::min(buffer.size(), body.size() - sent);
    body.copy(buffer.data(), n, sent);
    sent += n;
    return n;
  };
  return docker.PutArchive(id, "/", reader);
}

Status Remove(DockerClient& docker, const std::string& id) {
  RemoveContainerOptions force;
  force.force = true;
  return docker.RemoveContainer(id, force);
}

Result<std::string> ReadFile(DockerClient& docker, const std::string& id, const std::string& file) {
  size_t limit = file == "/lease.json" ? kMaxLeaseFile : kMaxPublishedFile;
  Result<std::string> tar = docker.GetArchive(id, file, limit + 4096);
  if (!tar.ok()) return tar.error();
  Result<std::map<std::string, std::string>> files = ReadTarFiles(*tar, limit);
  if (!files.ok()) return files.error().Within("read " + file);
  std::string name = file.substr(file.rfind('/') + 1);
  auto it = files->find(name);
  if (it == files->end()) return Error::NotFound("", "no " + file + " in the lease record");
  return it->second;
}

std::string ThisBootId() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

bool ProcessExists(long pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH;
}

}  // namespace baton::runtime::lease_record
