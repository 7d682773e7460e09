// Local content in the container spec: the copies of project files and
// configs as bind mounts of their paths on the host, the baton.files label,
// and the secrets and configs baton cannot deliver, refused at their key.
// Secrets themselves are copied in after the create (secret_delivery.cc).

#include <set>

#include "planner/labels.h"
#include "runtime/container_spec_parts.h"

namespace baton::runtime::container_spec {
namespace {

using nlohmann::json;

// compose's place of a config: `/<source>` by default, a relative target
// under "/". The content stage gives FileCopyUse::target the same way.
std::string ConfigTarget(const compose::FileReference& config) {
  if (config.target.empty()) return "/" + config.source;
  return config.target.starts_with("/") ? config.target : "/" + config.target;
}

bool Under(const std::string& path, const std::string& folder) {
  std::string prefix = folder.ends_with("/") ? folder : folder + "/";
  return path == folder || path.starts_with(prefix);
}

// The tmpfs mount `target` lies in, or "" when none: the Engine API cannot
// write into a tmpfs (it is not mounted for archive operations).
std::string TmpfsHolding(const compose::Service& service, const std::string& target) {
  for (const std::string& entry : service.tmpfs) {
    std::string path = entry.substr(0, entry.find(':'));
    if (Under(target, path)) return path;
  }
  for (const compose::VolumeMount& mount : service.volumes)
    if (mount.type == "tmpfs" && Under(target, mount.target)) return mount.target;
  return "";
}

// The SecretUse of service.secrets[index]: the n-th use of its key for the
// n-th reference to that key. Null when the content stage made none (an
// external secret, or one with a driver, has nothing to copy).
const planner::SecretUse* SecretOf(const SpecInput& in, size_t index) {
  const std::string& key = in.service.secrets[index].source;
  size_t earlier = 0;
  for (size_t i = 0; i < index; ++i)
    if (in.service.secrets[i].source == key) ++earlier;
  for (const planner::SecretUse& use : in.spec.content.secrets)
    if (use.key == key && earlier-- == 0) return &use;
  return nullptr;
}

Status CheckSecret(const SpecInput& in, size_t index) {
  std::string where = in.Where(in.Path("secrets").Index(index), "secrets");
  const planner::SecretUse* use = SecretOf(in, index);
  if (use == nullptr)
    return Error::Invalid(where, "secret \"" + in.service.secrets[index].source +
                                     "\" has no content baton can copy: external, driver and "
                                     "template_driver secrets are not supported yet");
  if (TakenByVolume(in.service, use->target)) return Status::Ok();
  if (in.service.read_only.value_or(false))
    return Error::Invalid(where,
                          "a read_only service cannot receive secrets yet: baton copies them "
                          "into the container's file system");
  if (std::string tmpfs = TmpfsHolding(in.service, use->target); !tmpfs.empty())
    return Error::Invalid(where, "baton cannot copy a secret into tmpfs " + tmpfs);
  return Status::Ok();
}

Status CheckConfig(const SpecInput& in, size_t index) {
  const compose::FileReference& config = in.service.configs[index];
  std::string target = ConfigTarget(config);
  if (TakenByVolume(in.service, target)) return Status::Ok();
  for (const planner::FileCopyUse& use : in.spec.content.copies)
    if (use.config && use.target == target) return Status::Ok();
  return Error::Invalid(in.Where(in.Path("configs").Index(index), "configs"),
                        "config \"" + config.source +
                            "\" has no content baton can copy: external, driver and "
                            "template_driver configs are not supported yet");
}

// A copy bound at its target. A bind rather than a volume mount with a
// subpath: API 1.41 has no volume subpaths, and a Mounts bind (unlike
// HostConfig.Binds) fails when the copy has vanished.
Result<json> CopyMount(const SpecInput& in, const planner::FileCopyUse& use) {
  auto path = in.copies.find(use.digest);
  if (path == in.copies.end())
    return Error::Internal("", "no copy of " + use.label + " on host " + in.host);
  std::string source = use.subpath.empty() ? path->second : path->second + "/" + use.subpath;
  return json{
      {"Type", "bind"}, {"Source", source}, {"Target", use.target}, {"ReadOnly", use.read_only}};
}

}  // namespace

bool TakenByVolume(const compose::Service& service, const std::string& target) {
  for (const compose::VolumeMount& mount : service.volumes)
    if (mount.target == target) return true;
  return false;
}

bool ServedFromCopy(const planner::ServiceSpec& spec, const std::string& target) {
  for (const planner::FileCopyUse& use : spec.content.copies)
    if (!use.config && use.target == target) return true;
  return false;
}

Status AddFiles(const SpecInput& in, ContainerSpec& spec) {
  for (size_t i = 0; i < in.service.secrets.size(); ++i)
    if (Status s = CheckSecret(in, i); !s.ok()) return s;
  for (size_t i = 0; i < in.service.configs.size(); ++i)
    if (Status s = CheckConfig(in, i); !s.ok()) return s;
  std::set<std::string> digests;
  for (const planner::FileCopyUse& use : in.spec.content.copies) {
    // A config whose target a `volumes:` entry takes yields to it.
    if (use.config && TakenByVolume(in.service, use.target)) continue;
    Result<json> mount = CopyMount(in, use);
    if (!mount.ok()) return std::move(mount).error();
    spec.extra["HostConfig"]["Mounts"].push_back(std::move(*mount));
    digests.insert(use.digest);
  }
  if (!digests.empty()) spec.labels[planner::labels::kFiles] = json(digests).dump();
  return Status::Ok();
}

}  // namespace baton::runtime::container_spec
