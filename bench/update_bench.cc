// How long a rolling update takes on the real 3-host lab (issue 7, figures):
// `baton up` of a changed environment for `web` with N replicas (no
// healthcheck, so each new replica is watched for `monitor`), stop-first and
// start-first, 1 at a time. The duration is set against N x monitor, the
// least any update with these settings can take; what is left per replica
// is the price of not dropping requests (the DNS settle before a stop, the
// record writes, stop, create and start, and polling).
// Medians over --runs runs (default 3). The project is taken down at the end.
//
// Usage: update_bench --baton PATH [--runs N]   (BATON_HOSTS names the lab's hosts file)

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/bench_util.h"

namespace {

using baton::bench::Median;
using baton::bench::Run;
using Clock = std::chrono::steady_clock;

constexpr char kProject[] = "ubench";
constexpr double kMonitorSeconds = 1;

struct Options {
  std::string baton;
  std::filesystem::path work;
  int runs = 3;
};

std::string Compose(int replicas, const std::string& order, int version) {
  return R"(services:
  web:
    image: baton/busybox:lab
    command: ["sh", "-c", "trap 'exit 0' TERM; nc -ll -p 80 -e echo ok & wait"]
    environment: [VERSION=)" +
         std::to_string(version) + R"(]
    stop_grace_period: 1s
    deploy:
      replicas: )" +
         std::to_string(replicas) + R"(
      update_config: {order: )" +
         order + R"(, monitor: 1s}
)";
}

int Baton(const Options& options, std::vector<std::string> args) {
  args.insert(args.begin(),
              {options.baton, "-f", (options.work / "compose.yaml").string(), "-p", kProject});
  return Run(args, (options.work / "baton.log").string());
}

// The seconds one `up` to `version` took, or a negative number on failure.
double TimeUp(const Options& options, int replicas, const std::string& order, int version) {
  std::ofstream(options.work / "compose.yaml") << Compose(replicas, order, version);
  Clock::time_point start = Clock::now();
  if (Baton(options, {"up", "-d"}) != 0) return -1;
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool Measure(const Options& options, int replicas, const std::string& order) {
  int version = 0;
  if (TimeUp(options, replicas, order, version++) < 0) return false;
  std::vector<double> seconds;
  for (int run = 0; run < options.runs; ++run) {
    double took = TimeUp(options, replicas, order, version++);
    if (took < 0) return false;
    seconds.push_back(took);
  }
  double median = Median(seconds);
  double floor = replicas * kMonitorSeconds;
  std::printf(
      "%-11s %2d replicas: update %6.1f s, replicas x monitor %4.1f s, %.2f s more per "
      "replica\n",
      order.c_str(), replicas, median, floor, (median - floor) / replicas);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--baton")
      options.baton = argv[i + 1];
    else if (flag == "--runs")
      options.runs = std::atoi(argv[i + 1]);
  }
  if (options.baton.empty() || options.runs < 1 || std::getenv("BATON_HOSTS") == nullptr) {
    std::fprintf(stderr, "usage: BATON_HOSTS=FILE update_bench --baton PATH [--runs N]\n");
    return 2;
  }
  options.work = std::filesystem::temp_directory_path() / "baton-update-bench";
  std::filesystem::create_directories(options.work);
  std::printf(
      "rolling update of web, 1 at a time, no healthcheck, monitor 1s, %d runs each "
      "(log: %s)\n",
      options.runs, (options.work / "baton.log").c_str());
  bool ok = true;
  for (int replicas : {2, 4, 8}) ok = ok && Measure(options, replicas, "stop-first");
  ok = ok && Measure(options, 4, "start-first");
  Baton(options, {"down", "-v"});
  if (!ok) std::fprintf(stderr, "update_bench: an up failed; see the log\n");
  return ok ? 0 : 1;
}
