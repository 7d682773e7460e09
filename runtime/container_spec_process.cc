// The typed keys that shape the container's process and its sandbox: user,
// working_dir, hostname, capabilities, privileged, read_only, init,
// ulimits, sysctls, logging, extra_hosts, dns, stop_signal,
// stop_grace_period. All go through `extra` under the Engine API's names.

#include <chrono>

#include "runtime/container_spec_parts.h"

namespace baton::runtime::container_spec {
namespace {

using nlohmann::json;

void SetIfNotEmpty(json& body, const char* field, const std::string& value) {
  if (!value.empty()) body[field] = value;
}

void SetIfNotEmpty(json& body, const char* field, const std::vector<std::string>& values) {
  if (!values.empty()) body[field] = values;
}

json Ulimits(const std::map<std::string, compose::Ulimit>& ulimits) {
  json list = json::array();
  for (const auto& [name, limit] : ulimits) {
    int64_t soft = limit.single.value_or(limit.soft);
    int64_t hard = limit.single.value_or(limit.hard);
    list.push_back({{"Name", name}, {"Soft", soft}, {"Hard", hard}});
  }
  return list;
}

// compose writes "host=ip"; the engine wants "host:ip".
std::vector<std::string> ExtraHosts(const std::vector<std::string>& entries) {
  std::vector<std::string> hosts;
  for (std::string entry : entries) {
    if (size_t equals = entry.find('='); equals != std::string::npos) entry[equals] = ':';
    hosts.push_back(std::move(entry));
  }
  return hosts;
}

// netd on a spanned network's gateway first: Docker's embedded DNS relays
// every name it does not know itself there, in the order given.
std::vector<std::string> DnsServers(const SpecInput& in, const ContainerSpec& spec) {
  std::vector<std::string> servers;
  if (std::optional<std::string> cluster = ClusterDnsServer(in, spec); cluster && !cluster->empty())
    servers.push_back(*cluster);
  for (const std::string& server : in.service.dns)
    if (servers.empty() || server != servers.front()) servers.push_back(server);
  return servers;
}

void AddSandbox(const compose::Service& service, json& host_config) {
  SetIfNotEmpty(host_config, "CapAdd", service.cap_add);
  SetIfNotEmpty(host_config, "CapDrop", service.cap_drop);
  if (service.privileged) host_config["Privileged"] = *service.privileged;
  if (service.read_only) host_config["ReadonlyRootfs"] = *service.read_only;
  if (service.init) host_config["Init"] = *service.init;
  if (!service.ulimits.empty()) host_config["Ulimits"] = Ulimits(service.ulimits);
  if (!service.sysctls.empty()) host_config["Sysctls"] = service.sysctls;
  if (service.logging)
    host_config["LogConfig"] = {{"Type", service.logging->driver},
                                {"Config", service.logging->options}};
  SetIfNotEmpty(host_config, "ExtraHosts", ExtraHosts(service.extra_hosts));
}

}  // namespace

Status AddProcessOptions(const SpecInput& in, ContainerSpec& spec) {
  const compose::Service& service = in.service;
  json& body = spec.extra;
  SetIfNotEmpty(body, "User", service.user);
  SetIfNotEmpty(body, "WorkingDir", service.working_dir);
  SetIfNotEmpty(body, "Hostname", service.hostname);
  SetIfNotEmpty(body, "StopSignal", service.stop_signal);
  if (service.stop_grace_period)
    body["StopTimeout"] =
        std::chrono::duration_cast<std::chrono::seconds>(*service.stop_grace_period).count();
  json host_config = json::object();
  AddSandbox(service, host_config);
  SetIfNotEmpty(host_config, "Dns", DnsServers(in, spec));
  if (!host_config.empty()) body["HostConfig"].merge_patch(host_config);
  return Status::Ok();
}

}  // namespace baton::runtime::container_spec
