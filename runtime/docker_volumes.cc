// DockerClient's volume calls: create, inspect, list, remove.

#include "runtime/docker_volumes.h"

#include "runtime/docker_client.h"
#include "runtime/docker_json.h"

namespace baton::runtime {
namespace {

using namespace json_read;
using nlohmann::json;

VolumeInfo DecodeVolume(const json& j) {
  VolumeInfo v;
  v.name = String(j, "Name");
  v.driver = String(j, "Driver");
  v.mountpoint = String(j, "Mountpoint");
  v.scope = String(j, "Scope");
  v.created_at = String(j, "CreatedAt");
  v.labels = StringMap(j, "Labels");
  v.options = StringMap(j, "Options");
  v.raw = j;
  return v;
}

std::vector<VolumeInfo> DecodeVolumes(const json& j) {
  std::vector<VolumeInfo> list;
  if (const json* volumes = Field(j, "Volumes"))
    for (const json& v : Array(*volumes)) list.push_back(DecodeVolume(v));
  return list;
}

}  // namespace

Result<VolumeInfo> DockerClient::CreateVolume(const VolumeSpec& spec) {
  json body = {{"Name", spec.name}, {"Driver", spec.driver}};
  if (!spec.labels.empty()) body["Labels"] = spec.labels;
  if (!spec.driver_options.empty()) body["DriverOpts"] = spec.driver_options;
  HttpRequest request = Request("POST", "/volumes/create");
  if (Status s = SetJsonBody(request, body); !s.ok()) return s.error();
  return CallJson<VolumeInfo>(request, DecodeVolume);
}

Result<VolumeInfo> DockerClient::InspectVolume(std::string_view name) {
  return CallJson<VolumeInfo>(Request("GET", "/volumes/" + UrlEscape(name)), DecodeVolume);
}

Result<std::vector<VolumeInfo>> DockerClient::ListVolumes(const Filters& filters) {
  std::string query = QueryString().AddFilters(filters).str();
  return CallJson<std::vector<VolumeInfo>>(Request("GET", "/volumes" + query), DecodeVolumes);
}

Status DockerClient::RemoveVolume(std::string_view name, bool force) {
  std::string query = QueryString().Flag("force", force).str();
  // 404: already gone.
  Result<HttpResponse> r = Call(Request("DELETE", "/volumes/" + UrlEscape(name) + query), {404});
  return r.ok() ? Status::Ok() : Status(r.error());
}

}  // namespace baton::runtime
