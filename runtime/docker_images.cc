// DockerClient's image calls: inspect, list, pull, load, save, tag, remove.

#include "runtime/docker_images.h"

#include <chrono>
#include <optional>
#include <utility>

#include "runtime/docker_client.h"
#include "runtime/docker_json.h"

namespace baton::runtime {
namespace {

using namespace json_read;
using nlohmann::json;

ImageInfo DecodeImage(const json& j) {
  ImageInfo i;
  i.id = String(j, "Id");
  i.repo_tags = Strings(j, "RepoTags");
  i.repo_digests = Strings(j, "RepoDigests");
  i.created = String(j, "Created");
  i.os = String(j, "Os");
  i.architecture = String(j, "Architecture");
  i.size_bytes = Int(j, "Size");
  i.labels = StringMap(Object(j, "Config"), "Labels");
  i.raw = j;
  return i;
}

// One entry of GET /images/json: labels at the top level, Created in Unix
// seconds, no OS or architecture.
ImageInfo DecodeImageSummary(const json& j) {
  ImageInfo i;
  i.id = String(j, "Id");
  i.repo_tags = Strings(j, "RepoTags");
  i.repo_digests = Strings(j, "RepoDigests");
  i.size_bytes = Int(j, "Size");
  i.labels = StringMap(j, "Labels");
  i.raw = j;
  return i;
}

std::vector<ImageInfo> DecodeImageList(const json& j) {
  std::vector<ImageInfo> list;
  for (const json& e : Array(j)) list.push_back(DecodeImageSummary(e));
  return list;
}

PullProgress DecodeProgress(const json& j) {
  PullProgress p;
  p.status = String(j, "status");
  p.id = String(j, "id");
  const json& detail = Object(j, "progressDetail");
  p.current = Int(detail, "current");
  p.total = Int(detail, "total");
  p.raw = j;
  return p;
}

// One line of an image load answer: {"stream": "Loaded image: busybox:latest\n"}.
std::optional<std::string> LoadedName(const json& j) {
  std::string text = String(j, "stream");
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  for (std::string_view prefix : {"Loaded image: ", "Loaded image ID: "})
    if (text.starts_with(prefix)) return text.substr(prefix.size());
  return std::nullopt;
}

}  // namespace

ImageReference SplitImageReference(const std::string& reference) {
  if (reference.find('@') != std::string::npos) return {reference, ""};
  std::size_t slash = reference.rfind('/');
  std::size_t colon = reference.rfind(':');
  // A colon before the last slash belongs to a registry port ("reg:5000/app").
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash))
    return {reference.substr(0, colon), reference.substr(colon + 1)};
  return {reference, "latest"};
}

Result<ImageInfo> DockerClient::InspectImage(std::string_view name) {
  return CallJson<ImageInfo>(Request("GET", "/images/" + UrlEscape(name) + "/json"), DecodeImage);
}

Result<std::vector<ImageInfo>> DockerClient::ListImages(const Filters& filters) {
  std::string query = QueryString().AddFilters(filters).str();
  return CallJson<std::vector<ImageInfo>>(Request("GET", "/images/json" + query), DecodeImageList);
}

Status DockerClient::PullImage(const std::string& reference,
                               const std::function<bool(const PullProgress&)>& on_progress,
                               std::stop_token stop) {
  ImageReference ref = SplitImageReference(reference);
  QueryString query;
  query.Add("fromImage", ref.name);
  if (!ref.tag.empty()) query.Add("tag", ref.tag);
  HttpRequest request = Request("POST", "/images/create" + query.str());
  request.timeout = std::chrono::milliseconds(0);
  request.stop = std::move(stop);
  std::optional<Error> failure;
  Status s = CallJsonStream(request, [&](const json& document) {
    return ReadProgressDocument(document, failure, [&](const json& d) {
      if (!on_progress) return true;
      Result<PullProgress> progress = DecodeDocument<PullProgress>(d, DecodeProgress);
      if (progress.ok()) return on_progress(*progress);
      failure = progress.error();
      return false;
    });
  });
  if (!s.ok()) return s;
  if (failure) return AtCall(request, *failure);
  return Status::Ok();
}

Result<std::vector<std::string>> DockerClient::LoadImages(const BodyReader& tar,
                                                          std::stop_token stop) {
  HttpRequest request = Request("POST", "/images/load?quiet=1");
  request.content_type = "application/x-tar";
  request.upload = tar;
  request.timeout = std::chrono::milliseconds(0);
  request.stop = std::move(stop);
  std::vector<std::string> names;
  std::optional<Error> failure;
  Status s = CallJsonStream(request, [&](const json& document) {
    return ReadProgressDocument(document, failure, [&](const json& d) {
      Result<std::optional<std::string>> name =
          DecodeDocument<std::optional<std::string>>(d, LoadedName);
      if (!name.ok()) {
        failure = name.error();
        return false;
      }
      if (*name) names.push_back(**name);
      return true;
    });
  });
  if (!s.ok()) return s.error();
  if (failure) return AtCall(request, *failure);
  return names;
}

Status DockerClient::SaveImages(const std::vector<std::string>& names,
                                const std::function<Status(std::string_view)>& write,
                                std::stop_token stop) {
  QueryString query;
  for (const std::string& name : names) query.Add("names", name);
  HttpRequest request = Request("GET", "/images/get" + query.str());
  request.timeout = std::chrono::milliseconds(0);
  request.stop = std::move(stop);
  std::optional<Error> write_error;
  request.on_chunk = [&](std::string_view data) {
    Status written = write(data);
    if (!written.ok()) write_error = written.error();
    return written.ok();
  };
  Result<HttpResponse> response = Call(request);
  if (!response.ok()) return response.error();
  if (write_error) return *write_error;
  return Status::Ok();
}

Status DockerClient::TagImage(std::string_view source, const std::string& target) {
  ImageReference ref = SplitImageReference(target);
  QueryString query;
  query.Add("repo", ref.name);
  if (!ref.tag.empty()) query.Add("tag", ref.tag);
  Result<HttpResponse> r =
      Call(Request("POST", "/images/" + UrlEscape(source) + "/tag" + query.str()));
  return r.ok() ? Status::Ok() : Status(r.error());
}

Status DockerClient::RemoveImage(std::string_view name, bool force) {
  std::string query = QueryString().Flag("force", force).str();
  // 404: already gone, which is what the caller wants.
  Result<HttpResponse> r = Call(Request("DELETE", "/images/" + UrlEscape(name) + query), {404});
  return r.ok() ? Status::Ok() : Status(r.error());
}

}  // namespace baton::runtime
