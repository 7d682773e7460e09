// content_json of the desired-state record: ContentDigests and the project
// folder as JSON and back. Digests only: secret values never get here.

#include <nlohmann/json.hpp>

#include "planner/desired_record_parts.h"

namespace baton::planner::record_detail {
namespace {

using nlohmann::json;

json BuildJson(const BuildUse& b) {
  return {{"digest", b.digest}, {"image", b.image}, {"tag", b.tag}, {"label", b.label}};
}

json CopyJson(const FileCopyUse& c) {
  return {{"digest", c.digest}, {"subpath", c.subpath}, {"target", c.target},
          {"read_only", c.read_only}, {"config", c.config}, {"label", c.label},
          {"bytes", c.bytes}, {"files", c.files}};
}

json SecretJson(const SecretUse& s) {
  return {{"key", s.key}, {"fingerprint", s.fingerprint}, {"target", s.target},
          {"uid", s.uid}, {"gid", s.gid}, {"mode", s.mode}};
}

json ServiceJson(const ServiceContent& content) {
  json out = {{"copies", json::array()}, {"secrets", json::array()},
              {"host_paths", content.host_paths}};
  if (content.build) out["build"] = BuildJson(*content.build);
  for (const FileCopyUse& copy : content.copies) out["copies"].push_back(CopyJson(copy));
  for (const SecretUse& secret : content.secrets) out["secrets"].push_back(SecretJson(secret));
  return out;
}

// Throws json::exception on a missing key or a wrong type; ParseContentJson
// turns that into the record's kInvalid, naming the service.
template <typename T>
void Read(const json& object, const char* key, T& out) {
  object.at(key).get_to(out);
}

ServiceContent ServiceFromJson(const json& in) {
  ServiceContent content;
  if (in.contains("build")) {
    BuildUse b;
    const json& j = in.at("build");
    Read(j, "digest", b.digest);
    Read(j, "image", b.image);
    Read(j, "tag", b.tag);
    Read(j, "label", b.label);
    content.build = b;
  }
  for (const json& j : in.at("copies")) {
    FileCopyUse c;
    Read(j, "digest", c.digest);
    Read(j, "subpath", c.subpath);
    Read(j, "target", c.target);
    Read(j, "read_only", c.read_only);
    Read(j, "config", c.config);
    Read(j, "label", c.label);
    Read(j, "bytes", c.bytes);
    Read(j, "files", c.files);
    content.copies.push_back(c);
  }
  for (const json& j : in.at("secrets")) {
    SecretUse s;
    Read(j, "key", s.key);
    Read(j, "fingerprint", s.fingerprint);
    Read(j, "target", s.target);
    Read(j, "uid", s.uid);
    Read(j, "gid", s.gid);
    Read(j, "mode", s.mode);
    content.secrets.push_back(s);
  }
  Read(in, "host_paths", content.host_paths);
  return content;
}

}  // namespace

std::string ContentJson(const RecordedContent& content) {
  json services = json::object();
  for (const auto& [name, service] : content.digests) services[name] = ServiceJson(service);
  json doc = {{"project_dir", content.project_dir}, {"services", services}};
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<RecordedContent> ParseContentJson(std::string_view text, const std::string& where) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object())
    return Error::Invalid(where, "content_json: malformed json");
  RecordedContent content;
  std::string at = "content_json";
  try {
    Read(doc, "project_dir", content.project_dir);
    for (const auto& [name, service] : doc.at("services").items()) {
      at = "content_json.services." + name;
      content.digests[name] = ServiceFromJson(service);
    }
  } catch (const json::exception& e) {
    return Error::Invalid(where, at + ": malformed content (" + std::string(e.what()) + ")");
  }
  return content;
}

}  // namespace baton::planner::record_detail
