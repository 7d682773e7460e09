// ApplyPlan's image actions: pull on the host from its registry, or push
// from the local engine or another host, both with progress in bytes.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "runtime/apply_context.h"
#include "runtime/image_push.h"

namespace baton::runtime {
namespace {

using planner::Action;
using planner::ActionKind;

// Sums the layers of a pull: each layer's latest bytes downloaded and size.
class PullTally {
 public:
  void Add(const PullProgress& p) {
    if (p.id.empty()) return;
    Layer& layer = layers_[p.id];
    if (p.total > 0) layer.total = p.total;
    if (p.status == "Downloading") layer.done = p.current;
    if (p.status == "Download complete" || p.status == "Pull complete" ||
        p.status == "Already exists")
      layer.done = layer.total;
  }
  std::string Text() const {
    std::int64_t done = 0, total = 0;
    for (const auto& [id, layer] : layers_) {
      done += layer.done;
      total += layer.total;
    }
    return BytesText("pulling", done, total, 100);
  }

 private:
  struct Layer {
    std::int64_t done = 0;
    std::int64_t total = 0;
  };
  std::map<std::string, Layer> layers_;
};

Status Pull(const ApplyContext& ctx, size_t index, DockerClient& docker) {
  PullTally tally;
  ChangeReporter reporter(ctx.progress, index, ctx.plan.actions[index]);
  Status pulled = docker.PullImage(
      ctx.plan.actions[index].name,
      [&](const PullProgress& p) {
        tally.Add(p);
        reporter.Report(tally.Text());
        return true;
      },
      ctx.options.stop);
  // A stopped stream ends Ok, but the image is not there.
  if (pulled.ok() && ctx.options.stop.stop_requested()) return Interrupted();
  return pulled;
}

// The engine that has the image: a pool host, or the local engine for "".
Result<DockerClient*> PushSource(const ApplyContext& ctx, const Action& action) {
  if (!action.source_host.empty()) {
    Result<DockerClient*> docker = ctx.pool.Docker(action.source_host);
    if (!docker.ok()) return docker.error().Within("source " + action.source_host);
    return docker;
  }
  if (ctx.options.push_source == nullptr)
    return Error::Invalid("", "no local docker engine to push from");
  return ctx.options.push_source;
}

// A built image also carries its service's plain name N on every host, as
// compose tags it (containers run the digest tag T).
Status TagBuiltName(const ApplyContext& ctx, const std::string& image, DockerClient& docker) {
  for (const planner::ServiceSpec& service : ctx.desired.services) {
    const std::optional<planner::BuildUse>& build = service.content.build;
    if (!build || build->tag != image || build->image.empty() || build->image == image) continue;
    if (Status s = docker.TagImage(image, build->image); !s.ok())
      return s.error().Within("tag " + build->image);
  }
  return Status::Ok();
}

Status Push(const ApplyContext& ctx, size_t index, DockerClient& docker) {
  const Action& action = ctx.plan.actions[index];
  Result<DockerClient*> source = PushSource(ctx, action);
  if (!source.ok()) return source.error();
  const std::string& image = action.name;
  Result<ImageInfo> info = (*source)->InspectImage(image);
  if (!info.ok()) return info.error();
  ChangeReporter reporter(ctx.progress, index, action);
  Status pushed = PushImage(
      **source, docker, image,
      [&](std::uint64_t sent) {
        // Never 100% before the end: a save's tarball is a little larger than the image.
        reporter.Report(
            BytesText("pushing", static_cast<std::int64_t>(sent), info->size_bytes, 99));
      },
      ctx.options.stop);
  if (!pushed.ok() && ctx.options.stop.stop_requested()) return Interrupted();
  if (!pushed.ok()) return pushed;
  return TagBuiltName(ctx, image, docker);
}

}  // namespace

Status RunImageAction(const ApplyContext& ctx, size_t index) {
  const Action& action = ctx.plan.actions[index];
  Result<DockerClient*> docker = HostDocker(ctx, action);
  if (!docker.ok()) return docker.error();
  if (action.kind == ActionKind::kPullImage) return Pull(ctx, index, **docker);
  if (action.kind == ActionKind::kPushImage) return Push(ctx, index, **docker);
  return Error::Internal("", "not an image action");
}

}  // namespace baton::runtime
