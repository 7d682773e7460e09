// The desired-state record's rules: which record is newer, how `up` keeps
// scale changes, what `up` writes, and turning a record back into a project
// and a DesiredState with the same spec hashes.

#include "planner/desired_record.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "compose/load.h"
#include "compose/serialize.h"
#include "planner/desired_record_parts.h"

namespace baton::planner {
namespace {

using record_detail::RecordedContent;

std::string Where(const DesiredRecord& record) { return "desired state of " + record.project; }

// The compose file of a record, and nothing else: env_file and label_file
// entries read as empty files, since their content is already merged into
// environment and labels (keeping the entries keeps the spec hashes).
class RecordFileSystem final : public FileSystem {
 public:
  RecordFileSystem(std::string compose_path, std::string compose_json,
                   std::set<std::string> empty_files)
      : compose_path_(std::move(compose_path)),
        compose_json_(std::move(compose_json)),
        empty_files_(std::move(empty_files)) {}

  Result<std::string> Read(const std::filesystem::path& path) override {
    if (path.lexically_normal() == compose_path_) return compose_json_;
    if (empty_files_.count(path.lexically_normal().string())) return std::string();
    return Error::NotFound(path.string(), "no such file");
  }
  bool IsFile(const std::filesystem::path& path) override {
    return path.lexically_normal() == compose_path_ ||
           empty_files_.count(path.lexically_normal().string()) > 0;
  }
  bool IsDirectory(const std::filesystem::path&) override { return false; }

