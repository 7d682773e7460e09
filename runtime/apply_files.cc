// kUploadFiles and kRemoveFiles: copies of project files on a host (issue 8),
// by digest (the action's name); see file_copy.h.

#include <cstdint>
#include <memory>
#include <utility>

#include "runtime/apply_context.h"
#include "runtime/file_copy.h"

namespace baton::runtime {
namespace {

using planner::Action;
using planner::ActionKind;

Status Upload(const ApplyContext& ctx, size_t index, DockerClient& docker) {
  const Action& action = ctx.plan.actions[index];
  if (ctx.options.content == nullptr) return Error::Invalid("", "no local content to upload");
  Result<std::unique_ptr<TarSource>> tar = ctx.options.content->OpenCopy(action.name);
  if (!tar.ok()) return tar.error();
  ChangeReporter reporter(ctx.progress, index, action);
  auto total = static_cast<std::int64_t>((*tar)->size());
  Status uploaded = UploadFileCopy(
      docker, ctx.plan.project, action.name, **tar,
      [&](uint64_t sent) {
        reporter.Report(BytesText("uploading", static_cast<std::int64_t>(sent), total, 100));
      },
      ctx.options.stop);
  if (!uploaded.ok() && ctx.options.stop.stop_requested()) return Interrupted();
  return uploaded;
}

}  // namespace

Status RunFilesAction(const ApplyContext& ctx, size_t index) {
  const Action& action = ctx.plan.actions[index];
  Result<DockerClient*> docker = HostDocker(ctx, action);
  if (!docker.ok()) return docker.error();
  if (action.kind == ActionKind::kUploadFiles) return Upload(ctx, index, **docker);
  if (action.kind == ActionKind::kRemoveFiles)
    return RemoveFileCopy(**docker, ctx.plan.project, action.name);
  return Error::Internal("", "not a files action");
}

}  // namespace baton::runtime
