// ObserveProject: each host read in parallel, one after another call on
// that host: engine facts, the project's containers, networks and volumes,
// its copies of local files, what the rest of the host is using (ports,
// reservations, cluster subnets), its netd, whether it is drained, and
// which desired images it has.

#include "runtime/observe.h"

#include <algorithm>
#include <charconv>
#include <future>
#include <set>
#include <utility>

#include "planner/labels.h"
#include "runtime/drain_marker.h"

namespace baton::runtime {
namespace {

namespace labels = planner::labels;
using planner::ActualContainer;
using planner::HostState;

// The engine reports a container that never started with Go's zero time.
constexpr char kZeroTime[] = "0001-01-01T00:00:00Z";

std::string LabelOr(const Labels& labels, const char* key, std::string fallback = "") {
  auto it = labels.find(key);
  return it == labels.end() ? fallback : it->second;
}

// A label's number, or 0 when it is missing or not a number (a hand-edited
// label must not break observing).
template <typename Number>
Number LabelNumber(const Labels& labels, const char* key) {
  std::string text = LabelOr(labels, key);
  Number value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() ? value : Number{};
}

Filters ProjectFilter(const std::string& project) {
  return {{"label", {std::string(labels::kProject) + "=" + project}}};
}

bool InProject(const Labels& labels, const std::string& project) {
  return LabelOr(labels, labels::kProject) == project;
}

// netd serves every project on its host; it never counts as one's replica.
bool IsNetd(const Labels& labels) { return LabelOr(labels, labels::kRole) == labels::kNetdRole; }

// baton.spec-parts: {"environment":"1a2b3c4d",...}. Anything else decodes
// as no parts, so the plan treats every part as changed.
std::map<std::string, std::string> DecodeSpecParts(const std::string& text) {
  std::map<std::string, std::string> parts;
  nlohmann::json document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) return parts;
  for (const auto& [key, value] : document.items())
    if (value.is_string()) parts[key] = value.get<std::string>();
  return parts;
}

// As `docker ps` shows a binding: "0.0.0.0:8080->80/tcp", "[::]:8080->80/tcp".
std::string PortText(const PortBinding& binding) {
  std::string ip = binding.host_ip.find(':') != std::string::npos ? "[" + binding.host_ip + "]"
                                                                  : binding.host_ip;
  return ip + ":" + binding.host_port + "->" + binding.container_port;
}

// baton.files: ["<digest>", ...]. Anything else decodes as no copies.
std::vector<std::string> DecodeFileCopies(const std::string& text) {
  std::vector<std::string> digests;
  nlohmann::json document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!document.is_array()) return digests;
  for (const nlohmann::json& digest : document)
    if (digest.is_string()) digests.push_back(digest.get<std::string>());
  return digests;
}

// HostConfig.RestartPolicy.Name from the inspect document: the policy the
// engine applies now (the watcher may have set it to "no").
std::string EngineRestartPolicy(const nlohmann::json& raw) {
  const nlohmann::json* at = &raw;
  for (const char* key : {"HostConfig", "RestartPolicy", "Name"}) {
    if (!at->is_object()) return "";
    auto it = at->find(key);
    if (it == at->end()) return "";
    at = &*it;
  }
  return at->is_string() ? at->get<std::string>() : "";
}

ActualContainer ToActual(const ContainerInfo& info) {
  ActualContainer c;
  c.id = info.id;
  c.name = info.name;
  c.service = LabelOr(info.labels, labels::kService);
  c.slot = labels::SlotFromLabels(info.labels);
  c.spec_hash = LabelOr(info.labels, labels::kSpecHash);
  c.part_hashes = DecodeSpecParts(LabelOr(info.labels, labels::kSpecParts));
  c.state = info.state.status;
  c.health = info.state.health;
  c.exit_code = info.state.exit_code;
  c.created = info.created;
  c.started_at = info.state.started_at == kZeroTime ? "" : info.state.started_at;
  c.finished_at = info.state.finished_at == kZeroTime ? "" : info.state.finished_at;
  c.restart_count = info.restart_count;
  c.restart_policy = EngineRestartPolicy(info.raw);
  c.intended_restart = LabelOr(info.labels, labels::kRestart);
  c.image = info.image;
  for (const PortBinding& binding : info.ports) c.ports.push_back(PortText(binding));
  std::sort(c.ports.begin(), c.ports.end());
  c.file_copies = DecodeFileCopies(LabelOr(info.labels, labels::kFiles));
  return c;
}

Status ReadEngineFacts(DockerClient& docker, HostState& state) {
  Result<SystemInfo> info = docker.Info();
  if (!info.ok()) return info.error().Within("read engine info");
  state.hostname = info->name;
  state.os = info->os_type;
  state.arch = info->architecture;
  state.cpus = static_cast<double>(info->cpus);
  state.memory = info->memory_bytes;
  return Status::Ok();
}

