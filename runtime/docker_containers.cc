// DockerClient's container lifecycle calls: create, start, stop, kill,
// remove, inspect, list, wait.

#include "runtime/docker_containers.h"

#include <string>
#include <utility>

#include "runtime/docker_client.h"
#include "runtime/docker_json.h"

namespace baton::runtime {
namespace {

using namespace json_read;
using json_write::EndpointBody;
using nlohmann::json;

json PortBindingsBody(const std::vector<PortBinding>& bindings) {
  json body = json::object();
  for (const PortBinding& b : bindings)
    body[b.container_port].push_back({{"HostIp", b.host_ip}, {"HostPort", b.host_port}});
  return body;
}

json HostConfigBody(const HostConfigSpec& host) {
  json body = json::object();
  if (!host.binds.empty()) body["Binds"] = host.binds;
  if (!host.port_bindings.empty()) body["PortBindings"] = PortBindingsBody(host.port_bindings);
  if (!host.network_mode.empty()) body["NetworkMode"] = host.network_mode;
  if (!host.restart_policy.name.empty())
    body["RestartPolicy"] = {{"Name", host.restart_policy.name},
                             {"MaximumRetryCount", host.restart_policy.max_retry}};
  if (host.memory_bytes != 0) body["Memory"] = host.memory_bytes;
  if (host.nano_cpus != 0) body["NanoCpus"] = host.nano_cpus;
  return body;
}

// The network a container is created on: the one network_mode names, else
// the first by name. Engines before API 1.44 take only that one at create.
std::string PrimaryNetwork(const ContainerSpec& spec) {
  if (spec.networks.contains(spec.host_config.network_mode)) return spec.host_config.network_mode;
  return spec.networks.empty() ? std::string() : spec.networks.begin()->first;
}

json CreateBody(const ContainerSpec& spec, bool all_networks) {
  json body = {{"Image", spec.image}};
  if (spec.cmd) body["Cmd"] = *spec.cmd;
  if (spec.entrypoint) body["Entrypoint"] = *spec.entrypoint;
  if (!spec.env.empty()) body["Env"] = spec.env;
  if (!spec.labels.empty()) body["Labels"] = spec.labels;
  json exposed = json::object();
  for (const std::string& port : spec.exposed_ports) exposed[port] = json::object();
  // A published port must also be exposed, as `docker run -p` does it.
  for (const PortBinding& b : spec.host_config.port_bindings)
    exposed[b.container_port] = json::object();
  if (!exposed.empty()) body["ExposedPorts"] = exposed;
  body["HostConfig"] = HostConfigBody(spec.host_config);
  std::string primary = PrimaryNetwork(spec);
  if (!primary.empty()) {
    if (spec.host_config.network_mode.empty()) body["HostConfig"]["NetworkMode"] = primary;
    json endpoints = json::object();
    for (const auto& [name, endpoint] : spec.networks)
      if (all_networks || name == primary) endpoints[name] = EndpointBody(endpoint);
    body["NetworkingConfig"] = {{"EndpointsConfig", endpoints}};
  }
  if (!spec.extra.is_null()) body.merge_patch(spec.extra);
  return body;
}

ContainerCreated DecodeCreated(const json& j) { return {String(j, "Id"), Strings(j, "Warnings")}; }

std::string WithoutSlash(std::string name) {
  if (name.starts_with('/')) name.erase(0, 1);
  return name;
}

ContainerState DecodeState(const json& j) {
  ContainerState s;
  s.status = String(j, "Status");
  s.running = Bool(j, "Running");
  s.paused = Bool(j, "Paused");
  s.restarting = Bool(j, "Restarting");
  s.oom_killed = Bool(j, "OOMKilled");
  s.dead = Bool(j, "Dead");
  s.pid = Int(j, "Pid");
  s.exit_code = Int(j, "ExitCode");
  s.error = String(j, "Error");
  s.started_at = String(j, "StartedAt");
  s.finished_at = String(j, "FinishedAt");
  s.health = String(Object(j, "Health"), "Status");
  return s;
}

std::vector<PortBinding> DecodePorts(const json& ports) {
  std::vector<PortBinding> bindings;
  for (const auto& [container_port, list] : ports.items()) {
    if (list.is_null()) continue;  // exposed but not published
    for (const json& b : Array(list))
      bindings.push_back({container_port, String(b, "HostIp"), String(b, "HostPort")});
  }
  return bindings;
}

ContainerInfo DecodeInfo(const json& j) {
  ContainerInfo c;
  c.id = String(j, "Id");
  c.name = WithoutSlash(String(j, "Name"));
  const json& config = Object(j, "Config");
  c.image = String(config, "Image");
  c.image_id = String(j, "Image");
  c.created = String(j, "Created");
  c.labels = StringMap(config, "Labels");
  c.tty = Bool(config, "Tty");
  c.state = DecodeState(Object(j, "State"));
  c.restart_count = Int(j, "RestartCount");
  const json& settings = Object(j, "NetworkSettings");
  for (const auto& [name, endpoint] : Object(settings, "Networks").items())
    c.networks[name] = {String(endpoint, "NetworkID"), String(endpoint, "IPAddress"),
                        Strings(endpoint, "Aliases")};
  c.ports = DecodePorts(Object(settings, "Ports"));
  c.raw = j;
  return c;
}

std::vector<ContainerSummary> DecodeSummaries(const json& j) {
  std::vector<ContainerSummary> list;
  for (const json& e : Array(j)) {
    ContainerSummary c;
    c.id = String(e, "Id");
    std::vector<std::string> names = Strings(e, "Names");
    if (!names.empty()) c.name = WithoutSlash(names.front());
    c.image = String(e, "Image");
    c.image_id = String(e, "ImageID");
    c.command = String(e, "Command");
    c.created = Int(e, "Created");
    c.state = String(e, "State");
    c.status = String(e, "Status");
    c.labels = StringMap(e, "Labels");
    c.raw = e;
    list.push_back(std::move(c));
  }
  return list;
}

// Docker answers a wait with the exit code, or with an error message when
// waiting itself failed.
std::pair<std::int64_t, std::string> DecodeWait(const json& j) {
  return {Int(j, "StatusCode"), String(Object(j, "Error"), "Message")};
}

const char* ConditionName(WaitCondition condition) {
  switch (condition) {
    case WaitCondition::kNextExit:
      return "next-exit";
    case WaitCondition::kRemoved:
      return "removed";
    case WaitCondition::kNotRunning:
      break;
  }
  return "not-running";
}

}  // namespace

Result<ContainerCreated> DockerClient::CreateContainer(const ContainerSpec& spec) {
  bool all_networks = api_ >= ApiVersion{1, 44};
  std::string query = spec.name.empty() ? "" : QueryString().Add("name", spec.name).str();
  HttpRequest request = Request("POST", "/containers/create" + query);
  if (Status s = SetJsonBody(request, CreateBody(spec, all_networks)); !s.ok()) return s.error();
  Result<ContainerCreated> created = CallJson<ContainerCreated>(request, DecodeCreated);
  if (!created.ok() || all_networks) return created;
  std::string primary = PrimaryNetwork(spec);
  for (const auto& [name, endpoint] : spec.networks) {
    if (name == primary) continue;
    if (Status s = ConnectNetwork(name, created->id, endpoint); !s.ok()) {
      // A container left on fewer networks than asked would look valid to the
      // next `up` (its labels are right), so it must not survive the failure.
      (void)RemoveContainer(created->id, {.force = true});
      return s.error().Within("connect network " + name);
    }
  }
  return created;
}

Status DockerClient::StartContainer(std::string_view id) {
  // 304 Not Modified: it already runs.
  Result<HttpResponse> r = Call(Request("POST", "/containers/" + UrlEscape(id) + "/start"), {304});
  return r.ok() ? Status::Ok() : Status(r.error());
}

Status DockerClient::StopContainer(std::string_view id, std::optional<std::chrono::seconds> grace) {
  QueryString query;
  if (grace) query.Add("t", std::to_string(grace->count()));
  HttpRequest request = Request("POST", "/containers/" + UrlEscape(id) + "/stop" + query.str());
  // The engine answers only once the container is down, up to `grace` later.
  request.timeout = http_->options().call_timeout + grace.value_or(std::chrono::seconds(10));
  // 304 Not Modified: it was not running.
  Result<HttpResponse> r = Call(request, {304});
  return r.ok() ? Status::Ok() : Status(r.error());
}

Status DockerClient::RenameContainer(std::string_view id, std::string_view name) {
  std::string query = QueryString().Add("name", name).str();
  Result<HttpResponse> r =
      Call(Request("POST", "/containers/" + UrlEscape(id) + "/rename" + query));
  return r.ok() ? Status::Ok() : Status(r.error());
}

Status DockerClient::KillContainer(std::string_view id, std::string_view signal) {
  std::string query = QueryString().Add("signal", signal).str();
  Result<HttpResponse> r = Call(Request("POST", "/containers/" + UrlEscape(id) + "/kill" + query));
  return r.ok() ? Status::Ok() : Status(r.error());
}

Status DockerClient::RemoveContainer(std::string_view id, RemoveContainerOptions options) {
  std::string query = QueryString().Flag("force", options.force).Flag("v", options.volumes).str();
  // 404: already gone, which is what the caller wants.
  Result<HttpResponse> r = Call(Request("DELETE", "/containers/" + UrlEscape(id) + query), {404});
  return r.ok() ? Status::Ok() : Status(r.error());
}

Result<ContainerInfo> DockerClient::InspectContainer(std::string_view id) {
  return CallJson<ContainerInfo>(Request("GET", "/containers/" + UrlEscape(id) + "/json"),
                                 DecodeInfo);
}

Result<std::vector<ContainerSummary>> DockerClient::ListContainers(bool all,
                                                                   const Filters& filters) {
  std::string query = QueryString().Flag("all", all).AddFilters(filters).str();
  return CallJson<std::vector<ContainerSummary>>(Request("GET", "/containers/json" + query),
                                                 DecodeSummaries);
}

Result<std::int64_t> DockerClient::WaitContainer(std::string_view id,
                                                 std::chrono::milliseconds timeout,
                                                 WaitCondition condition) {
  std::string query = QueryString().Add("condition", ConditionName(condition)).str();
  HttpRequest request = Request("POST", "/containers/" + UrlEscape(id) + "/wait" + query);
  request.timeout = timeout;
  using Outcome = std::pair<std::int64_t, std::string>;
  Result<Outcome> outcome = CallJson<Outcome>(request, DecodeWait);
  if (!outcome.ok()) return outcome.error();
  if (!outcome->second.empty()) return Error::Internal(http_->where(), outcome->second);
  return outcome->first;
}

}  // namespace baton::runtime