 private:
  std::filesystem::path compose_path_;
  std::string compose_json_;
  std::set<std::string> empty_files_;
};

std::string ComposeJson(const compose::Project& project) {
  return compose::ToJson(compose::ProjectToNode(project));
}

// The env and label files the services of `compose_json` name, served
// empty on re-load. Malformed JSON gives none; the loader then says why.
std::set<std::string> EnvAndLabelFiles(const std::string& compose_json) {
  std::set<std::string> files;
  nlohmann::json doc = nlohmann::json::parse(compose_json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("services") || !doc["services"].is_object()) return files;
  for (const auto& [name, service] : doc["services"].items()) {
    if (!service.is_object()) continue;
    if (auto env = service.find("env_file"); env != service.end() && env->is_array())
      for (const nlohmann::json& file : *env)
        if (file.is_object() && file.contains("path") && file["path"].is_string())
          files.insert(std::filesystem::path(file["path"].get<std::string>()).lexically_normal());
    if (auto labels = service.find("label_file"); labels != service.end() && labels->is_array())
      for (const nlohmann::json& file : *labels)
        if (file.is_string())
          files.insert(std::filesystem::path(file.get<std::string>()).lexically_normal());
  }
  return files;
}

std::map<std::string, std::vector<std::string>> VolumeHosts(const ActualState& actual,
                                                            const DesiredRecord* previous) {
  std::map<std::string, std::vector<std::string>> out;
  for (const HostState& host : actual.hosts)
    for (const std::string& volume : host.volumes) out[volume].push_back(host.name);
  // A host that cannot be asked still holds what it held.
  if (previous != nullptr) {
    for (const auto& [volume, hosts] : previous->volume_hosts)
      for (const std::string& name : hosts)
        for (const HostState& host : actual.hosts)
          if (host.name == name && !host.reachable) out[volume].push_back(name);
  }
  for (auto& [volume, hosts] : out) {
    std::sort(hosts.begin(), hosts.end());
    hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
  }
  return out;
}

// The entry of `service` in a record's compose_json, or "" when it has none.
std::string ServiceJson(const std::string& compose_json, const std::string& service) {
  nlohmann::json doc = nlohmann::json::parse(compose_json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return "";
  auto services = doc.find("services");
  if (services == doc.end() || !services->is_object()) return "";
  auto entry = services->find(service);
  return entry == services->end() ? "" : entry->dump();
}

// Each service's spec before its last change: the previous record's spec
// for a service that changes now, previous's own entry for one that does not.
std::map<std::string, PreviousSpec> PreviousSpecs(const DesiredRecord& record,
                                                  const DesiredRecord* previous) {
  std::map<std::string, PreviousSpec> out;
  if (previous == nullptr || previous->removed) return out;
  for (const auto& [service, hash] : record.spec_hashes) {
    auto before = previous->spec_hashes.find(service);
    if (before == previous->spec_hashes.end()) continue;
    if (before->second != hash) {
      std::string json = ServiceJson(previous->compose_json, service);
      if (!json.empty()) out[service] = {std::move(json), before->second};
    } else if (auto kept = previous->previous.find(service); kept != previous->previous.end()) {
      out[service] = kept->second;
    }
  }
  return out;
}

// The placed slots whose replica on their host runs another spec.
std::map<std::string, std::map<int, std::string>> HeldSlots(const DesiredState& desired,
                                                           const Placement& placement,
                                                           const ActualState& actual) {
  std::map<std::string, std::map<int, std::string>> held;
  for (const Assignment& a : placement.assignments) {
    const ServiceSpec* spec = desired.FindService(a.service);
    const HostState* host = actual.FindHost(a.host);
    if (spec == nullptr || host == nullptr) continue;
    for (const ActualContainer& c : host->containers)
      if (c.service == a.service && c.slot == a.slot && c.running() && !c.spec_hash.empty() &&
          c.spec_hash != spec->spec_hash)
        held[a.service][a.slot] = c.spec_hash;
  }
  return held;
}

Status CheckHashes(const DesiredRecord& record, const DesiredState& desired) {
  for (const ServiceSpec& spec : desired.services) {
    auto want = record.spec_hashes.find(spec.name);
    if (want == record.spec_hashes.end() || want->second != spec.spec_hash)
      return Error::Internal("", Where(record) + ": spec hash of " + spec.name +
                                     " differs (written by baton " + record.baton_version + ")");
  }
  return Status::Ok();
}

}  // namespace

bool NewerRecord(const DesiredRecord& a, const std::string& a_sha, const DesiredRecord& b,
                 const std::string& b_sha) {
  if (a.generation != b.generation) return a.generation > b.generation;
  if (a.written_at != b.written_at) return a.written_at > b.written_at;
  return a_sha > b_sha;
}

std::map<std::string, ServiceScale> MergeScale(const DesiredState& file_desired,
                                               const DesiredRecord* previous) {
  std::map<std::string, ServiceScale> out;
  for (const ServiceSpec& spec : file_desired.services) {
    if (spec.global) continue;
    ServiceScale scale;
    scale.replicas = scale.file_replicas = spec.replicas;
    const ServiceScale* before = nullptr;
    if (previous != nullptr) {
      auto it = previous->scale.find(spec.name);
      if (it != previous->scale.end()) before = &it->second;
    }
    // An autoscaled service keeps its count whatever the file says: the
    // file only moves its bounds. One whose x-baton.autoscale is gone takes
    // the file's count: nobody set the autoscaled one.
    bool autoscale_dropped = before && before->set_by == ScaleSource::kAutoscale && !spec.autoscale;
    if (before && !autoscale_dropped &&
        (before->file_replicas == spec.replicas || spec.autoscale)) {
      scale.replicas = before->replicas;
      scale.set_by = before->set_by;
      scale.reason = before->reason;
    }
    if (spec.autoscale)
      scale.replicas = std::clamp(scale.replicas, spec.autoscale->min, spec.autoscale->max);
    out[spec.name] = scale;
  }
  return out;
}

DesiredRecord MakeRecord(const compose::Project& project, const DesiredState& desired,
                         const ContentDigests& content, const Placement& placement,
                         const ActualState& actual, const DesiredRecord* previous,
                         std::string written_by, std::string written_at) {
  DesiredRecord record;
  record.project = desired.project.empty() ? project.name : desired.project;
  record.generation = previous != nullptr ? previous->generation + 1 : 1;
  record.compose_json = ComposeJson(project);
  for (const ServiceSpec& spec : desired.services) record.spec_hashes[spec.name] = spec.spec_hash;
  record.scale = MergeScale(desired, previous);
  if (previous != nullptr)
    for (const std::string& service : previous->stopped)
      if (desired.FindService(service) != nullptr) record.stopped.push_back(service);
  for (const Assignment& a : placement.assignments) record.placement[a.service][a.slot] = a.host;
  record.held = HeldSlots(desired, placement, actual);
  record.previous = PreviousSpecs(record, previous);
  record.volume_hosts = VolumeHosts(actual, previous);
  record.content_json = record_detail::ContentJson(RecordedContent{project.working_dir, content});
  record.written_by = std::move(written_by);
  record.written_at = std::move(written_at);
  return record;
}

PlacementHints HintsFromRecord(const DesiredRecord& record, const ActualState& actual) {
  PlacementHints hints;
  for (const auto& [service, slots] : record.placement)
    for (const auto& [slot, host] : slots) hints.owner[{service, slot}] = host;
  std::set<std::string> unreachable;
  for (const HostState& host : actual.hosts)
    if (!host.reachable) unreachable.insert(host.name);
  for (const auto& [volume, hosts] : record.volume_hosts)
    for (const std::string& host : hosts)
      if (unreachable.count(host)) hints.volume_hosts[volume].push_back(host);
  return hints;
}

Result<compose::Project> ProjectFromRecord(const DesiredRecord& record) {
  Result<RecordedContent> content = record_detail::ParseContentJson(record.content_json,
                                                                    Where(record));
  if (!content.ok()) return content.error();
  const std::string dir = content->project_dir.empty() ? "/" : content->project_dir;
  const std::string path = (std::filesystem::path(dir) / ".baton-desired-compose.json").string();
  compose::LoadOptions options;
  options.files = {path};
  options.project_directory = dir;
  options.project_name = record.project;
  options.profiles = {"*"};  // the record holds only the services that were enabled
  options.working_dir = dir;
  options.home_dir = "/";
  options.interpolate = false;  // values were interpolated before they were written
  RecordFileSystem files(path, record.compose_json, EnvAndLabelFiles(record.compose_json));
  Result<compose::Project> project = compose::Load(options, files);
  if (!project.ok()) return Error::Internal("", Where(record) + ": " + project.error().ToString());
  return project;
}

namespace {

// The record's project loaded again and the desired state it makes, before
// any check of the spec hashes.
struct Reloaded {
  compose::Project project;
  DesiredState desired;
};

Result<Reloaded> Reload(const DesiredRecord& record) {
  Result<compose::Project> project = ProjectFromRecord(record);
  if (!project.ok()) return project.error();
  Result<RecordedContent> content =
      record_detail::ParseContentJson(record.content_json, Where(record));
  if (!content.ok()) return content.error();
  Result<DesiredState> desired = MakeDesiredState(*project, content->digests);
  if (!desired.ok())
    return Error::Internal("", Where(record) + ": " + desired.error().ToString());
  return Reloaded{std::move(*project), std::move(*desired)};
}

}  // namespace

Result<DesiredState> DesiredFromRecord(const DesiredRecord& record) {
  Result<Reloaded> reloaded = Reload(record);
  if (!reloaded.ok()) return reloaded.error();
  DesiredState& desired = reloaded->desired;
  if (Status s = CheckHashes(record, desired); !s.ok()) return s.error();
  // Stopped services keep their count: a count of 0 would make the plan
  // remove their containers, while `stop` keeps them (callers read
  // record.stopped to leave them stopped).
  for (ServiceSpec& spec : desired.services) {
    auto scale = record.scale.find(spec.name);
    if (!spec.global && scale != record.scale.end()) spec.replicas = scale->second.replicas;
  }
  return std::move(desired);
}

Result<DesiredRecord> RolledBackRecord(const DesiredRecord& record, const std::string& service) {
  if (!record.spec_hashes.count(service))
    return Error::NotFound("", "no such service \"" + service + "\"");
  auto previous = record.previous.find(service);
  if (previous == record.previous.end())
    return Error::NotFound("", service + " has no earlier spec to roll back to");
  nlohmann::json doc = nlohmann::json::parse(record.compose_json, nullptr, false);
  nlohmann::json entry = nlohmann::json::parse(previous->second.service_json, nullptr, false);
  if (!doc.is_object() || !doc.contains("services") || !entry.is_object())
    return Error::Internal("", Where(record) + ": unreadable spec of " + service);
  DesiredRecord rolled = record;
  rolled.previous[service] = {ServiceJson(record.compose_json, service),
                              record.spec_hashes.count(service) ? record.spec_hashes.at(service)
                                                                : ""};
  doc["services"][service] = std::move(entry);
  rolled.compose_json = doc.dump();
  // The spec hash as a re-load of the rolled-back project gives it (the
  // project's networks or configs may have changed since).
  Result<Reloaded> reloaded = Reload(rolled);
  if (!reloaded.ok()) return reloaded.error();
  const ServiceSpec* spec = reloaded->desired.FindService(service);
  if (spec == nullptr) return Error::Internal("", Where(rolled) + ": " + service + " is gone");
  rolled.compose_json = ComposeJson(reloaded->project);
  rolled.spec_hashes[service] = spec->spec_hash;
  return rolled;
}

}  // namespace baton::planner