// The list names the containers; an inspect of each gives what the list
// lacks (exact health and exit code, start time). A container removed in
// between is simply not there.
Status ReadContainers(DockerClient& docker, const std::string& project, HostState& state) {
  auto list = docker.ListContainers(/*all=*/true, ProjectFilter(project));
  if (!list.ok()) return list.error().Within("list containers");
  for (const ContainerSummary& summary : *list) {
    if (!InProject(summary.labels, project) || IsNetd(summary.labels)) continue;
    Result<ContainerInfo> info = docker.InspectContainer(summary.id);
    if (!info.ok() && info.error().kind == Error::Kind::kNotFound) continue;
    if (!info.ok()) return info.error().Within("inspect container " + summary.name);
    state.containers.push_back(ToActual(*info));
  }
  std::sort(state.containers.begin(), state.containers.end(),
            [](const ActualContainer& a, const ActualContainer& b) { return a.name < b.name; });
  return Status::Ok();
}

Status ReadNetworksAndVolumes(DockerClient& docker, const std::string& project, HostState& state) {
  auto networks = docker.ListNetworks(ProjectFilter(project));
  if (!networks.ok()) return networks.error().Within("list networks");
  for (const NetworkInfo& network : *networks) {
    if (!InProject(network.labels, project)) continue;
    state.networks.insert(network.name);
    if (std::string subnet = LabelOr(network.labels, labels::kSubnet); !subnet.empty())
      state.network_subnets[network.name] = subnet;
  }
  auto volumes = docker.ListVolumes(ProjectFilter(project));
  if (!volumes.ok()) return volumes.error().Within("list volumes");
  for (const VolumeInfo& volume : *volumes)
    if (InProject(volume.labels, project)) state.volumes.insert(volume.name);
  return Status::Ok();
}

// The project's copies of local files (runtime/file_copy.h): content
// volumes, marker volumes and leftover upload helpers, by their labels. A
// copy is complete only when both its volume and its marker are there.
Status ReadFileCopies(DockerClient& docker, const std::string& project, HostState& state) {
  Filters filter = {{"label", {std::string(labels::kFilesProject) + "=" + project}}};
  auto volumes = docker.ListVolumes(filter);
  if (!volumes.ok()) return volumes.error().Within("list file copies");
  std::set<std::string> contents, markers;
  for (const VolumeInfo& volume : *volumes) {
    if (LabelOr(volume.labels, labels::kFilesProject) != project) continue;
    std::string digest = LabelOr(volume.labels, labels::kFilesDigest);
    std::string role = LabelOr(volume.labels, labels::kFilesRole);
    if (digest.empty()) continue;
    if (role == "content") contents.insert(digest);
    if (role == "complete") markers.insert(digest);
  }
  for (const std::string& digest : contents)
    state.file_copies[digest].complete = markers.contains(digest);
  for (const std::string& digest : markers) state.file_copies[digest];  // a marker alone: redo
  auto helpers = docker.ListContainers(/*all=*/true, filter);
  if (!helpers.ok()) return helpers.error().Within("list upload helpers");
  for (const ContainerSummary& helper : *helpers) {
    std::string digest = LabelOr(helper.labels, labels::kFilesDigest);
    if (LabelOr(helper.labels, labels::kFilesProject) == project && !digest.empty() &&
        LabelOr(helper.labels, labels::kFilesRole) == "upload")
      state.file_copies[digest].helper = true;
  }
  return Status::Ok();
}

// The host ports a running container publishes, from the list's raw
// "Ports": [{"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"}].
void AddPublishedPorts(const nlohmann::json& raw, HostState& state) {
  const auto ports = raw.find("Ports");
  if (ports == raw.end() || !ports->is_array()) return;
  for (const nlohmann::json& port : *ports) {
    if (!port.is_object()) continue;
    auto number = port.find("PublicPort");
    auto type = port.find("Type");
    if (number == port.end() || !number->is_number_unsigned() || *number == 0) continue;
    std::string protocol =
        type != port.end() && type->is_string() ? type->get<std::string>() : "tcp";
    state.ports_used_elsewhere.insert({protocol, number->get<uint32_t>()});
  }
}

// Every running container outside the project counts: its published ports
// collide whoever made it, and baton's other projects also say what they
// reserve.
Status ReadUseElsewhere(DockerClient& docker, const std::string& project, HostState& state) {
  auto list = docker.ListContainers(/*all=*/false);
  if (!list.ok()) return list.error().Within("list running containers");
  for (const ContainerSummary& summary : *list) {
    if (InProject(summary.labels, project) || summary.state != "running") continue;
    state.reserved_cpus_elsewhere += LabelNumber<double>(summary.labels, labels::kReservedCpus);
    state.reserved_memory_elsewhere +=
        LabelNumber<int64_t>(summary.labels, labels::kReservedMemory);
    AddPublishedPorts(summary.raw, state);
  }
  return Status::Ok();
}

