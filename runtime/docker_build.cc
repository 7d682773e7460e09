// DockerClient::BuildImage: POST /build with the classic builder (version=1).
// BuildKit over the API needs a /session stream baton cannot speak, so the
// classic builder is the only one used.

#include <chrono>
#include <optional>
#include <utility>

#include "runtime/docker_client.h"
#include "runtime/docker_images.h"
#include "runtime/docker_json.h"

namespace baton::runtime {
namespace {

using namespace json_read;
using nlohmann::json;

// The query as moby's client/image_build.go encodes it: maps and lists as
// JSON, extra hosts repeated, booleans as 1. No `t`: the caller tags the
// image only after checking that the context it sent was the planned one.
Result<std::string> BuildQuery(const BuildRequest& request) {
  QueryString query;
  query.Add("version", "1");
  if (!request.remote.empty()) query.Add("remote", request.remote);
  if (!request.dockerfile.empty()) query.Add("dockerfile", request.dockerfile);
  try {  // dump() throws on text that is not UTF-8
    if (!request.args.empty()) query.Add("buildargs", json(request.args).dump());
    if (!request.labels.empty()) query.Add("labels", json(request.labels).dump());
    if (!request.cache_from.empty()) query.Add("cachefrom", json(request.cache_from).dump());
  } catch (const json::exception&) {
    return Error::Invalid("", "build arguments, labels or cache_from are not valid UTF-8");
  }
  if (!request.target.empty()) query.Add("target", request.target);
  if (!request.network.empty()) query.Add("networkmode", request.network);
  for (const std::string& host : request.extra_hosts) query.Add("extrahosts", host);
  if (request.shm_size) query.Add("shmsize", std::to_string(*request.shm_size));
  query.Flag("nocache", request.no_cache).Flag("pull", request.pull);
  // No intermediate containers are left behind, also when a step fails.
  query.Add("rm", "1").Add("forcerm", "1");
  return query.str();
}

BuildMessage DecodeBuildMessage(const json& j) {
  BuildMessage m;
  m.stream = String(j, "stream");
  m.status = String(j, "status");
  m.id = String(j, "id");
  // aux also carries other things (a pull's digest); only an object with an ID is the image.
  const json* aux = Field(j, "aux");
  if (aux != nullptr && aux->is_object()) m.aux_id = String(*aux, "ID");
  m.raw = j;
  return m;
}

}  // namespace

Result<std::string> DockerClient::BuildImage(
    const BuildRequest& request, const BodyReader& context,
    const std::function<void(const BuildMessage&)>& on_message, std::stop_token stop) {
  Result<std::string> query = BuildQuery(request);
  if (!query.ok()) return AtCall(Request("POST", "/build"), query.error());
  HttpRequest http = Request("POST", "/build" + *query);
  if (request.remote.empty()) {
    http.content_type = "application/x-tar";
    http.upload = context;
  }
  http.timeout = std::chrono::milliseconds(0);  // a build takes as long as it takes
  http.stop = stop;
  std::optional<Error> failure;
  std::string image_id;
  // A failed step is reported inside the 200 stream, as for pulls.
  Status s = CallJsonStream(http, [&](const json& document) {
    return ReadProgressDocument(document, failure, [&](const json& d) {
      Result<BuildMessage> message = DecodeDocument<BuildMessage>(d, DecodeBuildMessage);
      if (!message.ok()) {
        failure = message.error();
        return false;
      }
      if (!message->aux_id.empty()) image_id = message->aux_id;
      if (on_message) on_message(*message);
      return true;
    });
  });
  if (!s.ok()) return s.error();
  if (failure) return AtCall(http, *failure);
  // Dropping the connection cancelled the build: there is no image.
  if (stop.stop_requested()) return AtCall(http, Error::Internal("", "interrupted"));
  if (image_id.empty())
    return AtCall(http, Error::Internal("", "the build ended without an image id"));
  return image_id;
}

}  // namespace baton::runtime
