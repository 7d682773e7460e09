// A service's `build` section (a mapping once canonical).

#include <array>

#include "compose/normalise_parts.h"
#include "compose/normalise_read.h"

namespace baton::compose::normalise {
namespace {

template <std::string BuildConfig::*member>
Status BuildString(const Node& v, const ModelPath& at, BuildConfig& b) {
  return Assign(ReadString(v, at), b.*member);
}

template <std::vector<std::string> BuildConfig::*member>
Status BuildList(const Node& v, const ModelPath& at, BuildConfig& b) {
  return Assign(ReadStringList(v, at), b.*member);
}

template <StringMap BuildConfig::*member>
Status BuildMap(const Node& v, const ModelPath& at, BuildConfig& b) {
  return Assign(ReadStringMap(v, at), b.*member);
}

// Canonical `ssh` is a mapping id -> path (null for the agent); the model
// keeps compose's printed form: "default", "id=path".
Status ReadSsh(const Node& v, const ModelPath& at, BuildConfig& b) {
  if (v.IsSequence()) return Assign(ReadStringList(v, at), b.ssh);
  if (Status s = RequireMapping(v, at); !s.ok()) return s;
  b.ssh.clear();
  for (const MapEntry& e : v.entries()) {
    if (e.value.IsNull()) {
      b.ssh.push_back(e.key);
      continue;
    }
    Result<std::string> path = ReadString(e.value, at.Key(e.key));
    if (!path.ok()) return std::move(path).error();
    b.ssh.push_back(e.key + "=" + *path);
  }
  return Status::Ok();
}

constexpr auto kBuildFields = std::to_array<Field<BuildConfig>>({
    {"context", BuildString<&BuildConfig::context>},
    {"dockerfile", BuildString<&BuildConfig::dockerfile>},
    {"dockerfile_inline", BuildString<&BuildConfig::dockerfile_inline>},
    {"args",
     [](const Node& v, const ModelPath& at, BuildConfig& b) {
       return Assign(ReadOptionalStringMap(v, at), b.args);
     }},
    {"target", BuildString<&BuildConfig::target>},
    {"network", BuildString<&BuildConfig::network>},
    {"labels", BuildMap<&BuildConfig::labels>},
    {"cache_from", BuildList<&BuildConfig::cache_from>},
    {"cache_to", BuildList<&BuildConfig::cache_to>},
    {"tags", BuildList<&BuildConfig::tags>},
    {"platforms", BuildList<&BuildConfig::platforms>},
    {"ssh", ReadSsh},
    {"extra_hosts", BuildList<&BuildConfig::extra_hosts>},
    {"additional_contexts", BuildMap<&BuildConfig::additional_contexts>},
    {"shm_size",
     [](const Node& v, const ModelPath& at, BuildConfig& b) {
       return Assign(ReadBytes(v, at), b.shm_size);
     }},
});

}  // namespace

Status ReadBuild(const Node& node, const ModelPath& at, Service& service) {
  BuildConfig build;
  Status s = ReadFields<BuildConfig>(node, at, kBuildFields, build,
                                     {&build.other, &build.extensions});
  if (!s.ok()) return s;
  // Build secrets are read apart: their marks belong to the service.
  if (const Node* secrets = node.Find("secrets")) {
    build.other.Erase("secrets");
    Result<std::vector<FileReference>> refs =
        ReadFileReferences(*secrets, at.Key("secrets"), "build.secrets", service);
    if (!refs.ok()) return std::move(refs).error();
    build.secrets = std::move(*refs);
  }
  service.build = std::move(build);
  return Status::Ok();
}

}  // namespace baton::compose::normalise
