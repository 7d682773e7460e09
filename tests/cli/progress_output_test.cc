// Live progress of an apply: start, running updates (deduplicated and at
// most once a second per action), done and failed lines.

#include "cli/progress_output.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

namespace baton::cli {
namespace {

using Phase = runtime::ApplyProgress::Phase;

planner::Plan OneCreate() {
  planner::Plan plan;
  planner::Action action;
  action.kind = planner::ActionKind::kCreateContainer;
  action.host = "lab1";
  action.name = "shop-web-2";
  plan.actions.push_back(action);
  return plan;
}

runtime::ApplyProgress Progress(Phase phase, const std::string& text) {
  runtime::ApplyProgress p;
  p.action = 0;
  p.host = "lab1";
  p.subject = "shop-web-2";
  p.text = text;
  p.phase = phase;
  return p;
}

// Runs `steps` through a printer writing to a memory file and returns the text.
template <typename Steps>
std::string Printed(Steps steps) {
  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  planner::Plan plan = OneCreate();
  ProgressPrinter::Clock::time_point now{};
  {
    ProgressPrinter printer(out, plan, false, [&now] { return now; });
    steps(printer, now);
  }
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

TEST_CASE("progress output: one line per start, update and end", "[cli][progress]") {
  std::string text = Printed([](ProgressPrinter& p, auto&) {
    p.Print(Progress(Phase::kStarted, "create shop-web-2"));
    p.Print(Progress(Phase::kRunning, "waiting for db healthy"));
    p.Print(Progress(Phase::kDone, "done"));
  });
  CHECK(text ==
        "lab1: create shop-web-2 ...\n"
        "lab1: create shop-web-2: waiting for db healthy\n"
        "lab1: create shop-web-2: done\n");
}

TEST_CASE("progress output: repeated and too frequent updates are left out", "[cli][progress]") {
  std::string text = Printed([](ProgressPrinter& p, ProgressPrinter::Clock::time_point& now) {
    p.Print(Progress(Phase::kRunning, "pulling 10%"));
    p.Print(Progress(Phase::kRunning, "pulling 10%"));
    now += std::chrono::milliseconds(500);
    p.Print(Progress(Phase::kRunning, "pulling 20%"));
    now += std::chrono::milliseconds(600);
    p.Print(Progress(Phase::kRunning, "pulling 30%"));
  });
  CHECK(text ==
        "lab1: create shop-web-2: pulling 10%\n"
        "lab1: create shop-web-2: pulling 30%\n");
}

TEST_CASE("progress output: a failure shows its error and is counted", "[cli][progress]") {
  int failed = 0;
  std::string text = Printed([&failed](ProgressPrinter& p, auto&) {
    p.Print(Progress(Phase::kFailed, "404 Not Found: no such image"));
    failed = p.failed();
  });
  CHECK(text == "lab1: create shop-web-2: failed: 404 Not Found: no such image\n");
  CHECK(failed == 1);
}

TEST_CASE("progress output: the local engine's actions are shown as local", "[cli][progress]") {
  std::string text = Printed([](ProgressPrinter& p, auto&) {
    runtime::ApplyProgress progress = Progress(Phase::kStarted, "");
    progress.host = "";
    p.Print(progress);
  });
  CHECK(text == "local: create shop-web-2 ...\n");
}

TEST_CASE("progress output: build lines follow the service name without their line end",
          "[cli][progress]") {
  std::string text = Printed([](ProgressPrinter& p, auto&) {
    p.PrintBuildOutput("web", "Step 1/4 : FROM baton/busybox:lab\n");
    p.BuildOutputCallback()("web", " ---> 3f57d9401f8d\r\n");
  });
  CHECK(text ==
        "web | Step 1/4 : FROM baton/busybox:lab\n"
        "web |  ---> 3f57d9401f8d\n");
}

}  // namespace
}  // namespace baton::cli
