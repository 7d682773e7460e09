// volumes and tmpfs: named volumes and bind mounts of host paths as binds
// ("source:/target:options"), anonymous volumes and binds with
// create_host_path: false as mounts, tmpfs mounts in HostConfig.Tmpfs. Binds
// of project files are served from copies (container_spec_files.cc).

#include <cstdio>

#include "runtime/container_spec_parts.h"

namespace baton::runtime::container_spec {
namespace {

using compose::VolumeMount;
using nlohmann::json;

std::string Joined(const std::vector<std::string>& parts, char separator) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : std::string(1, separator)) + part;
  return text;
}

std::string Bind(const std::string& source, const VolumeMount& mount,
                 std::vector<std::string> options) {
  if (mount.read_only) options.insert(options.begin(), "ro");
  std::string bind = source + ":" + mount.target;
  return options.empty() ? bind : bind + ":" + Joined(options, ',');
}

Result<std::string> VolumeBind(const SpecInput& in, const VolumeMount& mount,
                               const std::string& where) {
  for (const planner::VolumeSpec& volume : in.desired.volumes)
    if (volume.key == mount.source) {
      std::vector<std::string> options;
      if (mount.volume_nocopy.value_or(false)) options.push_back("nocopy");
      return Bind(volume.volume.name, mount, options);
    }
  return Error::Invalid(where, "undefined volume \"" + mount.source + "\"");
}

// A bind of a path on the host (outside the project folder: project files
// come from copies, AddFiles). HostConfig.Binds makes a missing source as an
// empty folder, which is compose's create_host_path: true.
std::string PathBind(const VolumeMount& mount) {
  std::vector<std::string> options;
  if (!mount.bind_selinux.empty()) options.push_back(mount.bind_selinux);
  if (!mount.bind_propagation.empty()) options.push_back(mount.bind_propagation);
  return Bind(mount.source, mount, options);
}

// create_host_path: false: a Mounts bind, which the engine refuses when the
// source is missing ("bind source path does not exist").
Result<json> StrictPathBind(const VolumeMount& mount, const std::string& where) {
  if (!mount.bind_selinux.empty())
    return Error::Invalid(where, "bind.selinux with create_host_path: false is not supported yet");
  json m = {{"Type", "bind"},
            {"Source", mount.source},
            {"Target", mount.target},
            {"ReadOnly", mount.read_only}};
  if (!mount.bind_propagation.empty()) m["BindOptions"] = {{"Propagation", mount.bind_propagation}};
  return m;
}

Status AddBind(const SpecInput& in, const VolumeMount& mount, const std::string& where,
               ContainerSpec& spec) {
  if (ServedFromCopy(in.spec, mount.target)) return Status::Ok();
  if (mount.bind_create_host_path != false) {
    spec.host_config.binds.push_back(PathBind(mount));
    return Status::Ok();
  }
  Result<json> bind = StrictPathBind(mount, where);
  if (!bind.ok()) return std::move(bind).error();
  spec.extra["HostConfig"]["Mounts"].push_back(std::move(*bind));
  return Status::Ok();
}

json AnonymousVolume(const VolumeMount& mount) {
  json m = {{"Type", "volume"}, {"Target", mount.target}, {"ReadOnly", mount.read_only}};
  if (mount.volume_nocopy) m["VolumeOptions"] = {{"NoCopy", *mount.volume_nocopy}};
  return m;
}

std::string TmpfsOptions(const VolumeMount& mount) {
  std::vector<std::string> options;
  if (mount.read_only) options.push_back("ro");
  if (mount.tmpfs_size) options.push_back("size=" + std::to_string(*mount.tmpfs_size));
  if (mount.tmpfs_mode) {
    char mode[16];
    std::snprintf(mode, sizeof mode, "mode=%o", *mount.tmpfs_mode);
    options.push_back(mode);
  }
  return Joined(options, ',');
}

Status AddMount(const SpecInput& in, const VolumeMount& mount, const std::string& where,
                ContainerSpec& spec) {
  if (mount.type == "volume" && !mount.volume_subpath.empty())
    return Error::Invalid(where, "volume subpath is not supported yet");
  if (mount.type == "volume" && mount.source.empty()) {
    spec.extra["HostConfig"]["Mounts"].push_back(AnonymousVolume(mount));
  } else if (mount.type == "volume") {
    auto bind = VolumeBind(in, mount, where);
    if (!bind.ok()) return std::move(bind).error();
    spec.host_config.binds.push_back(*bind);
  } else if (mount.type == "bind") {
    return AddBind(in, mount, where, spec);
  } else if (mount.type == "tmpfs") {
    spec.extra["HostConfig"]["Tmpfs"][mount.target] = TmpfsOptions(mount);
  } else {
    return Error::Invalid(where, "mount type " + mount.type + " is not supported yet");
  }
  return Status::Ok();
}

}  // namespace

Status AddMounts(const SpecInput& in, ContainerSpec& spec) {
  const std::vector<VolumeMount>& volumes = in.service.volumes;
  for (size_t i = 0; i < volumes.size(); ++i) {
    std::string where = in.Where(in.Path("volumes").Index(i), "volumes");
    if (Status s = AddMount(in, volumes[i], where, spec); !s.ok()) return s;
  }
  // tmpfs: "/run" or "/run:size=64k,mode=1777".
  for (const std::string& entry : in.service.tmpfs) {
    size_t colon = entry.find(':');
    std::string options = colon == std::string::npos ? "" : entry.substr(colon + 1);
    spec.extra["HostConfig"]["Tmpfs"][entry.substr(0, colon)] = options;
  }
  return Status::Ok();
}

}  // namespace baton::runtime::container_spec
