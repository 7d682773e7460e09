#pragma once
// Applies a plan (planner/plan.h) to the hosts: hosts in parallel, each
// action once every action it comes `after` has finished, and a replica's
// container started only when the depends_on conditions of its service hold
// on every host where the dependencies run (service_started: running;
// service_healthy: health "healthy"; service_completed_successfully: exited
// with 0). Images are pulled with progress, or pushed from a local engine.
//
// Every action is idempotent, so a plan cut short (Ctrl-C, a lost SSH
// connection) leaves state that a fresh observe + plan + apply finishes:
// containers carry their labels from creation, a created container that
// never started is started by the next `up`.

#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "base/result.h"
#include "planner/desired_state.h"
#include "planner/plan.h"
#include "runtime/content_source.h"
#include "runtime/docker_client.h"
#include "runtime/host_pool.h"

namespace baton::runtime {

struct NetdDeployment;

// A step of progress, for live output: "pull baton/busybox:lab on lab2:
// Downloading 3.1 MiB/5.0 MiB", "create shop-web-2 on lab1: done".
struct ApplyProgress {
  size_t action = 0;  // index into Plan::actions
  std::string host;
  std::string subject;  // container, image, network or volume name
  std::string text;     // "pulling 40%", "waiting for db healthy", "started", ...
  enum class Phase { kStarted, kRunning, kDone, kFailed } phase = Phase::kRunning;
};

struct ApplyOptions {
  std::function<void(const ApplyProgress&)> on_progress;  // called from worker threads, serialised
  std::stop_token stop;  // Ctrl-C: no new action starts; running ones finish
  // How long a depends_on condition may take before the dependant fails.
  std::chrono::milliseconds wait_timeout = std::chrono::minutes(5);
  // The local engine: where kPushImage actions with an empty source_host read
  // images from, and where kBuildImage actions with an empty host build.
  DockerClient* push_source = nullptr;
  // Local bytes for kBuildImage, kUploadFiles and the secrets of created
  // containers; a plan with such actions fails them without it.
  const ContentSource* content = nullptr;
  // `build --no-cache`: every build ignores the engine's layer cache.
  bool no_cache = false;
  // Build output, one whole line at a time, from worker threads (serialised).
  std::function<void(const std::string& service, std::string_view line)> on_build_output;
  // The netd image and containers kCreateNetd and kRecreateNetd deploy;
  // a plan with such actions fails them without it. kRemoveNetd needs none.
  const NetdDeployment* netd = nullptr;
};

// Runs the plan. On failure of one action, its dependants are skipped, the
// others go on, and the first error is returned, "host lab2: create
// shop-web-2: ...". Stopped by `stop`: kInternal "interrupted".
Status ApplyPlan(const planner::Plan& plan, const planner::DesiredState& desired, HostPool& pool,
                 const ApplyOptions& options);

}  // namespace baton::runtime
