// The drained-host marker, declared in drain_marker.h: a never-started
// container like the deploy lock (runtime/deploy_lock.cc), so the mark
// lives on the host itself and every baton that reads the host sees it.

#include "runtime/drain_marker.h"

#include <ctime>
#include <optional>

#include "base/rfc3339.h"
#include "planner/labels.h"
#include "runtime/docker_client.h"
#include "runtime/lock_image.h"

namespace baton::runtime {
namespace {

namespace labels = planner::labels;

ContainerSpec MarkerSpec(const std::string& by) {
  ContainerSpec spec;
  spec.name = labels::kDrainContainer;
  spec.image = kLockImage;
  spec.cmd = std::vector<std::string>{"baton-drain"};
  spec.labels = {{labels::kRole, labels::kDrainRole},
                 {labels::kDrainedBy, by},
                 {labels::kDrainedSince, NowRfc3339()}};
  spec.host_config.network_mode = "none";  // it never runs
  return spec;
}

struct FoundMarker {
  std::string id;
  DrainInfo info;
};

// The marker, if the container of its name is one (a stranger's container
// of that name is not ours and does not drain the host).
Result<std::optional<FoundMarker>> FindMarker(DockerClient& docker) {
  Result<ContainerInfo> info = docker.InspectContainer(labels::kDrainContainer);
  if (!info.ok()) {
    if (info.error().kind == Error::Kind::kNotFound) return std::optional<FoundMarker>();
    return info.error().Within("inspect " + std::string(labels::kDrainContainer));
  }
  const Labels& on = info->labels;
  if (LabelOf(on, labels::kRole) != labels::kDrainRole) return std::optional<FoundMarker>();
  return std::optional<FoundMarker>(
      FoundMarker{info->id, {LabelOf(on, labels::kDrainedBy), LabelOf(on, labels::kDrainedSince)}});
}

Error NotOurs() {
  return Error::Conflict("", std::string("a container named ") + labels::kDrainContainer +
                                 " that baton did not make exists; remove it first");
}

}  // namespace

Status MarkDrained(DockerClient& docker, const std::string& by) {
  if (Status s = EnsureLockImage(docker); !s.ok()) return s;
  Result<ContainerCreated> created = docker.CreateContainer(MarkerSpec(by));
  if (created.ok()) return Status::Ok();
  if (created.error().kind != Error::Kind::kConflict)
    return created.error().Within("create " + std::string(labels::kDrainContainer));
  Result<std::optional<FoundMarker>> found = FindMarker(docker);
  if (!found.ok()) return found.error();
  return found->has_value() ? Status::Ok() : Status(NotOurs());
}

Status Activate(DockerClient& docker) {
  Result<std::optional<FoundMarker>> found = FindMarker(docker);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return Status::Ok();
  RemoveContainerOptions force;
  force.force = true;
  Status removed = docker.RemoveContainer((*found)->id, force);
  if (!removed.ok())
    return removed.error().Within("remove " + std::string(labels::kDrainContainer));
  return Status::Ok();
}

Result<bool> IsDrained(DockerClient& docker) {
  Result<std::optional<FoundMarker>> found = FindMarker(docker);
  if (!found.ok()) return found.error();
  return found->has_value();
}

Result<DrainInfo> ReadDrain(DockerClient& docker) {
  Result<std::optional<FoundMarker>> found = FindMarker(docker);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return Error::NotFound("", "the host is not drained");
  return (*found)->info;
}

}  // namespace baton::runtime
