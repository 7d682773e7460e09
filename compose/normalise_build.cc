// A service's `build` section (a mapping once canonical).

#include <array>

#include "compose/normalise_parts.h"
#include "compose/normalise_read.h"

namespace baton::compose::normalise {
namespace {

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
    {"context", Into<ReadString, &BuildConfig::context>},
    {"dockerfile", Into<ReadString, &BuildConfig::dockerfile>},
    {"dockerfile_inline", Into<ReadString, &BuildConfig::dockerfile_inline>},
    {"args", Into<ReadOptionalStringMap, &BuildConfig::args>},
    {"target", Into<ReadString, &BuildConfig::target>},
    {"network", Into<ReadString, &BuildConfig::network>},
    {"labels", Into<ReadStringMap, &BuildConfig::labels>},
    {"cache_from", Into<ReadStringList, &BuildConfig::cache_from>},
    {"cache_to", Into<ReadStringList, &BuildConfig::cache_to>},
    {"tags", Into<ReadStringList, &BuildConfig::tags>},
    {"platforms", Into<ReadStringList, &BuildConfig::platforms>},
    {"ssh", ReadSsh},
    {"extra_hosts", Into<ReadStringList, &BuildConfig::extra_hosts>},
    {"additional_contexts", Into<ReadStringMap, &BuildConfig::additional_contexts>},
    {"shm_size", Into<ReadBytes, &BuildConfig::shm_size>},
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
