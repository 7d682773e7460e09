// kBuildImage: builds a service's image from its local context (issue 8) on
// the action's host, or on the local engine when the host is "". The image is
// tagged T (and the service's plain name N) only after the context sent was
// verified to be the one the plan digested.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "planner/labels.h"
#include "runtime/apply_context.h"

namespace baton::runtime {
namespace {

namespace labels = planner::labels;
using planner::Action;

// Drops terminal escape sequences (ESC [ parameters final-byte): the classic
// builder wraps the stderr of RUN steps in "\x1b[91m" ... "\x1b[0m".
std::string WithoutEscapes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\x1b') {
      out += text[i];
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '[') {
      size_t end = i + 2;
      while (end < text.size() && !(text[end] >= 0x40 && text[end] <= 0x7e)) ++end;
      i = end;  // the final byte is skipped too
    }
  }
  return out;
}

// "Step 3/7" of "Step 3/7 : RUN make", else nothing.
std::optional<std::string> StepText(std::string_view line) {
  if (!line.starts_with("Step ")) return std::nullopt;
  size_t end = line.find(" :");
  return std::string(line.substr(0, end));
}

// The build's `stream` pieces, re-joined into whole lines: the engine
// splits its output wherever its buffers end.
class BuildLines {
 public:
  BuildLines(const ApplyContext& ctx, size_t index)
      : ctx_(ctx),
        service_(ctx.plan.actions[index].service),
        reporter_(ctx.progress, index, ctx.plan.actions[index]) {}
  void Feed(std::string_view piece) {
    pending_ += piece;
    size_t start = 0;
    for (size_t nl = pending_.find('\n'); nl != std::string::npos;
         nl = pending_.find('\n', start)) {
      Emit(std::string_view(pending_).substr(start, nl - start));
      start = nl + 1;
    }
    pending_.erase(0, start);
  }
  // The last piece may lack its newline; a trailing colour reset alone is no line.
  void Finish() {
    if (!WithoutEscapes(pending_).empty()) Emit(pending_);
    pending_.clear();
  }
  void Progress(std::string text) { reporter_.Report(std::move(text)); }

 private:
  void Emit(std::string_view raw) {
    std::string line = WithoutEscapes(raw);
    while (!line.empty() && line.back() == '\r') line.pop_back();
    if (std::optional<std::string> step = StepText(line)) reporter_.Report(*step);
    ctx_.progress.BuildOutput(service_, line);
  }

  const ApplyContext& ctx_;
  const std::string& service_;
  ChangeReporter reporter_;
  std::string pending_;
};

Result<DockerClient*> BuildEngine(const ApplyContext& ctx, const Action& action) {
  if (!action.host.empty()) return HostDocker(ctx, action);
  if (ctx.options.push_source == nullptr)
    return Error::Invalid("", "no local docker engine to build on");
  return ctx.options.push_source;
}

// The user's request plus the labels that tie the image to its service and digest.
Result<BuildRequest> RequestFor(const ApplyContext& ctx, const Action& action,
                                const planner::BuildUse& build) {
  Result<BuildRequest> request = ctx.options.content->BuildRequestOf(action.service);
  if (!request.ok()) return request.error();
  request->no_cache = request->no_cache || ctx.options.no_cache;
  request->labels[labels::kBuildDigest] = build.digest;
  request->labels[labels::kBuildService] = ctx.desired.project + "/" + action.service;
  return request;
}

// Runs POST /build with the context streamed from `context` (none for a
// remote context) and returns the image id once the context verified.
Result<std::string> Build(const ApplyContext& ctx, size_t index, DockerClient& docker,
                          const BuildRequest& request, TarSource* context) {
  BuildLines lines(ctx, index);
  uint64_t sent = 0;
  BodyReader reader = [&](std::span<char> buffer) -> Result<std::size_t> {
    Result<size_t> n = context->Read(buffer);
    if (n.ok() && *n > 0) {
      sent += *n;
      lines.Progress(BytesText("sending context", static_cast<std::int64_t>(sent),
                               static_cast<std::int64_t>(context->size()), 100));
    }
    return n;
  };
  Result<std::string> id = docker.BuildImage(
      request, context != nullptr ? reader : BodyReader(),
      [&](const BuildMessage& m) {
        if (!m.stream.empty()) lines.Feed(m.stream);
        if (!m.status.empty()) lines.Progress("pulling base image");
      },
      ctx.options.stop);
  lines.Finish();
  if (!id.ok() && ctx.options.stop.stop_requested()) return Interrupted();
  if (!id.ok()) return id.error();
  if (context == nullptr) return id;
  if (Status verified = context->Verify(); !verified.ok()) {
    (void)docker.RemoveImage(*id);  // best effort: an untagged image of changed files
    return verified.error();
  }
  return id;
}

}  // namespace

Status RunBuildAction(const ApplyContext& ctx, size_t index) {
  const Action& action = ctx.plan.actions[index];
  const planner::ServiceSpec* service = ctx.desired.FindService(action.service);
  if (service == nullptr || !service->content.build)
    return Error::Internal("", "service " + action.service + " has no build");
  const planner::BuildUse& build = *service->content.build;
  if (ctx.options.content == nullptr) return Error::Invalid("", "no local content to build from");
  Result<DockerClient*> docker = BuildEngine(ctx, action);
  if (!docker.ok()) return docker.error();
  Result<BuildRequest> request = RequestFor(ctx, action, build);
  if (!request.ok()) return request.error();
  std::unique_ptr<TarSource> context;
  if (request->remote.empty()) {
    Result<std::unique_ptr<TarSource>> opened =
        ctx.options.content->OpenBuildContext(action.service);
    if (!opened.ok()) return opened.error();
    context = std::move(*opened);
  }
  Result<std::string> id = Build(ctx, index, **docker, *request, context.get());
  if (!id.ok()) return id.error();
  for (const std::string& name : {build.tag, build.image}) {
    if (name.empty()) continue;
    if (Status s = (*docker)->TagImage(*id, name); !s.ok()) return s.error().Within("tag " + name);
  }
  return Status::Ok();
}

}  // namespace baton::runtime