// Every other spanned network on the host (of any project) holds its
// slice: a new one of this project must take another.
Status ReadSubnetsElsewhere(DockerClient& docker, const std::string& project, HostState& state) {
  auto networks = docker.ListNetworks({{"label", {labels::kSubnet}}});
  if (!networks.ok()) return networks.error().Within("list cluster networks");
  for (const NetworkInfo& network : *networks) {
    std::string subnet = LabelOr(network.labels, labels::kSubnet);
    if (!subnet.empty() && !InProject(network.labels, project))
      state.subnets_elsewhere.insert(subnet);
  }
  return Status::Ok();
}

// The host's netd container: by its fixed name, and only when it carries
// the netd role (a stranger's container of that name is not ours to manage).
Status ReadNetd(DockerClient& docker, HostState& state) {
  std::string role = std::string(labels::kRole) + "=" + labels::kNetdRole;
  auto list = docker.ListContainers(/*all=*/true, {{"label", {role}}});
  if (!list.ok()) return list.error().Within("list netd containers");
  for (const ContainerSummary& summary : *list) {
    if (summary.name != labels::kNetdContainer || !IsNetd(summary.labels)) continue;
    state.netd.present = true;
    state.netd.running = summary.state == "running" || summary.state == "restarting";
    state.netd.id = summary.id;
    state.netd.spec_hash = LabelOr(summary.labels, labels::kSpecHash);
  }
  return Status::Ok();
}

// `baton hosts drain` left its marker (runtime/drain_marker.h). An inspect
// by its fixed name costs one call, like the list it would otherwise take.
Status ReadDrained(DockerClient& docker, HostState& state) {
  Result<bool> drained = IsDrained(docker);
  if (!drained.ok()) return drained.error();
  state.drained = *drained;
  return Status::Ok();
}

Status ReadImages(DockerClient& docker, const std::set<std::string>& images, HostState& state) {
  for (const std::string& image : images) {
    Result<ImageInfo> info = docker.InspectImage(image);
    if (info.ok()) {
      state.images.insert(image);
    } else if (info.error().kind != Error::Kind::kNotFound) {
      return info.error().Within("inspect image " + image);
    }
  }
  return Status::Ok();
}

Status ReadHost(DockerClient& docker, const std::string& project,
                const std::set<std::string>& images, HostState& state) {
  if (Status s = ReadEngineFacts(docker, state); !s.ok()) return s;
  if (Status s = ReadContainers(docker, project, state); !s.ok()) return s;
  if (Status s = ReadNetworksAndVolumes(docker, project, state); !s.ok()) return s;
  if (Status s = ReadFileCopies(docker, project, state); !s.ok()) return s;
  if (Status s = ReadUseElsewhere(docker, project, state); !s.ok()) return s;
  if (Status s = ReadSubnetsElsewhere(docker, project, state); !s.ok()) return s;
  if (Status s = ReadNetd(docker, state); !s.ok()) return s;
  if (Status s = ReadDrained(docker, state); !s.ok()) return s;
  return ReadImages(docker, images, state);
}

HostState ObserveHost(HostHandle& handle, const std::string& project,
                      const std::set<std::string>& images) {
  HostState state;
  state.name = handle.config.name;
  state.labels = handle.config.labels;
  Status read = handle.reachable() ? ReadHost(*handle.docker, project, images, state)
                                   : Status(handle.error.value_or(Error::Unreachable(
                                         "host " + handle.config.name, "not connected")));
  if (read.ok()) {
    state.reachable = true;
    return state;
  }
  // A half-read host must not look like one with fewer containers.
  HostState failed;
  failed.name = state.name;
  failed.labels = std::move(state.labels);
  failed.error = read.error().ToString();
  return failed;
}

planner::ActualState Observe(const std::string& project, const std::set<std::string>& images,
                             HostPool& pool) {
  std::vector<std::future<HostState>> pending;
  for (HostHandle& handle : pool.hosts())
    pending.push_back(std::async(std::launch::async, [&handle, &project, &images] {
      return ObserveHost(handle, project, images);
    }));
  planner::ActualState actual;
  actual.project = project;
  for (auto& host : pending) actual.hosts.push_back(host.get());
  return actual;
}

}  // namespace

planner::ActualState ObserveProject(const planner::DesiredState& desired, HostPool& pool) {
  std::set<std::string> images;
  for (const planner::ServiceSpec& service : desired.services)
    if (!service.service.image.empty()) images.insert(service.service.image);
  return Observe(desired.project, images, pool);
}

planner::ActualState ObserveProjectByName(const std::string& project, HostPool& pool) {
  return Observe(project, {}, pool);
}

}  // namespace baton::runtime
