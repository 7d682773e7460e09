// Connecting to an engine (version negotiation) and what it says about itself.

#include "runtime/docker_system.h"

#include <charconv>
#include <utility>

#include "runtime/docker_client.h"
#include "runtime/docker_json.h"

namespace baton::runtime {
namespace {

using namespace json_read;

VersionInfo DecodeVersion(const nlohmann::json& j) {
  VersionInfo v;
  v.version = String(j, "Version");
  v.api_version = String(j, "ApiVersion");
  v.min_api_version = String(j, "MinAPIVersion");
  v.os = String(j, "Os");
  v.arch = String(j, "Arch");
  v.kernel_version = String(j, "KernelVersion");
  v.raw = j;
  return v;
}

SystemInfo DecodeInfo(const nlohmann::json& j) {
  SystemInfo s;
  s.name = String(j, "Name");
  s.server_version = String(j, "ServerVersion");
  s.operating_system = String(j, "OperatingSystem");
  s.os_type = String(j, "OSType");
  s.architecture = String(j, "Architecture");
  s.kernel_version = String(j, "KernelVersion");
  s.cpus = Int(j, "NCPU");
  s.memory_bytes = Int(j, "MemTotal");
  s.containers = Int(j, "Containers");
  s.containers_running = Int(j, "ContainersRunning");
  s.containers_paused = Int(j, "ContainersPaused");
  s.containers_stopped = Int(j, "ContainersStopped");
  s.images = Int(j, "Images");
  s.docker_root_dir = String(j, "DockerRootDir");
  s.raw = j;
  return s;
}

// Sends an unversioned GET (before a version is chosen) expecting 200.
Result<HttpResponse> GetUnversioned(DockerHttp& http, const std::string& target) {
  HttpRequest request;
  request.target = target;
  Result<HttpResponse> answer = http.Send(request);
  if (!answer.ok()) return answer;
  if (answer->status != 200) return ResponseError(http.where(), *answer).Within("GET " + target);
  return answer;
}

// The ping first: it is cheap and tells "nothing listens" apart from "not Docker".
Result<VersionInfo> ReadEngineVersion(DockerHttp& http) {
  if (Result<HttpResponse> pong = GetUnversioned(http, "/_ping"); !pong.ok()) return pong.error();
  Result<HttpResponse> answer = GetUnversioned(http, "/version");
  if (!answer.ok()) return answer.error();
  Result<VersionInfo> info = Decode<VersionInfo>(answer->body, DecodeVersion);
  if (!info.ok()) return Error::Internal(http.where(), info.error().message).Within("GET /version");
  return info;
}

}  // namespace

std::optional<ApiVersion> ApiVersion::Parse(std::string_view text) {
  ApiVersion v;
  const char* end = text.data() + text.size();
  auto [dot, major_error] = std::from_chars(text.data(), end, v.major);
  if (major_error != std::errc() || dot == end || *dot != '.') return std::nullopt;
  auto [rest, minor_error] = std::from_chars(dot + 1, end, v.minor);
  if (minor_error != std::errc() || rest != end || v.major < 0 || v.minor < 0) return std::nullopt;
  return v;
}

std::string ApiVersion::ToString() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

Result<ApiVersion> NegotiateApiVersion(const VersionInfo& engine) {
  std::optional<ApiVersion> newest = ApiVersion::Parse(engine.api_version);
  if (!newest)
    return Error::Invalid(
        "", "docker reports an unreadable api version \"" + engine.api_version + "\"");
  if (*newest < kOldestApi)
    return Error::Invalid("", "docker " + engine.version + " speaks api " + newest->ToString() +
                                  ", but baton needs api " + kOldestApi.ToString() +
                                  " (docker 20.10) or newer");
  // Old engines omit MinAPIVersion; they accept anything up to their newest.
  std::optional<ApiVersion> oldest = ApiVersion::Parse(engine.min_api_version);
  if (oldest && *oldest > kNewestApi)
    return Error::Invalid("", "docker " + engine.version + " accepts api " + oldest->ToString() +
                                  " and newer, but baton speaks api " + kNewestApi.ToString() +
                                  " at most");
  return std::min(*newest, kNewestApi);
}

Result<DockerClient> DockerClient::Connect(DockerOptions options) {
  auto http = std::make_unique<DockerHttp>(std::move(options));
  Result<VersionInfo> engine = ReadEngineVersion(*http);
  if (!engine.ok()) return engine.error();
  Result<ApiVersion> api = NegotiateApiVersion(*engine);
  if (!api.ok()) return Error::Invalid(http->where(), api.error().message);
  return DockerClient(std::move(http), std::move(*engine), *api);
}

Status DockerClient::Ping() {
  HttpRequest request;
  request.target = "/_ping";
  Result<HttpResponse> pong = Call(request);
  if (!pong.ok()) return pong.error();
  return Status::Ok();
}

Result<VersionInfo> DockerClient::Version() {
  return CallJson<VersionInfo>(Request("GET", "/version"), DecodeVersion);
}

Result<SystemInfo> DockerClient::Info() {
  return CallJson<SystemInfo>(Request("GET", "/info"), DecodeInfo);
}

}  // namespace baton::runtime
