// The plumbing DockerClient's calls share. Connecting is in docker_system.cc,
// the calls themselves in one file per area (docker_containers.cc, ...).

#include "runtime/docker_client.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "runtime/docker_json.h"

namespace baton::runtime {
DockerClient::DockerClient(std::unique_ptr<DockerHttp> http, VersionInfo engine, ApiVersion api)
    : http_(std::move(http)), engine_(std::move(engine)), api_(api) {}
DockerClient::DockerClient(DockerClient&&) noexcept = default;
DockerClient& DockerClient::operator=(DockerClient&&) noexcept = default;
DockerClient::~DockerClient() = default;

const std::string& DockerClient::host() const { return http_->options().host; }

HttpRequest DockerClient::Request(std::string method, const std::string& path) const {
  HttpRequest request;
  request.method = std::move(method);
  request.target = "/v" + api_.ToString() + path;
  return request;
}

Status DockerClient::SetJsonBody(HttpRequest& request, const nlohmann::json& body) const {
  try {
    request.body = body.dump();
  } catch (const nlohmann::json::exception& e) {
    // dump() throws on strings that are not UTF-8 (a label read from a binary file, say).
    return Error::Invalid(http_->where(), std::string("cannot encode request: ") + e.what());
  }
  request.content_type = "application/json";
  return Status::Ok();
}

Result<HttpResponse> DockerClient::Call(const HttpRequest& request,
                                        std::initializer_list<long> also_ok) {
  Result<HttpResponse> response = http_->Send(request);
  if (!response.ok()) return response;
  long status = response->status;
  bool ok = (status >= 200 && status < 300) ||
            std::find(also_ok.begin(), also_ok.end(), status) != also_ok.end();
  if (!ok) return ResponseError(http_->where(), *response);
  return response;
}

Status DockerClient::CallJsonStream(HttpRequest request,
                                    const std::function<bool(const nlohmann::json&)>& sink,
                                    bool* ended) {
  std::optional<Error> malformed;
  JsonLineSplitter splitter(sink);
  request.on_chunk = [&](std::string_view chunk) {
    Result<bool> more = splitter.Feed(chunk);
    if (more.ok()) return *more;
    malformed = more.error();
    return false;
  };
  Result<HttpResponse> response = Call(request);
  if (!response.ok()) return response.error();
  if (malformed) return AtCall(request, *malformed);
  if (response->stopped) return Status::Ok();
  Result<bool> last = splitter.Finish();
  if (!last.ok()) return AtCall(request, last.error());
  if (ended != nullptr) *ended = *last;  // false: the sink stopped at the last document
  return Status::Ok();
}

Error DockerClient::AtCall(const HttpRequest& request, const Error& error) const {
  // "/v1.41/containers/x/json?size=1" is named "GET /containers/x/json".
  std::string path = request.target.substr(0, request.target.find('?'));
  std::string prefix = "/v" + api_.ToString();
  if (path.starts_with(prefix + "/")) path.erase(0, prefix.size());
  Error e = error.Within(request.method + " " + path);
  e.where = http_->where();
  return e;
}

}  // namespace baton::runtime
