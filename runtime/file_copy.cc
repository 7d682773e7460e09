// Copies of project files on a host: a volume filled through a
// created-never-started helper container and PUT .../archive, a marker
// volume made last. Every step is an engine API call: no shell, no command
// text, nothing run inside a container.

#include "runtime/file_copy.h"

#include <utility>

#include "planner/labels.h"
#include "runtime/lock_image.h"

namespace baton::runtime {
namespace {

namespace labels = planner::labels;

constexpr char kContentRole[] = "content";
constexpr char kCompleteRole[] = "complete";
constexpr char kUploadRole[] = "upload";
constexpr char kCopyMount[] = "/copy";  // where the helper mounts the copy's volume

std::string Short(const std::string& digest) { return digest.substr(0, 16); }

std::string MarkerVolume(const std::string& project, const std::string& digest) {
  return FileCopyVolume(project, digest) + ".ok";
}

std::string HelperName(const std::string& project, const std::string& digest) {
  return "baton-upload-" + project + "-" + Short(digest);
}

Labels CopyLabels(const std::string& project, const std::string& digest, const char* role) {
  return {{labels::kFilesProject, project},
          {labels::kFilesDigest, digest},
          {labels::kFilesRole, role},
          {labels::kManaged, "true"}};
}

Status MakeVolume(DockerClient& docker, const std::string& name, Labels labels) {
  VolumeSpec spec;
  spec.name = name;
  spec.labels = std::move(labels);
  Result<VolumeInfo> made = docker.CreateVolume(spec);
  return made.ok() ? Status::Ok() : Status(made.error().Within("create volume " + name));
}

// The helper: the lock image (no command of its own ever runs: it is never
// started), no network, the copy's volume at /copy. NoCopy keeps the engine
// from copying the image's /copy contents (there are none) into the volume.
ContainerSpec HelperSpec(const std::string& project, const std::string& digest) {
  ContainerSpec spec;
  spec.name = HelperName(project, digest);
  spec.image = kLockImage;
  spec.labels = CopyLabels(project, digest, kUploadRole);
  spec.host_config.network_mode = "none";
  nlohmann::json mount = {{"Type", "volume"},
                          {"Source", FileCopyVolume(project, digest)},
                          {"Target", kCopyMount},
                          {"VolumeOptions", {{"NoCopy", true}}}};
  spec.extra = {{"HostConfig", {{"Mounts", nlohmann::json::array({mount})}}}};
  return spec;
}

Status RemoveHelper(DockerClient& docker, const std::string& project, const std::string& digest) {
  std::string name = HelperName(project, digest);
  Status s = docker.RemoveContainer(name, {.force = true, .volumes = false});
  return s.ok() ? s : Status(s.error().Within("remove upload helper " + name));
}

Status RemoveVolumeNamed(DockerClient& docker, const std::string& name) {
  Status s = docker.RemoveVolume(name);
  return s.ok() ? s : Status(s.error().Within("remove volume " + name));
}

// True when both the marker and the volume are there: the copy is complete.
Result<bool> IsComplete(DockerClient& docker, const std::string& project,
                        const std::string& digest) {
  for (const std::string& name : {MarkerVolume(project, digest), FileCopyVolume(project, digest)}) {
    Result<VolumeInfo> info = docker.InspectVolume(name);
    if (!info.ok() && info.error().kind == Error::Kind::kNotFound) return false;
    if (!info.ok()) return info.error().Within("inspect volume " + name);
  }
  return true;
}

// Sends `tar` into the helper's /copy, reporting the bytes read so far.
Status SendArchive(DockerClient& docker, const std::string& helper, TarSource& tar,
                   const std::function<void(uint64_t)>& on_bytes, std::stop_token stop) {
  uint64_t sent = 0;
  BodyReader reader = [&](std::span<char> buffer) -> Result<std::size_t> {
    Result<size_t> n = tar.Read(buffer);
    if (n.ok() && *n > 0) {
      sent += *n;
      if (on_bytes) on_bytes(sent);
    }
    return n;
  };
  if (Status s = docker.PutArchive(helper, kCopyMount, reader, std::move(stop)); !s.ok())
    return s.error().Within("upload archive");
  return tar.Verify();
}

// Volume, helper, archive, verify, helper gone: everything before the marker.
Status FillCopy(DockerClient& docker, const std::string& project, const std::string& digest,
                TarSource& tar, const std::function<void(uint64_t)>& on_bytes,
                std::stop_token stop) {
  std::string volume = FileCopyVolume(project, digest);
  if (Status s = MakeVolume(docker, volume, CopyLabels(project, digest, kContentRole)); !s.ok())
    return s;
  if (Status s = EnsureLockImage(docker); !s.ok()) return s;
  Result<ContainerCreated> helper = docker.CreateContainer(HelperSpec(project, digest));
  if (!helper.ok())
    return helper.error().Within("create upload helper " + HelperName(project, digest));
  if (Status s = SendArchive(docker, helper->id, tar, on_bytes, std::move(stop)); !s.ok()) return s;
  return RemoveHelper(docker, project, digest);
}

}  // namespace

std::string FileCopyVolume(const std::string& project, const std::string& digest) {
  return "baton-files-" + project + "-" + Short(digest);
}

Status UploadFileCopy(DockerClient& docker, const std::string& project, const std::string& digest,
                      TarSource& tar, const std::function<void(uint64_t sent)>& on_bytes,
                      std::stop_token stop) {
  // A complete copy is never replaced: the same digest means the same files.
  Result<bool> complete = IsComplete(docker, project, digest);
  if (!complete.ok()) return complete.error();
  if (*complete) return Status::Ok();
  // The engine's create returns an existing volume unchanged, so a partial
  // one from an interrupted upload must go first.
  if (Status s = RemoveFileCopy(docker, project, digest); !s.ok()) return s;
  if (Status s = FillCopy(docker, project, digest, tar, on_bytes, stop); !s.ok()) {
    // Best effort: leave no half copy behind; the next upload clears what remains.
    (void)RemoveFileCopy(docker, project, digest);
    return s;
  }
  return MakeVolume(docker, MarkerVolume(project, digest),
                    CopyLabels(project, digest, kCompleteRole));
}

Status RemoveFileCopy(DockerClient& docker, const std::string& project, const std::string& digest) {
  // The marker first: a copy without its marker is incomplete to every reader.
  if (Status s = RemoveVolumeNamed(docker, MarkerVolume(project, digest)); !s.ok()) return s;
  if (Status s = RemoveHelper(docker, project, digest); !s.ok()) return s;
  return RemoveVolumeNamed(docker, FileCopyVolume(project, digest));
}

Result<std::string> FileCopyPath(DockerClient& docker, const std::string& project,
                                 const std::string& digest, const std::string& subpath) {
  std::string marker = MarkerVolume(project, digest);
  Result<VolumeInfo> complete = docker.InspectVolume(marker);
  if (!complete.ok() && complete.error().kind == Error::Kind::kNotFound)
    return Error::NotFound(complete.error().where,
                           "copy " + FileCopyVolume(project, digest) + " is not complete");
  if (!complete.ok()) return complete.error().Within("inspect volume " + marker);
  std::string volume = FileCopyVolume(project, digest);
  Result<VolumeInfo> info = docker.InspectVolume(volume);
  if (!info.ok()) return info.error().Within("inspect volume " + volume);
  if (info->mountpoint.empty())
    return Error::Internal(docker.host().empty() ? "" : "host " + docker.host(),
                           "volume " + volume + " has no mountpoint");
  return subpath.empty() ? info->mountpoint : info->mountpoint + "/" + subpath;
}

}  // namespace baton::runtime
