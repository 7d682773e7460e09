// DockerClient's network calls: create, inspect, list, remove, connect, disconnect.

#include "runtime/docker_networks.h"

#include <utility>

#include "runtime/docker_client.h"
#include "runtime/docker_json.h"

namespace baton::runtime {
namespace {

using namespace json_read;
using nlohmann::json;

json CreateBody(const NetworkSpec& spec) {
  json body = {{"Name", spec.name},
               {"Driver", spec.driver},
               {"Internal", spec.internal},
               {"Attachable", spec.attachable},
               // Before API 1.44 the engine happily makes two networks of one name.
               {"CheckDuplicate", true}};
  if (!spec.labels.empty()) body["Labels"] = spec.labels;
  if (!spec.options.empty()) body["Options"] = spec.options;
  if (!spec.subnet.empty()) {
    json pool = {{"Subnet", spec.subnet}};
    if (!spec.gateway.empty()) pool["Gateway"] = spec.gateway;
    body["IPAM"] = {{"Driver", "default"}, {"Config", json::array({pool})}};
  }
  if (!spec.extra.is_null()) body.merge_patch(spec.extra);
  return body;
}

NetworkInfo DecodeNetwork(const json& j) {
  NetworkInfo n;
  n.id = String(j, "Id");
  n.name = String(j, "Name");
  n.driver = String(j, "Driver");
  n.scope = String(j, "Scope");
  n.internal = Bool(j, "Internal");
  n.labels = StringMap(j, "Labels");
  if (const json* pools = Field(Object(j, "IPAM"), "Config"))
    for (const json& pool : Array(*pools)) n.subnets.push_back(String(pool, "Subnet"));
  for (const auto& [id, member] : Object(j, "Containers").items())
    n.members[id] = {String(member, "Name"), String(member, "IPv4Address")};
  n.raw = j;
  return n;
}

std::vector<NetworkInfo> DecodeNetworks(const json& j) {
  std::vector<NetworkInfo> list;
  for (const json& e : Array(j)) list.push_back(DecodeNetwork(e));
  return list;
}

std::string DecodeId(const json& j) { return String(j, "Id"); }

}  // namespace

json json_write::EndpointBody(const EndpointSpec& endpoint) {
  json body = json::object();
  if (!endpoint.aliases.empty()) body["Aliases"] = endpoint.aliases;
  if (!endpoint.ipv4_address.empty()) body["IPAMConfig"] = {{"IPv4Address", endpoint.ipv4_address}};
  return body;
}

Result<std::string> DockerClient::CreateNetwork(const NetworkSpec& spec) {
  HttpRequest request = Request("POST", "/networks/create");
  if (Status s = SetJsonBody(request, CreateBody(spec)); !s.ok()) return s.error();
  return CallJson<std::string>(request, DecodeId);
}

Result<NetworkInfo> DockerClient::InspectNetwork(std::string_view network) {
  return CallJson<NetworkInfo>(Request("GET", "/networks/" + UrlEscape(network)), DecodeNetwork);
}

Result<std::vector<NetworkInfo>> DockerClient::ListNetworks(const Filters& filters) {
  std::string query = QueryString().AddFilters(filters).str();
  return CallJson<std::vector<NetworkInfo>>(Request("GET", "/networks" + query), DecodeNetworks);
}

Status DockerClient::RemoveNetwork(std::string_view network) {
  // 404: already gone.
  Result<HttpResponse> r = Call(Request("DELETE", "/networks/" + UrlEscape(network)), {404});
  return r.ok() ? Status::Ok() : Status(r.error());
}

Status DockerClient::ConnectNetwork(std::string_view network, std::string_view container,
                                    const EndpointSpec& endpoint) {
  HttpRequest request = Request("POST", "/networks/" + UrlEscape(network) + "/connect");
  json body = {{"Container", container}, {"EndpointConfig", json_write::EndpointBody(endpoint)}};
  if (Status s = SetJsonBody(request, body); !s.ok()) return s;
  Result<HttpResponse> r = Call(request);
  return r.ok() ? Status::Ok() : Status(r.error());
}

Status DockerClient::DisconnectNetwork(std::string_view network, std::string_view container,
                                       bool force) {
  HttpRequest request = Request("POST", "/networks/" + UrlEscape(network) + "/disconnect");
  if (Status s = SetJsonBody(request, {{"Container", container}, {"Force", force}}); !s.ok())
    return s;
  Result<HttpResponse> r = Call(request);
  return r.ok() ? Status::Ok() : Status(r.error());
}

}  // namespace baton::runtime
