// ApplyPlan's image actions: pull on the host from its registry, or push
// from the local engine, both with progress in bytes.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>

#include "runtime/apply_context.h"
#include "runtime/image_push.h"

namespace baton::runtime {
namespace {

using planner::Action;
using planner::ActionKind;

std::string MiB(std::int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

// "pulling 40% (12.1/30.0 MiB)"; without a known total "pulling 12.1 MiB".
// The percentage stops at `max_percent`.
std::string BytesText(const std::string& verb, std::int64_t done, std::int64_t total,
                      std::int64_t max_percent) {
  if (total <= 0) return verb + " " + MiB(done) + " MiB";
  std::int64_t percent = std::min<std::int64_t>(max_percent, done * 100 / total);
  return verb + " " + std::to_string(percent) + "% (" + MiB(done) + "/" + MiB(total) + " MiB)";
}

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

// Reports `text` only when it differs from the last one, so a stream of
// small progress messages becomes a few lines.
class ChangeReporter {
 public:
  ChangeReporter(const ApplyContext& ctx, size_t index) : ctx_(ctx), index_(index) {}
  void Report(std::string text) {
    if (text == last_) return;
    last_ = text;
    ctx_.progress.Report(index_, ctx_.plan.actions[index_], ApplyProgress::Phase::kRunning,
                         std::move(text));
  }

 private:
  const ApplyContext& ctx_;
  size_t index_;
  std::string last_;
};

Status Pull(const ApplyContext& ctx, size_t index, DockerClient& docker) {
  PullTally tally;
  ChangeReporter reporter(ctx, index);
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

Status Push(const ApplyContext& ctx, size_t index, DockerClient& docker) {
  DockerClient* source = ctx.options.push_source;
  if (source == nullptr) return Error::Invalid("", "no local docker engine to push from");
  const std::string& image = ctx.plan.actions[index].name;
  Result<ImageInfo> info = source->InspectImage(image);
  if (!info.ok()) return info.error();
  ChangeReporter reporter(ctx, index);
  Status pushed = PushImage(
      *source, docker, image,
      [&](std::uint64_t sent) {
        // Never 100% before the end: a save's tarball is a little larger than the image.
        reporter.Report(
            BytesText("pushing", static_cast<std::int64_t>(sent), info->size_bytes, 99));
      },
      ctx.options.stop);
  if (!pushed.ok() && ctx.options.stop.stop_requested()) return Interrupted();
  return pushed;
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
